#!/usr/bin/env node
// Small Node http servers for the AuthLens hold-out recordings. Each role
// listens on its own port (env H_*), on 127.0.0.1 unless said otherwise.
// Tokens are HS256 JWTs verified with HOLDOUT_KEY (test-only), or opaque
// strings the API knows. Nothing here is a real secret.
'use strict';
const http = require('http');
const crypto = require('crypto');

const KEY = process.env.HOLDOUT_KEY || 'holdout-test-key-not-a-secret';
const env = (n) => { const v = process.env[n]; if (!v) throw new Error(`apps.js: ${n} not set`); return v; };

function b64url(buf) { return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'); }
function verifyJwt(tok) {
  const parts = tok.split('.');
  if (parts.length !== 3) return { ok: false, why: 'malformed' };
  const sig = b64url(crypto.createHmac('sha256', KEY).update(`${parts[0]}.${parts[1]}`).digest());
  if (sig !== parts[2]) return { ok: false, why: 'signature' };
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  if (claims.exp && claims.exp < now) return { ok: false, why: 'expired', claims };
  return { ok: true, claims };
}
function cookies(req) {
  const out = [];
  for (const part of (req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.push([part.slice(0, i).trim(), part.slice(i + 1).trim()]);
  }
  return out;
}
const cookie = (req, name) => { const c = cookies(req).find(([k]) => k === name); return c ? c[1] : undefined; };
function send(res, status, body, headers = {}) {
  const isJson = typeof body === 'object';
  const text = isJson ? JSON.stringify(body) : body;
  res.writeHead(status, { 'Content-Type': isJson ? 'application/json' : 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
const page = (title, body, head = '') => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title>${head}</head><body>${body}</body></html>`;
function readBody(req) { return new Promise((ok) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => ok(b)); }); }

// ---------------------------------------------------------------- Bearer JSON API (H_API)
// /v2/me, /v2/orders: any valid token; /v2/admin/users: scp must include admin.write.
// Opaque tokens: the API's token store (introspection) knows their state.
const opaque = { 'tok_live_7Q2mXw': 'active', 'tok_exp_9Lk3Vb': 'expired' };
function apiServer() {
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/') return send(res, 200, page('Orders console', '<h1>Orders console</h1><div id="out"></div>'));
    if (u.pathname === '/auth/login' && req.method === 'POST') {
      // Cookie-held JWT (SPA style): the token lives 3 s, the cookie a day.
      const t = Math.floor(Date.now() / 1000);
      const h = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      const pl = b64url(JSON.stringify({ sub: 'alice', iat: t, exp: t + 3, aud: `http://127.0.0.1:${env('H_API')}` }));
      const tok = `${h}.${pl}.${b64url(crypto.createHmac('sha256', KEY).update(`${h}.${pl}`).digest())}`;
      await readBody(req);
      return send(res, 200, { ok: true }, { 'Set-Cookie': `access_token=${tok}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax` });
    }
    if (u.pathname === '/session/me') {
      // express-jwt style: reads the cookie; 401 with the jsonwebtoken error text, no challenge.
      const tok = cookie(req, 'access_token');
      if (!tok) return send(res, 401, { message: 'No authorization token was found' });
      const v = verifyJwt(tok);
      if (!v.ok) return send(res, 401, { message: v.why === 'expired' ? 'jwt expired' : 'invalid signature' });
      return send(res, 200, { sub: v.claims.sub });
    }
    if (!u.pathname.startsWith('/v2/')) return send(res, 404, { error: 'not_found' });
    const auth = req.headers.authorization || '';
    const m = /^Bearer ([^\s]+)$/.exec(auth);
    if (!m) return send(res, 401, { error: 'unauthorized', message: 'Authentication required' }, { 'WWW-Authenticate': 'Bearer realm="orders-api"' });
    const tok = m[1];
    let claims;
    if (tok.startsWith('tok_')) {
      const st = opaque[tok];
      if (st === 'expired') return send(res, 401, { error: 'invalid_token', error_description: 'Token expired' }, { 'WWW-Authenticate': 'Bearer realm="orders-api", error="invalid_token", error_description="Token expired"' });
      if (st !== 'active') return send(res, 401, { error: 'invalid_token', error_description: 'Unknown token' }, { 'WWW-Authenticate': 'Bearer realm="orders-api", error="invalid_token"' });
      claims = { sub: 'alice', scp: ['orders.read'] };
    } else {
      const v = verifyJwt(tok);
      // Like many JWT middlewares (express-jwt's default handler): one bare
      // challenge for every verification failure, no error code.
      if (!v.ok) return send(res, 401, { message: 'Unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="orders-api"' });
      claims = v.claims;
    }
    const scp = claims.scp || [];
    if (u.pathname === '/v2/admin/users') {
      if (!scp.includes('admin.write')) return send(res, 403, { error: 'insufficient_scope', error_description: 'The token lacks the admin.write scope' }, { 'WWW-Authenticate': 'Bearer realm="orders-api", error="insufficient_scope", scope="admin.write"' });
      return send(res, 200, { users: ['alice', 'bob'] });
    }
    if (u.pathname === '/v2/me') return send(res, 200, { sub: claims.sub, name: 'Alice Example' });
    if (u.pathname === '/v2/orders') return send(res, 200, { orders: [{ id: 1041, total: 19.9 }, { id: 1042, total: 5 }] });
    return send(res, 404, { error: 'not_found' });
  });
}

// ---------------------------------------------------------------- cookie app (H_APP)
// Login sets sid at Path=/app (old code); logout revokes the session but
// clears the cookie at Path=/ (bug), so the browser keeps sending it.
// /api/me answers 401 to anonymous visitors (a "who am I" probe).
// /repos/<owner>/<name>: private repos answer 404 to non-members.
function appServer() {
  const sessions = new Map();
  let reportsGranted = false;
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const sid = cookie(req, 'sid');
    const user = sid && sessions.get(sid);
    const p = u.pathname;
    if (p === '/' || p === '/pricing') {
      return send(res, 200, page('Acme Docs', `<h1>Acme Docs</h1><nav><a id="pricing" href="/pricing">Pricing</a> <a id="signin" href="/app/login">Sign in</a></nav><p>Public page.</p>
<script>fetch('/api/me').then(r => r.ok ? r.json() : null).then(u => { document.getElementById('signin').textContent = u ? u.name : 'Sign in'; });</script>`));
    }
    if (p === '/api/me') {
      if (!user) return send(res, 401, { authenticated: false });
      return send(res, 200, { authenticated: true, name: user });
    }
    if (p === '/app/login' && req.method === 'GET') return send(res, 200, page('Sign in', '<form method="post" action="/app/login"><input name="user" value="alice"><input name="password" type="password" value="correct-horse"><button id="go">Sign in</button></form>'));
    if (p === '/app/login' && req.method === 'POST') {
      await readBody(req);
      const s = crypto.randomBytes(16).toString('hex');
      sessions.set(s, 'alice');
      return send(res, 302, '', { Location: '/app/dashboard', 'Set-Cookie': `sid=${s}; Path=/app; HttpOnly; SameSite=Lax` });
    }
    if (p === '/app/logout') {
      if (sid) sessions.delete(sid);
      return send(res, 302, '', { Location: '/app/signed-out', 'Set-Cookie': 'sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax' });
    }
    if (p === '/app/signed-out') return send(res, 200, page('Signed out', '<p>You are signed out. <a id="back" href="/app/dashboard">Back to dashboard</a></p>'));
    if (p.startsWith('/app/')) {
      if (!user) return send(res, 401, page('Session expired', '<h1>Your session has expired</h1><p>Please <a href="/app/login">sign in</a> again.</p>'));
      if (p === '/app/dashboard') return send(res, 200, page('Dashboard', '<h1>Dashboard</h1><a id="logout" href="/app/logout">Sign out</a>'));
      return send(res, 404, page('Not found', '<h1>Not found</h1>'));
    }
    // ---- /portal: cookie set for the old domain after a migration (rejected), login loop
    if (p === '/portal/login' && req.method === 'GET') return send(res, 200, page('Portal sign in', '<form method="post" action="/portal/login"><button id="go">Sign in</button></form>'));
    if (p === '/portal/login' && req.method === 'POST') {
      await readBody(req);
      const s = crypto.randomBytes(16).toString('hex');
      sessions.set(s, 'alice');
      return send(res, 302, '', { Location: '/portal/home', 'Set-Cookie': `portal_sid=${s}; Domain=old-northwind.test; Path=/; HttpOnly; SameSite=Lax` });
    }
    if (p.startsWith('/portal/')) {
      const ps = cookie(req, 'portal_sid');
      if (!ps || !sessions.get(ps)) return send(res, 302, '', { Location: '/portal/login?next=' + encodeURIComponent(p) });
      return send(res, 200, page('Portal', '<h1>Portal</h1>'));
    }
    // ---- /shop: session cookie scoped to Path=/shop, but the API lives at /api/shop
    if (p === '/shop/login' && req.method === 'POST') {
      await readBody(req);
      const s = crypto.randomBytes(16).toString('hex');
      sessions.set(s, 'alice');
      return send(res, 302, '', { Location: '/shop/account', 'Set-Cookie': `shop_session=${s}; Path=/shop; HttpOnly; SameSite=Lax` });
    }
    if (p === '/shop/login') return send(res, 200, page('Shop sign in', '<form method="post" action="/shop/login"><button id="go">Sign in</button></form>'));
    if (p === '/shop/account') {
      const ss = cookie(req, 'shop_session');
      if (!ss || !sessions.get(ss)) return send(res, 302, '', { Location: '/shop/login' });
      return send(res, 200, page('Account', '<h1>Account</h1><ul id="o"></ul><script>fetch("/api/shop/orders").then(r => r.text()).then(t => { document.getElementById("o").textContent = t; });</script>'));
    }
    if (p === '/api/shop/orders') {
      const ss = cookie(req, 'shop_session');
      if (!ss || !sessions.get(ss)) return send(res, 401, { error: 'not_authenticated' });
      return send(res, 200, { orders: [] });
    }
    // ---- /reports: the 403 is sent with an hour of freshness (a misconfigured cache policy)
    if (p === '/reports/grant') { reportsGranted = true; return send(res, 200, { granted: true }); }
    if (p === '/reports/q3') {
      if (!reportsGranted) return send(res, 403, page('Forbidden', '<h1>403</h1><p>You do not have access to the Q3 report.</p>'), { 'Cache-Control': 'private, max-age=3600' });
      return send(res, 200, page('Q3 report', '<h1>Q3 report</h1>'), { 'Cache-Control': 'private, max-age=0' });
    }
    // ---- /oidc: the app's side of an OpenID Connect form_post sign-in (IdP on H_SHOP, localhost)
    if (p === '/oidc/start') {
      const state = crypto.randomBytes(8).toString('hex');
      return send(res, 302, '', { Location: `http://localhost:${env('H_SHOP')}/idp/authorize?state=${state}&redirect_uri=${encodeURIComponent(`http://127.0.0.1:${env('H_APP')}/oidc/callback`)}`, 'Set-Cookie': `oidc_state=${state}; Path=/oidc; HttpOnly; SameSite=Lax` });
    }
    if (p === '/oidc/callback' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const st = cookie(req, 'oidc_state');
      if (!st || st !== form.get('state')) return send(res, 401, page('Sign-in failed', '<h1>Sign-in failed</h1><p>Your sign-in session was not found or has expired (state mismatch). Please try again.</p>'));
      return send(res, 302, '', { Location: '/app/dashboard' });
    }
    // ---- fresh set: /acct (cookie Path=/account, API under /accounts/)
    if (p === '/account/login' && req.method === 'POST') {
      await readBody(req);
      const s = crypto.randomBytes(16).toString('hex');
      sessions.set(s, 'alice');
      return send(res, 302, '', { Location: '/account/home', 'Set-Cookie': `acct_session=${s}; Path=/account; HttpOnly; SameSite=Lax` });
    }
    if (p === '/account/login') return send(res, 200, page('Sign in', '<form method="post" action="/account/login"><button id="go">Sign in</button></form>'));
    if (p === '/account/home') {
      const a = cookie(req, 'acct_session');
      if (!a || !sessions.get(a)) return send(res, 302, '', { Location: '/account/login' });
      return send(res, 200, page('Home', '<h1>Home</h1><script>fetch("/accounts/statements").then(r => r.text());</script>'));
    }
    if (p === '/accounts/statements') {
      const a = cookie(req, 'acct_session');
      if (!a || !sessions.get(a)) return send(res, 401, { error: 'login_required' });
      return send(res, 200, { statements: [] });
    }
    // ---- fresh set: /bank (Strict session cookie; a link from another site)
    if (p === '/bank/login' && req.method === 'POST') {
      await readBody(req);
      const s = crypto.randomBytes(16).toString('hex');
      sessions.set(s, 'alice');
      return send(res, 302, '', { Location: '/bank/overview', 'Set-Cookie': `bank_sid=${s}; Path=/; HttpOnly; SameSite=Strict` });
    }
    if (p === '/bank/login') return send(res, 200, page('Bank', '<form method="post" action="/bank/login"><button id="go">Sign in</button></form>'));
    if (p.startsWith('/bank/')) {
      const b = cookie(req, 'bank_sid');
      if (!b || !sessions.get(b)) return send(res, 302, '', { Location: '/bank/login?next=' + encodeURIComponent(p) });
      return send(res, 200, page('Bank', '<h1>Overview</h1>'));
    }
    // ---- fresh set: /tv (session cookie with an Expires date 3 s ahead)
    if (p === '/tv/login' && req.method === 'POST') {
      await readBody(req);
      const s = crypto.randomBytes(16).toString('hex');
      sessions.set(s, 'alice');
      return send(res, 302, '', { Location: '/tv/guide', 'Set-Cookie': `tv_session=${s}; Path=/tv; Expires=${new Date(Date.now() + 3000).toUTCString()}; HttpOnly; SameSite=Lax` });
    }
    if (p === '/tv/login') return send(res, 200, page('TV', '<form method="post" action="/tv/login"><button id="go">Sign in</button></form>'));
    if (p.startsWith('/tv/')) {
      const v = cookie(req, 'tv_session');
      if (!v || !sessions.get(v)) return send(res, 302, '', { Location: '/tv/login' });
      return send(res, 200, page('Guide', '<h1>Guide</h1><a id="rec" href="/tv/recordings">Recordings</a>'));
    }
    if (p.startsWith('/repos/')) {
      const [, , owner, name] = p.split('/');
      const repos = { 'alice/notes': { private: false, members: ['alice'] }, 'acme/payroll': { private: true, members: ['bob'] } };
      const r = repos[`${owner}/${name}`];
      const who = cookie(req, 'gh_user');
      if (!r || (r.private && !r.members.includes(who))) return send(res, 404, page('Page not found', '<h1>404</h1><p>This is not the web page you are looking for.</p>'));
      return send(res, 200, page(`${owner}/${name}`, `<h1>${owner}/${name}</h1>`));
    }
    if (p === '/who') { const n = u.searchParams.get('u') || 'alice'; return send(res, 200, page('Session', `<p>Signed in as ${n}</p>`), { 'Set-Cookie': `gh_user=${n}; Path=/; SameSite=Lax` }); }
    return send(res, 404, page('Not found', '<h1>Not found</h1>'));
  });
}

// ---------------------------------------------------------------- rate limits (H_LIMIT)
// /search: 3 requests per 30 s per client, then 429 + Retry-After.
// /gh/repos/...: GitHub-style core quota of 4, then 403 + X-RateLimit-Remaining: 0.
function limitServer() {
  let searches = 0;
  let core = 0;
  const reset = Math.floor(Date.now() / 1000) + 3600;
  return http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/') return send(res, 200, page('Search', '<input id="q"><ul id="r"></ul>'));
    if (u.pathname === '/search') {
      searches++;
      const rl = { 'RateLimit-Limit': '3', 'RateLimit-Remaining': String(Math.max(0, 3 - searches)), 'RateLimit-Reset': '30' };
      if (searches > 3) return send(res, 429, { error: 'Too many requests, please try again later.' }, { ...rl, 'Retry-After': '30' });
      return send(res, 200, { q: u.searchParams.get('q'), hits: [] }, rl);
    }
    if (u.pathname.startsWith('/gh/')) {
      core++;
      const h = { 'X-RateLimit-Limit': '4', 'X-RateLimit-Remaining': String(Math.max(0, 4 - core)), 'X-RateLimit-Reset': String(reset), 'X-RateLimit-Used': String(Math.min(core, 4)), 'X-RateLimit-Resource': 'core' };
      if (core > 4) return send(res, 403, { message: 'API rate limit exceeded for 127.0.0.1. (But here\'s the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' }, h);
      return send(res, 200, { full_name: u.pathname.slice(10), stargazers_count: 42 }, h);
    }
    return send(res, 404, { message: 'Not Found' });
  });
}

