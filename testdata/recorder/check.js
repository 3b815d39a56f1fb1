#!/usr/bin/env node
// Checks each recorded trace.har against its expect.txt: every line must
// name an existing entry with the same method, path?query and status, and
// every entry must be named by a line. A re-recording that changed the
// traffic (a new favicon request, another order, another status) fails
// here, before the Go scenario tests run.
//
//   node check.js TRACE-DIR ...    (<out>/<cause>/<name>; the expectations
//                                   are testdata/traces/<cause>/<name>/expect.txt)
'use strict';
const fs = require('fs');
const path = require('path');

// Same as pathOf in analysis/scenarios_test.go: escaped path plus raw query.
function pathOf(url) {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(url);
  if (!m) return url;
  let p = m[1];
  if (p === '' || p.startsWith('?')) p = '/' + p;
  return p;
}

const TRACES = path.join(__dirname, '..', 'traces');
const expectOf = (d) => path.join(TRACES, path.basename(path.dirname(d)), path.basename(d), 'expect.txt');

function check(dir) {
  const errors = [];
  const har = JSON.parse(fs.readFileSync(path.join(dir, 'trace.har'), 'utf8'));
  const entries = har.log.entries;
  const named = new Set();
  const lines = fs.readFileSync(expectOf(dir), 'utf8').split('\n');
  lines.forEach((raw, i) => {
    let line = raw.trim();
    const c = line.indexOf(' #');
    if (c >= 0) line = line.slice(0, c).trim();
    if (!line || line.startsWith('#')) return;
    const [idx, method, p, status] = line.split(/\s+/);
    const e = entries[Number(idx)];
    if (!e) { errors.push(`expect.txt:${i + 1}: no entry ${idx}`); return; }
    named.add(Number(idx));
    const got = `${e.request.method} ${pathOf(e.request.url)} ${e.response.status}`;
    if (got !== `${method} ${p} ${status}`) errors.push(`expect.txt:${i + 1}: entry ${idx} is ${got}, expectation names ${method} ${p} ${status}`);
  });
  entries.forEach((e, i) => {
    if (!named.has(i)) errors.push(`entry ${i} (${e.request.method} ${pathOf(e.request.url)} ${e.response.status}) is not named in expect.txt`);
  });
  return errors;
}

const dirs = process.argv.slice(2);
let bad = 0;
for (const d of dirs) {
  if (!fs.existsSync(path.join(d, 'trace.har'))) {
    console.error(`${d}: trace.har missing (not recorded)`);
    bad++;
    continue;
  }
  if (path.basename(path.dirname(d)) === 'twins') continue; // a compare twin: its expectations are in testdata/pairs/pairs.txt
  if (!fs.existsSync(expectOf(d))) {
    console.error(`${path.basename(d)}: expect.txt missing`);
    bad++;
    continue;
  }
  const errs = check(d);
  if (errs.length) {
    bad++;
    for (const e of errs) console.error(`${path.basename(d)}: ${e}`);
  }
}
console.log(`check.js: ${dirs.length - bad}/${dirs.length} scenarios match their expect.txt`);
process.exit(bad ? 1 : 0);
