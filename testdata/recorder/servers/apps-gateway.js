#!/usr/bin/env node
// Node servers for the second AuthLens hold-out set. One role per port (env):
//   N_API    "Fabrikam" SPA + JSON API (JWT Bearer, several API generations
//            with the wording of the JWT library each one uses), token
//            endpoint, DPoP-only API, login form.
//   N_AUTH   auth service behind nginx auth_request (cookie or Bearer).
//   N_PORTAL the app nginx protects with auth_request.
//   N_TLS    HTTPS app (self-signed) with a __Host- cookie set with Domain,
//            and the Secure-cookie site whose old http port is N_PLAIN.
'use strict';
const http = require('http');
const https = require('https');
const fs = require('fs');
const crypto = require('crypto');
const { env, b64url, verifyJwt, mint, cookies, send, readBody } = require('./apps-lib.js');
const page = (title, body, script = '') => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title>
<link rel="stylesheet" href="/static/app.css"><script src="/static/app.js"></script></head><body><h1>${title}</h1>${body}<script>${script}</script></body></html>`;
const CSS = 'body{font-family:sans-serif} h1{color:#345}';
const JS = 'window.api = (u, init) => fetch(u, init).then(async (r) => ({status: r.status, body: await r.text()}));';
function staticFile(req, res, body, type) {
  const etag = '"' + crypto.createHash('sha1').update(body).digest('hex').slice(0, 16) + '"';
  if (req.headers['if-none-match'] === etag) { res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' }); return res.end(); }
  res.writeHead(200, { 'Content-Type': type, ETag: etag, 'Cache-Control': 'no-cache' });
  res.end(body);
}
function common(req, res, u) {
  if (u.pathname === '/static/app.css') { staticFile(req, res, CSS, 'text/css'); return true; }
  if (u.pathname === '/static/app.js') { staticFile(req, res, JS, 'application/javascript'); return true; }
  return false;
}

// ---- N_API
// The API generations answer an expired token in the words of the JWT library each runs on.
const EXPIRED_WORDS = {
  v1: 'The access token expired',
  v2: 'jwt expired', // node jsonwebtoken TokenExpiredError.message
  v3: 'Token is expired', // golang-jwt ErrTokenExpired
  v4: 'Signature has expired', // PyJWT ExpiredSignatureError
};
const REFRESH = new Map([['rt-alice-good', 'alice']]);
const nonces = new Set();
async function api(req, res) {
  const u = new URL(req.url, 'http://x');
  if (common(req, res, u)) return;
  const origin = req.headers.origin;
  const cors = origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {};
  if (req.method === 'OPTIONS') return send(res, 204, '', { ...cors, 'Access-Control-Allow-Headers': 'authorization, content-type, dpop', 'Access-Control-Allow-Methods': 'GET, POST, DELETE' });
  if (u.pathname === '/' || u.pathname === '/app' || u.pathname === '/app/orders' || u.pathname === '/app/settings') {
    return send(res, 200, page('Fabrikam', '<p id="who">…</p><a id="orders" href="/app/orders">Orders</a> <a id="settings" href="/app/settings">Settings</a>'));
  }
  if (u.pathname === '/login' && req.method === 'GET') {
    return send(res, 200, page('Sign in', '<form method="post" action="/login"><input name="username" value="alice"><input name="password" type="password" value=""><button id="signin">Sign in</button></form>'));
  }
  if (u.pathname === '/login' && req.method === 'POST') {
    const f = new URLSearchParams(await readBody(req));
    if (f.get('password') !== 'correct-horse') {
      // Classic form login: the error comes back as a 200 page, not a 401.
      return send(res, 200, page('Sign in', '<p class="error" id="err">Invalid username or password.</p><form method="post" action="/login"><input name="username" value="alice"><input name="password" type="password" value=""><button id="signin">Sign in</button></form>'));
    }
    res.writeHead(302, { Location: '/app', 'Set-Cookie': 'sid=sid-alice; Path=/; HttpOnly; SameSite=Lax' });
    return res.end();
  }
  if (u.pathname === '/api/me') {
    if (cookies(req).sid === 'sid-alice') return send(res, 200, { user: 'alice' }, cors);
    return send(res, 401, { error: 'not signed in' }, { ...cors, 'WWW-Authenticate': 'Bearer realm="fabrikam"' });
  }
  const item = u.pathname.match(/^\/api\/items\/(\d+)$/);
  if (item) {
    if (item[1] === '404') return send(res, 404, { error: 'no such item' }, cors);
    return send(res, 200, { id: Number(item[1]), name: 'Widget ' + item[1] }, cors);
  }
  if (u.pathname === '/oauth/token' && req.method === 'POST') {
    const f = new URLSearchParams(await readBody(req));
    if (f.get('grant_type') === 'refresh_token' && REFRESH.has(f.get('refresh_token'))) {
      const now = Math.floor(Date.now() / 1000);
      return send(res, 200, { access_token: mint({ iss: 'https://id.fabrikam.test/', sub: 'alice', aud: 'fabrikam-api', iat: now, exp: now + 600, scope: 'orders.read profile' }), token_type: 'Bearer', expires_in: 600 }, cors);
    }
    return send(res, 400, { error: 'invalid_grant', error_description: 'The refresh token has expired or was revoked.' }, cors);
  }
  // DPoP-only API (RFC 9449).
  if (u.pathname.startsWith('/dpop/')) {
    const a = req.headers.authorization || '';
    if (!/^DPoP /i.test(a)) return send(res, 401, { error: 'invalid_request' }, { ...cors, 'WWW-Authenticate': 'DPoP algs="ES256 PS256"' });
    const proof = req.headers.dpop || '';
    let nonce = '';
    try { nonce = JSON.parse(Buffer.from(proof.split('.')[1] || '', 'base64').toString()).nonce || ''; } catch { nonce = ''; }
    if (!nonces.has(nonce)) {
      const n = crypto.randomBytes(12).toString('hex');
      nonces.add(n);
      return send(res, 401, { error: 'use_dpop_nonce' }, { ...cors, 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', 'DPoP-Nonce': n });
    }
    return send(res, 200, { accounts: [{ id: 'acc-1', balance: 12 }] }, cors);
  }
  const m = u.pathname.match(/^\/api\/(v\d)\/(.+)$/);
  if (m) {
    const a = req.headers.authorization || '';
    if (!/^Bearer /i.test(a)) return send(res, 401, { error: 'unauthorized' }, { ...cors, 'WWW-Authenticate': 'Bearer realm="fabrikam-api"' });
    const v = verifyJwt(a.slice(7).trim());
    if (v.err === 'expired') return send(res, 401, { error: 'invalid_token', error_description: EXPIRED_WORDS[m[1]] }, { ...cors, 'WWW-Authenticate': `Bearer realm="fabrikam-api", error="invalid_token", error_description="${EXPIRED_WORDS[m[1]]}"` });
    if (v.err === 'signature') return send(res, 401, { error: 'invalid_token', error_description: 'invalid signature' }, { ...cors, 'WWW-Authenticate': 'Bearer realm="fabrikam-api", error="invalid_token", error_description="invalid signature"' });
    if (v.err) return send(res, 401, { error: 'invalid_token' }, { ...cors, 'WWW-Authenticate': 'Bearer realm="fabrikam-api", error="invalid_token", error_description="jwt malformed"' });
    const scopes = String(v.claims.scope || '').split(' ');
    if (m[2].startsWith('reports') && !scopes.includes('reports.read')) {
      return send(res, 403, { error: 'insufficient_scope' }, { ...cors, 'WWW-Authenticate': 'Bearer realm="fabrikam-api", error="insufficient_scope", scope="reports.read"' });
    }
    return send(res, 200, { path: m[2], user: v.claims.sub, items: [1, 2, 3] }, cors);
  }
  return send(res, 404, '<h1>Not found</h1>');
}

// ---- N_AUTH: nginx auth_request target. Sees X-Original-URI, Cookie, Authorization.
function auth(req, res) {
  const uri = req.headers['x-original-uri'] || '/';
  const sid = cookies(req).portal_session;
  const a = req.headers.authorization || '';
  if (sid === 'ps-alice' || sid === 'ps-bob') {
    const role = sid === 'ps-alice' ? 'admin' : 'viewer';
    if (uri.startsWith('/app/billing') && role !== 'admin') { res.writeHead(403, { 'X-Auth-Reason': 'role' }); return res.end(); }
    res.writeHead(200, { 'X-Auth-User': sid.slice(3), 'X-Auth-Role': role });
    return res.end();
  }
  if (/^Bearer /i.test(a)) {
    const v = verifyJwt(a.slice(7).trim());
    if (!v.err) { res.writeHead(200, { 'X-Auth-User': v.claims.sub }); return res.end(); }
    const why = v.err === 'expired' ? 'error="invalid_token", error_description="Token expired"' : 'error="invalid_token"';
    res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="portal", ${why}` });
    return res.end();
  }
  res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="portal"' });
  res.end();
}