// ---------------------------------------------------------------- cross-site widget API (H_WIDGET on 127.0.0.1)
// Embedded by the shop on localhost (another site). /widget/login sets the
// cart session with SameSite=None but no Secure (refused by Chromium);
// /widget/api/cart needs it. CORS allows the shop with credentials.
// /cors/api/cart: same, for a cookie set by a top-level visit (SameSite=Lax).
function widgetServer() {
  const carts = new Set();
  const shop = `http://localhost:${env('H_SHOP')}`;
  const cors = (req) => (req.headers.origin === shop ? { 'Access-Control-Allow-Origin': shop, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {});
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const p = u.pathname;
    if (req.method === 'OPTIONS') return send(res, 204, '', { ...cors(req), 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'content-type' });
    if (p === '/widget/') return send(res, 200, page('Cart widget', '<p id="cart">Cart</p>'));
    if (p === '/widget/login') {
      const s = crypto.randomBytes(16).toString('hex');
      carts.add(s);
      return send(res, 200, { ok: true }, { ...cors(req), 'Set-Cookie': `cart_session=${s}; Path=/; HttpOnly; SameSite=None` });
    }
    if (p === '/widget/api/cart' || p === '/cors/api/cart') {
      const s = cookie(req, 'cart_session') || cookie(req, 'shop_sid');
      if (!s || !carts.has(s)) return send(res, 401, { error: 'not_authenticated', message: 'No cart session' }, cors(req));
      return send(res, 200, { items: 2 }, cors(req));
    }
    if (p === '/account/login') {
      const s = crypto.randomBytes(16).toString('hex');
      carts.add(s);
      return send(res, 302, '', { Location: '/account/', 'Set-Cookie': `shop_sid=${s}; Path=/; HttpOnly; SameSite=Lax` });
    }
    if (p === '/account/') return send(res, 200, page('Account', '<h1>Your account</h1>'));
    if (p === '/account/orders') {
      const s = cookie(req, 'shop_sid');
      if (!s || !carts.has(s)) return send(res, 401, page('Sign in', '<p>Please sign in to see your orders.</p>'));
      return send(res, 200, page('Orders', '<p>2 orders</p>'));
    }
    return send(res, 404, { error: 'not_found' });
  });
}

