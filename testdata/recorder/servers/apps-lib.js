// Helpers shared by the Node servers of the recorder's stacks
// (apps-gateway.js, apps-multi-origin.js): env, HS256 JWTs with the run's
// HOLDOUT_KEY, cookies, JSON/HTML answers, request bodies.
'use strict';
const crypto = require('crypto');


const env = (n) => { const v = process.env[n]; if (!v) throw new Error(`apps.js: ${n} not set`); return v; };
const b64url = (b) => Buffer.from(b).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
function verifyJwt(tok) {
  const parts = String(tok).split('.');
  if (parts.length !== 3) return { err: 'malformed' };
  const sig = b64url(crypto.createHmac('sha256', env('HOLDOUT_KEY')).update(`${parts[0]}.${parts[1]}`).digest());
  if (sig !== parts[2]) return { err: 'signature' };
  const c = JSON.parse(Buffer.from(parts[1], 'base64').toString());
  if (c.exp && c.exp < Date.now() / 1000) return { err: 'expired', claims: c };
  return { claims: c };
}
function mint(claims) {
  const h = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const p = b64url(JSON.stringify(claims));
  return `${h}.${p}.${b64url(crypto.createHmac('sha256', env('HOLDOUT_KEY')).update(`${h}.${p}`).digest())}`;
}
const cookies = (req) => Object.fromEntries((req.headers.cookie || '').split(/;\s*/).filter(Boolean).map((c) => { const i = c.indexOf('='); return [c.slice(0, i), c.slice(i + 1)]; }));
function send(res, status, body, headers = {}) {
  const isObj = typeof body === 'object';
  res.writeHead(status, { 'Content-Type': isObj ? 'application/json' : 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(isObj ? JSON.stringify(body) : body);
}
function readBody(req) {
  return new Promise((ok) => { let b = ''; req.on('data', (d) => { b += d; }); req.on('end', () => ok(b)); });
}

module.exports = { env, b64url, verifyJwt, mint, cookies, send, readBody };
