// OpenID providers for Sikker By's sign-in tests (crates/web/tests/oidc_support). Synthetic
// accounts only. Prints "listening <issuer>" on stdout once it accepts connections.
//
//   node provider.mjs real     panva's certified oidc-provider, with a sign-in page of its own,
//                              accounts with groups and amr, RP-initiated logout.
//   node provider.mjs hostile  a provider that answers the code flow with the ID token a test
//                              asks for (GET /case/NAME): wrong issuer, wrong audience, expired,
//                              tampered, unknown key, an old nonce, a rotated key, and good ones.
//                              oidc-provider cannot be made to sign such tokens, by design.
//
// Environment: CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_URI; PORT (default: any free);
// KEY_ID, the real provider's signing key's id (a new key each start: restarted with another
// KEY_ID on the same PORT, it has rotated its key).
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const mode = process.argv[2] ?? 'real';
const port = Number(process.env.PORT ?? 0);
const clientId = process.env.CLIENT_ID ?? 'sikkerby';
const clientSecret = process.env.CLIENT_SECRET ?? 'test-secret-for-the-test-provider-only';
const redirectUri = process.env.REDIRECT_URI ?? 'http://127.0.0.1:8080/login/oidc/callback';
const postLogoutUri = process.env.POST_LOGOUT_URI ?? 'http://127.0.0.1:8080/login?ud=1';

// The synthetic staff of the tests: groups as the municipality's directory would send them.
const ACCOUNTS = {
  anna: { name: 'Anna Test', groups: ['sb-sagsbehandlere-nord'], amr: ['pwd', 'mfa'], acr: 'urn:sikkerby:loa:substantial' },
  bo: { name: 'Bo Test', groups: ['sb-analytikere'], amr: ['pwd'], acr: 'urn:sikkerby:loa:low' },
  carl: { name: 'Carl Test', groups: ['kantineudvalget'], amr: ['pwd', 'mfa'], acr: 'urn:sikkerby:loa:substantial' },
};

function signingKey(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}

function publicJwk(key) {
  const { kty, n, e, kid, use, alg } = key.jwk;
  return { kty, n, e, kid, use, alg };
}

const html = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });
}

function listen(handler) {
  const server = http.createServer((req, res) => {
    handler(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) { res.writeHead(500); }
      res.end(String(error));
    });
  });
  server.listen(port, '127.0.0.1');
  return server;
}

// --- the real provider -------------------------------------------------------------------------

async function real() {
  let provider;
  const server = listen(async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) { return provider.callback()(req, res); }
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login') {
      return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(html('Test provider sign-in', `<form method="post" action="/interaction/${details.uid}/login">
        <label>Username <input id="login" name="login" autofocus></label>
        <label>Password <input id="password" name="password" type="password"></label>
        <button id="submit" type="submit">Sign in</button></form>`));
    }
    const form = await readForm(req);
    const account = ACCOUNTS[form.login];
    if (!account) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(html('Unknown account', '<p>No such test account.</p>'));
    }
    const login = { accountId: form.login, amr: account.amr, acr: account.acr };
    return provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    }],
    jwks: { keys: [signingKey(process.env.KEY_ID ?? 'real-1').jwk] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub', 'acr', 'amr'], profile: ['name', 'preferred_username', 'groups'], email: ['email'],
    },
    acrValues: ['urn:sikkerby:loa:low', 'urn:sikkerby:loa:substantial'],
    // The claims in the ID token itself, as Entra ID sends groups, not only from /userinfo.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // First-party client: no consent page (the oidc-provider "skip consent" recipe).
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) { return ctx.oidc.provider.Grant.find(grantId); }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
    async findAccount(ctx, id) {
      const account = ACCOUNTS[id];
      if (!account) { return undefined; }
      return {
        accountId: id,
        claims: async () => ({ sub: id, name: account.name, preferred_username: `${id}.test`, groups: account.groups }),
      };
    },
  });
  console.log(`listening ${issuer}`);
}

// --- the hostile provider ----------------------------------------------------------------------

const b64 = (data) => Buffer.from(data).toString('base64url');

function sign(key, header, claims) {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

async function hostile() {
  let current = signingKey('hostile-1');
  const stranger = signingKey('not-published');
  const codes = new Map();
  let testCase = 'ok';
  let lastNonce = null;
  let issuer;
  const json = (res, value) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };

  function idToken(nonce) {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer, aud: clientId, sub: 'hostile-eve', nonce, iat: now, exp: now + 300,
      name: 'Eve Test', preferred_username: 'eve.test', groups: ['sb-analytikere'], amr: ['pwd', 'mfa'], acr: 'urn:sikkerby:loa:substantial',
    };
    const header = { alg: 'RS256', typ: 'JWT', kid: current.kid };
    switch (testCase) {
      case 'wrong_issuer': return sign(current, header, { ...claims, iss: 'http://127.0.0.1:1/other-issuer' });
      case 'wrong_audience': return sign(current, header, { ...claims, aud: 'another-application' });
      case 'expired': return sign(current, header, { ...claims, iat: now - 7200, exp: now - 3600 });
      case 'old_nonce': return sign(current, header, { ...claims, nonce: lastNonce ?? 'never-issued' });
      case 'unknown_key': return sign(stranger, { ...header, kid: stranger.kid }, claims);
      case 'no_mfa': return sign(current, header, { ...claims, amr: ['pwd'] });
      case 'unmapped': return sign(current, header, { ...claims, groups: ['kantineudvalget'] });
      case 'tampered': {
        // Signed as an analyst, then the payload changed to make the holder an administrator.
        const [h, , s] = sign(current, header, claims).split('.');
        return `${h}.${b64(JSON.stringify({ ...claims, groups: ['sb-administratorer'] }))}.${s}`;
      }
      default: return sign(current, header, claims);
    }
  }

  const server = listen(async (req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/logout`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === '/jwks') { return json(res, { keys: [publicJwk(current)] }); }
    if (url.pathname.startsWith('/case/')) {
      testCase = url.pathname.slice('/case/'.length);
      // A rotation: the old key is gone from the JWKS, tokens are signed with the new one.
      if (testCase === 'rotate') { current = signingKey(`hostile-${crypto.randomUUID()}`); }
      return json(res, { case: testCase, kid: current.kid });
    }
    if (url.pathname === '/authorize') {
      const code = crypto.randomBytes(16).toString('hex');
      codes.set(code, url.searchParams.get('nonce'));
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state'));
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = await readForm(req);
      if (!codes.has(form.code)) { res.writeHead(400, { 'content-type': 'application/json' }); return res.end('{"error":"invalid_grant"}'); }
      const nonce = codes.get(form.code);
      codes.delete(form.code);
      const token = idToken(nonce);
      lastNonce = nonce;
      return json(res, { access_token: crypto.randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: token });
    }
    res.writeHead(404);
    return res.end();
  });
  await new Promise((resolve) => server.once('listening', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  console.log(`listening ${issuer}`);
}

if (mode === 'hostile') { await hostile(); } else { await real(); }
