// Scenarios of the `multi-origin` stack (stacks/multi-origin.sh): Node apps
// on several origins (servers/apps-multi-origin.js), Apache (Require all
// denied), squid (proxy auth, CONNECT) and the Django site with its upload
// view (servers/django_site.py).
// Run through testdata/recorder/record.sh, which starts the stack's servers
// and exports their ports; each recording goes to traceDir(name).
'use strict';
const { CHROMIUM_ARGS, env, origin, ALICE, sleep, settle, goto, submit,
  now, signJWT } =
  require(require('path').join(__dirname, '..', 'lib', 'recorder.js'));

const jwt = (claims) => signJWT(env('HOLDOUT_KEY'), claims);
const fresh = (extra = {}) => jwt({ iss: 'https://login.contoso.test/', sub: 'alice', aud: 'contoso-api', iat: now() - 60, exp: now() + 600, roles: ['staff'], ...extra });
const expired = (ago) => fresh({ iat: now() - ago - 3600, exp: now() - ago });
const bearer = (tok, extra = {}) => ({ headers: { Authorization: `Bearer ${tok}`, ...extra } });

async function call(page, url, init = {}) {
  const r = await page.evaluate(async ([u, i]) => {
    try {
      const r = await fetch(u, i);
      const body = await r.text();
      return { status: r.status, body };
    } catch (e) { return { status: 'failed: ' + e.message }; }
  }, [url, init]);
  await settle(page);
  return r;
}
const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const proxyCreds = { username: 'carol', password: 'proxy-pass' };

