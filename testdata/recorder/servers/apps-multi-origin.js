#!/usr/bin/env node
// Node servers for the third AuthLens hold-out set. One role per port (env):
//   N_SPA    "Contoso" SPA on 127.0.0.1: sign-in form, token endpoint,
//            JSON API (JWT Bearer), a JSON login API with a failure limit.
//   N_CAT, N_BILL  JSON APIs on 127.0.0.2 (CORS for the SPA);
//   N_ORD    JSON API reached as localhost (CORS for the SPA).
//   N_SHOP   shop reached as localhost: a SameSite=Lax session cookie.
//   N_LINKS  another site (127.0.0.1) linking and posting to the shop.
//   N_LOOP   app whose server-side sessions can be wiped (/_ops/restart,
//            called by the recorder, not the browser).
//   N_NEG    intranet app offering Negotiate and Basic.
//   N_TLSB   HTTPS app with Basic auth (reached through squid CONNECT).
//   N_SITE   plain-http app with Basic auth (reached through squid).
'use strict';
const http = require('http');
const https = require('https');
const fs = require('fs');
const crypto = require('crypto');
const { env, b64url, verifyJwt, mint, cookies, send, readBody } = require('./apps-lib.js');
const page = (title, body, script = '') => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title></head><body><h1>${title}</h1>${body}<script>${script}</script></body></html>`;
const nowS = () => Math.floor(Date.now() / 1000);
const ALICE_B64 = Buffer.from('alice:correct-horse').toString('base64');

// ---- N_SPA
const REFRESH = new Set(['rt-alice-good']);
const failures = new Map();
async function spa(req, res) {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/' || u.pathname.startsWith('/app')) {
    return send(res, 200, page('Contoso', '<p id="who">…</p>'));
  }
  if (u.pathname === '/signin') {
    return send(res, 200, page('Sign in', '<form id="f"><input id="email" value="alice@contoso.test"><input id="pw" type="password"></form>'));
  }
  // JSON login API: 401 without a challenge for a bad password, then a lockout
  // window after three failures (429 + Retry-After), whatever the password.
  if (u.pathname === '/api/login' && req.method === 'POST') {
    let f = {};
    try { f = JSON.parse(await readBody(req)); } catch { f = {}; }
    const n = failures.get(f.email) || 0;
    if (n >= 3) return send(res, 429, { error: 'too_many_attempts', message: 'Too many failed sign-in attempts. Try again in 60 seconds.' }, { 'Retry-After': '60' });
    if (f.password !== 'correct-horse') {
      failures.set(f.email, n + 1);
      return send(res, 401, { error: 'invalid_credentials', message: 'Incorrect email or password.' });
    }
    return send(res, 200, { access_token: mint({ sub: 'alice', aud: 'contoso-api', iat: nowS(), exp: nowS() + 600 }) });
  }
  if (u.pathname === '/oauth/token' && req.method === 'POST') {
    const f = new URLSearchParams(await readBody(req));
    if (f.get('grant_type') === 'refresh_token' && REFRESH.has(f.get('refresh_token'))) {
      return send(res, 200, { access_token: mint({ iss: 'https://login.contoso.test/', sub: 'alice', aud: 'contoso-api', iat: nowS(), exp: nowS() + 600, roles: ['staff'] }), token_type: 'Bearer', expires_in: 600, refresh_token: 'rt-alice-good' });
    }
    return send(res, 400, { error: 'invalid_grant' });
  }
  if (u.pathname.startsWith('/api/')) {
    const a = req.headers.authorization || '';
    if (!/^Bearer /i.test(a)) return send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="contoso"' });
    const v = verifyJwt(a.slice(7).trim());
    if (v.err === 'expired') return send(res, 401, { error: 'invalid_token', error_description: 'jwt expired' }, { 'WWW-Authenticate': 'Bearer realm="contoso", error="invalid_token", error_description="jwt expired"' });
    if (v.err) return send(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer realm="contoso", error="invalid_token"' });
    // Role check in the application's own words (no challenge, no scope).
    if (u.pathname.startsWith('/api/invoices/') && req.method === 'POST' && !(v.claims.roles || []).includes('finance-approver')) {
      return send(res, 403, { code: 'FORBIDDEN', message: 'Approving invoices requires the Finance Approver role, which your account has not been given.', requestId: crypto.randomBytes(6).toString('hex') });
    }
    return send(res, 200, { path: u.pathname, user: v.claims.sub, items: [1, 2, 3] });
  }
  return send(res, 404, '<h1>Not found</h1>');
}

// ---- N_CAT / N_BILL / N_ORD: JSON APIs on other origins, CORS for the SPA.
function crossApi(name) {
  return (req, res) => {
    const u = new URL(req.url, 'http://x');
    const o = req.headers.origin;
    const cors = o ? { 'Access-Control-Allow-Origin': o, Vary: 'Origin' } : {};
    if (req.method === 'OPTIONS') return send(res, 204, '', { ...cors, 'Access-Control-Allow-Headers': 'authorization, content-type', 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Max-Age': '5' });
    if (u.pathname === '/health') return send(res, 200, { ok: true, api: name }, cors);
    const a = req.headers.authorization || '';
    if (!/^Bearer /i.test(a)) return send(res, 401, { error: 'unauthorized' }, { ...cors, 'WWW-Authenticate': `Bearer realm="${name}"` });
    const v = verifyJwt(a.slice(7).trim());
    if (v.err === 'expired') return send(res, 401, { error: 'invalid_token', error_description: 'The token has expired' }, { ...cors, 'WWW-Authenticate': `Bearer realm="${name}", error="invalid_token", error_description="The token has expired"` });
    if (v.err) return send(res, 401, { error: 'invalid_token' }, { ...cors, 'WWW-Authenticate': `Bearer realm="${name}", error="invalid_token"` });
    return send(res, 200, { api: name, path: u.pathname, rows: [1, 2] }, cors);
  };
}

// ---- N_SHOP (localhost) and N_LINKS (127.0.0.1: another site)
async function shop(req, res) {
  const u = new URL(req.url, 'http://x');
  const signedIn = cookies(req).shop_sid === 'ss-alice';
  if (u.pathname === '/login') {
    res.writeHead(302, { Location: '/account', 'Set-Cookie': 'shop_sid=ss-alice; Path=/; HttpOnly; SameSite=Lax' });
    return res.end();
  }
  if (u.pathname === '/account') {
    if (!signedIn) return send(res, 401, page('Sign in required', '<p>Please <a href="/login">sign in</a>.</p>'), { 'WWW-Authenticate': 'Cookie realm="shop"' });
    return send(res, 200, page('Your account', '<p>alice — 2 items in cart</p>'));
  }
  if (u.pathname === '/cart/add' && req.method === 'POST') {
    await readBody(req);
    if (!signedIn) return send(res, 401, page('Sign in required', '<p>Please <a href="/login">sign in</a> to add items.</p>'), { 'WWW-Authenticate': 'Cookie realm="shop"' });
    return send(res, 200, page('Added', '<p>Added to cart.</p>'));
  }
  return send(res, 404, '<h1>Not found</h1>');
}
function links(req, res) {
  const shopO = `http://localhost:${env('N_SHOP')}`;
  return send(res, 200, page('Deals blog', `<p>Today's deal: <a id="acct" href="${shopO}/account">see it in your account</a></p>
<form id="buy" method="post" action="${shopO}/cart/add"><input type="hidden" name="sku" value="lamp-42"><button id="buybtn">Add to cart</button></form>`));
}

