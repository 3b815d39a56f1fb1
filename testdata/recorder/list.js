#!/usr/bin/env node
// Prints a recorded trace.har as expect.txt skeleton lines (index, method,
// path?query, status) plus the facts needed to write the verdicts. For
// writing expectations by hand; the verdicts are never generated.
//
//   node list.js testdata/traces/<cause>/<name>
'use strict';
const fs = require('fs');
const path = require('path');
const har = JSON.parse(fs.readFileSync(path.resolve(process.argv[2], 'trace.har'), 'utf8'));
const h = (hs, n) => (hs.find((x) => x.name.toLowerCase() === n) || {}).value;
har.log.entries.forEach((e, i) => {
  const m = /^[a-z]+:\/\/[^/?#]*([^#]*)/i.exec(e.request.url);
  const p = m ? (m[1] || '/') : e.request.url;
  const notes = [
    h(e.request.headers, 'authorization') ? `auth=${h(e.request.headers, 'authorization').slice(0, 12)}…` : '',
    h(e.request.headers, 'cookie') ? `cookie=${h(e.request.headers, 'cookie').replace(/=[^;]{6}[^;]*/g, '=…')}` : '',
    h(e.response.headers, 'www-authenticate') ? `challenge=${h(e.response.headers, 'www-authenticate')}` : '',
    h(e.response.headers, 'set-cookie') ? `set-cookie=${h(e.response.headers, 'set-cookie').replace(/=[^;]{6}[^;]*/, '=…')}` : '',
    e.response._failureText ? `failure=${e.response._failureText}` : '',
    /@/.test(e.request.url.split('/')[2] || '') ? 'userinfo' : '',
  ].filter(Boolean).join(' ');
  console.log(`${i} ${e.request.method} ${p} ${e.response.status}\t# ${e.request.url.split('/')[2]} ${notes}`);
});
