#!/usr/bin/env python3
"""The hand-made labels of the second hold-out set (index -> verdict; every
other entry is `ok`) and the code that writes each scenario's expect.txt
(format of analysis/scenarios_test.go) and README.md from them. Labels come
from how the servers were configured (servers/*), never from the analyzer.
    python3 tools/write_expect.py"""
import json
import os
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (what it records, {index: verdict})
LABELS = {
    "spa-session-expired-midway": ("Node SPA: a wrong password (200 form with the error), sign-in, 20 healthy requests (304 assets, a 404 item), then the profile call with a JWT expired 2 h earlier: 401 Bearer invalid_token \"The access token expired\".",
                                   {21: "cause=expired-token"}),
    "expired-wordings-four-apis": ("Four API generations answer an expired JWT (40 min past exp) in their JWT library's words: \"The access token expired\", \"jwt expired\" (jsonwebtoken), \"Token is expired\" (golang-jwt), \"Signature has expired\" (PyJWT).",
                                   {11: "cause=expired-token", 12: "cause=expired-token", 13: "cause=expired-token", 14: "cause=expired-token"}),
    "bearer-invalid-signature": ("A JWT that is not expired but signed with another key: 401 invalid_token \"invalid signature\" (a fresh token worked a call earlier).",
                                 {8: "cause=invalid-credentials"}),
    "refresh-invalid-grant-then-401": ("JWT expired 26 h ago: 401 \"jwt expired\"; the app's refresh (grant_type=refresh_token) gets 400 invalid_grant; the retry with the same token 401 again. The 400 is labelled expired-token as in testdata/holdout-1 (the refresh token expired: sign in again).",
                                       {7: "cause=expired-token", 8: "cause=expired-token", 9: "cause=expired-token"}),
    "dpop-api-bearer-then-dpop": ("A Bearer token sent to a DPoP-only API (401 `DPoP algs=...`), then the app switches to DPoP: each call gets use_dpop_nonce and is retried with the nonce (200).",
                                  {7: "cause=wrong-scheme", 8: "not-problem", 10: "not-problem"}),
    "multi-cause-one-trace": ("Three causes in one session: 403 insufficient_scope (reports.read), 401 \"Token is expired\", Bearer to the DPoP-only API; a healthy 404 and the reports call succeeding with the right scope.",
                              {8: "cause=insufficient-scope", 10: "cause=expired-token", 11: "cause=wrong-scheme"}),
    "websocket-expired-token-403": ("A WebSocket with the token in the query: a fresh one opens (101), an expired one (20 min) is refused 403 \"jwt expired\" the way npm ws writes it; Chromium's HAR keeps only status -1 and \"Unexpected response code: 403\".",
                                    {9: "cause=expired-token"}),
    "modsec-search-xss-fetch": ("Apache + ModSecurity/CRS in front of the app: healthy calls, then a search whose query holds `<script>` : CRS 403 (Apache's plain Forbidden page).",
                                {9: "cause=waf-block"}),
    "healthy-404-304-only": ("Sign-in, pages, 304 assets, a missing page and a missing item (404), an API call, a reload: nothing is an auth problem.",
                             {}),
    "nginx-authrequest-probe-before-login": ("nginx auth_request portal: the login page's background /api/session probe gets 401 (Bearer realm=portal) before sign-in; then everything works.",
                                             {}),
    "nginx-authrequest-expired-bearer": ("nginx auth_request: the auth service's 401 challenge (Bearer invalid_token \"Token expired\") comes back through nginx's own 401 page after two healthy calls; a pre-login probe 401 too.",
                                         {6: "cause=expired-token"}),
    "nginx-authrequest-role-403": ("bob (viewer) signs in; the auth service refuses /app/billing for his role: nginx's plain 403 page.",
                                   {11: "cause=insufficient-permissions"}),
    "nginx-admin-ip-allowlist": ("alice (admin) signs in; /admin/ has `allow 10.20.0.0/16; deny all`: nginx's plain 403 page for 127.0.0.1.",
                                 {10: "cause=ip-restriction"}),
    "nginx-static-folder-no-index": ("The Docs link opens /static/ (no index, autoindex off): nginx 403; a file inside the folder is served.",
                                     {10: "cause=directory-listing-forbidden"}),
    "nginx-search-rate-limit": ("Type-ahead search fires 5 requests at once; nginx limit_req (1 r/s, nodelay) answers 429 with Retry-After: 1 to four; a later search works.",
                                {11: "cause=rate-limited", 12: "cause=rate-limited", 13: "cause=rate-limited", 14: "cause=rate-limited"}),
    "nginx-basic-fetch-retry": ("fetch of an auth_basic report without credentials (401 Basic, the browser dialog cancelled), then the page's code retries with Authorization: Basic: 200.",
                                {10: "not-problem"}),
    "http-to-https-redirect-drops-auth": ("fetch('/api/orders') with a valid Bearer on the old http address: nginx 301 to https (another origin); Chromium drops Authorization; 401 Bearer realm without error.",
                                          {4: "cause=auth-dropped-on-redirect"}),
    "secure-cookie-old-http-bookmark": ("Signed in on https://accounts.fabrikam.test (Secure session cookie); an old bookmark opens the same site over http on its legacy port: the Secure cookie is not sent, 401.",
                                        {7: "cause=wrong-url"}),
    "host-prefix-cookie-with-domain": ("https://localhost sets `__Host-sess` with `Domain=localhost`: Chromium rejects it; /api/whoami 401 after each of two sign-ins (login loop). The Set-Cookie responses are `also=` as in the repo's cookie-rejected scenario.",
                                       {0: "also=cookie-rejected", 4: "cause=cookie-rejected", 5: "also=cookie-rejected", 9: "cause=cookie-rejected"}),
    "modsec-cookie-sqli": ("A saved-filter widget writes `' OR '1'='1' --` into a cookie; the next page load through Apache + ModSecurity/CRS: 403 (Apache's plain Forbidden page).",
                           {8: "cause=waf-block"}),
    "digest-wiki-answered": ("Apache mod_auth_digest in front of the app; Chromium answers the Digest challenge (collapsed in the HAR); pages, an item and a 404 item.",
                             {}),
    "squid-proxied-portal-role-403": ("Through squid with Basic proxy auth (answered, collapsed): bob signs in to the nginx portal; /app/billing 403 for his role.",
                                      {10: "cause=insufficient-permissions"}),
    "squid-proxied-expired-token": ("Through squid with proxy auth: healthy API calls, then 401 invalid_token \"Signature has expired\" (JWT 10 min past exp).",
                                    {9: "cause=expired-token"}),
    "expired-then-signin-again": ("401 \"jwt expired\" (8 h past), the user signs in again, and the calls with the new token work.",
                                  {7: "cause=expired-token"}),
    "drf-token-keyword-to-bearer-api": ("DRF API whose TokenAuthentication keyword is Bearer; the client sends `Authorization: Token <key>`: 401 WWW-Authenticate: Bearer, \"Authentication credentials were not provided.\"",
                                        {1: "cause=wrong-scheme"}),
    "drf-bearer-invalid-token": ("DRF Bearer API: two calls with the right key work; a mistyped key: 401 `WWW-Authenticate: Bearer`, \"Invalid token.\"",
                                 {3: "cause=invalid-credentials"}),
    "drf-session-delete-csrf": ("Django login form with a wrong password (200 with the error), then sign-in; GET and PUT with X-CSRFToken work; DELETE without it: 403 \"CSRF Failed: CSRF token missing or incorrect.\"",
                                {6: "cause=csrf-failure"}),
    "drf-audit-admin-only": ("DRF Bearer key works on /api/tasks/; /api/audit/ needs IsAdminUser: 403 \"You do not have permission to perform this action.\"",
                             {2: "cause=insufficient-permissions"}),
}