// ---------------------------------------------------------------- the shop (H_SHOP on localhost)
function shopServer() {
  return http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const w = `http://127.0.0.1:${env('H_WIDGET')}`;
    if (u.pathname === '/') return send(res, 200, page('Shop', `<h1>Shop</h1><iframe id="w" src="${w}/widget/"></iframe>`));
    if (u.pathname === '/idp/authorize') {
      const back = u.searchParams.get('redirect_uri');
      const state = u.searchParams.get('state');
      return send(res, 200, page('Northwind ID', `<h1>Northwind ID</h1><form id="f" method="post" action="${back}"><input type="hidden" name="code" value="c0de"><input type="hidden" name="state" value="${state}"><button id="continue">Continue</button></form>`));
    }
    if (u.pathname === '/news') return send(res, 200, page('News', `<h1>News</h1><a id="bank" href="http://127.0.0.1:${env('H_APP')}/bank/overview">Your bank overview</a>`));
    if (u.pathname === '/embed') return send(res, 200, page('Your orders', `<h1>Your orders</h1><iframe id="o" src="${w}/account/orders"></iframe>`));
    if (u.pathname === '/checkout') return send(res, 200, page('Checkout', '<h1>Checkout</h1>'));
    return send(res, 404, page('Not found', 'Not found'));
  });
}