// ---- N_PORTAL: the application nginx protects.
async function portal(req, res) {
  const u = new URL(req.url, 'http://x');
  if (common(req, res, u)) return;
  const who = req.headers['x-auth-user'] || 'anonymous';
  if (u.pathname === '/login') {
    if (req.method === 'POST') {
      const f = new URLSearchParams(await readBody(req));
      const user = f.get('username') === 'bob' ? 'bob' : 'alice';
      res.writeHead(302, { Location: '/app/', 'Set-Cookie': `portal_session=ps-${user}; Path=/; HttpOnly; SameSite=Lax` });
      return res.end();
    }
    return send(res, 200, page('Portal sign in', '<form method="post" action="/login"><input name="username" id="user" value="alice"><button id="signin">Sign in</button></form>',
      "api('/api/session').then(()=>{});"));
  }
  if (u.pathname.startsWith('/app/')) {
    return send(res, 200, page('Portal ' + u.pathname, `<p>Signed in as ${who}</p><a id="billing" href="/app/billing">Billing</a> <a id="admin" href="/admin/">Admin</a> <a id="docs" href="/static/">Docs</a>`,
      "api('/api/session'); api('/api/notifications');"));
  }
  if (u.pathname.startsWith('/admin/')) return send(res, 200, page('Admin', '<p>Admin console</p>'));
  if (u.pathname.startsWith('/api/')) return send(res, 200, { user: who, path: u.pathname, results: [] });
  return send(res, 404, '<h1>Not found</h1>');
}

