#!/usr/bin/env node
// Drives Debian's Chromium (npm playwright-core) through AuthLens's capture
// proxy for the scenarios Playwright's own HAR cannot show: CORS preflights
// (Playwright records none) and Chromium's silent Digest retry after
// stale=true. Run by stacks/capture.sh (through record.sh), which starts nginx, Apache and
// `authlens capture` and exports P_PAGE, P_CORSAPI, P_DIGEST, PROXY and
// CAPTURE_TOKEN.
//
//   node capture.js SCENARIO
//
// Prints what the page saw (statuses, fetch errors, challenges) as JSON.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'tools', 'node_modules', 'playwright-core'));

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`record-capture.js: ${name} is not set (run testdata/recorder/record.sh)`);
  return v;
}

// A page on 127.0.0.1:P_PAGE calls the API on localhost:P_CORSAPI, one
// call at a time; each call is a path, or [path, fetch credentials mode]
// ('include' unless named). Returns the page's view of each call.
function corsCalls(calls) {
  return async ({ page }) => {
    await page.goto(`http://127.0.0.1:${env('P_PAGE')}/`, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle').catch(() => {});
    const api = `http://localhost:${env('P_CORSAPI')}`;
    const results = [];
    for (const call of calls) {
      const [p, credentials] = Array.isArray(call) ? call : [call, 'include'];
      // A call with a Bearer token: needs a preflight (Authorization is
      // not a CORS-safelisted header).
      results.push([p, credentials, await page.evaluate(async ([url, token, credentials]) => {
        try {
          const r = await fetch(url, { credentials, headers: { Authorization: 'Bearer ' + token } });
          return r.status;
        } catch (e) {
          return String(e);
        }
      }, [api + p, env('CAPTURE_TOKEN'), credentials])]);
    }
    return results;
  };
}

// Answers the first auth challenge with the test account through CDP and
// cancels any later one (headless Chromium has no login dialog); returns
// the challenges seen.
async function answerOnce(context, page) {
  const seen = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', (e) => cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => {}));
  cdp.on('Fetch.authRequired', (e) => {
    const answer = seen.length === 0
      ? { response: 'ProvideCredentials', username: 'alice', password: 'correct-horse' }
      : { response: 'CancelAuth' };
    seen.push(`${e.authChallenge.scheme} ${e.request.url} ${answer.response}`);
    cdp.send('Fetch.continueWithAuth', { requestId: e.requestId, authChallengeResponse: answer }).catch(() => {});
  });
  await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  return seen;
}

const SCENARIOS = {
  'cors-preflight-auth-captured': corsCalls(['/ok/api/orders', '/strict/api/orders']),
  'cors-misconfigured-captured': corsCalls(['/ok/api/orders', '/loose/api/orders', ['/star/api/orders', 'omit'], '/star/api/orders']),
  // Digest sign-in, then a page loaded after the 2-second nonce lifetime:
  // Chromium sends the cached credentials with the old nonce, gets 401
  // stale=true and retries with the new nonce without asking again.
  'digest-stale-nonce-retried-captured': async ({ context, page }) => {
    const seen = await answerOnce(context, page);
    const o = `http://127.0.0.1:${env('P_DIGEST')}`;
    const results = [];
    let r = await page.goto(`${o}/finance/`, { waitUntil: 'load' });
    results.push(['/finance/', r.status()]);
    await page.waitForTimeout(3500);
    r = await page.goto(`${o}/finance/report.html`, { waitUntil: 'load' });
    results.push(['/finance/report.html', r.status()]);
    await page.waitForLoadState('networkidle').catch(() => {});
    return { results, challenges: seen };
  },
};

async function main([name]) {
  const run = SCENARIOS[name];
  if (!run) throw new Error(`capture.js: unknown scenario ${name} (know: ${Object.keys(SCENARIOS).join(', ')})`);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Loopback traffic through the proxy too (Chromium bypasses it by default).
      `--proxy-server=http://${env('PROXY')}`, '--proxy-bypass-list=<-loopback>'],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    console.log(JSON.stringify(await run({ context, page })));
  } finally {
    await browser.close();
  }
}

// The capture scenarios, for record.js's one list.
module.exports = { NAMES: [...Object.keys(SCENARIOS), 'digest-stale-nonce-captured'] };

if (require.main === module) main(process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