const scenarios = [
  // ---------------------------------------------------- Contoso SPA (Node)
  { name: 'spa-four-origins-one-expired', async run({ page }) {
    // The SPA (127.0.0.1) talks to its own API and three others: catalog and
    // billing on 127.0.0.2, orders on localhost. Only billing's token is old.
    await goto(page, `${origin('N_SPA')}/app`);
    const tok = fresh();
    const billingTok = expired(25 * 60);
    await call(page, '/api/profile', bearer(tok));
    await call(page, `http://127.0.0.2:${env('N_CAT')}/health`);
    await call(page, `http://127.0.0.2:${env('N_CAT')}/v1/products`, bearer(tok));
    await call(page, `http://localhost:${env('N_ORD')}/v1/orders`, bearer(tok));
    await call(page, `http://127.0.0.2:${env('N_BILL')}/v1/invoices`, bearer(billingTok));
    await call(page, `http://127.0.0.2:${env('N_CAT')}/v1/products?page=2`, bearer(tok));
    await call(page, `http://localhost:${env('N_ORD')}/v1/orders/17`, bearer(tok));
  } },
  { name: 'json-403-missing-role-wording', async run({ page }) {
    await goto(page, `${origin('N_SPA')}/app`);
    await call(page, '/api/invoices', bearer(fresh()));
    await call(page, '/api/invoices/inv-1009', bearer(fresh()));
    await call(page, '/api/invoices/inv-1009/approve', { method: 'POST', ...bearer(fresh(), { 'Content-Type': 'application/json' }), body: '{"comment":"ok"}' });
  } },
  { name: 'expired-token-refreshed-ok', async run({ page }) {
    await goto(page, `${origin('N_SPA')}/app`);
    await call(page, '/api/orders', bearer(expired(3 * 60)));      // 401 jwt expired
    const r = await call(page, '/oauth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=rt-alice-good&client_id=contoso-spa' });
    const tok = JSON.parse(r.body).access_token;
    await call(page, '/api/orders', bearer(tok));                   // the retry works
    await call(page, '/api/orders/17', bearer(tok));
  } },
  { name: 'login-api-401s-then-429', async run({ page }) {
    await goto(page, `${origin('N_SPA')}/signin`);
    for (const pw of ['correct-hoarse', 'Correct-horse', 'correcthorse']) await call(page, '/api/login', json({ email: 'alice@contoso.test', password: pw }));
    await call(page, '/api/login', json({ email: 'alice@contoso.test', password: 'correct-horse1' }));
    await call(page, '/api/login', json({ email: 'alice@contoso.test', password: 'correct-horse' }));
  } },
  // ---------------------------------------------------- SameSite=Lax cookie across sites
  { name: 'lax-cookie-cross-site-link-get', async run({ page }) {
    await goto(page, `http://localhost:${env('N_SHOP')}/login`);
    await goto(page, `${origin('N_LINKS')}/deals`);
    await submit(page, '#acct');                                       // top-level GET: Lax cookie sent
  } },
  { name: 'lax-cookie-cross-site-form-post', async run({ page }) {
    await goto(page, `http://localhost:${env('N_SHOP')}/login`);
    await goto(page, `${origin('N_LINKS')}/deals`);
    await submit(page, '#acct');                                       // GET: sent, 200
    await goto(page, `${origin('N_LINKS')}/deals`);
    await submit(page, '#buybtn');                                     // cross-site POST: Lax cookie not sent, 401
  } },
  // ---------------------------------------------------- stale session cookie loop
  { name: 'stale-cookie-401-loop', async run({ page }) {
    await goto(page, `${origin('N_LOOP')}/login`);                     // signs in, /api/me 200
    // The app server restarts (in-memory sessions gone); not browser traffic.
    await fetch(`${origin('N_LOOP')}/_ops/restart`);
    await goto(page, `${origin('N_LOOP')}/home?n=1`);                  // 401 -> /login -> /home -> 401 ...
    await sleep(1500); await settle(page);
  } },
  // ---------------------------------------------------- Negotiate + Basic
  { name: 'negotiate-plus-basic-answered', async run({ page, auth }) {
    auth.provide(ALICE);
    await goto(page, `${origin('N_NEG')}/`);
    await submit(page, '#news');
    await call(page, '/api/notices?all=1');
  } },
  { name: 'negotiate-plus-basic-cancelled', async run({ page }) {
    // No credentials queued: Chromium cannot do Negotiate here, falls back to
    // Basic, and the login dialog is dismissed.
    await goto(page, `${origin('N_NEG')}/`);
  } },
  // ---------------------------------------------------- Apache
  { name: 'apache-dotenv-require-denied', async run({ page }) {
    await goto(page, `${origin('A_STATIC')}/`);
    await call(page, '/site.css');
    await call(page, '/.env');
    await call(page, '/app.js');
  } },
  // ---------------------------------------------------- squid with proxy auth
  { name: 'squid-connect-https-basic-answered', browser: 'squid-auth', context: { ignoreHTTPSErrors: true }, async run({ page, auth }) {
    auth.provide(proxyCreds);
    auth.provide(ALICE);
    await goto(page, `https://localhost:${env('N_TLSB')}/`);
    await submit(page, '#reports');
    await call(page, '/api/summary?q=2');
  } },
  { name: 'squid-answered-then-site-basic-cancelled', browser: 'squid-auth', async run({ page, auth }) {
    auth.provide(proxyCreds);                                          // the proxy's 407 answered; the site's Basic dialog cancelled
    await goto(page, `${origin('N_SITE')}/`);
  } },
  // ---------------------------------------------------- Django multipart upload
  { name: 'django-multipart-upload-csrf', async run({ page }) {
    await goto(page, `${origin('DJ')}/accounts/login/?next=/upload/`);
    await page.fill('#pw', 'correct-horse');
    await submit(page, '#login-btn');
    console.log('  drop upload:', await page.evaluate(() => window.dropUpload()));
    await settle(page);
    console.log('  form upload:', await page.evaluate(() => window.formUpload()));
    await settle(page);
  } },
];

function launchOptions(kind) {
  const args = [...CHROMIUM_ARGS];
  if (kind === 'squid-auth') args.push(`--proxy-server=http://127.0.0.1:${env('SQ_AUTH')}`, '--proxy-bypass-list=<-loopback>');
  return { executablePath: '/usr/bin/chromium', args };
}

module.exports = { stack: 'multi-origin', scenarios, launchOptions };