// ---------------------------------------------------------------- host-canonicalising API (H_CANON)
// Answers on every address; requests to localhost are 301'd to 127.0.0.1.
function canonServer() {
  return http.createServer((req, res) => {
    const host = (req.headers.host || '').split(':')[0];
    const port = env('H_CANON');
    const u = new URL(req.url, 'http://x');
    // The canonical API host is 127.0.0.1; the old one (localhost) redirects.
    if (host === 'localhost' && u.pathname.startsWith('/api/')) return send(res, 301, '', { Location: `http://127.0.0.1:${port}${req.url}` });
    if (u.pathname === '/') return send(res, 200, page('Reports', '<h1>Reports</h1>'));
    const acao = { 'Access-Control-Allow-Origin': `http://localhost:${port}` };
    if (req.method === 'OPTIONS') return send(res, 204, '', { ...acao, 'Access-Control-Allow-Headers': 'authorization', 'Access-Control-Allow-Methods': 'GET' });
    const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
    if (!m) return send(res, 401, { error: 'unauthorized' }, { ...acao, 'WWW-Authenticate': 'Bearer realm="reports"' });
    const v = verifyJwt(m[1]);
    if (!v.ok) return send(res, 401, { error: 'invalid_token' }, { ...acao, 'WWW-Authenticate': 'Bearer realm="reports", error="invalid_token"' });
    return send(res, 200, { reports: ['q1', 'q2'] }, acao);
  });
}

