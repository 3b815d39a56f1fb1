// Scenarios of the `gateway` stack (stacks/gateway.sh): nginx (auth_request
// to a Node auth service, allow/deny, limit_req, auth_basic, TLS,
// redirects), Apache (ModSecurity + OWASP CRS, Digest), squid (proxy auth),
// the Django + DRF site (servers/django_site.py) and the Node servers of
// servers/apps-gateway.js.
// Run through testdata/recorder/record.sh, which starts the stack's servers
// and exports their ports; each recording goes to traceDir(name).
'use strict';
const { CHROMIUM_ARGS, env, origin, ALICE, basic, sleep, settle, goto, submit,
  b64url, now, signJWT, fetchWithChallenge: call } =
  require(require('path').join(__dirname, '..', 'lib', 'recorder.js'));
const crypto = require('crypto');

// ---- test-only JWTs, relative to now
const jwt = (claims) => signJWT(env('HOLDOUT_KEY'), claims);

const bearer = (tok) => ({ headers: { Authorization: `Bearer ${tok}` } });
const fresh = (extra = {}) => jwt({ iss: 'https://id.fabrikam.test/', sub: 'alice', aud: 'fabrikam-api', iat: now() - 60, exp: now() + 600, scope: 'orders.read profile', ...extra });
const expired = (ago = 3 * 3600) => fresh({ iat: now() - ago - 3600, exp: now() - ago });
function foreignJwt() {
  const h = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const p = b64url(JSON.stringify({ iss: 'https://id.fabrikam.test/', sub: 'alice', aud: 'fabrikam-api', iat: now() - 60, exp: now() + 600, scope: 'orders.read' }));
  return `${h}.${p}.${b64url(crypto.createHmac('sha256', 'some-other-key').update(`${h}.${p}`).digest())}`;
}
// DPoP proof: a JWT-shaped header carrying the server's nonce (the test server checks only the nonce).
const dpopProof = (htu, nonce) => `${b64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256' }))}.${b64url(JSON.stringify({ htm: 'GET', htu, iat: now(), jti: crypto.randomBytes(8).toString('hex'), ...(nonce ? { nonce } : {}) }))}.c2lnbmF0dXJl`;
async function dpopCall(page, url) {
  const tok = fresh();
  let r = await page.evaluate(async ([u, t, p]) => {
    const r = await fetch(u, { headers: { Authorization: 'DPoP ' + t, DPoP: p } });
    await r.text();
    return { status: r.status, nonce: r.headers.get('dpop-nonce') };
  }, [url, tok, dpopProof(url)]);
  if (r.status === 401 && r.nonce) {
    r = await page.evaluate(async ([u, t, p]) => (await fetch(u, { headers: { Authorization: 'DPoP ' + t, DPoP: p } })).status, [url, tok, dpopProof(url, r.nonce)]);
  }
  await settle(page);
  return r;
}
const API = () => origin('N_API');
async function spaLogin(page, o = API()) {
  await goto(page, `${o}/login`);
  await page.fill('input[name=password]', 'correct-horse');
  await submit(page, '#signin');
}
async function portalLogin(page, user = 'alice') {
  await goto(page, `${origin('X_PORTAL')}/login`);
  await page.fill('#user', user);
  await submit(page, '#signin');
}
async function djLogin(page, password) {
  await goto(page, `${origin('DJ')}/accounts/login/?next=/tasks/`);
  await page.fill('#pw', password);
  await submit(page, '#login-btn');
}

