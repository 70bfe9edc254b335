//! The HTTP/1.1 server loop: hyper directly (not `axum::serve`, which has no timeouts), so that
//! a slow or idle client cannot hold a connection for ever and enough of them cannot exhaust the
//! process. Four limits, all in [`ServerLimits`]:
//!
//! - **header timeout**: from the first byte of a request until its head is complete (a client
//!   sending its headers a byte at a time is dropped when it runs out);
//! - **body timeout**: from the head until the last byte of the body; a body still arriving then
//!   fails to read (the CSRF check answers 408, extractors their own 4xx);
//! - **idle timeout**: a connection with no request in flight and no byte received for this long
//!   is closed, before its first request as after the last;
//! - **connection limit**: beyond it a new connection gets an immediate `503` and is closed, so
//!   the ones being served are not slowed down.
//!
//! One supervisor per connection enforces the header and idle timeouts: it watches what the
//! socket wrapper [`WatchedIo`] and the service record in [`ConnWatch`], and drops the
//! connection (closing the socket) when a deadline passes. hyper's own header timer is not used:
//! it runs from the end of the previous response, so it cannot tell idle from slow.

use axum::body::Body;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::Router;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};

/// The limits of the server loop (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

impl Default for ServerLimits {
    /// 10 s for a request head, 60 s for a body (a 2 MB form over a slow mobile line), 30 s idle
    /// keep-alive, 1024 connections (a bound on memory and file descriptors far above what the
    /// load targets need).
    fn default() -> Self {
        ServerLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// What a connection is doing, as the supervisor needs to know it.
#[derive(Debug)]
struct ConnState {
    /// Requests whose response has not been sent completely.
    in_flight: usize,
    /// The last byte received or the last request begun or finished.
    last_activity: Instant,
    /// When the first byte of a request head arrived, while the head is incomplete.
    head_started: Option<Instant>,
}

/// The shared record of one connection.
#[derive(Debug)]
struct ConnWatch(Mutex<ConnState>);

impl ConnWatch {
    fn new() -> Arc<Self> {
        let state = ConnState { in_flight: 0, last_activity: Instant::now(), head_started: None };
        Arc::new(ConnWatch(Mutex::new(state)))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ConnState> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Bytes arrived: with nothing in flight they start (or continue) a request head.
    fn received(&self) {
        let mut state = self.state();
        let now = Instant::now();
        state.last_activity = now;
        if state.in_flight == 0 && state.head_started.is_none() {
            state.head_started = Some(now);
        }
    }

    /// A request's head is complete: the service runs until the returned guard is dropped.
    fn begin(self: &Arc<Self>) -> InFlight {
        let mut state = self.state();
        state.in_flight += 1;
        state.head_started = None;
        state.last_activity = Instant::now();
        InFlight(self.clone())
    }

    /// When the connection is to be closed unless something happens; `None` while a request is
    /// in flight (the body timeout covers that).
    fn deadline(&self, limits: &ServerLimits) -> Option<Instant> {
        let state = self.state();
        if state.in_flight > 0 {
            return None;
        }
        let idle = state.last_activity + limits.idle_timeout;
        Some(state.head_started.map_or(idle, |started| idle.min(started + limits.header_timeout)))
    }
}

/// A request in flight; dropped with the response body, when the response has been sent.
struct InFlight(Arc<ConnWatch>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.in_flight -= 1;
        state.last_activity = Instant::now();
    }
}

/// The socket, recording in [`ConnWatch`] when bytes arrive.
struct WatchedIo {
    stream: TcpStream,
    watch: Arc<ConnWatch>,
}

impl AsyncRead for WatchedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.watch.received();
        }
        polled
    }
}

impl AsyncWrite for WatchedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// The error of a request body still arriving at its deadline.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within the body timeout")]
pub struct BodyTimeout;

/// Whether `error` (or one of its causes) is a [`BodyTimeout`].
pub fn is_body_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |e| e.source()).any(|e| e.is::<BodyTimeout>())
}

/// A request body that fails once its deadline has passed.
struct DeadlineBody {
    inner: Incoming,
    deadline: Pin<Box<Sleep>>,
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimeout)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A response body that keeps its request [`InFlight`] until it is dropped.
struct GuardedBody {
    inner: Body,
    _in_flight: InFlight,
}

impl HttpBody for GuardedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves, then lets the requests
/// in flight finish.
pub async fn serve_with_limits(
    app: Router,
    listener: TcpListener,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tokio::spawn(refuse_busy(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let watch = ConnWatch::new();
        let io = TokioIo::new(WatchedIo { stream, watch: watch.clone() });
        let service = connection_service(app.clone(), watch.clone(), peer, limits.body_timeout);
        let connection = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            supervise(connection, watch, limits).await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The per-connection service: the router, with the client's address, a body deadline and the
/// in-flight record.
fn connection_service(
    app: Router,
    watch: Arc<ConnWatch>,
    peer: SocketAddr,
    body_timeout: Duration,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = hyper::Response<GuardedBody>,
    Error = Infallible,
    Future = impl Future<Output = Result<hyper::Response<GuardedBody>, Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let in_flight = watch.begin();
        let deadline = Box::pin(tokio::time::sleep(body_timeout));
        let mut request = request.map(|inner| Body::new(DeadlineBody { inner, deadline }));
        request.extensions_mut().insert(ConnectInfo(peer));
        let mut app = app.clone();
        async move {
            let response = tower::Service::call(&mut app, request).await?;
            Ok(response.map(|inner| GuardedBody { inner, _in_flight: in_flight }))
        }
    })
}

/// Drives a connection until it ends or its header or idle deadline passes (then it is dropped,
/// which closes the socket).
async fn supervise<C: Future>(connection: C, watch: Arc<ConnWatch>, limits: ServerLimits) {
    tokio::pin!(connection);
    loop {
        // While a request is in flight, look again after the idle timeout.
        let deadline = watch.deadline(&limits).unwrap_or_else(|| Instant::now() + limits.idle_timeout);
        tokio::select! {
            _ = &mut connection => return,
            () = tokio::time::sleep_until(deadline) => {
                if watch.deadline(&limits).is_some_and(|d| d <= Instant::now()) {
                    tracing::debug!("closing a slow or idle connection");
                    return;
                }
            }
        }
    }
}

/// Answers a connection over the limit with `503` and closes it, without waiting on the client
/// for more than a second.
async fn refuse_busy(mut stream: TcpStream) {
    tracing::warn!("connection limit reached; a connection was refused");
    const BUSY: &[u8] =
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
}