// ---- N_LOOP: sessions in memory; /_ops/restart wipes them (the server restarted).
let sessions = new Set();
function loop(req, res) {
  const u = new URL(req.url, 'http://x');
  const sid = cookies(req).app_sid;
  if (u.pathname === '/_ops/restart') { sessions = new Set(); return send(res, 200, { restarted: true }); }
  if (u.pathname === '/login') {
    // "Already signed in" is judged by the cookie's presence only: with a
    // stale cookie this bounces back to /home, which fails again (a loop).
    if (sid) { res.writeHead(302, { Location: `/home?n=${Number(u.searchParams.get('n') || 0) + 1}` }); return res.end(); }
    const s = 'as-' + crypto.randomBytes(8).toString('hex');
    sessions.add(s);
    res.writeHead(302, { Location: '/home?n=1', 'Set-Cookie': `app_sid=${s}; Path=/; HttpOnly; SameSite=Lax` });
    return res.end();
  }
  if (u.pathname === '/home') {
    const n = Number(u.searchParams.get('n') || 1);
    return send(res, 200, page('Home', '<p id="me">…</p>',
      `fetch('/api/me').then(r => { if (r.status === 401 && ${n} < 3) location = '/login?n=${n}'; });`));
  }
  if (u.pathname === '/api/me') {
    if (sid && sessions.has(sid)) return send(res, 200, { user: 'alice' });
    return send(res, 401, { error: 'session_invalid', message: 'Your session is not valid.' }, { 'WWW-Authenticate': 'Cookie realm="app"' });
  }
  return send(res, 404, '<h1>Not found</h1>');
}