const scenarios = [
  // ---------------------------------------------------- Fabrikam SPA (Node)
  { name: 'spa-session-expired-midway', async run({ page }) {
    const o = API();
    await goto(page, `${o}/login`);
    await page.fill('input[name=password]', 'correct-hose');
    await submit(page, '#signin');                      // 200 page with "Invalid username or password."
    await page.fill('input[name=password]', 'correct-horse');
    await submit(page, '#signin');
    await call(page, '/api/me');
    await call(page, '/api/v1/orders', bearer(fresh()));
    await call(page, '/api/items/7');
    await call(page, '/api/items/404');
    await page.click('#orders'); await settle(page);
    await call(page, '/api/v1/orders?page=2', bearer(fresh()));
    await page.click('#settings'); await settle(page);
    await call(page, '/api/v1/profile', bearer(expired(2 * 3600)));
  } },
  { name: 'expired-wordings-four-apis', async run({ page }) {
    await spaLogin(page);
    for (const v of ['v1', 'v2', 'v3', 'v4']) await call(page, `/api/${v}/orders`, bearer(fresh()));
    for (const v of ['v1', 'v2', 'v3', 'v4']) await call(page, `/api/${v}/invoices`, bearer(expired(40 * 60)));
  } },
  { name: 'bearer-invalid-signature', async run({ page }) {
    await spaLogin(page);
    await call(page, '/api/v2/orders', bearer(fresh()));
    await call(page, '/api/v2/invoices', bearer(foreignJwt()));
  } },
  { name: 'refresh-invalid-grant-then-401', async run({ page }) {
    await spaLogin(page);
    const tok = expired(26 * 3600);
    await call(page, '/api/v2/orders', bearer(tok));
    await call(page, '/oauth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=rt-alice-revoked&client_id=fabrikam-spa' });
    await call(page, '/api/v2/orders', bearer(tok));
  } },
  { name: 'dpop-api-bearer-then-dpop', async run({ page }) {
    await spaLogin(page);
    await call(page, '/dpop/accounts', bearer(fresh()));   // Bearer to a DPoP-only API
    await dpopCall(page, `${API()}/dpop/accounts`);        // DPoP: use_dpop_nonce, then retried with it
    await dpopCall(page, `${API()}/dpop/accounts?page=2`);
  } },
  { name: 'multi-cause-one-trace', async run({ page }) {
    await spaLogin(page);
    await call(page, '/api/v1/orders', bearer(fresh()));
    await call(page, '/api/v1/reports/q3', bearer(fresh()));          // 403 insufficient_scope
    await call(page, '/api/items/404');
    await call(page, '/api/v3/orders', bearer(expired(5 * 60)));      // 401 Token is expired
    await call(page, '/dpop/accounts', bearer(fresh()));              // 401 DPoP only
    await call(page, '/api/v1/reports/q3', bearer(fresh({ scope: 'orders.read reports.read' })));
  } },
  { name: 'websocket-expired-token-403', async run({ page }) {
    await spaLogin(page);
    await call(page, '/api/v1/orders', bearer(fresh()));
    const ws = async (tok) => page.evaluate((u) => new Promise((ok) => {
      const w = new WebSocket(u);
      w.onopen = () => { w.close(); ok('open'); };
      w.onerror = () => ok('error');
    }), `ws://127.0.0.1:${env('N_API')}/ws/orders?access_token=${tok}`);
    console.log('  websocket fresh:', await ws(fresh()));
    await sleep(500);
    console.log('  websocket expired:', await ws(expired(20 * 60)));
    await settle(page);
  } },
  { name: 'modsec-search-xss-fetch', async run({ page }) {
    const o = origin('A_WAF');
    await spaLogin(page, o);
    await call(page, '/api/items/7?q=widget');
    await call(page, '/api/v1/orders', bearer(fresh()));
    await call(page, `/api/items/7?q=${encodeURIComponent('<script>alert(document.cookie)</script>')}`);
    await call(page, '/api/items/8');
  } },
  { name: 'healthy-404-304-only', async run({ page }) {
    await spaLogin(page);
    await call(page, '/api/me');
    await goto(page, `${API()}/app`);
    await goto(page, `${API()}/app/orders`);
    await goto(page, `${API()}/no-such-page`);
    await call(page, '/api/items/404');
    await call(page, '/api/v1/orders', bearer(fresh()));
    await page.reload(); await settle(page);
  } },
  // ---------------------------------------------------- nginx auth_request portal
  { name: 'nginx-authrequest-probe-before-login', async run({ page }) {
    await portalLogin(page);
    await page.click('#billing'); await settle(page);
    await call(page, '/api/notifications?since=0');
  } },
  { name: 'nginx-authrequest-expired-bearer', async run({ page }) {
    await goto(page, `${origin('X_PORTAL')}/login`);
    await call(page, '/api/exports', bearer(fresh()));
    await call(page, '/api/exports?page=2', bearer(fresh()));
    await call(page, '/api/exports?page=3', bearer(expired(15 * 60)));
  } },
  { name: 'nginx-authrequest-role-403', async run({ page }) {
    await portalLogin(page, 'bob');
    await call(page, '/api/notifications?since=1');
    await page.click('#billing'); await settle(page);
  } },
  { name: 'nginx-admin-ip-allowlist', async run({ page }) {
    await portalLogin(page);
    await page.click('#admin'); await settle(page);
  } },
  { name: 'nginx-static-folder-no-index', async run({ page }) {
    await portalLogin(page);
    await page.click('#docs'); await settle(page);
    await goto(page, `${origin('X_PORTAL')}/static/guides/onboarding.html`);
  } },
  { name: 'nginx-search-rate-limit', async run({ page }) {
    await portalLogin(page);
    for (const q of ['i', 'in', 'inv', 'invo', 'invoi']) await page.evaluate((u) => { fetch(u); }, `/api/search?q=${q}`);
    await sleep(500); await settle(page);
    await sleep(1200);
    await call(page, '/api/search?q=invoice');
  } },
  { name: 'nginx-basic-fetch-retry', async run({ page }) {
    await portalLogin(page);
    await call(page, '/reports/q3.html');
    await call(page, '/reports/q3.html', { headers: { Authorization: basic('alice', 'correct-horse') } });
  } },
  { name: 'http-to-https-redirect-drops-auth', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('X_PLAIN')}/app`);
    await call(page, '/api/orders', bearer(fresh()));
  } },
  // ---------------------------------------------------- HTTPS Node app
  // A real host name (mapped to 127.0.0.1): Chromium treats loopback
  // addresses as secure and would send the Secure cookie over http there.
  { name: 'secure-cookie-old-http-bookmark', browser: 'hosts', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('N_TLS', 'accounts.fabrikam.test', 'https')}/signin`);
    await page.click('#statements'); await settle(page);
    await goto(page, `${origin('N_PLAIN', 'accounts.fabrikam.test')}/account/statements`);
  } },
  { name: 'host-prefix-cookie-with-domain', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('N_TLS', 'localhost', 'https')}/hostlogin`);
    await goto(page, `${origin('N_TLS', 'localhost', 'https')}/hostlogin`);
  } },
  // ---------------------------------------------------- Apache
  { name: 'modsec-cookie-sqli', async run({ page }) {
    const o = origin('A_WAF');
    await spaLogin(page, o);
    await call(page, '/api/me');
    // A saved-filter widget stores the user's search text in a cookie.
    await page.evaluate(() => { document.cookie = "order_filter=' OR '1'='1' --; path=/"; });
    await page.click('#orders'); await settle(page);
  } },
  { name: 'digest-wiki-answered', async run({ page, auth }) {
    auth.provide(ALICE);
    await goto(page, `${origin('A_DIGEST')}/app`);
    await page.click('#orders'); await settle(page);
    await call(page, '/api/items/3');
    await call(page, '/api/items/404');
  } },
  // ---------------------------------------------------- squid with proxy auth
  { name: 'squid-proxied-portal-role-403', browser: 'squid-auth', async run({ page, auth }) {
    auth.provide({ username: 'carol', password: 'proxy-pass' });
    await portalLogin(page, 'bob');
    await page.click('#billing'); await settle(page);
  } },
  { name: 'squid-proxied-expired-token', browser: 'squid-auth', async run({ page, auth }) {
    auth.provide({ username: 'carol', password: 'proxy-pass' });
    await spaLogin(page);
    await call(page, '/api/v4/orders', bearer(fresh()));
    await call(page, '/api/items/12');
    await call(page, '/api/v4/orders?page=2', bearer(expired(10 * 60)));
  } },
  { name: 'expired-then-signin-again', async run({ page }) {
    await spaLogin(page);
    await call(page, '/api/v2/orders', bearer(expired(8 * 3600)));
    await spaLogin(page);
    await call(page, '/api/v2/orders', bearer(fresh()));
    await call(page, '/api/v2/profile', bearer(fresh()));
  } },
  // ---------------------------------------------------- Django + DRF
  { name: 'drf-token-keyword-to-bearer-api', async run({ page }) {
    await goto(page, `${origin('DJ')}/accounts/login/`);
    await call(page, '/api/tasks/', { headers: { Authorization: `Token ${env('DRF_TOKEN')}` } });
  } },
  { name: 'drf-bearer-invalid-token', async run({ page }) {
    await goto(page, `${origin('DJ')}/accounts/login/`);
    await call(page, '/api/tasks/', bearer(env('DRF_TOKEN')));
    await call(page, '/api/tasks/1/', bearer(env('DRF_TOKEN')));
    await call(page, '/api/tasks/2/', bearer(env('DRF_TOKEN').slice(0, -1) + 'x'));
  } },
  { name: 'drf-session-delete-csrf', async run({ page }) {
    await djLogin(page, 'Correct-horse');                 // 200 form with the error
    await page.fill('#pw', 'correct-horse');
    await submit(page, '#login-btn');
    await page.evaluate(() => window.load());
    await page.evaluate(() => window.rename(2));
    await page.evaluate(() => window.remove(3));
    await settle(page);
  } },
  { name: 'drf-audit-admin-only', async run({ page }) {
    await goto(page, `${origin('DJ')}/accounts/login/`);
    await call(page, '/api/tasks/', bearer(env('DRF_TOKEN')));
    await call(page, '/api/audit/', bearer(env('DRF_TOKEN')));
  } },
];

function launchOptions(kind) {
  const args = [...CHROMIUM_ARGS];
  if (kind === 'hosts') args.push('--host-resolver-rules=MAP accounts.fabrikam.test 127.0.0.1');
  if (kind === 'squid-auth') args.push(`--proxy-server=http://127.0.0.1:${env('SQ_AUTH')}`, '--proxy-bypass-list=<-loopback>');
  return { executablePath: '/usr/bin/chromium', args };
}

module.exports = { stack: 'gateway', scenarios, launchOptions };
