// Scenarios of the `mixed` stack (stacks/mixed.sh): Apache (Basic, Digest,
// TLS, ModSecurity via mod_proxy, mod_auth_gssapi), nginx (TLS + HTTP/2),
// squid (ACL deny, proxy auth), the Django + DRF kiosk site
// (servers/django_kiosk.py) and the Node servers of servers/apps-mixed.js,
// on 127.0.0.1/127.0.0.2/localhost and mapped host names.
// Run through testdata/recorder/record.sh, which starts the stack's servers
// and exports their ports; each recording goes to traceDir(name).
'use strict';
const { chromium, CHROMIUM_ARGS, env, origin, ALICE, basic, sleep, settle, goto, submit,
  b64url, now, signJWT, traceDir, fetchWithChallenge: call } =
  require(require('path').join(__dirname, '..', 'lib', 'recorder.js'));
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

// ---- test-only JWTs, relative to now
const jwt = (claims) => signJWT(env('HOLDOUT_KEY'), claims);
const claims = (aud, extra = {}) => ({ iss: 'https://login.northwind.test/', sub: 'alice', aud, iat: now() - 60, nbf: now() - 60, exp: now() + 3600, scp: ['orders.read', 'profile'], ...extra });

// ---- Digest (RFC 7616, MD5, qop=auth) computed by the page's own client code
const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');
function parseChallenge(h) {
  const out = {};
  for (const m of h.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) out[m[1].toLowerCase()] = m[2] !== undefined ? m[2] : m[3];
  return out;
}
function digestHeader(ch, method, uri, nc) {
  const cnonce = crypto.randomBytes(8).toString('hex');
  const ncs = String(nc).padStart(8, '0');
  const ha1 = md5(`${ALICE.username}:${ch.realm}:${ALICE.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${ch.nonce}:${ncs}:${cnonce}:auth:${ha2}`);
  return `Digest username="${ALICE.username}", realm="${ch.realm}", nonce="${ch.nonce}", uri="${uri}", algorithm=MD5, response="${response}", qop=auth, nc=${ncs}, cnonce="${cnonce}"` + (ch.opaque ? `, opaque="${ch.opaque}"` : '');
}

const bearer = (tok) => ({ headers: { Authorization: `Bearer ${tok}` } });

async function djangoLogin(page, next) {
  const o = origin('DJ');
  await goto(page, `${o}/accounts/login/?next=${next}`);
  await submit(page, '#login-btn');
}