// ---- N_TLS / N_PLAIN
function tlsApp(req, res, scheme) {
  const u = new URL(req.url, 'http://x');
  if (common(req, res, u)) return;
  const c = cookies(req);
  // Secure-session site: the Secure cookie only goes to https.
  if (u.pathname === '/signin') {
    res.writeHead(302, { Location: '/account', 'Set-Cookie': 'acct=acct-alice; Path=/; Secure; HttpOnly; SameSite=Lax' });
    return res.end();
  }
  if (u.pathname === '/account' || u.pathname === '/account/statements') {
    if (c.acct !== 'acct-alice') return send(res, 401, page('Sign in required', '<p>Please sign in.</p>'), { 'WWW-Authenticate': 'Bearer realm="fabrikam-accounts"' });
    return send(res, 200, page('Account', `<p>alice (${scheme})</p><a id="statements" href="/account/statements">Statements</a>`));
  }
  // __Host- cookie site (localhost).
  if (u.pathname === '/hostlogin') {
    res.writeHead(302, { Location: '/home', 'Set-Cookie': '__Host-sess=hs-alice; Path=/; Secure; HttpOnly; SameSite=Lax; Domain=localhost' });
    return res.end();
  }
  if (u.pathname === '/home') return send(res, 200, page('Home', '<p>Loading…</p>', "api('/api/whoami');"));
  if (u.pathname === '/api/whoami') {
    if (c['__Host-sess'] === 'hs-alice') return send(res, 200, { user: 'alice' });
    return send(res, 401, { error: 'session required' }, { 'WWW-Authenticate': 'Bearer realm="fabrikam-home"' });
  }
  if (u.pathname.startsWith('/api/')) {
    const a = req.headers.authorization || '';
    const origin = req.headers.origin;
    const cors = origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
    if (!/^Bearer /i.test(a)) return send(res, 401, { error: 'unauthorized' }, { ...cors, 'WWW-Authenticate': 'Bearer realm="fabrikam-api"' });
    const v = verifyJwt(a.slice(7).trim());
    if (v.err) return send(res, 401, { error: 'invalid_token' }, { ...cors, 'WWW-Authenticate': 'Bearer realm="fabrikam-api", error="invalid_token"' });
    return send(res, 200, { ok: true }, cors);
  }
  return send(res, 404, '<h1>Not found</h1>');
}

const tls = { key: fs.readFileSync(env('TLS_KEY')), cert: fs.readFileSync(env('TLS_CERT')) };
const apiServer = http.createServer(api);
// WebSocket endpoint for live order updates: the token rides in the query
// (browsers cannot set Authorization on a WebSocket); an expired one is refused 403.
apiServer.on('upgrade', (req, socket) => {
  const u = new URL(req.url, 'http://x');
  const v = verifyJwt(u.searchParams.get('access_token') || '');
  if (u.pathname === '/ws/orders' && !v.err) {
    const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    setTimeout(() => socket.end(), 300);
    return;
  }
  // The refusal as the npm `ws` library writes it when verifyClient rejects
  // with (false, 403, err.message): status line, Connection, Content-Type, body.
  const msg = v.err === 'expired' ? 'jwt expired' : 'invalid token';
  socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(msg)}\r\n\r\n${msg}`);
});
apiServer.listen(Number(env('N_API')), '127.0.0.1');
http.createServer(auth).listen(Number(env('N_AUTH')), '127.0.0.1');
http.createServer(portal).listen(Number(env('N_PORTAL')), '127.0.0.1');
https.createServer(tls, (q, s) => tlsApp(q, s, 'https')).listen(Number(env('N_TLS')), '127.0.0.1');
http.createServer((q, s) => tlsApp(q, s, 'http')).listen(Number(env('N_PLAIN')), '127.0.0.1');
console.log('apps.js listening');