def path_of(url):
    u = urlsplit(url)
    return (u.path or "/") + ("?" + u.query if u.query else "")


def main():
    for name, (what, labels) in LABELS.items():
        har = json.load(open(os.path.join(HERE, name, "trace.har")))
        entries = har["log"]["entries"]
        for i in labels:
            if i >= len(entries):
                raise SystemExit(f"{name}: label for entry {i}, trace has {len(entries)}")
        lines = [f"# {name}: {what}", "# Labels: the true cause (shared/design/diagnosis-catalogue.md), from the server configuration."]
        for i, e in enumerate(entries):
            q, r = e["request"], e["response"]
            lines.append(f"{i} {q['method']} {path_of(q['url'])} {r['status']} {labels.get(i, 'ok')}")
        with open(os.path.join(HERE, name, "expect.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        failing = [f"- {i} {entries[i]['request']['method']} {path_of(entries[i]['request']['url'])[:80]} {entries[i]['response']['status']}: {v}" for i, v in labels.items()]
        with open(os.path.join(HERE, name, "README.md"), "w") as f:
            f.write(f"# {name}\n\n{what}\n\nLabelled entries (every other entry is `ok`):\n\n" + ("\n".join(failing) or "- none: healthy traffic only") + "\n\nRecorded by `testdata/holdout-2/record.sh " + name + "`.\n")
    missing = sorted(d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "trace.har")) and d not in LABELS)
    if missing:
        raise SystemExit(f"unlabelled scenarios: {missing}")


if __name__ == "__main__":
    main()