const scenarios = [
  // ------------------------------------------------ Apache, mod_auth_basic
  { name: 'apache-basic-missing-credentials', async run({ page }) {
    await goto(page, `${origin('A_BASIC')}/`);
    await submit(page, '#members');
  } },
  { name: 'apache-basic-xhr-answered', async run({ page, auth }) {
    await goto(page, `${origin('A_BASIC')}/`);
    auth.provide(ALICE);
    await page.evaluate(() => window.xhrGet('/members/data.json'));
    await settle(page);
    await page.evaluate(() => window.xhrGet('/members/data.json'));
    await settle(page);
  } },
  { name: 'https-basic-invalid-credentials', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('A_TLS', '127.0.0.1', 'https')}/billing`);
    await call(page, '/secure-api/invoices.json', { headers: { Authorization: basic('alice', 'correct-horse!') } });
    await call(page, '/secure-api/invoices.json', { headers: { Authorization: basic('alice', 'correct-horse!') } });
  } },
  { name: 'apache-ip-restriction', async run({ page }) {
    const o = origin('A_BASIC');
    await goto(page, `${o}/`);
    await submit(page, '#docs');
    await goto(page, `${o}/`);
    await submit(page, '#intranet');
    await goto(page, `${o}/intranet/`);
  } },
  { name: 'apache-filesystem-permission', async run({ page }) {
    await goto(page, `${origin('A_BASIC')}/docs/guide.html`);
    await submit(page, '#policy');
  } },
  { name: 'apache-directory-listing', async run({ page }) {
    await goto(page, `${origin('A_BASIC')}/downloads/readme.html`);
    await submit(page, '#notes');
    await goto(page, `${origin('A_BASIC')}/downloads/readme.html`);
    await submit(page, '#all');
  } },
  // ------------------------------------------------ Apache, mod_auth_digest with a 2 s nonce lifetime
  { name: 'digest-stale-retried', async run({ page }) {
    const o = origin('A_DIGEST');
    const uri = '/vault/balance.json';
    await goto(page, `${o}/`);
    let r = await call(page, uri);
    let ch = parseChallenge(r.challenge);
    await call(page, uri, { headers: { Authorization: digestHeader(ch, 'GET', uri, 1) } });
    await sleep(3500);
    r = await call(page, uri, { headers: { Authorization: digestHeader(ch, 'GET', uri, 2) } });
    if (!/stale=true/i.test(r.challenge || '')) throw new Error(`digest-stale-retried: expected stale=true, got ${JSON.stringify(r)}`);
    ch = parseChallenge(r.challenge);
    await call(page, uri, { headers: { Authorization: digestHeader(ch, 'GET', uri, 1) } });
  } },
  { name: 'digest-stale-not-retried', async run({ page }) {
    const o = origin('A_DIGEST');
    const uri = '/vault/balance.json';
    await goto(page, `${o}/`);
    const r = await call(page, uri);
    const ch = parseChallenge(r.challenge);
    await call(page, uri, { headers: { Authorization: digestHeader(ch, 'GET', uri, 1) } });
    await sleep(3500);
    const r2 = await call(page, uri, { headers: { Authorization: digestHeader(ch, 'GET', uri, 2) } });
    if (!/stale=true/i.test(r2.challenge || '')) throw new Error(`digest-stale-not-retried: expected stale=true, got ${JSON.stringify(r2)}`);
  } },
  // ------------------------------------------------ Apache + ModSecurity/CRS in front of a Node app
  { name: 'modsec-post-body', async run({ page }) {
    const o = origin('A_WAF', 'localhost');
    await goto(page, `${o}/feedback`);
    await page.fill('#comment', 'Great service, thanks!');
    await submit(page, '#send');
    await submit(page, '#again');
    await page.fill('#comment', "1' UNION SELECT username, password FROM users--");
    await submit(page, '#send');
  } },
  // ------------------------------------------------ Django + DRF
  { name: 'drf-missing-credentials', async run({ page }) {
    await goto(page, `${origin('DJ')}/`);
    await call(page, '/api/invoices/');
  } },
  { name: 'django-login-required-redirect', async run({ page }) {
    await goto(page, `${origin('DJ')}/`);
    await submit(page, '#dash');
    await submit(page, '#login-btn');
  } },
  { name: 'django-ajax-csrf', async run({ page }) {
    await djangoLogin(page, '/notes/');
    await page.evaluate(() => window.addNoteOld('buy milk'));
    await settle(page);
    await page.evaluate(() => window.addNote('buy milk'));
    await settle(page);
  } },
  { name: 'drf-session-csrf', async run({ page }) {
    await djangoLogin(page, '/notes/');
    await page.evaluate(() => window.apiNoteOld('call bob'));
    await settle(page);
    await page.evaluate(() => window.apiNote('call bob'));
    await settle(page);
  } },
  { name: 'django-permission-denied', async run({ page }) {
    await djangoLogin(page, '/dashboard/');
    await submit(page, '#staff');
  } },
  { name: 'drf-token-wrong-scheme', async run({ page }) {
    await goto(page, `${origin('DJ')}/`);
    await call(page, '/api/v1/orders/', bearer(env('DRF_TOKEN')));
    await call(page, '/api/v1/orders/', { headers: { Authorization: `Token ${env('DRF_TOKEN')}` } });
  } },
  // ------------------------------------------------ Node Bearer API
  { name: 'api-opaque-token-expired', async run({ page }) {
    await goto(page, `${origin('H_API')}/`);
    await call(page, '/v2/orders', bearer('tok_exp_9Lk3Vb'));
  } },
  { name: 'api-jwt-expired-no-error', async run({ page }) {
    await goto(page, `${origin('H_API')}/`);
    const t = now();
    await call(page, '/v2/me', bearer(jwt(claims(origin('H_API'), { iat: t - 5400, nbf: t - 5400, exp: t - 1800 }))));
  } },
  { name: 'api-jwt-insufficient-scope', async run({ page }) {
    await goto(page, `${origin('H_API')}/`);
    const tok = jwt(claims(origin('H_API')));
    await call(page, '/v2/me', bearer(tok));
    await call(page, '/v2/orders', bearer(tok));
    await call(page, '/v2/admin/users', bearer(tok));
  } },
  { name: 'auth-dropped-host-redirect', async run({ page }) {
    await goto(page, `${origin('H_CANON', 'localhost')}/`);
    await call(page, '/api/reports', bearer(jwt(claims(origin('H_CANON')))));
  } },
  // ------------------------------------------------ Node cookie app
  { name: 'background-me-401', async run({ page }) {
    const o = origin('H_APP');
    await goto(page, `${o}/`);
    await submit(page, '#pricing');
  } },
  { name: 'logout-stale-cookie', async run({ page }) {
    const o = origin('H_APP');
    await goto(page, `${o}/app/login`);
    await submit(page, '#go');
    await submit(page, '#logout');
    await submit(page, '#back');
  } },
  { name: 'private-repo-404', async run({ page }) {
    const o = origin('H_APP');
    await goto(page, `${o}/who?u=bob`);
    await goto(page, `${o}/repos/acme/payroll`);
    await goto(page, `${o}/who?u=alice`);
    await goto(page, `${o}/repos/alice/notes`);
    await goto(page, `${o}/repos/alice/notez`);
    await goto(page, `${o}/repos/acme/payroll`);
  } },
  { name: 'login-api-bad-password', async run({ page }) {
    await goto(page, `${origin('H_LOGIN')}/`);
    const post = (pw) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: pw }) });
    await call(page, '/api/session', post('Correct-Horse'));
    await call(page, '/api/session', post('correct-horse'));
  } },
  // ------------------------------------------------ rate limits
  { name: 'rate-limit-429-retry-after', async run({ page }) {
    await goto(page, `${origin('H_LIMIT')}/`);
    for (const q of ['s', 'sh', 'sho', 'shoe', 'shoes']) await call(page, `/search?q=${q}`);
  } },
  { name: 'github-style-403-rate-limit', async run({ page }) {
    await goto(page, `${origin('H_LIMIT')}/`);
    for (const r of ['widgets', 'gadgets', 'sprockets', 'gizmos', 'doohickeys', 'widgets']) await call(page, `/gh/repos/acme/${r}`);
  } },
  // ------------------------------------------------ cross-site cookies
  { name: 'samesite-none-insecure-iframe', async run({ page }) {
    await goto(page, `${origin('H_SHOP', 'localhost')}/`);
    const frame = page.frames().find((f) => f.url().includes('/widget/'));
    if (!frame) throw new Error('samesite-none-insecure-iframe: widget frame not found');
    await call(frame, '/widget/login', { method: 'POST', credentials: 'include' });
    await settle(page);
    await call(frame, '/widget/api/cart', { credentials: 'include' });
    await settle(page);
  } },
  { name: 'cookie-not-sent-cors-fetch', async run({ page }) {
    await goto(page, `${origin('H_WIDGET')}/account/login`);
    await goto(page, `${origin('H_SHOP', 'localhost')}/checkout`);
    await call(page, `${origin('H_WIDGET')}/cors/api/cart`);
  } },
  // ------------------------------------------------ HTTPS portal (nginx) with many healthy requests
  { name: 'https-portal-authz-as-401', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    const o = origin('X_PORTAL', '127.0.0.1', 'https');
    await goto(page, `${o}/`);
    await submit(page, '#signin');
    await submit(page, '#projects');
    await submit(page, '#home');
    await page.reload({ waitUntil: 'load' });
    await settle(page);
  } },
  // ------------------------------------------------ more variants
  { name: 'squid-proxy-auth-https', browser: 'squid-auth', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await page.goto(`${origin('A_TLS', '127.0.0.1', 'https')}/billing`, { waitUntil: 'load' }).catch((e) => console.log(`  squid-proxy-auth-https: navigation failed as expected: ${e.message.split('\n')[0]}`));
    await settle(page);
  } },
  { name: 'cors-preflight-apache-basic', async run({ page }) {
    await goto(page, `${origin('H_SHOP', 'localhost')}/checkout`);
    await call(page, `${origin('A_BASIC')}/members/data.json`, { headers: { Authorization: basic(ALICE.username, ALICE.password) } });
  } },
  { name: 'client-credentials-invalid', async run({ page }) {
    await goto(page, `${origin('H_API2')}/`);
    await call(page, '/oauth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=invoice-spa&client_secret=s3cr3t-2025&scope=invoices.read' });
  } },
  { name: 'api-jwt-clock-skew-nbf', async run({ page }) {
    await goto(page, `${origin('H_API2')}/`);
    const t = now() + 300; // minted by an issuer whose clock is 5 min ahead
    await call(page, '/api/invoices', bearer(jwt(claims(origin('H_API2'), { iat: t, nbf: t, exp: t + 3600 }))));
  } },
  { name: 'api-jwt-audience-mismatch', async run({ page }) {
    await goto(page, `${origin('H_API2')}/`);
    await call(page, '/api/invoices', bearer(jwt(claims('https://payroll.northwind.test', { scp: ['payroll.read'] }))));
  } },
  { name: 'apache-proxy-stripped-authorization', async run({ page }) {
    await goto(page, `${origin('A_GW')}/`);
    const tok = { headers: { Authorization: `Token ${env('DRF_TOKEN')}` } };
    await call(page, '/api/v2/orders/', tok);
    await call(page, '/api/v1/orders/', tok);
  } },
  { name: 'django-https-no-referer-csrf', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('X_DJ', '127.0.0.1', 'https')}/feedback/`);
    await submit(page, '#send');
  } },
  { name: 'negotiate-unsupported', async run({ page }) {
    await goto(page, `${origin('A_SSO')}/`);
    await submit(page, '#members').catch(() => {});
    await goto(page, `${origin('A_SSO')}/sso/`);
  } },
  { name: 'h2-api-step-up', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('X_API', '127.0.0.1', 'https')}/`);
    const tok = jwt(claims(origin('H_API2'), { acr: 'urn:northwind:pwd', amr: ['pwd'] }));
    await call(page, '/api/invoices', bearer(tok));
    await call(page, '/api/payments', bearer(tok));
  } },
  { name: 'h2-api-expired-refresh-failed', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('X_API', '127.0.0.1', 'https')}/`);
    const t = now();
    await call(page, '/api/invoices', bearer(jwt(claims(origin('H_API2'), { iat: t - 4000, nbf: t - 4000, exp: t - 400 }))));
    await call(page, '/oauth/token/refresh', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=rt_5fQm2Lx9&client_id=invoice-spa' });
  } },
  { name: 'django-session-timeout-redirect', async run({ page }) {
    const o = origin('DJ');
    await goto(page, `${o}/kiosk/login/?next=/kiosk/`);
    await submit(page, '#login-btn');
    await sleep(6000);
    await submit(page, '#orders');
  } },
  { name: 'cookie-not-sent-lax-iframe', async run({ page }) {
    await goto(page, `${origin('H_WIDGET')}/account/login`);
    await goto(page, `${origin('H_SHOP', 'localhost')}/embed`);
  } },
  { name: 'cookie-jwt-expired', async run({ page }) {
    await goto(page, `${origin('H_API')}/`);
    await call(page, '/auth/login', { method: 'POST' });
    await call(page, '/session/me');
    await sleep(4500);
    await call(page, '/session/me');
  } },
  { name: 'basic-password-changed', async run({ page, auth }) {
    const o = origin('A_BASIC');
    const file = path.join(env('RUN'), 'htpasswd');
    const saved = fs.readFileSync(file, 'utf8');
    try {
      await goto(page, `${o}/`);
      auth.provide(ALICE);
      await submit(page, '#members');
      // The admin resets alice's password while she works (Apache re-reads AuthUserFile on every request).
      const hash = require('child_process').execFileSync('openssl', ['passwd', '-apr1', 'new-horse-2026']).toString().trim();
      fs.writeFileSync(file, `alice:${hash}\n`);
      await call(page, '/members/data.json');
    } finally {
      fs.writeFileSync(file, saved);
    }
  } },
  { name: 'cookie-domain-rejected-login-loop', browser: 'hosts', async run({ page }) {
    const o = `http://app.northwind.test:${env('H_APP')}`;
    await goto(page, `${o}/portal/login`);
    await submit(page, '#go');
  } },
  { name: 'cookie-path-not-sent', async run({ page }) {
    const o = origin('H_APP');
    await goto(page, `${o}/shop/login`);
    await submit(page, '#go');
  } },
  { name: 'apache-require-user-401', async run({ page, auth }) {
    const o = origin('A_BASIC');
    await goto(page, `${o}/`);
    auth.provide(ALICE);
    await submit(page, '#members');
    await call(page, '/members/data.json');
    auth.provide(ALICE); // the re-prompt after the 401: the user types the same (right) password again
    await call(page, '/members/board/minutes.json');
  } },
  { name: 'squid-proxy-auth-answered', browser: 'squid-auth', async run({ page, auth }) {
    auth.provide({ username: 'carol', password: 'proxy-pass' });
    await goto(page, `${origin('H_APP')}/pricing`);
  } },
  { name: 'https-basic-typo-then-right', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('A_TLS', '127.0.0.1', 'https')}/billing`);
    await call(page, '/secure-api/invoices.json', { headers: { Authorization: basic('alice', 'correct-hrose') } });
    await call(page, '/secure-api/invoices.json', { headers: { Authorization: basic('alice', 'correct-horse') } });
  } },
  { name: 'login-lockout-429', async run({ page }) {
    await goto(page, `${origin('H_LOGIN')}/`);
    const post = (pw) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: pw }) });
    for (const pw of ['Correct-Horse', 'correct_horse', 'correcthorse', 'correct-horse']) await call(page, '/api/v2/session', post(pw));
  } },
  { name: 'cached-403-after-grant', async run({ page }) {
    const o = origin('H_APP');
    await goto(page, `${o}/who?u=alice`);
    await goto(page, `${o}/reports/q3`);
    await call(page, '/reports/grant'); // the admin grants access (server-side flag)
    await sleep(1500);
    await goto(page, `${o}/reports/q3`); // normal navigation: the fresh 403 comes from the browser cache
    await page.reload({ waitUntil: 'load' }); // reload revalidates: 200
    await settle(page);
  } },
  { name: 'oidc-form-post-lax-state', async run({ page }) {
    await goto(page, `${origin('H_APP')}/oidc/start`);
    await submit(page, '#continue');
  } },
  { name: 'digest-sha512-unsupported', async run({ page }) {
    await goto(page, `${origin('H_API2')}/`);
    await goto(page, `${origin('H_API2')}/legacy/report`);
  } },
  { name: 'basic-no-colon', context: { ignoreHTTPSErrors: true }, async run({ page }) {
    await goto(page, `${origin('A_TLS', '127.0.0.1', 'https')}/billing`);
    // The client base64-encodes the API key alone, without "user:".
    await call(page, '/secure-api/invoices.json', { headers: { Authorization: 'Basic ' + Buffer.from('correct-horse').toString('base64') } });
  } },
  { name: 'bearer-doubled-scheme', async run({ page }) {
    await goto(page, `${origin('H_API')}/`);
    const tok = jwt(claims(origin('H_API')));
    await call(page, '/v2/me', bearer(`Bearer ${tok}`)); // an interceptor prefixed a value that already had "Bearer "
  } },
  { name: 'dpop-nonce-retried', async run({ page }) {
    const o = origin('H_DPOP');
    await goto(page, `${o}/`);
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const proof = (htu, nonce) => {
      const h = b64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk }));
      const p = b64url(JSON.stringify({ htm: 'GET', htu, iat: now(), jti: crypto.randomBytes(8).toString('hex'), ...(nonce ? { nonce } : {}) }));
      const sig = crypto.sign('sha256', Buffer.from(`${h}.${p}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${h}.${p}.${b64url(sig)}`;
    };
    const url = `${o}/api/payslips`;
    const at = jwt(claims(o, { cnf: { jkt: crypto.createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url') } }));
    const r = await page.evaluate(async ([u, a, p]) => {
      const r = await fetch(u, { headers: { Authorization: 'DPoP ' + a, DPoP: p } });
      await r.text();
      return r.headers.get('dpop-nonce');
    }, [url, at, proof(url)]);
    await settle(page);
    await call(page, url, { headers: { Authorization: `DPoP ${at}`, DPoP: proof(url, r) } });
    // The same token sent by an old code path as a plain Bearer token.
    await call(page, url, bearer(at));
  } },
  // ------------------------------------------------ fresh set (recorded after the rules were tuned to REPORT.md)
  { name: 'fresh-digest-typo-then-right', async run({ page }) {
    const o = origin('A_DIGEST');
    const uri = '/vault/balance.json';
    await goto(page, `${o}/`);
    const r = await call(page, uri);
    const ch = parseChallenge(r.challenge);
    const bad = digestHeader(ch, 'GET', uri, 1).replace(/response="[0-9a-f]+"/, `response="${md5('typo')}"`);
    const r2 = await call(page, uri, { headers: { Authorization: bad } });
    await call(page, uri, { headers: { Authorization: digestHeader(parseChallenge(r2.challenge || r.challenge), 'GET', uri, 1) } });
  } },
  { name: 'fresh-cookie-path-prefix', async run({ page }) {
    await goto(page, `${origin('H_APP')}/account/login`);
    await submit(page, '#go');
  } },
  { name: 'fresh-strict-cookie-cross-site-link', async run({ page }) {
    await goto(page, `${origin('H_APP')}/bank/login`);
    await submit(page, '#go');
    await goto(page, `${origin('H_SHOP', 'localhost')}/news`);
    await submit(page, '#bank');
  } },
  { name: 'fresh-session-expires-redirect', async run({ page }) {
    await goto(page, `${origin('H_APP')}/tv/login`);
    await submit(page, '#go');
    await sleep(4500);
    await submit(page, '#rec');
  } },
  // ------------------------------------------------ squid policy deny
  { name: 'squid-acl-deny', browser: 'squid', async run({ page }) {
    await goto(page, `${origin('H_APP')}/pricing`);
    await goto(page, `${origin('H_LIMIT')}/`);
  } },
];

function launchOptions(kind) {
  const args = [...CHROMIUM_ARGS];
  if (kind === 'squid-auth') args.push(`--proxy-server=http://127.0.0.1:${env('SQ_AUTH')}`, '--proxy-bypass-list=<-loopback>');
  if (kind === 'squid') args.push(`--proxy-server=http://127.0.0.1:${env('SQ')}`, '--proxy-bypass-list=<-loopback>');
  if (kind === 'hosts') args.push('--host-resolver-rules=MAP app.northwind.test 127.0.0.1');
  if (kind.startsWith('dns:')) args.push(`--host-resolver-rules=MAP crm.northwind.test ${kind.slice(4)}`);
  return { executablePath: '/usr/bin/chromium', args };
}