// ---------------------------------------------------------------- app behind Apache+ModSecurity (H_BACKEND)
function backendServer() {
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/' || u.pathname === '/feedback') {
      if (req.method === 'POST') { await readBody(req); return send(res, 200, page('Thanks', '<h1>Thanks for your feedback</h1><a id="again" href="/feedback">Send more</a>')); }
      return send(res, 200, page('Feedback', '<form method="post" action="/feedback"><textarea name="comment" id="comment"></textarea><input name="email" value="alice@example.test"><button id="send">Send</button></form>'));
    }
    return send(res, 404, page('Not found', 'Not found'));
  });
}

// ---------------------------------------------------------------- app behind nginx TLS (H_PORTAL)
// Cookie-session portal with static assets served by nginx. /api/* needs the
// session; /api/admin/audit answers 401 (not 403) for a non-admin user.
function portalServer() {
  const sessions = new Map();
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const p = u.pathname;
    const sid = cookie(req, 'portal_session');
    const user = sid && sessions.get(sid);
    if (p === '/login' && req.method === 'POST') {
      await readBody(req);
      const s = crypto.randomBytes(16).toString('hex');
      sessions.set(s, { name: 'alice', roles: ['staff'] });
      return send(res, 302, '', { Location: '/home.html', 'Set-Cookie': `portal_session=${s}; Path=/; Secure; HttpOnly; SameSite=Lax` });
    }
    if (!user) return send(res, 401, { error: 'unauthenticated', message: 'Sign in required' });
    if (p === '/api/profile') return send(res, 200, { name: 'Alice', roles: user.roles });
    if (p === '/api/projects') return send(res, 200, { projects: ['apollo', 'gemini'] });
    if (p === '/api/admin/audit') return send(res, 401, { error: 'forbidden', message: 'Your role (staff) does not have permission to view the audit log. Required role: auditor.' });
    return send(res, 404, { error: 'not_found' });
  });
}

