#!/usr/bin/env python3
"""Builds support.har (a small hand-made trace with 401/403 failures for the
UI tests), truncated.har (the same, cut in the middle) and bad.har (not a
HAR). Run from ui/testdata; validate with node ../../testdata/tools/validate-har.js."""
import base64, json

T0 = "2026-11-20T10:00:00.000Z"
EXP = 1795168800 - 3 * 3600  # 3 h before 2026-11-20T10:00:00Z

def b64url(o):
    return base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()).rstrip(b"=").decode()

jwt = b64url({"alg": "RS256", "typ": "JWT"}) + "." + b64url({
    "iss": "https://login.example.com/", "sub": "alice@example.com", "aud": "https://api.example.com",
    "exp": EXP, "iat": EXP - 3600, "scope": "orders.read profile"}) + ".c2lnbmF0dXJlLW5vdC1yZWFs"
png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

def entry(sec, method, url, status, text, req_headers=(), resp_headers=(), mime="text/html", body="", enc=None, rtype="document", cookies_req=(), cookies_resp=()):
    content = {"size": len(body), "mimeType": mime, "text": body}
    if enc:
        content["encoding"] = enc
    return {
        "startedDateTime": "2026-11-20T10:00:%02d.000Z" % sec,
        "time": 42.5,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1",
                    "cookies": list(cookies_req),
                    "headers": [{"name": n, "value": v} for n, v in req_headers],
                    "queryString": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": text, "httpVersion": "HTTP/1.1",
                     "cookies": list(cookies_resp),
                     "headers": [{"name": n, "value": v} for n, v in resp_headers],
                     "content": content, "redirectURL": "", "headersSize": -1, "bodySize": len(body)},
        "cache": {},
        "timings": {"blocked": 1.5, "dns": -1, "connect": -1, "send": 0.5, "wait": 38.0, "receive": 2.5, "ssl": -1},
        "_resourceType": rtype,
    }

entries = [
    entry(0, "GET", "https://app.example.com/", 200, "OK",
          [("Host", "app.example.com"), ("User-Agent", "Mozilla/5.0 Chrome/131.0")],
          [("Content-Type", "text/html"), ("Set-Cookie", "session=s3ss10nv4lu3abcdef0123; Path=/; Secure; HttpOnly; SameSite=Lax")],
          body="<html><body><h1>Example app</h1></body></html>",
          cookies_resp=[{"name": "session", "value": "s3ss10nv4lu3abcdef0123", "path": "/", "secure": True, "httpOnly": True, "sameSite": "Lax"}]),
    entry(1, "GET", "https://app.example.com/api/me", 200, "OK",
          [("Cookie", "session=s3ss10nv4lu3abcdef0123")],
          [("Content-Type", "application/json")], mime="application/json",
          body='{"user":"alice@example.com","roles":["viewer"]}', rtype="fetch",
          cookies_req=[{"name": "session", "value": "s3ss10nv4lu3abcdef0123"}]),
    entry(2, "GET", "https://api.example.com/v1/orders?status=open", 401, "Unauthorized",
          [("Authorization", "Bearer " + jwt), ("Origin", "https://app.example.com")],
          [("Content-Type", "application/json"), ("Date", "Thu, 20 Nov 2026 10:00:02 GMT"),
           ("WWW-Authenticate", 'Bearer realm="orders", error="invalid_token", error_description="The access token expired"')],
          mime="application/json", body='{"error":"invalid_token","message":"The access token expired"}', rtype="fetch"),
    entry(3, "GET", "https://app.example.com/admin/users", 403, "Forbidden",
          [("Cookie", "session=s3ss10nv4lu3abcdef0123")],
          [("Content-Type", "text/html")],
          body="<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1><p>You don't have permission to access this resource.</p></body></html>",
          cookies_req=[{"name": "session", "value": "s3ss10nv4lu3abcdef0123"}]),
    entry(4, "GET", "https://intranet.example.com/reports/", 401, "Unauthorized",
          [("Authorization", "Basic " + base64.b64encode(b"bob:wrong-password").decode())],
          [("Content-Type", "text/html"), ("WWW-Authenticate", 'Basic realm="Reports", charset="UTF-8"')],
          body="<html><body><h1>401 Authorization Required</h1></body></html>"),
    entry(5, "GET", "https://app.example.com/logo.png", 200, "OK", [], [("Content-Type", "image/png")],
          mime="image/png", body=png, enc="base64", rtype="image"),
    entry(6, "GET", "https://cdn.example.com/app.js", 500, "Internal Server Error", [], [("Content-Type", "text/plain")],
          mime="text/plain", body="upstream error", rtype="script"),
    entry(7, "GET", "https://app.example.com/reports/2026", 404, "Not Found", [], [("Content-Type", "text/plain")],
          mime="text/plain", body="not found", rtype="document"),
]
har = {"log": {"version": "1.2", "creator": {"name": "AuthLens UI test fixture", "version": "1"},
               "browser": {"name": "Chrome", "version": "131.0"}, "entries": entries}}
text = json.dumps(har, indent=1)
open("support.har", "w").write(text)
# Cut inside entry 6 so entries 0..5 are complete.
cut = text.index('"https://cdn.example.com/app.js"')
open("truncated.har", "w").write(text[:cut])
open("bad.har", "w").write("this is not JSON, it is the text of an e-mail the customer saved as .har\n")