// dns-mismatch: the same host name resolved by two browser launches to two
// addresses (127.0.0.1 = the new server, 127.0.0.2 = the old one, as a
// stale hosts entry would), with the session carried over (storageState),
// merged into one HAR in time order.
async function recordDnsMismatch() {
  const name = 'dns-mismatch';
  const dir = traceDir(name);
  fs.mkdirSync(dir, { recursive: true });
  const o = `http://crm.northwind.test:${env('H_MOVE')}`;
  const b1 = await chromium.launch(launchOptions('dns:127.0.0.1'));
  const har1 = path.join(dir, 'part1.har');
  let state;
  try {
    const c1 = await b1.newContext({ recordHar: { path: har1, content: 'embed' } });
    const p1 = await c1.newPage();
    await goto(p1, `${o}/`);
    await submit(p1, '#signin');
    state = await c1.storageState();
    await c1.close();
  } finally { await b1.close(); }
  const b2 = await chromium.launch(launchOptions('dns:127.0.0.2'));
  const har2 = path.join(dir, 'part2.har');
  try {
    const c2 = await b2.newContext({ storageState: state, recordHar: { path: har2, content: 'embed' } });
    const p2 = await c2.newPage();
    await goto(p2, `${o}/contacts`);
    await c2.close();
  } finally { await b2.close(); }
  const a = JSON.parse(fs.readFileSync(har1, 'utf8'));
  const b = JSON.parse(fs.readFileSync(har2, 'utf8'));
  const pages = [...a.log.pages, ...b.log.pages.map((p) => ({ ...p, id: 'b-' + p.id }))];
  const entries = [...a.log.entries, ...b.log.entries.map((e) => ({ ...e, pageref: e.pageref ? 'b-' + e.pageref : undefined }))]
    .sort((x, y) => Date.parse(x.startedDateTime) - Date.parse(y.startedDateTime));
  a.log.pages = pages;
  a.log.entries = entries;
  fs.writeFileSync(path.join(dir, 'trace.har'), JSON.stringify(a, null, 2));
  fs.unlinkSync(har1);
  fs.unlinkSync(har2);
  console.log(`recorded ${name}: ${entries.length} entries`);
}

