#!/usr/bin/env python3
"""Writes expect.txt for each hold-out scenario from the hand-made labels
below (every entry not named is `ok`), taking method, path and status from
the recorded trace so that the lines match it. Labels are the TRUE cause per
shared/design/diagnosis-catalogue.md, decided from how the servers were
configured, never from what the analyzer says."""
import json
import os
import sys
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LABELS = {
    "apache-basic-missing-credentials": ("Apache mod_auth_basic: navigation to the members area, dialog dismissed.",
        {3: "cause=missing-credentials  # no Authorization, no userinfo, challenge cancelled"}),
    "apache-basic-xhr-answered": ("XHR to a Basic-protected JSON answered by the browser (collapsed handshake), then sent pre-emptively.",
        {3: "ok  # collapsed: browser answered the Basic challenge internally", 4: "ok"}),
    "https-basic-invalid-credentials": ("HTTPS (self-signed) Apache Basic API called by script with a wrong password, twice.",
        {1: "cause=invalid-credentials  # Basic alice:correct-horse! (wrong), fresh Basic challenge",
         2: "cause=invalid-credentials  # same wrong password again"}),
    "apache-ip-restriction": ("Apache `Require ip 10.20.0.0/16` on /intranet/: every file there is refused; other folders served.",
        {5: "ok  # 304", 6: "ok  # 304",
         7: "cause=ip-restriction  # a file (not a folder) in /intranet/, readable on disk",
         8: "cause=ip-restriction  # the folder has index.html; refused by Require ip"}),
    "apache-filesystem-permission": ("Apache: file mode 000, other files of the folder served.",
        {1: "cause=filesystem-permission"}),
    "apache-directory-listing": ("Apache: /downloads/ without index.html, Options -Indexes (mod_autoindex loaded).",
        {3: "cause=directory-listing-forbidden"}),
    "digest-stale-retried": ("Apache mod_auth_digest, AuthDigestNonceLifetime 2: the page's own Digest client answers the challenge, the nonce expires, the server says stale=true and the client retries with the new nonce.",
        {3: "not-problem  # first challenge, answered by entry 4",
         4: "ok",
         5: "not-problem  # stale=true (password right), answered by entry 6",
         6: "ok"}),
    "digest-stale-not-retried": ("Same server; the client does not retry after stale=true.",
        {3: "not-problem  # first challenge, answered by entry 4",
         4: "ok",
         5: "cause=stale-nonce  # stale=true and no retry"}),
    "modsec-post-body": ("Apache + ModSecurity/OWASP CRS reverse proxy in front of a Node app: SQL injection text in a POSTed form body.",
        {3: "cause=waf-block  # CRS SQLi rules on the POST body; Apache's generic 403 page"}),
    "drf-missing-credentials": ("Django REST framework (SessionAuthentication, IsAuthenticated) called anonymously: 403 'Authentication credentials were not provided.'",
        {1: "cause=missing-credentials  # DRF 403 for not logged in (catalogue §1 exception)"}),
    "django-login-required-redirect": ("Django @login_required for an anonymous visitor: 302 to the login page, login, dashboard.",
        {1: "ok  # normal redirect to login for an anonymous visitor"}),
    "django-ajax-csrf": ("Django view called by an old AJAX helper without X-CSRFToken (csrftoken cookie present), then by the fixed helper.",
        {3: "cause=csrf-failure  # Django CSRF 403 page", 4: "ok"}),
    "drf-session-csrf": ("DRF SessionAuthentication POST by a logged-in user without X-CSRFToken: JSON 403 'CSRF Failed'.",
        {3: "cause=csrf-failure  # {\"detail\":\"CSRF Failed: CSRF token missing or incorrect.\"}", 4: "ok"}),
    "django-permission-denied": ("Django @permission_required(raise_exception=True): logged-in user without the permission.",
        {3: "cause=insufficient-permissions  # session worked on /dashboard/"}),
    "drf-token-wrong-scheme": ("DRF TokenAuthentication: the client sends the valid key as 'Bearer', the API wants 'Token'.",
        {1: "cause=wrong-scheme  # Bearer sent, WWW-Authenticate: Token; body says 'not provided'",
         2: "ok  # same key with the Token scheme works"}),
    "api-opaque-token-expired": ("JSON API, opaque token, 401 Bearer error=invalid_token error_description='Token expired'.",
        {1: "cause=expired-token"}),
    "api-jwt-expired-no-error": ("JSON API, JWT with exp 30 min in the past; bare Bearer challenge, body {\"message\":\"Unauthorized\"}.",
        {1: "cause=expired-token  # exp before Date, no error param"}),
    "api-jwt-insufficient-scope": ("JSON API, valid JWT with scp [orders.read, profile]; admin endpoint wants admin.write.",
        {3: "cause=insufficient-scope"}),
    "auth-dropped-host-redirect": ("API host canonicalisation: localhost -> 127.0.0.1 301 on /api/; Chromium drops the script-set Authorization.",
        {1: "ok  # the 301 that carries Authorization", 2: "cause=auth-dropped-on-redirect"}),
    "background-me-401": ("Anonymous visitor on a public page; the page's script probes /api/me (401) on every page.",
        {1: "ok  # background who-am-I probe (catalogue §1)", 3: "ok  # same"}),
    "logout-stale-cookie": ("Logout revokes the session but clears the cookie at Path=/ while it was set at Path=/app: the browser keeps sending it.",
        {5: "cause=stale-cookie  # session cookie still sent after the server's logout"}),
    "private-repo-404": ("GitHub-style: private repo answers 200 to bob, 404 to alice; a typo'd repo 404 too.",
        {4: "ok  # plain 404 (typo)",
         5: "cause=insufficient-permissions  # same path answered 200 to another identity in the trace: a 404 hiding a private resource (debatable label, see README)"}),
    "login-api-bad-password": ("JSON login API: wrong password (401, no WWW-Authenticate, body 'Incorrect username or password.'), then the right one.",
        {1: "cause=invalid-credentials", 2: "ok"}),
    "rate-limit-429-retry-after": ("Node API: 3 searches per 30 s, then 429 with Retry-After and RateLimit-* headers.",
        {4: "cause=rate-limited", 5: "cause=rate-limited"}),
    "github-style-403-rate-limit": ("GitHub-style quota: 403 with X-RateLimit-Remaining: 0 and 'API rate limit exceeded'.",
        {5: "cause=rate-limited", 6: "cause=rate-limited"}),
    "samesite-none-insecure-iframe": ("Cross-site iframe widget (127.0.0.1 inside a localhost page) sets its session cookie SameSite=None without Secure; Chromium refuses it.",
        {2: "also=cookie-rejected  # the refused Set-Cookie (repo convention: where the evidence is)",
         3: "cause=cookie-rejected"}),
    "cookie-not-sent-cors-fetch": ("Session cookie set by a top-level visit; later a cross-site fetch from another site without credentials:'include'.",
        {3: "cause=cookie-not-sent  # cross-site cors fetch, no Cookie"}),
    "https-portal-authz-as-401": ("HTTPS nginx portal: login, three pages with CSS/JS/images (memory-cache hits, a missing image 404 on every page), one API answers 401 for a role problem.",
        {16: "cause=authz-as-401  # same session got 2xx on /api/profile, /api/projects; body names the role"}),
    "squid-acl-deny": ("Browser behind a squid forward proxy whose policy allows only one destination; another site gets ERR_ACCESS_DENIED.",
        {1: "ok  # background who-am-I probe",
         2: "cause=waf-block  # proxy policy block page (X-Squid-Error: ERR_ACCESS_DENIED); see README",
         3: "cause=waf-block  # the block page's own icon, blocked by the same ACL"}),
    "dns-mismatch": ("Same host name resolved to 127.0.0.1 (new server) and later to 127.0.0.2 (decommissioned server, stale hosts entry); two launches merged.",
        {3: "cause=dns-mismatch  # only the request to 127.0.0.2 fails, same cookie"}),
    "squid-proxy-auth-https": ("Browser configured with a squid proxy that requires Basic proxy auth; an https site: the CONNECT gets 407, the dialog is dismissed.",
        {0: "cause=proxy-auth-required  # 407 on the CONNECT for an https URL, net::ERR_HTTP_RESPONSE_CODE_FAILURE"}),
    "cors-preflight-apache-basic": ("Shop on localhost calls an Apache Basic-protected JSON on 127.0.0.1 with the right Basic credentials; Apache's CORS headers allow it, but Basic auth also covers the OPTIONS preflight (401).",
        {1: "also=cors-preflight-auth  # true cause: the OPTIONS got 401 (Apache log); HAR has no preflight",
         "1b": "also=cors-misconfigured  # catalogue §2: from this HAR both must be named"}),
    "client-credentials-invalid": ("SPA posts client_credentials with an old client secret to the OAuth token endpoint: 401 invalid_client.",
        {1: "cause=client-credentials-invalid"}),
    "jwt-clock-skew-nbf": ("JWT minted by an issuer whose clock is 5 min ahead (iat/nbf in the future); API: error_description 'The token is not valid before ...'.",
        {1: "cause=clock-skew  # nbf after the response Date"}),
    "jwt-audience-mismatch": ("JWT for another API (aud https://payroll.northwind.test); API: error_description \"The audience '...' is invalid\".",
        {1: "cause=token-audience-mismatch"}),
    "apache-proxy-stripped-authorization": ("Apache reverse proxy in front of DRF strips Authorization on /api/v1/ (RequestHeader unset); the same Token works on /api/v2/.",
        {1: "ok", 2: "cause=proxy-stripped-authorization  # right scheme (Token), DRF says 'not provided'"}),
    "django-https-no-referer-csrf": ("Django behind nginx TLS; the form page sets <meta name=referrer content=no-referrer>: POST with token but no Referer -> CSRF 403 'Referer checking failed'.",
        {1: "cause=csrf-failure"}),
    "negotiate-unsupported": ("Apache mod_auth_gssapi (Negotiate only) with no Kerberos on the client: the browser never answers.",
        {4: "cause=unsupported-auth-method  # only Negotiate offered, no Authorization sent"}),
    "h2-api-step-up": ("HTTPS + HTTP/2 (nginx) API: token from a password-only sign-in; payments need MFA (RFC 9470 insufficient_user_authentication with acr_values).",
        {2: "cause=step-up-required"}),
    "h2-api-expired-refresh-failed": ("HTTPS + HTTP/2 API: expired JWT (error_description 'The token expired at ...'), then the app's refresh fails with 400 invalid_grant.",
        {1: "cause=expired-token",
         2: "cause=expired-token  # 400 invalid_grant from the token endpoint: the refresh token expired, sign in again"}),
    "django-session-timeout-redirect": ("Django kiosk login with a 4 s session (Set-Cookie sessionid Max-Age=4); 6 s later the browser no longer sends it and login_required redirects to the login page (soft 401).",
        {3: "cause=expired-token  # session cookie expired (Max-Age=4) -> 302 to the login page",
         4: "ok  # the login page itself"}),
    "cookie-not-sent-lax-iframe": ("Session cookie (SameSite=Lax) set by a top-level visit to 127.0.0.1; then a localhost page embeds 127.0.0.1's orders page in an iframe: cross-site, so Lax keeps the cookie out.",
        {3: "cause=cookie-not-sent  # cross-site iframe, SameSite=Lax"}),
    "cookie-jwt-expired": ("SPA keeps a JWT in an HttpOnly cookie that outlives it (token exp 3 s, cookie Max-Age 1 day); express-jwt-style API answers 401 {\"message\":\"jwt expired\"} without a challenge.",
        {3: "cause=expired-token  # the cookie's JWT exp is before the response Date"}),
    "basic-password-changed": ("Apache Basic: the browser signed in (collapsed 200), then the admin reset the password; the browser's cached credential is sent pre-emptively and rejected.",
        {3: "ok  # collapsed handshake answered with the then-right password",
         4: "cause=invalid-credentials  # cached Basic credential, rejected with a fresh Basic challenge"}),
    "cookie-domain-rejected-login-loop": ("Sign-in sets the session cookie with Domain=old-northwind.test (left over from a migration) on app.northwind.test: Chromium refuses it, and the app sends the user back to the login page.",
        {1: "also=cookie-rejected  # the refused Set-Cookie (Domain does not match the host)",
         2: "cause=cookie-rejected  # soft 401: 302 to the login page right after signing in, no cookie",
         3: "ok  # the login page itself"}),
    "cookie-path-not-sent": ("Sign-in sets the session cookie with Path=/shop; the account page's script calls /api/shop/orders, outside the Path, so the cookie is not sent.",
        {3: "cause=cookie-not-sent  # Path=/shop does not cover /api/shop/orders"}),
    "apache-require-user-401": ("Apache: every member authenticates for /members/, but /members/board/ has `Require user bob`; alice's right password gets 401 there (Apache answers authorization failures of Require user with 401).",
        {3: "ok  # collapsed: prompt answered with alice's right password",
         4: "ok  # same credential, sent pre-emptively, accepted",
         5: "cause=authz-as-401  # error log AH01631: user alice: authorization failure; same credential 200 at entry 4"}),
    "squid-proxy-auth-answered": ("Browser behind squid with Basic proxy auth; the proxy prompt is answered (carol / proxy-pass): healthy.",
        {0: "ok  # 407 answered inside Chromium: one 200 carrying Proxy-Authorization",
         1: "ok  # background who-am-I probe of an anonymous visitor"}),
    "https-basic-typo-then-right": ("HTTPS Apache Basic API: the script sends a mistyped password (401), then the right one (200).",
        {1: "cause=invalid-credentials  # the request carried a (wrong) credential: not the first leg of a handshake",
         2: "ok"}),
    "login-lockout-429": ("JSON login API with a lockout: three wrong passwords (401), then the right one is refused with 429 + Retry-After: 900.",
        {1: "cause=invalid-credentials", 2: "cause=invalid-credentials", 3: "cause=invalid-credentials",
         4: "cause=rate-limited  # lockout after failed logins, Retry-After"}),
    "cached-403-after-grant": ("A report answers 403 with Cache-Control: private, max-age=3600; the admin then grants access; navigating again shows the 403 from the browser cache; a reload revalidates and gets 200.",
        {1: "cause=insufficient-permissions  # at that moment alice (gh_user cookie) had no access: 'You do not have access to the Q3 report.'",
         3: "cause=cached-response  # served by the browser cache: Date older than the request, max-age=3600, no server hit",
         4: "ok  # reload: fresh 200"}),
    "oidc-form-post-lax-state": ("OpenID Connect form_post sign-in: the app (127.0.0.1) sets its state cookie with SameSite=Lax and sends the user to the IdP (localhost); the IdP posts back cross-site, so the state cookie is not sent and the callback fails.",
        {2: "cause=cookie-not-sent  # cross-site POST navigation, SameSite=Lax state cookie left out"}),
    "digest-sha512-unsupported": ("An endpoint that offers only Digest with algorithm=SHA-512-256: Chromium does not implement it, so it never prompts or answers.",
        {1: "cause=unsupported-auth-method  # Digest SHA-512-256 only, no Authorization sent"}),
    "basic-no-colon": ("HTTPS Apache Basic API; the client base64-encodes its API key alone, without 'user:' (no colon inside).",
        {1: "cause=wrong-scheme  # malformed Basic credential: no colon after decoding"}),
    "bearer-doubled-scheme": ("JSON API; an HTTP interceptor prefixes 'Bearer ' to a value that already had it: 'Authorization: Bearer Bearer <jwt>'.",
        {1: "cause=wrong-scheme  # scheme doubled; the API parses no token and answers 'Authentication required'"}),
    "dpop-nonce-retried": ("DPoP-bound API (RFC 9449): the first call gets error=use_dpop_nonce with a DPoP-Nonce, the retry with the nonce succeeds; then an old code path sends the same token as Bearer.",
        {1: "not-problem  # use_dpop_nonce, answered by entry 2",
         2: "ok",
         3: "cause=wrong-scheme  # Bearer sent to a DPoP-only API (challenge offers DPoP only)"}),
    # ---- fresh set: recorded at 23:23 UTC, after the rules had been changed from REPORT.md
    "fresh-digest-typo-then-right": ("FRESH. Apache Digest, the page's own client: unauthenticated (401), a wrong response hash (401, fresh challenge without stale), then the right one (200).",
        {3: "ok  # first leg; the client went on to authenticate",
         4: "cause=invalid-credentials  # Digest retry answered with a fresh challenge without stale=true",
         5: "ok"}),
    "fresh-cookie-path-prefix": ("FRESH. Session cookie Path=/account; the page calls /accounts/statements (a prefix of the string, not of the path).",
        {3: "cause=cookie-not-sent  # Path=/account does not path-match /accounts/statements"}),
    "fresh-strict-cookie-cross-site-link": ("FRESH. Bank session cookie SameSite=Strict; a link on another site (localhost) to the bank's overview: the top-level cross-site GET goes out without it and the bank redirects to its login.",
        {4: "cause=cookie-not-sent  # Strict: never sent on a request that comes from another site, navigations included",
         5: "ok  # the login page itself"}),
    "fresh-session-expires-redirect": ("FRESH. Session cookie with an Expires date 3 s ahead (not Max-Age); 4.5 s later the guide's link redirects to the login page.",
        {3: "cause=expired-token  # the session cookie's Expires passed before this request",
         4: "ok  # the login page itself"}),
}


def path_of(url):
    u = urlsplit(url)
    p = u.path or "/"
    return p + ("?" + u.query if u.query else "")


def main(names):
    for name, (summary, labels) in LABELS.items():
        if names and name not in names:
            continue
        har = json.load(open(os.path.join(HERE, name, "trace.har")))
        entries = har["log"]["entries"]
        bad = [i for i in labels if int(str(i).rstrip("b")) >= len(entries)]
        if bad:
            sys.exit(f"{name}: labels for missing entries {bad}")
        lines = [f"# {summary}"]
        for i, e in enumerate(entries):
            for key in (i, f"{i}b"):
                if key == i or key in labels:
                    v = labels.get(key, "ok")
                    lines.append(f"{i} {e['request']['method']} {path_of(e['request']['url'])} {e['response']['status']} {v}")
        open(os.path.join(HERE, name, "expect.txt"), "w").write("\n".join(lines) + "\n")
        print(f"wrote {name}/expect.txt ({len(entries)} entries)")


if __name__ == "__main__":
    main(sys.argv[1:])
