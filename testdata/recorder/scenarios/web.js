// Scenarios of the `web` stack (stacks/web.sh): nginx (Basic, Bearer APIs,
// sessions, CORS, rate limits, the demo portal), Apache (Digest,
// ModSecurity + OWASP CRS), two squid proxies and the Django site
// (servers/django_web.py). Tokens (TOK_*) and session ids come from
// tokens.js; ports are P_*. The demo trace is also shipped as assets/demo.har.
// Run through testdata/recorder/record.sh, which starts the stack's servers
// and exports their ports; each recording goes to traceDir(name).
'use strict';
const { CHROMIUM_ARGS, env, origin, ALICE, basic, settle, goto, submit } =
  require(require('path').join(__dirname, '..', 'lib', 'recorder.js'));

// fetch() from the page, as the page's own script would.
async function call(page, url, init = {}) {
  const result = await page.evaluate(async ([u, i]) => {
    try {
      const r = await fetch(u, i);
      await r.text();
      return String(r.status);
    } catch (e) {
      return 'failed: ' + e.message;
    }
  }, [url, init]);
  await settle(page);
  return result;
}
const bearer = (tok) => ({ headers: { Authorization: `Bearer ${env(tok)}` } });

// Each scenario: name, optional browser ('proxy-auth', 'proxy-strip') and
// context options, and the steps.
const scenarios = [
  // ---------------------------------------------------------------- HTTP Basic (nginx)
  {
    name: 'basic-missing-credentials',
    async run({ page }) {
      const o = origin('P_BASIC');
      await goto(page, `${o}/`);
      await submit(page, 'a[href="/private/"]');
    },
  },
  {
    name: 'basic-invalid-credentials',
    async run({ page }) {
      const o = origin('P_BASIC');
      await goto(page, `${o}/`);
      await call(page, '/api/data.json');
      await call(page, '/api/data.json', { headers: { Authorization: basic('alice', 'Tr0ub4dor&3') } });
    },
  },
  {
    name: 'basic-answered',
    async run({ page, auth }) {
      const o = origin('P_BASIC');
      await goto(page, `${o}/`);
      await call(page, '/api/data.json');
      await call(page, '/api/data.json', { headers: { Authorization: basic(ALICE.username, ALICE.password) } });
      auth.provide(ALICE);
      await submit(page, 'a[href="/private/"]');
    },
  },
  {
    name: 'basic-url-credentials',
    async run({ page }) {
      const p = env('P_BASIC');
      await goto(page, `http://alice:Tr0ub4dor&3@127.0.0.1:${p}/private/`);
      await goto(page, `http://alice:correct-horse@127.0.0.1:${p}/private/`);
    },
  },
  // ---------------------------------------------------------------- Bearer API (nginx map)
  {
    name: 'bearer-expired-token',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_EXPIRED_API'));
    },
  },
  {
    name: 'bearer-insufficient-scope',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_NOSCOPE_API'));
      await call(page, '/api/reports', bearer('TOK_NOSCOPE_API'));
    },
  },
  {
    name: 'bearer-wrong-scheme',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_VALID_API'));
      await call(page, '/export/orders.csv', bearer('TOK_VALID_API'));
      // Basic with the raw user:password instead of base64.
      await call(page, '/export/orders.csv', { headers: { Authorization: 'Basic alice:correct-horse' } });
    },
  },
  {
    name: 'bearer-missing-challenge',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_VALID_API'));
      await call(page, '/api/legacy/notifications');
    },
  },
  {
    name: 'bearer-audience-mismatch',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/orders', bearer('TOK_OTHERAUD_API'));
    },
  },
  {
    name: 'bearer-step-up',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_LOWACR_API'));
      await call(page, '/api/transfers', bearer('TOK_LOWACR_API'));
    },
  },
  // ---------------------------------------------------------------- cookie sessions (nginx map)
  {
    name: 'session-login',
    async run({ page }) {
      await goto(page, `${origin('P_SESS')}/login`);
      await submit(page, '#signin');
    },
  },
  {
    name: 'stale-cookie',
    async run({ page }) {
      const o = origin('P_SESS');
      await goto(page, `${o}/app/login`);
      await submit(page, '#signin');
      await goto(page, `${o}/login`);
      await submit(page, '#signin');
    },
  },
  {
    name: 'cookie-rejected',
    async run({ page }) {
      await goto(page, `${origin('P_SESS')}/login/sso`);
      await submit(page, '#signin');
    },
  },
  {
    name: 'cookie-not-sent',
    async run({ page }) {
      await goto(page, `${origin('P_SESS')}/login`);
      await submit(page, '#signin');
      await goto(page, `${origin('P_PARTNER', 'localhost')}/pay.html`);
      await submit(page, '#payb');
    },
  },
  {
    name: 'insufficient-permissions',
    async run({ page }) {
      const o = origin('P_SESS');
      await goto(page, `${o}/login`);
      await submit(page, '#signin');
      await goto(page, `${o}/admin/`);
    },
  },
  {
    name: 'authz-as-401',
    async run({ page }) {
      await goto(page, `${origin('P_SESS')}/login`);
      await submit(page, '#signin');
      await call(page, '/app/finance/q3.json');
    },
  },
  // ---------------------------------------------------------------- server refusals (nginx)
  {
    name: 'ip-restriction',
    async run({ page }) {
      const o = origin('P_DENY');
      await goto(page, `${o}/`);
      await goto(page, `${o}/handbook/`);
      await goto(page, `${o}/index.html`);
    },
  },
  {
    name: 'filesystem-permission',
    async run({ page }) {
      await goto(page, `${origin('P_STATIC')}/docs/guide.html`);
    },
  },
  {
    name: 'directory-listing-forbidden',
    async run({ page }) {
      const o = origin('P_STATIC');
      await goto(page, `${o}/files/report.txt`);
      await goto(page, `${o}/files/`);
    },
  },
  {
    name: 'rate-limited',
    async run({ page }) {
      await goto(page, `${origin('P_LIMIT')}/`);
      for (const q of ['a', 'al', 'ali', 'alic', 'alice', 'alice+e']) {
        await page.evaluate((u) => fetch(u).then((r) => r.text()), `/api/search?q=${q}`);
      }
      await settle(page);
    },
  },
  // ---------------------------------------------------------------- in between
  {
    name: 'proxy-stripped-authorization',
    async run({ page }) {
      await goto(page, `${origin('P_EDGE')}/`);
      await call(page, '/api/orders', bearer('TOK_VALID_EDGE'));
      await call(page, '/api/export/orders', bearer('TOK_VALID_EDGE'));
      await call(page, '/api/orders', bearer('TOK_FORGED_EDGE'));
    },
  },
  {
    name: 'auth-dropped-on-redirect',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/old/api/me', bearer('TOK_VALID_API'));
    },
  },
  {
    name: 'cors-preflight-auth',
    async run({ page }) {
      await goto(page, `${origin('P_PARTNER', 'localhost')}/`);
      await call(page, `${origin('P_CORS')}/ok/api/orders`, bearer('TOK_VALID_CORS'));
      await call(page, `${origin('P_CORS')}/strict/api/orders`, bearer('TOK_VALID_CORS'));
    },
  },
  {
    name: 'cors-misconfigured',
    async run({ page }) {
      await goto(page, `${origin('P_PARTNER', 'localhost')}/`);
      await call(page, `${origin('P_CORS')}/ok/api/orders`, bearer('TOK_VALID_CORS'));
      await call(page, `${origin('P_CORS')}/loose/api/orders`, bearer('TOK_VALID_CORS'));
    },
  },
  // ---------------------------------------------------------------- Apache
  {
    name: 'digest-answered',
    async run({ page, auth }) {
      auth.provide(ALICE);
      await goto(page, `${origin('P_DIGEST')}/finance/`);
      await submit(page, 'a[href="/finance/report.html"]');
    },
  },
  {
    name: 'digest-invalid-credentials',
    async run({ page }) {
      await goto(page, `http://alice:Tr0ub4dor&3@127.0.0.1:${env('P_DIGEST')}/finance/`);
      await goto(page, `http://alice:correct-horse@127.0.0.1:${env('P_DIGEST')}/finance/`);
    },
  },
  {
    name: 'waf-block',
    async run({ page }) {
      const o = origin('P_WAF', 'localhost');
      await goto(page, `${o}/search?q=walking+shoes`);
      await goto(page, `${o}/search?q=<script>alert(1)</script>`);
    },
  },
  // ---------------------------------------------------------------- squid
  {
    name: 'proxy-auth-required',
    browser: 'proxy-auth',
    async run({ page }) {
      await goto(page, `${origin('P_BACKEND')}/`);
    },
  },
  {
    name: 'squid-stripped-authorization',
    browser: 'proxy-strip',
    async run({ page }) {
      await goto(page, `${origin('P_BACKEND')}/`);
      await call(page, '/api/orders', bearer('TOK_VALID_BACKEND'));
    },
  },
  // ---------------------------------------------------------------- Django
  {
    name: 'csrf-failure',
    async run({ page }) {
      const o = origin('P_DJANGO');
      await goto(page, `${o}/newsletter/`);
      await submit(page, '#subscribe-btn');
      await goto(page, `${o}/newsletter/`);
      await submit(page, '#contact-btn');
    },
  },
  // ---------------------------------------------------------------- the way there
  {
    name: 'wrong-url',
    context: { ignoreHTTPSErrors: true },
    async run({ page }) {
      await goto(page, `${origin('P_PLAIN')}/billing/`);
      await goto(page, `${origin('P_TLS', '127.0.0.1', 'https')}/billing/`);
    },
  },
  // ---------------------------------------------------------------- the demo
  {
    name: 'demo',
    async run({ page }) {
      const o = origin('P_DEMO');
      await goto(page, `${o}/app/login`);
      await submit(page, '#signin');
      await call(page, '/api/me', bearer('TOK_VALID_DEMO'));
      await call(page, '/api/notifications', bearer('TOK_VALID_DEMO'));
      await call(page, '/api/reports', bearer('TOK_EXPIRED_DEMO'));
      await goto(page, `${o}/app/admin/`);
      await goto(page, `${o}/search?q=<script>alert(1)</script>`);
      await goto(page, `${o}/login`);
      await submit(page, '#signin');
    },
  },
];

