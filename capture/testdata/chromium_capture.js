// Drives headless Chromium through the AuthLens capture proxy.
// Usage: node chromium_capture.js PROXY_ADDR SPKI_HASH BASE_URL...
// Env PLAYWRIGHT_CORE: path of the playwright-core module.
// Prints one JSON array of [what, result] pairs on stdout.
'use strict';
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

async function main([proxy, spki, ...bases]) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--proxy-server=${proxy}`, '--proxy-bypass-list=<-loopback>',
      // Trust the AuthLens CA (its SPKI is in every chain the proxy serves).
      `--ignore-certificate-errors-spki-list=${spki}`],
  });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: false });
    const page = await context.newPage();
    // Headless Chromium has no login dialog: dismiss Basic challenges the
    // way a user pressing Cancel would, so the page receives the 401.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
    cdp.on('Fetch.requestPaused', (e) => cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => {}));
    cdp.on('Fetch.authRequired', (e) => cdp.send('Fetch.continueWithAuth', {
      requestId: e.requestId, authChallengeResponse: { response: 'CancelAuth' } }).catch(() => {}));
    const results = [];
    for (const base of bases) {
      let r = await page.goto(base + '/');
      results.push([base + '/', r.status()]);
      await page.waitForFunction(() => document.title.startsWith('api '), null, { timeout: 15000 });
      results.push([base + '/api/me', await page.title()]);
      r = await page.goto(base + '/basic/');
      results.push([base + '/basic/', r.status()]);
      r = await page.goto(base + '/forbidden');
      results.push([base + '/forbidden', r.status()]);
    }
    console.log(JSON.stringify(results));
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
