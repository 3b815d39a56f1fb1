// Package sigtraces builds the signature test traces under
// testdata/traces/<cause>/: HARs for failures no local server can produce (IIS
// Windows authentication, Microsoft Entra token errors, RFC 9470 step-up,
// JWT audience and clock problems, expired S3 links, refusals served from
// a cache, one host name reaching an old server), assembled from the
// documented vendor signatures in docs signatures.md. The traces are
// generated, not hand-edited, so they are reproducible: run
//
//	go run ./analysis/internal/sigtraces/gensig -out testdata/traces
//
// and the package test checks the committed files match.
package sigtraces

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"authlens/analysis/internal/ntlmtest"
	"authlens/analysis/internal/tracebuild"
	"authlens/har"
)

// Trace is one generated signature trace.
type Trace = tracebuild.Trace

// base is the fixed start time of every trace.
var base = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// newBuilder starts a trace recorded by Edge on Windows (a Chrome/Edge
// DevTools export) from a site behind 203.0.113.10:443.
func newBuilder() *tracebuild.Builder {
	style := tracebuild.Style{
		UserAgent:  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
		Step:       150 * time.Millisecond,
		Time:       42,
		Timings:    har.Timings{Blocked: 1, DNS: -1, Connect: -1, Send: 0.2, Wait: 40, Receive: 0.8, SSL: -1},
		ServerIP:   "203.0.113.10",
		Connection: "443",
	}
	return tracebuild.NewBuilder(style, base)
}

type opt = tracebuild.Option

func socket(id string) opt { return func(e *har.Entry) { e.ConnectionID = id } }

func xhr() opt {
	return func(e *har.Entry) {
		e.ResourceType = "fetch"
		e.Request.Headers = append(e.Request.Headers,
			har.Header{Name: "Sec-Fetch-Mode", Value: "cors"}, har.Header{Name: "Sec-Fetch-Dest", Value: "empty"})
	}
}

// serverDate overrides the response Date header (the server's clock).
func serverDate(t time.Time) opt {
	return func(e *har.Entry) {
		for k := range e.Response.Headers {
			if e.Response.Headers[k].Name == "Date" {
				e.Response.Headers[k].Value = t.UTC().Format(tracebuild.IMFDate)
			}
		}
	}
}

func form(text string) opt {
	return func(e *har.Entry) {
		tracebuild.PostBody("application/x-www-form-urlencoded", text)(e)
		for _, kv := range strings.Split(text, "&") {
			k, v, _ := strings.Cut(kv, "=")
			e.Request.PostData.Params = append(e.Request.PostData.Params, har.NameValue{Name: k, Value: v})
		}
	}
}

// jwt mints an unsigned-looking compact JWS: the signature part is fixed
// filler (nothing here verifies it).
func jwt(claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "kid": "sig-test-key-1", "typ": "JWT"})
	c, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(c) + "." + enc([]byte("signature-filler-not-a-real-signature-0123456789"))
}