scenarios.push({ name: 'dns-mismatch', record: recordDnsMismatch });

// ------------------------------------------------ healthy twins (testdata/pairs)
// The same flow as a faulty scenario above with the fault removed; see the
// twins in web.js.
const twins = [
  { name: 'api-jwt-expired-no-error-twin', async run({ page }) {
    await goto(page, `${origin('H_API')}/`);
    await call(page, '/v2/me', bearer(jwt(claims(origin('H_API')))));
  } },
  { name: 'api-jwt-insufficient-scope-twin', async run({ page }) {
    await goto(page, `${origin('H_API')}/`);
    const tok = jwt(claims(origin('H_API'), { scp: ['orders.read', 'profile', 'admin.write'] }));
    await call(page, '/v2/me', bearer(tok));
    await call(page, '/v2/orders', bearer(tok));
    await call(page, '/v2/admin/users', bearer(tok));
  } },
  { name: 'api-jwt-clock-skew-nbf-twin', async run({ page }) {
    await goto(page, `${origin('H_API2')}/`);
    await call(page, '/api/invoices', bearer(jwt(claims(origin('H_API2')))));
  } },
  { name: 'api-jwt-audience-mismatch-twin', async run({ page }) {
    await goto(page, `${origin('H_API2')}/`);
    await call(page, '/api/invoices', bearer(jwt(claims(origin('H_API2')))));
  } },
  { name: 'apache-basic-missing-credentials-twin', async run({ page, auth }) {
    await goto(page, `${origin('A_BASIC')}/`);
    auth.provide(ALICE);
    await submit(page, '#members');
  } },
];
for (const t of twins) scenarios.push({ cause: 'twin', ...t });


module.exports = { stack: 'mixed', scenarios, launchOptions };
