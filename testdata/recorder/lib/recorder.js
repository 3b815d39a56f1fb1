// Shared pieces of the recorder (record.js and the scenario lists in
// scenarios/*.js): how Debian's Chromium is launched, how auth prompts are answered, how a
// scenario is recorded into its trace.har, test-only JWTs, and the
// small helpers every scenario uses. Headless Chromium has no login dialog,
// so a CDP handler answers every Basic/Digest/proxy challenge: CancelAuth
// (what a user dismissing the dialog does) unless credentials were queued.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', '..', 'tools', 'node_modules', 'playwright-core'));

// Where recordings go: $OUT (default testdata/traces), in the folder of the
// trace's cause. A scenario that is already committed keeps its folder
// (testdata/traces/<cause>/<name>); a new one names it with `cause:`.
const TRACES = path.join(__dirname, '..', '..', 'traces');
// The healthy twins of the compare pairs (cause: 'twin') go to
// testdata/pairs/twins/<name> (or $OUT/twins/<name>): they are not scenario
// traces and have no expect.txt; testdata/pairs/pairs.txt holds what
// `authlens compare` must find in each pair.
const TWINS = path.join(__dirname, '..', '..', 'pairs', 'twins');
function traceDir(name, cause) {
  if (cause === 'twin') return path.join(process.env.OUT ? path.join(process.env.OUT, 'twins') : TWINS, name);
  const out = process.env.OUT || TRACES;
  const found = fs.readdirSync(TRACES).find((c) => fs.existsSync(path.join(TRACES, c, name, 'expect.txt')));
  const folder = found || cause;
  if (!folder) throw new Error(`record.js: ${name} is new: give its scenario a cause: (the catalogue ID of its first failure, or 'healthy')`);
  return path.join(out, folder, name);
}

// Debian's Chromium as root on a machine without a network beyond loopback.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`record.js: ${name} is not set (run testdata/recorder/record.sh)`);
  return v;
}
const origin = (portVar, host = '127.0.0.1', scheme = 'http') => `${scheme}://${host}:${env(portVar)}`;

// The test-only accounts the servers know.
const ALICE = { username: 'alice', password: 'correct-horse' };
const basic = (user, pass) => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Answers auth challenges through CDP. Queue credentials with provide();
// every other challenge is cancelled.
async function authHandler(context, page) {
  const queue = [];
  const seen = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', (e) => {
    cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => {});
  });
  cdp.on('Fetch.authRequired', (e) => {
    const creds = queue.shift();
    seen.push({ url: e.request.url, source: e.authChallenge.source, scheme: e.authChallenge.scheme, answered: !!creds });
    const response = creds
      ? { response: 'ProvideCredentials', username: creds.username, password: creds.password }
      : { response: 'CancelAuth' };
    cdp.send('Fetch.continueWithAuth', { requestId: e.requestId, authChallengeResponse: response }).catch(() => {});
  });
  await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  return { provide: (c) => queue.push(c), seen };
}

// Lets the network go quiet so that HAR entries keep a stable order.
async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {});
}

async function goto(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await settle(page);
}

// Clicks a control that navigates and waits for the new page to settle.
async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  await settle(page);
}

// fetch() from the page (or a frame); returns status and the challenge header.
async function fetchWithChallenge(target, url, init = {}) {
  const r = await target.evaluate(async ([u, i]) => {
    try {
      const r = await fetch(u, i);
      await r.text();
      return { status: r.status, challenge: r.headers.get('www-authenticate') };
    } catch (e) { return { status: 'failed: ' + e.message }; }
  }, [url, init]);
  if (target.waitForLoadState) await settle(target); else await sleep(300);
  return r;
}

// ---- test-only JWTs (HS256), relative to now
const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const now = () => Math.floor(Date.now() / 1000);
function signJWT(key, claims) {
  const h = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const p = b64url(JSON.stringify(claims));
  return `${h}.${p}.${b64url(crypto.createHmac('sha256', key).update(`${h}.${p}`).digest())}`;
}

// The scenarios named on the command line (all when none); fails on a name
// that is neither a scenario nor one of extraNames.
function chooseScenarios(scenarios, names, extraNames = []) {
  const known = [...scenarios.map((s) => s.name), ...extraNames];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`record.js: unknown scenario(s): ${unknown.join(', ')}`);
  return names.length ? scenarios.filter((s) => names.includes(s.name)) : scenarios;
}

// Records one scenario into traceDir(name)/trace.har with a fresh browser
// context whose auth challenges go through authHandler; logs each challenge
// (URL user-info masked) and the entry count.
async function recordScenario(browser, sc) {
  const dir = traceDir(sc.name, sc.cause);
  fs.mkdirSync(dir, { recursive: true });
  const harPath = path.join(dir, 'trace.har');
  const context = await browser.newContext({ ...(sc.context || {}), recordHar: { path: harPath, content: 'embed' } });
  try {
    const page = await context.newPage();
    const auth = await authHandler(context, page);
    await sc.run({ page, context, auth });
    for (const s of auth.seen) console.log(`  ${sc.name}: ${s.source} challenge (${s.scheme}) ${s.answered ? 'answered' : 'cancelled'} for ${s.url.replace(/\/\/[^/@]*@/, '//***@')}`);
  } finally {
    await context.close();
  }
  const har = JSON.parse(fs.readFileSync(harPath, 'utf8'));
  console.log(`recorded ${sc.name}: ${har.log.entries.length} entries, ${fs.statSync(harPath).size} bytes`);
}

// Records each scenario (sc.record(browser, sc) or recordScenario),
// launching one browser per launch kind (sc.browser, default 'direct') and
// closing them all at the end.
async function recordEach(chosen, launchOptions, record = recordScenario) {
  const browsers = new Map();
  try {
    for (const sc of chosen) {
      const kind = sc.browser || 'direct';
      if (!browsers.has(kind)) browsers.set(kind, await chromium.launch(launchOptions(kind)));
      await (sc.record || record)(browsers.get(kind), sc);
    }
  } finally {
    for (const b of browsers.values()) await b.close();
  }
}

// Runs main(command-line arguments); exits 1 with the stack on failure.
function runMain(main) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e.stack || String(e));
    process.exit(1);
  });
}

module.exports = {
  chromium, CHROMIUM_ARGS, env, origin, ALICE, basic, sleep, authHandler, settle, goto, submit,
  b64url, now, signJWT, chooseScenarios, recordScenario, recordEach, runMain, traceDir, TRACES, fetchWithChallenge,
};