func iisDetailed(code, h4 string) string {
	return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>
<title>IIS 10.0 Detailed Error - ` + code + ` - Unauthorized</title>
</head><body><div id="content"><div class="content-container">
<h3>HTTP Error ` + code + ` - Unauthorized</h3>
<h4>` + h4 + `</h4></div>
<div class="content-container"><fieldset><h4>Most likely causes:</h4></fieldset></div>
<div class="content-container"><fieldset><h4>Detailed Error Information:</h4>
<table><tr><th>Module</th><td>IIS Web Core</td></tr><tr><th>Notification</th><td>AuthenticateRequest</td></tr>
<tr><th>Error Code</th><td>0x80070005</td></tr></table></fieldset></div>
</div></body></html>`
}

// All returns every signature trace, recorded as a Chrome/Edge DevTools
// export (creator WebInspector) unless the trace names its own creator.
func All() []Trace {
	all := append([]Trace{iis4011NTLM(), iis4011Collapsed(), iis4012Negotiate(), ntlmSplitSockets(), entraInvalidClient(), bearerStepUp(),
		jwtAudienceMismatch(), jwtNotBeforeSkew(), s3PresignedExpired(), azureSASExpired()}, gapTraces()...)
	for i := range all {
		all[i].Source = tracebuild.SignatureSource(all[i].Readme, "analysis/internal/sigtraces (go run ./analysis/internal/sigtraces/gensig)")
		if all[i].Log.Creator.Name == "" {
			all[i].Log.Creator = har.Creator{Name: "WebInspector", Version: "537.36"}
		}
	}
	return all
}

var (
	uni   = ntlmtest.FlagUnicode | ntlmtest.FlagNTLM | ntlmtest.FlagRequestTarget | ntlmtest.FlagExtendedSecurity
	type1 = ntlmtest.Base64(ntlmtest.Type1(uni|ntlmtest.FlagOEM, "", ""))
	type2 = ntlmtest.Base64(ntlmtest.Type2(uni, "CONTOSO"))
	type3 = ntlmtest.Base64(ntlmtest.Type3(uni, "CONTOSO", "jdoe", "LAPTOP-42", false))
)

func iisHeaders() []opt {
	return []opt{tracebuild.RespHeader("Server", "Microsoft-IIS/10.0"), tracebuild.RespHeader("X-Powered-By", "ASP.NET")}
}

func with(extra []opt, more ...opt) []opt { return append(append([]opt{}, extra...), more...) }

func iis4011NTLM() Trace {
	b := newBuilder()
	u := "https://intranet.contoso.com/hr/"
	page2 := tracebuild.Body("text/html", iisDetailed("401.2", "You are not authorized to view this page due to invalid authentication headers."))
	b.Add("GET", u, 401, with(iisHeaders(), tracebuild.RespHeader("WWW-Authenticate", "Negotiate"), tracebuild.RespHeader("WWW-Authenticate", "NTLM"), page2, socket("3021"))...)
	b.Add("GET", u, 401, with(iisHeaders(), tracebuild.ReqHeader("Authorization", "Negotiate "+type1), tracebuild.RespHeader("WWW-Authenticate", "Negotiate "+type2), page2, socket("3021"))...)
	b.Add("GET", u, 401, with(iisHeaders(), tracebuild.ReqHeader("Authorization", "Negotiate "+type3), tracebuild.RespHeader("WWW-Authenticate", "Negotiate"), tracebuild.RespHeader("WWW-Authenticate", "NTLM"),
		tracebuild.Body("text/html", iisDetailed("401.1", "You do not have permission to view this directory or page using the credentials that you supplied.")), socket("3021"))...)
	return Trace{Name: "iis-401-1-ntlm-invalid-credentials", Entries: b.Entries(),
		Expect: `# IIS Windows authentication: NTLM inside Negotiate, type 1/2/3 on one socket, then a fresh challenge and the 401.1 page.
0 GET /hr/ 401 cause=invalid-credentials  # first leg of the failed handshake
1 GET /hr/ 401 cause=invalid-credentials  # type-1 -> type-2 leg
2 GET /hr/ 401 cause=invalid-credentials  # type-3 for CONTOSO\jdoe rejected: IIS 401.1
`,
		Readme: `# IIS 401.1 — NTLM credentials rejected

An Edge DevTools export (creator WebInspector, socket id in _connectionId, server port in connection) of a Windows-authentication site on IIS 10: the browser runs the NTLM handshake inside Negotiate (type 1 → type 2 → type 3 on socket 3021) and IIS answers the type-3 message with a fresh bare challenge and its detailed error page for sub-status 401.1.

Signatures (docs signatures.md §4):
- sub-status table and meaning of 401.1 / 401.2: Microsoft "HTTP status codes in IIS" (KB 943891), https://learn.microsoft.com/en-us/troubleshoot/iis/http-status-code
- detailed page title "IIS 10.0 Detailed Error - 401.1 - Unauthorized", h3 "HTTP Error 401.1 - Unauthorized", Module IIS Web Core / Notification AuthenticateRequest / 0x80070005: signatures.md §4 "Page formats" (title pattern confirmed in a public fixture; h4 wording unconfirmed)
- two WWW-Authenticate headers (Negotiate, NTLM), Server: Microsoft-IIS/10.0, X-Powered-By: ASP.NET: signatures.md §4 "Headers"
- NTLM messages built per MS-NLMP §2.2.1 (prefixes TlRMTVNTUAAB/AC/AD; NTLM wrapped in Negotiate): signatures.md §4 "NTLM / Negotiate handshake facts"
`}
}

func iis4011Collapsed() Trace {
	b := newBuilder()
	b.Add("GET", "https://intranet.contoso.com/payroll/", 401, with(iisHeaders(), tracebuild.RespHeader("WWW-Authenticate", "Negotiate"), tracebuild.RespHeader("WWW-Authenticate", "NTLM"),
		tracebuild.Body("text/html", iisDetailed("401.1", "You do not have permission to view this directory or page using the credentials that you supplied.")), socket("5120"))...)
	return Trace{Name: "iis-401-1-collapsed-handshake", Entries: b.Entries(),
		Expect: `# The browser ran the NTLM legs internally: one entry, no Authorization, the final 401.1 page.
0 GET /payroll/ 401 cause=invalid-credentials
`,
		Readme: `# IIS 401.1 with a collapsed handshake

Browsers answer Negotiate/NTLM challenges internally, and some HAR producers record only one entry for the whole handshake: the request shows no Authorization header and the response is the final 401. The IIS detailed page still names sub-status 401.1 (logon failed), which proves the credentials were offered and rejected — not that none were sent.

Signatures: 401.1 "Logon failed" from Microsoft KB 943891 (https://learn.microsoft.com/en-us/troubleshoot/iis/http-status-code), page format from docs signatures.md §4 "Page formats"; collapsed handshakes from docs recording-notes.md ("Browser-answered challenges collapse into one entry") and catalogue §2.
`}
}

func iis4012Negotiate() Trace {
	b := newBuilder()
	b.Add("GET", "https://portal.contoso.com/", 401, with(iisHeaders(), tracebuild.RespHeader("WWW-Authenticate", "Negotiate"), tracebuild.RespHeader("WWW-Authenticate", "NTLM"),
		tracebuild.Body("text/html", iisDetailed("401.2", "You are not authorized to view this page due to invalid authentication headers.")), socket("118"))...)
	return Trace{Name: "iis-401-2-windows-auth-unsupported", Entries: b.Entries(),
		Expect: `# IIS offers only Windows authentication; the browser (outside the intranet zone) never answers.
0 GET / 401 cause=unsupported-auth-method
`,
		Readme: `# IIS 401.2 — no sign-in method both sides support

An Edge DevTools export: IIS 10 with only Windows authentication enabled offers Negotiate and NTLM; the browser (not domain joined / site outside the intranet zone) sends nothing further, and the detailed page names sub-status 401.2.

Signatures (docs signatures.md §4): 401.2 "Logon failed due to server configuration" from Microsoft KB 943891 (https://learn.microsoft.com/en-us/troubleshoot/iis/http-status-code); detailed page title pattern and the two WWW-Authenticate headers from §4 "Page formats" and "Headers".
`}
}

func ntlmSplitSockets() Trace {
	b := newBuilder()
	u := "https://sharepoint.contoso.com/sites/finance/"
	via := tracebuild.RespHeader("Via", "1.1 lb-edge-02")
	b.Add("GET", u, 401, with(iisHeaders(), tracebuild.RespHeader("WWW-Authenticate", "NTLM"), via, socket("771"))...)
	b.Add("GET", u, 401, with(iisHeaders(), tracebuild.ReqHeader("Authorization", "NTLM "+type1), tracebuild.RespHeader("WWW-Authenticate", "NTLM "+type2), via, socket("771"))...)
	b.Add("GET", u, 401, with(iisHeaders(), tracebuild.ReqHeader("Authorization", "NTLM "+type3), tracebuild.RespHeader("WWW-Authenticate", "NTLM"), via, socket("774"))...)
	return Trace{Name: "iis-ntlm-split-sockets", Entries: b.Entries(),
		Expect: `# NTLM type 1 on socket 771, type 3 on socket 774 (a load balancer re-pools connections): the handshake never completes.
0 GET /sites/finance/ 401 cause=connection-auth-broken
1 GET /sites/finance/ 401 cause=connection-auth-broken
2 GET /sites/finance/ 401 cause=connection-auth-broken
`,
		Readme: `# NTLM handshake split across connections

An Edge DevTools export through a load balancer (Via: 1.1 lb-edge-02): the type-1 message and the server's type-2 answer travel on socket 771, the type-3 message on socket 774, and IIS starts over with a bare NTLM challenge.

Signatures (docs signatures.md §4 "NTLM / Negotiate handshake facts"): NTLM authenticates the TCP connection, type 1/2/3 must share one keep-alive connection, a proxy or load balancer that re-pools connections breaks it into an endless 401 loop; compare the connection fields of the three entries. Socket identity: Chrome/Edge DevTools write the socket id in _connectionId and the server port in connection (docs recording-notes.md, catalogue §2).
`}
}

func entraInvalidClient() Trace {
	b := newBuilder()
	tok := "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token"
	b.Add("POST", tok, 401, xhr(), form("client_id=6731de76-14a6-49ae-97bc-6eba6914391e&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=REPLACE-ME-not-a-real-secret&grant_type=client_credentials"),
		tracebuild.RespHeader("Content-Type", "application/json; charset=utf-8"), tracebuild.RespHeader("x-ms-request-id", "b4a6f1c5-1f3a-4a5e-9c0e-2f7d1e9b0a11"),
		tracebuild.Body("application/json", `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '6731de76-14a6-49ae-97bc-6eba6914391e'. Trace ID: b4a6f1c5-1f3a-4a5e-9c0e-2f7d1e9b0a11 Correlation ID: 0c3e5f7a-9b1d-4e2f-8a6c-4d2e1f0b9c8a Timestamp: 2026-03-02 09:30:00Z","error_codes":[7000215],"timestamp":"2026-03-02 09:30:00Z","trace_id":"b4a6f1c5-1f3a-4a5e-9c0e-2f7d1e9b0a11","correlation_id":"0c3e5f7a-9b1d-4e2f-8a6c-4d2e1f0b9c8a","error_uri":"https://login.microsoftonline.com/error?code=7000215"}`))
	return Trace{Name: "entra-invalid-client", Entries: b.Entries(),
		Expect: `# Microsoft Entra ID token endpoint refuses the application's client secret.
0 POST /72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token 401 cause=client-credentials-invalid
`,
		Readme: `# Microsoft Entra ID: invalid_client (AADSTS7000215)

A client-credentials token request to the Microsoft identity platform v2.0 token endpoint answered 401 with the OAuth error "invalid_client" and Entra's error shape.

Signatures:
- OAuth token endpoint error JSON, invalid_client may be 401: RFC 6749 §5.2 (docs signatures.md §5 "RFC 6750" paragraph on token endpoints)
- Entra error body shape (error, error_description starting "AADSTSnnn:", error_codes, timestamp, trace_id, correlation_id, error_uri) and AADSTS7000215 "invalid client secret": docs signatures.md §5 "Microsoft Entra ID" (code list marked unconfirmed there; verify against https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes)
`}
}

func bearerStepUp() Trace {
	b := newBuilder()
	tok := jwt(map[string]any{"iss": "https://as.example.com", "sub": "alice", "aud": "https://bank.example.com", "acr": "urn:example:acr:pwd",
		"iat": base.Add(-20 * time.Minute).Unix(), "exp": base.Add(40 * time.Minute).Unix(), "scope": "transfers"})
	b.Add("GET", "https://bank.example.com/", 200, tracebuild.Body("text/html", "<!doctype html><title>Bank</title>"))
	b.Add("POST", "https://bank.example.com/api/transfers", 401, xhr(), tracebuild.ReqHeader("Authorization", "Bearer "+tok),
		tracebuild.RespHeader("WWW-Authenticate", `Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="urn:example:acr:mfa"`),
		tracebuild.RespHeader("Content-Type", "application/json"), tracebuild.Body("application/json", `{"error":"insufficient_user_authentication"}`))
	return Trace{Name: "bearer-step-up-required", Entries: b.Entries(),
		Expect: `# RFC 9470 step-up: valid token, but the sign-in behind it was password-only.
0 GET / 200 ok
1 POST /api/transfers 401 cause=step-up-required
`,
		Readme: `# Bearer insufficient_user_authentication (RFC 9470)

The token is valid (exp 40 minutes ahead) but its acr says password only; the resource server asks for an MFA sign-in with the RFC 9470 challenge.

Signatures: RFC 9470 §3 (OAuth 2.0 Step Up Authentication Challenge Protocol), https://www.rfc-editor.org/rfc/rfc9470 — the challenge text is the RFC's own example (error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values); Bearer challenge syntax RFC 6750 §3 (docs signatures.md §5).
`}
}

func jwtAudienceMismatch() Trace {
	b := newBuilder()
	tok := jwt(map[string]any{"iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/", "sub": "alice", "aud": "https://graph.microsoft.com",
		"iat": base.Add(-5 * time.Minute).Unix(), "nbf": base.Add(-5 * time.Minute).Unix(), "exp": base.Add(55 * time.Minute).Unix(), "scp": "User.Read"})
	b.Add("GET", "https://orders.contoso.com/", 200, tracebuild.Body("text/html", "<!doctype html><title>Orders</title>"))
	b.Add("GET", "https://orders.contoso.com/api/orders", 401, xhr(), tracebuild.ReqHeader("Authorization", "Bearer "+tok), tracebuild.RespHeader("Server", "Kestrel"),
		tracebuild.RespHeader("WWW-Authenticate", `Bearer error="invalid_token", error_description="The audience 'https://graph.microsoft.com' is invalid"`))
	return Trace{Name: "jwt-audience-mismatch", Entries: b.Entries(),
		Expect: `# A Microsoft Graph token sent to the app's own API (ASP.NET Core JwtBearer with IncludeErrorDetails).
0 GET / 200 ok
1 GET /api/orders 401 cause=token-audience-mismatch
`,
		Readme: `# JWT audience mismatch

The single-page app sends a token issued for Microsoft Graph (aud https://graph.microsoft.com) to its own API; ASP.NET Core's JwtBearer handler rejects it with invalid_token and an audience description.

Signatures: ASP.NET Core JwtBearer 401 "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=…" (description only with IncludeErrorDetails) and Microsoft.IdentityModel IDX10214 "Audience validation failed": docs signatures.md §5 "Microsoft Entra ID" (wording marked unconfirmed there); JWT aud claim RFC 7519 §4.1.3.
`}
}

func jwtNotBeforeSkew() Trace {
	b := newBuilder()
	// The token was minted by a machine whose clock runs 7 minutes ahead.
	minted := base.Add(7 * time.Minute)
	tok := jwt(map[string]any{"iss": "https://idp.example.com", "sub": "svc-reports", "aud": "https://reports.example.com",
		"iat": minted.Unix(), "nbf": minted.Unix(), "exp": minted.Add(time.Hour).Unix()})
	b.Add("GET", "https://reports.example.com/api/daily", 401, xhr(), tracebuild.ReqHeader("Authorization", "Bearer "+tok), serverDate(base.Add(150*time.Millisecond)),
		tracebuild.RespHeader("WWW-Authenticate", `Bearer error="invalid_token", error_description="The token is not valid yet"`))
	return Trace{Name: "jwt-clock-skew-nbf", Entries: b.Entries(),
		Expect: `# nbf 7 minutes after the server's Date: the token issuer's clock runs ahead.
0 GET /api/daily 401 cause=clock-skew
`,
		Readme: `# Clock skew: JWT not yet valid

A token whose nbf and iat are 7 minutes after the resource server's Date header; the server rejects it as not yet valid.

Signatures: nbf / iat claims RFC 7519 §4.1.5–4.1.6; catalogue §3.2 clock-skew ("JWT nbf in the future relative to the response Date (always invalid)"); Bearer invalid_token challenge RFC 6750 §3.1 (docs signatures.md §5).
`}
}

func s3PresignedExpired() Trace {
	b := newBuilder()
	signed := base.Add(-75 * time.Minute)
	u := "https://reports-bucket.s3.eu-west-1.amazonaws.com/exports/q1.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F" +
		signed.Format("20060102") + "%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=" + signed.Format("20060102T150405Z") +
		"&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0f4a9c2be1d7a3f5c6b8e0d2a4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1"
	exp := signed.Add(time.Hour)
	b.Add("GET", u, 403, tracebuild.RespHeader("Server", "AmazonS3"), tracebuild.RespHeader("x-amz-request-id", "7Q2J4K9M1N3P5R7T"), tracebuild.RespHeader("x-amz-id-2", "dGVzdC1ob3N0LWlkLWZvci1zaWduYXR1cmU="),
		tracebuild.RespHeader("Content-Type", "application/xml"),
		tracebuild.Body("application/xml", fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires><Expires>%s</Expires><ServerTime>%s</ServerTime><RequestId>7Q2J4K9M1N3P5R7T</RequestId><HostId>dGVzdC1ob3N0LWlkLWZvci1zaWduYXR1cmU=</HostId></Error>`,
			exp.Format("2006-01-02T15:04:05Z"), base.Add(150*time.Millisecond).Format("2006-01-02T15:04:05Z"))))
	return Trace{Name: "s3-presigned-url-expired", Entries: b.Entries(),
		Expect: `# A pre-signed S3 link opened 15 minutes after its one-hour lifetime.
0 GET /exports/q1.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F` + signed.Format("20060102") + `%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=` + signed.Format("20060102T150405Z") + `&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0f4a9c2be1d7a3f5c6b8e0d2a4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1 403 cause=expired-token
`,
		Readme: `# Expired S3 pre-signed URL

A SigV4 pre-signed GET (X-Amz-Date + X-Amz-Expires=3600) opened 75 minutes after signing; S3 answers 403 AccessDenied "Request has expired" with Expires and ServerTime.

Signatures: Amazon S3 XML error body, Server: AmazonS3, x-amz-request-id, x-amz-id-2, AccessDenied / "Request has expired" with Expires/ServerTime: docs signatures.md §5 "Amazon S3 (XML)" (S3 error-code list https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html, marked unconfirmed there); query parameters of SigV4 pre-signed URLs: AWS "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)". The access key is AWS's documented example key AKIAIOSFODNN7EXAMPLE.
`}
}

func azureSASExpired() Trace {
	b := newBuilder()
	st, se := base.Add(-3*time.Hour), base.Add(-2*time.Hour-20*time.Minute)
	u := "https://contosodocs.blob.core.windows.net/contracts/2026/nda.pdf?sp=r&st=" + st.Format("2006-01-02T15:04:05Z") + "&se=" + se.Format("2006-01-02T15:04:05Z") +
		"&spr=https&sv=2022-11-02&sr=b&sig=Zm9vYmFyYmF6cXV4c2lnbmF0dXJlLW5vdC1yZWFsLTAxMjM0NTY3ODk%3D"
	b.Add("GET", u, 403, tracebuild.RespHeader("Server", "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0"), tracebuild.RespHeader("x-ms-error-code", "AuthenticationFailed"),
		tracebuild.RespHeader("x-ms-request-id", "5d3c1b2a-701e-0042-3c4b-9f1e2d000000"), tracebuild.RespHeader("Content-Type", "application/xml"),
		tracebuild.Body("application/xml", `<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.
RequestId:5d3c1b2a-701e-0042-3c4b-9f1e2d000000
Time:`+base.Format("2006-01-02T15:04:05.0000000Z")+`</Message><AuthenticationErrorDetail>Signed expiry time [`+se.Format("Mon, 02 Jan 2006 15:04:05 GMT")+`] must be after signed start time [`+st.Format("Mon, 02 Jan 2006 15:04:05 GMT")+`] and current time [`+base.Format("Mon, 02 Jan 2006 15:04:05 GMT")+`]</AuthenticationErrorDetail></Error>`))
	return Trace{Name: "azure-sas-expired", Entries: b.Entries(),
		Expect: "# An Azure Blob SAS link opened 2 h 20 min after its signed expiry (se=).\n0 GET " +
			u[len("https://contosodocs.blob.core.windows.net"):] + " 403 cause=expired-token\n",
		Readme: `# Expired Azure Storage SAS link

A shared-access-signature link to a blob, opened after its signed expiry time (se=); Azure Storage answers 403 AuthenticationFailed.

Signatures: Azure Storage XML error with Code AuthenticationFailed, the "Server failed to authenticate the request…" message, AuthenticationErrorDetail, x-ms-error-code, x-ms-request-id and Server: Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0: docs signatures.md §5 "Azure Storage" (exact wording marked unconfirmed there; the "Signed expiry time [...] must be after signed start time [...] and current time [...]" detail is the commonly reported text, unconfirmed). SAS query parameters (sp, st, se, spr, sv, sr, sig): Microsoft "Create a service SAS" documentation; catalogue §3.2 expired-token ("Azure SAS se=").
`}
}
