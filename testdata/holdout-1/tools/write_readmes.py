#!/usr/bin/env python3
"""Writes <scenario>/README.md for every hold-out scenario: what it records,
which real server configuration produces it, what the browser did, and the
labels (copied from expect.txt)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (server configuration, what the browser did, notes on the labels)
DETAIL = {
    "apache-basic-missing-credentials": ("Apache 2.4 `mod_auth_basic` on `/members/` (servers/apache.conf.in, vhost A_BASIC).",
        "Opens the public home page (CSS, PNG), clicks the members link; the CDP auth handler answers the Basic prompt with CancelAuth (a user dismissing the dialog).", ""),
    "apache-basic-xhr-answered": ("Apache `mod_auth_basic` on `/members/`.",
        "Home page, then `XMLHttpRequest` GET `/members/data.json`: Chromium raises the auth prompt for the XHR, the CDP handler provides alice's password, Chromium retries internally; the HAR holds one 200 (collapsed). The second XHR is sent with the cached credential.", "Healthy: nothing may be flagged."),
    "https-basic-invalid-credentials": ("Apache `mod_ssl` (self-signed cert for 127.0.0.1, `ignoreHTTPSErrors`) + `mod_auth_basic` on `/secure-api/` (vhost A_TLS). HTTP/1.1.",
        "Page script calls `fetch` twice with `Authorization: Basic` for alice with a wrong password (`correct-horse!`).", ""),
    "apache-ip-restriction": ("Apache `<Location /intranet/> Require ip 10.20.0.0/16`; the files exist and are readable (error log: `client denied by server configuration`).",
        "Home page, the guide (another folder, 200), back home (304s), the handbook link in /intranet/, then the /intranet/ folder itself (which has an index.html).",
        "Apache's 403 page is the same generic page for IP rules, file permissions, missing index and ModSecurity. What the trace does show: two different resources under one prefix (a file and its folder) are both refused, while other folders are served."),
    "apache-filesystem-permission": ("Apache; `/docs/travel-policy.html` has mode 000 (error log: `AH00132: file permissions deny server access`).",
        "Opens the guide (200) and follows its link to the travel policy.", ""),
    "apache-directory-listing": ("Apache `Options -Indexes`, `mod_autoindex` loaded, `/downloads/` has no index.html (error log: `Cannot serve directory ... No matching DirectoryIndex`).",
        "Opens /downloads/readme.html, a file in the folder (200), back, then the folder URL.", ""),
    "digest-stale-retried": ("Apache `mod_auth_digest` on `/vault/` with `AuthDigestNonceLifetime 2` (vhost A_DIGEST).",
        "The page's own Digest client (MD5, qop=auth, computed in record.js and sent by `fetch`): unauthenticated call (401), answer (200), 3.5 s later the same nonce with nc=2 (401 `stale=true`), retry with the new nonce (200).",
        "Both 401s are the normal legs of a completed handshake (catalogue §1)."),
    "digest-stale-not-retried": ("Same as digest-stale-retried.", "Same, but the client gives up after the `stale=true` 401.", ""),
    "modsec-post-body": ("Apache + ModSecurity 2 + OWASP CRS (`SecRuleEngine On`) as a reverse proxy (`mod_proxy_http`) in front of a Node app on `localhost` (vhost A_WAF). Error log: CRS 942100/942190/942270/942360, 949110 `Inbound Anomaly Score Exceeded (Total Score: 20)`.",
        "Submits the feedback form with a normal comment (200), then with `1' UNION SELECT username, password FROM users--` in the POST body.",
        "The block page is Apache's generic 403 (no ModSecurity header); the evidence is the request body."),
    "drf-missing-credentials": ("Django 3.2 + Django REST framework 3.14 (Debian), `SessionAuthentication` + `IsAuthenticated` (servers/django_site.py).",
        "Anonymous visitor on the home page; the page calls `fetch('/api/invoices/')` (a data call, not a who-am-I probe).",
        "DRF answers 403 `Authentication credentials were not provided.` because SessionAuthentication has no challenge (catalogue §1 exception)."),
    "django-login-required-redirect": ("Django `@login_required` + `LoginView`.",
        "Anonymous visitor clicks Dashboard: 302 to `/accounts/login/?next=/dashboard/`, logs in, dashboard 200.", "Healthy: a redirect to the login page for a visitor who was never signed in is not a failure."),
    "django-ajax-csrf": ("Django `CsrfViewMiddleware`; `/notes/add/` is a plain Django view.",
        "Logs in, opens /notes/ (csrftoken cookie set), an old helper POSTs via fetch without `X-CSRFToken` (403 Django CSRF page), the fixed helper sends it (200).", ""),
    "drf-session-csrf": ("DRF `SessionAuthentication` enforces CSRF for logged-in users.",
        "Logs in, /notes/, POST JSON to `/api/notes/` without `X-CSRFToken` (403 JSON `CSRF Failed: CSRF token missing or incorrect.`), then with it (200).", ""),
    "django-permission-denied": ("Django `@permission_required('auth.view_user', raise_exception=True)`; alice lacks it. Django's default 403 page.",
        "Logs in, dashboard (200), clicks Staff reports.", ""),
    "drf-token-wrong-scheme": ("DRF `TokenAuthentication` (keyword `Token`) on `/api/v1/orders/`; alice's token minted at setup.",
        "Calls the API with `Authorization: Bearer <valid key>` (401, `WWW-Authenticate: Token`, body `Authentication credentials were not provided.`), then with `Token <same key>` (200).",
        "The first 401 carried a credential in the wrong scheme; the 200 proves the key is valid. It is not the first leg of a handshake: the first request already carried a credential."),
    "api-opaque-token-expired": ("Node JSON API (servers/apps.js, role H_API) with an opaque-token store.",
        "Calls `/v2/orders` with an opaque token the store knows as expired.", ""),
    "api-jwt-expired-no-error": ("Node JSON API: JWT middleware that answers every verification failure with a bare `Bearer realm=...` challenge and `{\"message\":\"Unauthorized\"}`.",
        "Calls `/v2/me` with an HS256 JWT whose `exp` is 30 min before the request.", ""),
    "api-jwt-insufficient-scope": ("Node JSON API; `/v2/admin/users` needs `admin.write` in the JWT `scp` array.",
        "Calls `/v2/me` and `/v2/orders` (200), then `/v2/admin/users` with the same token (`scp: [orders.read, profile]`).", ""),
    "auth-dropped-host-redirect": ("Node API that canonicalises its host: `/api/*` on `localhost` answers 301 to `127.0.0.1` (same port); CORS allows the localhost page.",
        "Page on localhost calls `fetch('/api/reports')` with a valid Bearer JWT; Chromium follows the cross-origin 301 and drops the script-set Authorization.", ""),
    "background-me-401": ("Node cookie app (role H_APP): every public page probes `/api/me`, 401 for anonymous visitors.",
        "Anonymous visitor opens the home page and the pricing page.", "Catalogue §1: a background who-am-I 401 from a visitor who did not try to sign in is not a problem."),
    "logout-stale-cookie": ("Node cookie app: login sets `sid` with `Path=/app`; logout revokes the session server-side but clears the cookie with `Path=/` (a developer bug), so the browser keeps the /app cookie.",
        "Signs in, dashboard (200), clicks Sign out (302 with `Set-Cookie: sid=; Path=/; Max-Age=0`), signed-out page, clicks Back to dashboard: the old `sid` is still sent and refused (401 'Your session has expired').",
        "Catalogue stale-cookie: 'a session cookie sent after the server's logout'; the page's wording ('expired') is the server's, the trace proves the cookie was meant to be cleared."),
    "private-repo-404": ("Node app, GitHub-style: private repo `acme/payroll` answers 404 to non-members; the identity comes from a `gh_user` cookie.",
        "As bob: payroll 200. As alice: alice/notes 200, a typo'd repo 404, payroll 404.",
        "Debatable label: no catalogue ID exists for a hiding 404; the catalogue (§1) says to mention it when the same path answered 200 to another identity in the trace. Labelled with the underlying true cause (alice is not allowed)."),
    "login-api-bad-password": ("Node JSON login API: 401 `{\"error\":\"invalid_credentials\",\"message\":\"Incorrect username or password.\"}` without a challenge.",
        "POSTs JSON with a wrong-case password, then the right one (200 with a session cookie).", ""),
    "rate-limit-429-retry-after": ("Node API, 3 searches per 30 s, then 429 with `Retry-After: 30` and `RateLimit-*` headers (express-rate-limit style).",
        "Types a search term: five fetches.", ""),
    "github-style-403-rate-limit": ("Node API with a GitHub-style core quota of 4: 403 with `X-RateLimit-Remaining: 0` and 'API rate limit exceeded'.",
        "Six repository look-ups.", ""),
    "samesite-none-insecure-iframe": ("Node: shop on `localhost` embeds a cart widget from `127.0.0.1` (another site); the widget's login sets `cart_session` with `SameSite=None` and no `Secure` over http; CORS allows the shop.",
        "Opens the shop; inside the widget iframe: POST `/widget/login` (200 with the refused Set-Cookie), GET `/widget/api/cart` (401, no cookie).",
        "The login response is named `also=` (repo convention: where the evidence is)."),
    "cookie-not-sent-cors-fetch": ("Node: `127.0.0.1` site sets `shop_sid` (SameSite=Lax) on a top-level visit; its `/cors/api/cart` allows the localhost shop with credentials.",
        "Visits 127.0.0.1 (cookie set), then the localhost checkout page calls `fetch('http://127.0.0.1:.../cors/api/cart')` without `credentials: 'include'`.", ""),
    "https-portal-authz-as-401": ("nginx 1.22 TLS + HTTP/2 (self-signed) serving static assets (ETag/Last-Modified) and proxying `/api/` and `/login` to a Node app; the audit API answers 401 for a role problem.",
        "Login form, home (CSS, JS, 3 images of which one is missing: 404), projects page (two API calls), back home, reload. Re-used assets come back as 304 revalidations or as memory-cache hits recorded as 200 without timings, depending on timing (the file dates are minutes old, so heuristic freshness is short); both are healthy.",
        "31 entries, one failure; the 404s of a missing image are healthy noise."),
    "squid-acl-deny": ("squid 5.7 forward proxy whose policy allows one destination port only (`http_access allow approved_port`, `deny all`); Chromium launched with `--proxy-server` and `--proxy-bypass-list=<-loopback>`.",
        "Opens the allowed docs site (200, background /api/me 401), then another site: squid's `ERR_ACCESS_DENIED` page, whose icon request is refused too.",
        "Cause chosen: `waf-block`. The refusal is a security policy of a layer between the browser and the site (catalogue §3.4 'something in between'; signatures.md lists squid's ACL page, wafw00f classifies it as a WAF-like block page), keyed on the destination, not on the client's address: `ip-restriction` is the site's allow-list for the client IP, and the site never saw the request. Remedy owner: the network admin (proxy policy), as for a WAF."),
    "dns-mismatch": ("Node: the same port on 127.0.0.1 (new server) and 127.0.0.2 (decommissioned server whose session store is empty).",
        "Two Chromium launches with `--host-resolver-rules=MAP crm.northwind.test 127.0.0.1` then `... 127.0.0.2` (a stale hosts entry), the second with the first's cookies (`storageState`, same profile); the two HARs merged in time order.",
        "Honest about what it is: real requests and real responses, but from two browser launches merged into one HAR."),
    "squid-proxy-auth-https": ("squid 5.7 forward proxy with `basic_ncsa_auth` (realm 'Northwind web proxy'); target is the Apache TLS site.",
        "Navigation to an https URL through the proxy; the CONNECT gets 407, the proxy-auth prompt is cancelled; Playwright records the 407 on the https URL with `net::ERR_HTTP_RESPONSE_CODE_FAILURE`.", ""),
    "cors-preflight-apache-basic": ("Apache `mod_auth_basic` on `/members/` with `mod_headers` CORS headers for the localhost shop (allow-origin, allow-credentials, allow-headers authorization); Basic auth also covers OPTIONS (access log: `OPTIONS /members/data.json 401`).",
        "Localhost page calls `fetch` to 127.0.0.1 with the right Basic credential; the preflight fails, the HAR holds only the real request with status -1 `net::ERR_FAILED`.",
        "Catalogue §2: from a Playwright HAR (no preflights) both CORS causes must be named; the true one is cors-preflight-auth."),
    "client-credentials-invalid": ("Node OAuth token endpoint: `client_credentials` with a wrong/expired client secret gives 401 `invalid_client`.",
        "The SPA POSTs the form to `/oauth/token` with last year's secret.", ""),
    "jwt-clock-skew-nbf": ("Node JWT API validating `nbf` without leeway; RFC 6750 `error_description`.",
        "Calls with a JWT whose `iat`/`nbf` are 5 min in the future (issuer clock ahead).", ""),
    "jwt-audience-mismatch": ("Node JWT API checking `aud` against its origin.", "Calls with a valid JWT issued for `https://payroll.northwind.test`.", ""),
    "apache-proxy-stripped-authorization": ("Apache reverse proxy (`mod_proxy_http`) in front of the DRF site with `<Location /api/v1/> RequestHeader unset Authorization` (vhost A_GW); no `ProxyVia`.",
        "Calls `/api/v2/orders/` with `Token <key>` (200), then `/api/v1/orders/` with the same header: DRF never sees it (401 `WWW-Authenticate: Token`, 'not provided').", ""),
    "django-https-no-referer-csrf": ("Django behind nginx TLS + HTTP/2 (`SECURE_PROXY_SSL_HEADER`, so strict Referer checking); the form page sets `<meta name=\"referrer\" content=\"no-referrer\">`.",
        "Submits the form (token present); Chromium sends `Origin: null` and no Referer; Django 403 page explains the missing Referer.", ""),
    "negotiate-unsupported": ("Apache `mod_auth_gssapi` (Debian libapache2-mod-auth-gssapi) on `/sso/`: challenge `Negotiate` only; the client has no Kerberos ticket.",
        "Home page, a public page, then /sso/: Chromium does not answer (no Authorization).", ""),
    "h2-api-step-up": ("nginx TLS + HTTP/2 in front of the Node JWT API; `/api/payments` requires `acr=urn:northwind:mfa` (RFC 9470 challenge with `acr_values`).",
        "Calls invoices (200) and payments with a token from a password-only sign-in.", ""),
    "h2-api-expired-refresh-failed": ("nginx TLS + HTTP/2 in front of the Node JWT API and its token endpoint.",
        "Calls with a JWT expired 400 s ago (RFC 6750 description 'The token expired at ...'); the app's refresh gets 400 `invalid_grant` 'The refresh token has expired'.",
        "Catalogue: a refresh call that failed with invalid_grant is an expired-token signal and the 400 is treated as an auth failure."),
    "django-session-timeout-redirect": ("Django kiosk `LoginView` subclass calling `session.set_expiry(4)`: `Set-Cookie: sessionid=...; Max-Age=4`.",
        "Logs in (302, kiosk 200), waits 6 s, clicks Orders: the browser has dropped the expired cookie, `@login_required` redirects to the login page (soft 401).", ""),
    "cookie-not-sent-lax-iframe": ("Node: 127.0.0.1 sets `shop_sid` (SameSite=Lax) on a top-level visit; `/account/orders` needs it.",
        "Visits 127.0.0.1 (cookie set), then a localhost page embeds `/account/orders` in an iframe (`Sec-Fetch-Dest: iframe`, `Sec-Fetch-Mode: navigate`, `Sec-Fetch-Site: cross-site`): Lax keeps the cookie out.",
        "An iframe navigation is not a top-level navigation: Lax cookies are not sent."),
    "cookie-jwt-expired": ("Node API: `/auth/login` sets `access_token=<JWT exp now+3 s>; Max-Age=86400; HttpOnly`; `/session/me` reads the cookie, express-jwt style 401 `{\"message\":\"jwt expired\"}` without a challenge.",
        "Logs in via fetch, `/session/me` 200, waits 4.5 s, `/session/me` again.",
        "The 401 is on a who-am-I-looking path, but the user is signed in (cookie set by the origin's login, same path answered 200 before): not the anonymous probe of catalogue §1."),
    "basic-password-changed": ("Apache `mod_auth_basic`; record.js rewrites the htpasswd file mid-scenario (Apache re-reads it per request) and restores it afterwards.",
        "Signs in to /members/ (prompt answered, collapsed 200), the password is reset, the page's `fetch('/members/data.json')` goes out with Chromium's cached Basic credential (401, prompt cancelled).", ""),
    "cookie-domain-rejected-login-loop": ("Node cookie app reached as `app.northwind.test` (Chromium `--host-resolver-rules=MAP app.northwind.test 127.0.0.1`); `/portal/login` answers 302 with `Set-Cookie: portal_sid=...; Domain=old-northwind.test`; `/portal/*` without a session redirects to the login page.",
        "Submits the login form: the cookie is refused (domain mismatch), `/portal/home` redirects back to the login page.",
        "Catalogue §1: a 3xx to a login page right after login is flagged when a rule explains it (here: the refused cookie)."),
    "cookie-path-not-sent": ("Node cookie app: `/shop/login` sets `shop_session` with `Path=/shop`; the API is at `/api/shop/orders`.",
        "Signs in, the account page (200) calls `fetch('/api/shop/orders')`: same origin, but the cookie's Path does not cover it.", ""),
    "apache-require-user-401": ("Apache `mod_auth_basic` on `/members/`, and `<Location /members/board/> Require user bob`. mod_authz_core answers an authenticated user who fails `Require user` with 401 and a fresh Basic challenge (error log: `AH01631: user alice: authorization failure`).",
        "Signs in to /members/ (prompt answered, collapsed 200), fetches /members/data.json (cached credential, 200), fetches /members/board/minutes.json (cached credential, 401; the re-prompt is answered with the same right password, 401 again, then cancelled; the HAR keeps one 401 entry).",
        "The trace proves the credential is right: the same Authorization value got 200 a moment earlier."),
    "squid-proxy-auth-answered": ("squid 5.7 with `basic_ncsa_auth` (the squid-auth instance).",
        "Navigation to an http site through the proxy; the 407 prompt is answered with carol / proxy-pass; the page's /api/me probe answers 401 to an anonymous visitor.", "Healthy: nothing may be flagged."),
    "https-basic-typo-then-right": ("Apache mod_ssl + mod_auth_basic on `/secure-api/` (HTTP/1.1 TLS, self-signed).",
        "`fetch` with `Authorization: Basic` for alice / `correct-hrose` (401), then alice / `correct-horse` (200).",
        "Catalogue §1 exempts the first leg of a handshake (a challenge answered by a retry). This 401 is not one: the request already carried a credential and the server rejected it."),
    "login-lockout-429": ("Node JSON login API (`/api/v2/session`): 401 'Incorrect username or password.' per failure; after 3 failures, 429 with `Retry-After: 900`.",
        "Four POSTs: three wrong passwords, then the right one.", "The catalogue's rate-limited signals include too many failed logins."),
    "cached-403-after-grant": ("Node app: `/reports/q3` answers 403 with `Cache-Control: private, max-age=3600` until a server-side grant, 200 afterwards.",
        "Identifies as alice (`gh_user` cookie), opens the report (403), the grant happens, opens it again 1.5 s later (Chromium serves the stored 403: no request reached the server, the response `Date` is older than the request), reloads (revalidation, 200).", ""),
    "oidc-form-post-lax-state": ("Node: the app on 127.0.0.1 (`/oidc/start` sets `oidc_state`, SameSite=Lax, Path=/oidc, and redirects) and an IdP page on localhost whose form posts `code` + `state` back to `/oidc/callback`.",
        "Starts sign-in, clicks Continue on the IdP page: a cross-site top-level POST, without the Lax cookie; the app answers 401 'state mismatch'.",
        "The catalogue's cookie-not-sent names this case (SAML/OIDC form_post back to the app)."),
    "digest-sha512-unsupported": ("Node (role H_API2) `/legacy/report`: 401 `WWW-Authenticate: Digest realm=..., qop=\"auth\", algorithm=SHA-512-256, nonce=..., userhash=true`.",
        "Navigation; Chromium raises no auth prompt (no CDP authRequired event) and sends nothing.", ""),
    "basic-no-colon": ("Apache mod_ssl + mod_auth_basic on `/secure-api/`.",
        "`fetch` with `Authorization: Basic base64(\"correct-horse\")` (no `user:`); Apache answers 401 with a fresh Basic challenge.", "Catalogue wrong-scheme: 'Basic with invalid base64 or no colon inside'."),
    "bearer-doubled-scheme": ("Node JSON API (role H_API) whose parser wants exactly `Bearer <token>`.",
        "`fetch` with `Authorization: Bearer Bearer <valid JWT>`.", "Catalogue wrong-scheme: 'scheme doubled (Bearer Bearer x)'."),
    "dpop-nonce-retried": ("Node (role H_DPOP): verifies the ES256 DPoP proof (public jwk in its header, htm, nonce); without the current nonce 401 `WWW-Authenticate: DPoP algs=\"ES256\", error=\"use_dpop_nonce\"` + `DPoP-Nonce`; a Bearer Authorization gets 401 `DPoP algs=\"ES256\"`.",
        "record.js makes a P-256 key and proofs; fetch with `Authorization: DPoP <jwt>` + `DPoP: <proof>` (401 use_dpop_nonce), again with the nonce (200), then `Authorization: Bearer <same jwt>` (401).", "Catalogue §1: a use_dpop_nonce 401 followed by a retry carrying the nonce is not a problem; wrong-scheme: 'a Bearer token sent to a DPoP-only API'."),
    "fresh-digest-typo-then-right": ("Apache `mod_auth_digest` on `/vault/` (nonce lifetime 2 s).",
        "record.js computes the Digest response; the second call sends a response hash of the wrong password; the third, computed with the new nonce, succeeds.", "Recorded after the rules were changed from REPORT.md: not seen by whoever tuned them."),
    "fresh-cookie-path-prefix": ("Node cookie app: `/account/login` sets `acct_session` with `Path=/account`; the API lives at `/accounts/statements`.",
        "Signs in; /account/home (200) fetches /accounts/statements: no cookie (RFC 6265 path-match needs `/` after the prefix).", "Recorded after the rules were changed from REPORT.md."),
    "fresh-strict-cookie-cross-site-link": ("Node cookie app: `/bank/login` sets `bank_sid` with `SameSite=Strict`; `/bank/*` redirects to the login without it. A news page on localhost links to the bank.",
        "Signs in (overview 200), opens the news site, clicks the link: Chromium leaves the Strict cookie out of the cross-site navigation; 302 to the login page.", "Recorded after the rules were changed from REPORT.md."),
    "fresh-session-expires-redirect": ("Node cookie app: `/tv/login` sets `tv_session` with `Expires` 3 s ahead; `/tv/*` redirects to the login without it.",
        "Signs in (guide 200), waits 4.5 s, clicks Recordings: the browser dropped the expired cookie; 302 to the login page.", "Recorded after the rules were changed from REPORT.md."),
}


def main():
    from write_expect import LABELS
    for name, (summary, _) in LABELS.items():
        server, browser, notes = DETAIL[name]
        expect = open(os.path.join(HERE, name, "expect.txt")).read().split("\n", 1)[1]
        text = f"""# {name}

**What it records.** {summary}

**Server configuration.** {server}

**What the browser did.** {browser}
"""
        if notes:
            text += f"\n**Labels.** {notes}\n"
        text += f"""
**Expectations** (`expect.txt`, format of `analysis/scenarios_test.go`; true causes from `shared/design/diagnosis-catalogue.md`):

```
{expect.rstrip()}
```

Recorded live by `../record.sh` (Debian Chromium via playwright-core, real servers on loopback).
"""
        open(os.path.join(HERE, name, "README.md"), "w").write(text)
    missing = set(LABELS) - set(DETAIL)
    if missing:
        sys.exit(f"no README detail for {missing}")
    print(f"wrote {len(LABELS)} READMEs")


main()
