#!/usr/bin/env node
// Prints each entry of a hold-out trace with the facts that matter for labelling.
//   node list.js NAME...
'use strict';
const fs = require('fs');
const path = require('path');
const hv = (hs, n) => hs.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
for (const name of process.argv.slice(2)) {
  const har = JSON.parse(fs.readFileSync(path.join(__dirname, name, 'trace.har'), 'utf8'));
  console.log(`== ${name}`);
  har.log.entries.forEach((e, i) => {
    const u = new URL(e.request.url);
    const rq = e.request.headers, rs = e.response.headers;
    const f = [];
    const a = hv(rq, 'authorization')[0]; if (a) f.push(`Authz:${a.slice(0, 40)}`);
    const c = hv(rq, 'cookie')[0]; if (c) f.push(`Cookie:${c.replace(/=[^;]*/g, '=…')}`);
    const w = hv(rs, 'www-authenticate'); if (w.length) f.push(`WWW-Auth:${w.join(' | ').slice(0, 120)}`);
    const sc = hv(rs, 'set-cookie'); if (sc.length) f.push(`Set-Cookie:${sc.join(' | ').replace(/=[0-9a-f]{16,}/g, '=…')}`);
    const l = hv(rs, 'location')[0]; if (l) f.push(`Loc:${l}`);
    if (e.response._failureText) f.push(`fail:${e.response._failureText}`);
    if ([401, 403, 404, 429, 0, -1].includes(e.response.status)) f.push(`body:${(e.response.content.text || '').replace(/\s+/g, ' ').slice(0, 100)}`);
    console.log(`${i} ${e.request.method} ${u.host}${u.pathname}${u.search} ${e.response.status} ip=${e.serverIPAddress || ''} ${f.join('  ')}`);
  });
}