// ---------------------------------------------------------------- login JSON API (H_LOGIN)
function loginServer() {
  let failures = 0;
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/') return send(res, 200, page('Sign in', '<h1>Sign in</h1>'));
    if (u.pathname === '/api/v2/session' && req.method === 'POST') {
      // Login lockout: after 3 failed attempts, 15 minutes of 429.
      const body = JSON.parse((await readBody(req)) || '{}');
      if (failures >= 3) return send(res, 429, { error: 'too_many_attempts', message: 'Too many failed sign-in attempts. Try again in 15 minutes.' }, { 'Retry-After': '900' });
      if (body.username === 'alice' && body.password === 'correct-horse') return send(res, 200, { ok: true });
      failures++;
      return send(res, 401, { ok: false, error: 'invalid_credentials', message: 'Incorrect username or password.' });
    }
    if (u.pathname === '/api/session' && req.method === 'POST') {
      const body = JSON.parse((await readBody(req)) || '{}');
      if (body.username === 'alice' && body.password === 'correct-horse') return send(res, 200, { ok: true, user: 'alice' }, { 'Set-Cookie': `auth=${crypto.randomBytes(12).toString('hex')}; Path=/; HttpOnly; SameSite=Lax` });
      return send(res, 401, { ok: false, error: 'invalid_credentials', message: 'Incorrect username or password.' });
    }
    return send(res, 404, { error: 'not_found' });
  });
}