// ---------------------------------------------------------------- healthy twins (testdata/pairs)
// The same flow as a faulty scenario above with the fault removed, or a
// healthy flow recorded a second time; `authlens compare` lines each up
// with the committed trace (testdata/pairs/pairs.txt). Recorded with
// cause 'twin': the HARs go to testdata/pairs/twins/<name>/, not traces/.
const twinOf = (name) => scenarios.find((s) => s.name === name);
const twins = [
  {
    name: 'bearer-expired-token-twin',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_VALID_API'));
    },
  },
  {
    name: 'bearer-insufficient-scope-twin',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_VALID_API'));
      await call(page, '/api/reports', bearer('TOK_VALID_API'));
    },
  },
  {
    // On "localhost" rather than 127.0.0.1: the pair across two hosts.
    name: 'bearer-audience-mismatch-twin-localhost',
    async run({ page }) {
      await goto(page, `${origin('P_API', 'localhost')}/`);
      await call(page, '/api/orders', bearer('TOK_VALID_API'));
    },
  },
  {
    name: 'bearer-step-up-twin',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_VALID_API'));
      await call(page, '/api/transfers', bearer('TOK_VALID_API'));
    },
  },
  {
    name: 'bearer-wrong-scheme-twin',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_VALID_API'));
      await call(page, '/export/orders.csv', bearer('TOK_VALID_API'));
      await call(page, '/export/orders.csv', { headers: { Authorization: basic(ALICE.username, ALICE.password) } });
    },
  },
  {
    name: 'basic-invalid-credentials-twin',
    async run({ page }) {
      await goto(page, `${origin('P_BASIC')}/`);
      await call(page, '/api/data.json');
      await call(page, '/api/data.json', { headers: { Authorization: basic(ALICE.username, ALICE.password) } });
    },
  },
  {
    name: 'basic-missing-credentials-twin',
    async run({ page, auth }) {
      await goto(page, `${origin('P_BASIC')}/`);
      auth.provide(ALICE);
      await submit(page, 'a[href="/private/"]');
    },
  },
  {
    name: 'auth-dropped-on-redirect-twin',
    async run({ page }) {
      await goto(page, `${origin('P_API')}/`);
      await call(page, '/api/me', bearer('TOK_VALID_API'));
    },
  },
  {
    name: 'waf-block-twin',
    async run({ page }) {
      const o = origin('P_WAF', 'localhost');
      await goto(page, `${o}/search?q=walking+shoes`);
      await goto(page, `${o}/search?q=running+shoes`);
    },
  },
  {
    // Two searches stay inside limit_req's burst.
    name: 'rate-limited-twin',
    async run({ page }) {
      await goto(page, `${origin('P_LIMIT')}/`);
      for (const q of ['a', 'alice']) {
        await page.evaluate((u) => fetch(u).then((r) => r.text()), `/api/search?q=${q}`);
      }
      await settle(page);
    },
  },
  {
    name: 'proxy-auth-required-twin',
    browser: 'proxy-auth',
    async run({ page, auth }) {
      auth.provide({ username: 'carol', password: 'proxy-pass' });
      await goto(page, `${origin('P_BACKEND')}/`);
    },
  },
  {
    // The same calls without the stripping proxy in between.
    name: 'squid-stripped-authorization-twin',
    async run({ page }) {
      await goto(page, `${origin('P_BACKEND')}/`);
      await call(page, '/api/orders', bearer('TOK_VALID_BACKEND'));
    },
  },
  // The same healthy flow recorded twice: only noise may differ.
  { name: 'session-login-again', run: (ctx) => twinOf('session-login').run(ctx) },
  { name: 'basic-answered-again', run: (ctx) => twinOf('basic-answered').run(ctx) },
  { name: 'digest-answered-again', run: (ctx) => twinOf('digest-answered').run(ctx) },
];
for (const t of twins) scenarios.push({ cause: 'twin', ...t });

function launchOptions(kind) {
  const args = [...CHROMIUM_ARGS];
  if (kind === 'proxy-auth' || kind === 'proxy-strip') {
    const port = env(kind === 'proxy-auth' ? 'P_SQUID_AUTH' : 'P_SQUID_STRIP');
    // Without <-loopback> Chromium never proxies 127.0.0.1/localhost.
    args.push(`--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>');
  }
  return { executablePath: '/usr/bin/chromium', args };
}

module.exports = { stack: 'web', scenarios, launchOptions };
