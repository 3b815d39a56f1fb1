#!/usr/bin/env node
// Mints the test credentials one recording run uses and prints them as
// shell assignments (NAME=value) for record.sh: JWTs relative to "now"
// (HS256 with a test-only key; the servers recognise them by value, as a
// token cache or introspection endpoint would) and random session ids.
// Nothing here is a real secret: the key and the users are fictional.
'use strict';
const crypto = require('crypto');

const signingKey = 'authlens-scenario-test-key-not-a-secret';
const forgedKey = 'some-other-key';

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function jwt(claims, key = signingKey) {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'scenario-test-1' }));
  const payload = b64url(JSON.stringify(claims));
  const sig = b64url(crypto.createHmac('sha256', key).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${sig}`;
}

function main() {
  const now = Math.floor(Date.now() / 1000);
  const port = (name) => {
    const v = process.env[name];
    if (!v) throw new Error(`tokens.js: ${name} is not set`);
    return v;
  };
  const iss = 'https://id.example.test/';
  const base = (aud, extra = {}) => ({
    iss, sub: 'alice', aud, azp: 'portal-spa', iat: now - 60, nbf: now - 60, exp: now + 3600,
    scope: 'profile orders:read reports:read transfers:write', acr: 'urn:example:mfa',
    auth_time: now - 120, jti: crypto.randomBytes(8).toString('hex'), ...extra,
  });
  const origin = (p) => `http://127.0.0.1:${port(p)}`;
  const out = {
    // One valid token per API origin, so that aud always names the API it is sent to.
    TOK_VALID_API: jwt(base(origin('P_API'))),
    TOK_VALID_EDGE: jwt(base(origin('P_EDGE'))),
    TOK_VALID_BACKEND: jwt(base(origin('P_BACKEND'))),
    TOK_VALID_CORS: jwt(base(origin('P_CORS'))),
    TOK_VALID_DEMO: jwt(base(origin('P_DEMO'))),
    // Expired an hour before the recording.
    TOK_EXPIRED_API: jwt(base(origin('P_API'), { iat: now - 7200, nbf: now - 7200, exp: now - 3600, auth_time: now - 7260 })),
    TOK_EXPIRED_DEMO: jwt(base(origin('P_DEMO'), { iat: now - 7200, nbf: now - 7200, exp: now - 3600, auth_time: now - 7260 })),
    // Valid, but without reports:read.
    TOK_NOSCOPE_API: jwt(base(origin('P_API'), { scope: 'profile orders:read' })),
    // Valid, but issued for another API.
    TOK_OTHERAUD_API: jwt(base('https://billing.example.test', { scope: 'billing:read' })),
    // Valid, but from a password-only sign-in (no MFA).
    TOK_LOWACR_API: jwt(base(origin('P_API'), { acr: 'urn:example:pwd', amr: ['pwd'] })),
    // Signed with a key the API does not trust.
    TOK_FORGED_EDGE: jwt(base(origin('P_EDGE')), forgedKey),
    SESS_A: crypto.randomBytes(16).toString('hex'),
    SESS_OLD: crypto.randomBytes(16).toString('hex'),
    SESS_SSO: crypto.randomBytes(16).toString('hex'),
  };
  for (const [k, v] of Object.entries(out)) process.stdout.write(`${k}=${v}\n`);
}

main();