// ---------------------------------------------------------------- moved site (H_MOVE on 127.0.0.1 and 127.0.0.2)
// The same port on two loopback addresses: .1 is the new server, .2 the
// decommissioned one whose session store no longer knows anybody.
function moveServer(current) {
  const sessions = new Set();
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const sid = cookie(req, 'crm_sid');
    if (u.pathname === '/') return send(res, 200, page('CRM', '<h1>CRM</h1><a id="signin" href="/login">Sign in</a>'));
    if (u.pathname === '/login') {
      if (!current) return send(res, 200, page('CRM', '<p>Sign in</p>'));
      const s = crypto.randomBytes(16).toString('hex');
      sessions.add(s);
      return send(res, 302, '', { Location: '/contacts', 'Set-Cookie': `crm_sid=${s}; Path=/; HttpOnly; SameSite=Lax` });
    }
    if (u.pathname === '/contacts' || u.pathname === '/api/contacts') {
      if (!sid || !sessions.has(sid)) return send(res, 403, page('Forbidden', '<h1>Forbidden</h1><p>Invalid session.</p>'));
      return send(res, 200, page('Contacts', '<h1>Contacts</h1>'));
    }
    return send(res, 404, page('Not found', 'Not found'));
  });
}

// ---------------------------------------------------------------- strict JWT API + OAuth token endpoint (H_API2)
// Validates like common JWT middleware with RFC 6750 error descriptions:
// signature, nbf/iat (no leeway), exp, aud. /oauth/token checks the client secret.
function api2Server() {
  const aud = `http://127.0.0.1:${env('H_API2')}`;
  return http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const p = u.pathname;
    if (p === '/') return send(res, 200, page('Invoices', '<h1>Invoices</h1>'));
    if (p === '/oauth/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('client_id') === 'invoice-spa' && form.get('client_secret') === 's3cr3t-2026') return send(res, 200, { access_token: 'x', token_type: 'Bearer', expires_in: 3600 });
      return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed: the client secret is invalid or has expired.' }, { 'Cache-Control': 'no-store' });
    }
    if (p === '/legacy/report') {
      // A hardened Digest-only endpoint: SHA-512-256 (RFC 7616), which browsers do not implement.
      const nonce = crypto.randomBytes(16).toString('base64');
      return send(res, 401, page('Unauthorized', '<h1>401 Unauthorized</h1>'), { 'WWW-Authenticate': `Digest realm="legacy@northwind.test", qop="auth", algorithm=SHA-512-256, nonce="${nonce}", opaque="b2a7", userhash=true` });
    }
    if (p === '/oauth/token/refresh' && req.method === 'POST') {
      // The app's refresh token was issued 31 days ago; refresh tokens live 30.
      await readBody(req);
      return send(res, 400, { error: 'invalid_grant', error_description: 'The refresh token has expired. Sign in again.' }, { 'Cache-Control': 'no-store' });
    }
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization || '');
    const deny = (desc) => send(res, 401, { error: 'invalid_token', error_description: desc }, { 'WWW-Authenticate': `Bearer realm="invoices", error="invalid_token", error_description="${desc}"` });
    if (!m) return send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="invoices"' });
    const parts = m[1].split('.');
    const sig = parts.length === 3 && b64url(crypto.createHmac('sha256', KEY).update(`${parts[0]}.${parts[1]}`).digest());
    if (!sig || sig !== parts[2]) return deny('The signature is invalid');
    const c = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    if (c.nbf && c.nbf > now) return deny(`The token is not valid before ${new Date(c.nbf * 1000).toISOString()}`);
    if (c.exp && c.exp < now) return deny(`The token expired at ${new Date(c.exp * 1000).toISOString()}`);
    if (c.aud !== aud) return deny(`The audience '${c.aud}' is invalid`);
    if (p === '/api/invoices') return send(res, 200, { invoices: [7, 8] });
    if (p === '/api/payments') {
      if (c.acr !== 'urn:northwind:mfa') {
        return send(res, 401, { error: 'insufficient_user_authentication', error_description: 'A different authentication level is required' }, { 'WWW-Authenticate': 'Bearer realm="invoices", error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="urn:northwind:mfa"' });
      }
      return send(res, 200, { payments: [] });
    }
    return send(res, 404, { error: 'not_found' });
  });
}

