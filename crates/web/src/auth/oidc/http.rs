//! The HTTP client that talks to the provider: hyper with rustls on aws-lc-rs (the TLS stack the
//! workspace already has), the system's root certificates, the crypto provider given explicitly
//! rather than installed for the whole process, no redirects followed (the `openidconnect`
//! documentation's advice against SSRF), a timeout and a cap on the answer's size.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use openidconnect::{HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub(crate) use crate::error::cause_chain as chain;

/// How long one request to the provider may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The largest answer read (a discovery document or JWKS is a few kB).
const MAX_BODY: usize = 1 << 20;

/// Why a request to the provider failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// A request in flight.
pub type Pending = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send>>;

#[derive(Clone)]
pub struct HttpClient {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl HttpClient {
    pub fn new() -> Result<Self, HttpError> {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(provider)
            .map_err(|e| HttpError(format!("no TLS root certificates: {e}")))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(HttpClient { client: Client::builder(TokioExecutor::new()).build(https) })
    }

    /// Sends one request.
    pub fn send(&self, request: HttpRequest) -> Pending {
        let client = self.client.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = openidconnect::http::Request::from_parts(parts, Full::new(Bytes::from(body)));
            let response = tokio::time::timeout(TIMEOUT, client.request(request))
                .await
                .map_err(|_| HttpError(format!("no answer within {} s", TIMEOUT.as_secs())))?
                .map_err(|e| HttpError(chain(&e)))?;
            let (parts, body) = response.into_parts();
            let body = tokio::time::timeout(TIMEOUT, Limited::new(body, MAX_BODY).collect())
                .await
                .map_err(|_| HttpError("the answer took too long".into()))?
                .map_err(|e| HttpError(format!("reading the answer: {e}")))?
                .to_bytes();
            Ok(openidconnect::http::Response::from_parts(parts, body.to_vec()))
        })
    }
}

/// `openidconnect`'s async HTTP client (discovery, keys, the token request).
impl<'c> openidconnect::AsyncHttpClient<'c> for HttpClient {
    type Error = HttpError;
    type Future = Pending;

    fn call(&'c self, request: HttpRequest) -> Pending {
        self.send(request)
    }
}
