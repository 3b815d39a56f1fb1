// Shared pieces of the recorders (scenarios/record.js, holdout-*/record.js):
// how Debian's Chromium is launched, how auth prompts are answered, and the
// small helpers every scenario uses. Headless Chromium has no login dialog,
// so a CDP handler answers every Basic/Digest/proxy challenge: CancelAuth
// (what a user dismissing the dialog does) unless credentials were queued.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

// Debian's Chromium as root on a machine without a network beyond loopback.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`record.js: ${name} is not set (run record.sh)`);
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

module.exports = { chromium, CHROMIUM_ARGS, env, origin, ALICE, basic, sleep, authHandler, settle, goto };