// ---- N_NEG: Negotiate offered first, Basic as the fallback.
function neg(req, res) {
  const u = new URL(req.url, 'http://x');
  const a = req.headers.authorization || '';
  if (a !== `Basic ${ALICE_B64}`) {
    res.writeHead(401, [['WWW-Authenticate', 'Negotiate'], ['WWW-Authenticate', 'Basic realm="Contoso intranet"'], ['Content-Type', 'text/html'], ['Cache-Control', 'no-store']]);
    return res.end('<h1>401 Authorization Required</h1>');
  }
  if (u.pathname.startsWith('/api/')) return send(res, 200, { user: 'alice', path: u.pathname });
  return send(res, 200, page('Intranet', '<p>Welcome alice</p><a id="news" href="/news">News</a>', "fetch('/api/notices')"));
}

// ---- N_TLSB / N_SITE: Basic-protected apps.
function basicApp(realm) {
  return (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (req.headers.authorization !== `Basic ${ALICE_B64}`) {
      return send(res, 401, page('401 Unauthorized', '<p>This server could not verify that you are authorized.</p>'), { 'WWW-Authenticate': `Basic realm="${realm}"` });
    }
    if (u.pathname.startsWith('/api/')) return send(res, 200, { user: 'alice', path: u.pathname });
    return send(res, 200, page(realm, '<p>Welcome alice</p><a id="reports" href="/reports">Reports</a>', "fetch('/api/summary')"));
  };
}

const tls = { key: fs.readFileSync(env('TLS_KEY')), cert: fs.readFileSync(env('TLS_CERT')) };
http.createServer(spa).listen(Number(env('N_SPA')), '127.0.0.1');
http.createServer(crossApi('catalog')).listen(Number(env('N_CAT')), '127.0.0.2');
http.createServer(crossApi('billing')).listen(Number(env('N_BILL')), '127.0.0.2');
http.createServer(crossApi('orders')).listen(Number(env('N_ORD')), '127.0.0.1');
http.createServer(shop).listen(Number(env('N_SHOP')), '127.0.0.1');
http.createServer(links).listen(Number(env('N_LINKS')), '127.0.0.1');
http.createServer(loop).listen(Number(env('N_LOOP')), '127.0.0.1');
http.createServer(neg).listen(Number(env('N_NEG')), '127.0.0.1');
https.createServer(tls, basicApp('Contoso finance')).listen(Number(env('N_TLSB')), '127.0.0.1');
http.createServer(basicApp('Contoso wiki')).listen(Number(env('N_SITE')), '127.0.0.1');
console.log('apps.js listening');