// ---------------------------------------------------------------- DPoP-bound API (H_DPOP, RFC 9449)
// Access tokens are bound to the client's key; requests must carry
// `Authorization: DPoP <token>` and a DPoP proof (ES256 JWT with the public
// jwk in its header, htm/htu/iat/jti, and the server's current nonce).
function dpopServer() {
  let nonce = crypto.randomBytes(12).toString('base64url');
  const challenge = (err, desc) => `DPoP algs="ES256", error="${err}", error_description="${desc}"`;
  return http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/') return send(res, 200, page('Payroll', '<h1>Payroll</h1>'));
    if (u.pathname !== '/api/payslips') return send(res, 404, { error: 'not_found' });
    const auth = req.headers.authorization || '';
    if (/^Bearer /i.test(auth)) return send(res, 401, { error: 'invalid_request', error_description: 'This API accepts DPoP-bound tokens only' }, { 'WWW-Authenticate': 'DPoP algs="ES256"' });
    const m = /^DPoP (\S+)$/.exec(auth);
    const proof = req.headers.dpop;
    if (!m || !proof) return send(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'DPoP algs="ES256"' });
    const [h, pl, sig] = proof.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url'));
    const claims = JSON.parse(Buffer.from(pl, 'base64url'));
    const key = crypto.createPublicKey({ key: header.jwk, format: 'jwk' });
    const ok = crypto.verify('sha256', Buffer.from(`${h}.${pl}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
    if (!ok || claims.htm !== req.method) return send(res, 401, { error: 'invalid_dpop_proof' }, { 'WWW-Authenticate': challenge('invalid_dpop_proof', 'Invalid DPoP proof') });
    if (claims.nonce !== nonce) return send(res, 401, { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof' }, { 'WWW-Authenticate': challenge('use_dpop_nonce', 'Resource server requires nonce in DPoP proof'), 'DPoP-Nonce': nonce });
    nonce = crypto.randomBytes(12).toString('base64url');
    return send(res, 200, { payslips: ['2026-10'] }, { 'DPoP-Nonce': nonce });
  });
}

const roles = [
  ['H_DPOP', dpopServer, '127.0.0.1'],
  ['H_API2', api2Server, '127.0.0.1'],
  ['H_API', apiServer, '127.0.0.1'], ['H_APP', appServer, '127.0.0.1'], ['H_LIMIT', limitServer, '127.0.0.1'],
  ['H_WIDGET', widgetServer, '127.0.0.1'], ['H_SHOP', shopServer, '127.0.0.1'], ['H_CANON', canonServer, '127.0.0.1'],
  ['H_BACKEND', backendServer, '127.0.0.1'], ['H_PORTAL', portalServer, '127.0.0.1'], ['H_LOGIN', loginServer, '127.0.0.1'],
];
for (const [name, make, host] of roles) make().listen(Number(env(name)), host);
const move = Number(env('H_MOVE'));
moveServer(true).listen(move, '127.0.0.1');
moveServer(false).listen(move, '127.0.0.2');
console.log('apps.js: listening');
