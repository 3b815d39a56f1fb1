package signatures_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"authlens/analysis/signatures"
	"authlens/har"
)

// TestReadServerWordsShapes pins what ReadServerWords reads from each
// error shape it knows: the format's name, the codes (most specific
// first) and the message.
func TestReadServerWordsShapes(t *testing.T) {
	cases := []struct {
		name    string
		mime    string
		headers []har.Header
		body    string
		format  string
		codes   []string
		message string
	}{
		{
			name:   "OAuth 2 token error",
			body:   `{"error":"invalid_grant","error_description":"Token is not active"}`,
			format: "OAuth 2 error", codes: []string{"invalid_grant"}, message: "Token is not active",
		},
		{
			name:   "Entra token error: the AADSTS code from the message comes first",
			body:   `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1","error_codes":[7000215]}`,
			format: "OAuth 2 error", codes: []string{"AADSTS7000215", "invalid_client"},
			message: "AADSTS7000215: Invalid client secret provided. Trace ID: 1",
		},
		{
			name:    "Bearer challenge",
			headers: []har.Header{{Name: "WWW-Authenticate", Value: `Bearer realm="example", error="invalid_token", error_description="The access token expired"`}},
			format:  "Bearer challenge", codes: []string{"invalid_token"}, message: "The access token expired",
		},
		{
			name: "problem+json (RFC 9457): the type URI's last segment is the code",
			mime: "application/problem+json",
			body: `{"type":"https://api.twitter.com/2/problems/client-forbidden","title":"Client Forbidden","detail":"You must use keys from an App attached to a Project.","reason":"client-not-enrolled"}`,
			// reason is read before type: the vendor's own reason is the more specific.
			format: "problem+json", codes: []string{"client-not-enrolled", "client-forbidden"},
			message: "You must use keys from an App attached to a Project.",
		},
		{
			name:   "google.rpc.Status: legacy reasons, ErrorInfo reason, then the status",
			body:   `{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}`,
			format: "google.rpc.Status", codes: []string{"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "PERMISSION_DENIED"},
			message: "Insufficient Permission",
		},
		{
			name:   "Kubernetes Status: the generic Failure is dropped",
			body:   `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \"system:anonymous\" cannot get path \"/\"","reason":"Forbidden","details":{},"code":403}`,
			format: "Kubernetes Status", codes: []string{"Forbidden"}, message: `forbidden: User "system:anonymous" cannot get path "/"`,
		},
		{
			name:   "Slack {ok:false}",
			body:   `{"ok":false,"error":"missing_scope","needed":"chat:write","provided":"channels:read"}`,
			format: "Slack-style {ok:false}", codes: []string{"missing_scope"},
		},
		{
			name:   "Stripe: the message and type in an error object",
			body:   `{"error":{"code":"api_key_expired","message":"Expired API Key provided: sk_live_****1234","type":"invalid_request_error"}}`,
			format: "JSON error", codes: []string{"api_key_expired", "invalid_request_error"}, message: "Expired API Key provided: sk_live_****1234",
		},
		{
			name:   "Salesforce array",
			body:   `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
			format: "JSON error", codes: []string{"INVALID_SESSION_ID"}, message: "Session expired or invalid",
		},
		{
			name:   "Okta errorCode and errorSummary",
			body:   `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}`,
			format: "JSON error", codes: []string{"E0000011"}, message: "Invalid token provided",
		},
		{
			name:   "Docker registry errors array",
			body:   `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"registry","Name":"catalog","Action":"*"}]}]}`,
			format: "JSON error", codes: []string{"UNAUTHORIZED"}, message: "authentication required",
		},
		{
			name:   "AWS JSON services: __type with a namespace",
			body:   `{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}`,
			format: "JSON error", codes: []string{"com.amazon.coral.service#UnrecognizedClientException"}, message: "The security token included in the request is invalid.",
		},
		{
			name:   "OData error (Azure AD Graph): message {lang,value}",
			body:   `{"odata.error":{"code":"Authorization_RequestDenied","message":{"lang":"en","value":"Insufficient privileges to complete the operation."}}}`,
			format: "JSON error", codes: []string{"Authorization_RequestDenied"}, message: "Insufficient privileges to complete the operation.",
		},
		{
			name:   "OData error with AuthenticationErrorDetail in values",
			body:   `{"code":"AuthenticationFailed","message":{"lang":"en-US","value":"Server failed to authenticate the request."},"values":[{"key":"AuthenticationErrorDetail","value":"The access token has been obtained from wrong audience."}]}`,
			format: "JSON error", codes: []string{"AuthenticationFailed"},
			message: "The access token has been obtained from wrong audience. Server failed to authenticate the request.",
		},
		{
			name:   "Nextcloud OCS, JSON",
			body:   `{"ocs":{"data":[],"meta":{"message":"Current user is not logged in","status":"failure","statuscode":997}}}`,
			format: "OCS error", codes: []string{"997"}, message: "Current user is not logged in",
		},
		{
			name:   "a product tag before the code",
			body:   `{"code":"[jwt_auth] incorrect_password","message":"The username or password you entered is incorrect.","data":{"status":403}}`,
			format: "JSON error", codes: []string{"incorrect_password"}, message: "The username or password you entered is incorrect.",
		},
		{
			name: "a sentence where a code would be is not a code",
			body: `{"error":"Something went wrong here","message":"Please try again later."}`,
			// The message keys are read in order: "message" before "error".
			format: "JSON error", message: "Please try again later.",
		},
		{
			name:   "AWS S3 XML",
			mime:   "application/xml",
			body:   `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message><RequestId>1</RequestId></Error>`,
			format: "XML error", codes: []string{"AccessDenied"}, message: "Request has expired",
		},
		{
			name:   "STS ErrorResponse XML",
			mime:   "text/xml",
			body:   "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>ExpiredToken</Code>\n    <Message>The security token included in the request is expired</Message>\n  </Error>\n</ErrorResponse>",
			format: "XML error", codes: []string{"ExpiredToken"}, message: "The security token included in the request is expired",
		},
		{
			name:   "Azure Storage XML: the detail before the generic message",
			mime:   "application/xml",
			body:   "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:1</Message><AuthenticationErrorDetail>Request date header too old: 'Fri, 04 Oct 2019 18:02:12 GMT'</AuthenticationErrorDetail></Error>",
			format: "XML error", codes: []string{"AuthenticationFailed"},
			message: "Request date header too old: 'Fri, 04 Oct 2019 18:02:12 GMT' Server failed to authenticate the request. RequestId:1",
		},
		{
			name:   "Nextcloud OCS XML",
			mime:   "application/xml",
			body:   "<?xml version=\"1.0\"?>\n<ocs>\n <meta>\n  <status>failure</status>\n  <statuscode>997</statuscode>\n  <message>Current user is not logged in</message>\n </meta>\n <data/>\n</ocs>",
			format: "OCS error", codes: []string{"997"}, message: "Current user is not logged in",
		},
		{
			name:   "Jetty error page",
			mime:   "text/html",
			body:   "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"/>\n<title>Error 403 No valid crumb was included in the request</title>\n</head>\n<body></body></html>",
			format: "Jetty error page", message: "No valid crumb was included in the request",
		},
		{
			name: "other HTML error pages say nothing",
			mime: "text/html",
			body: "<html>\n<head><title>403 Forbidden</title></head>\n<body><center><h1>403 Forbidden</h1></center></body>\n</html>",
		},
		{
			name:   "short plain text",
			mime:   "text/plain",
			body:   "No valid crumb was included in the request",
			format: "text", message: "No valid crumb was included in the request",
		},
		{
			name: "plain text of another media type is not read",
			mime: "application/octet-stream",
			body: "No valid crumb was included in the request",
		},
		{
			name:    "vendor headers: AWS error type before the URL after the colon",
			headers: []har.Header{{Name: "x-amzn-ErrorType", Value: "MissingAuthenticationTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/"}},
			format:  "AWS error header", codes: []string{"MissingAuthenticationTokenException"},
		},
		{
			name: "vendor headers: the body's code first, the header's added",
			headers: []har.Header{
				{Name: "x-ms-error-code", Value: "AuthorizationFailure"},
			},
			mime:   "application/xml",
			body:   `<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code><Message>This request is not authorized to perform this operation.</Message></Error>`,
			format: "XML error", codes: []string{"AuthorizationFailure"}, message: "This request is not authorized to perform this operation.",
		},
		{
			name: "Atlassian headers: the reason before the parameters",
			headers: []har.Header{
				{Name: "X-Seraph-LoginReason", Value: "AUTHENTICATION_DENIED"},
				{Name: "X-Authentication-Denied-Reason", Value: "CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp"},
			},
			format: "Atlassian login header", codes: []string{"AUTHENTICATION_DENIED", "CAPTCHA_CHALLENGE"},
		},
		{
			name:    "gRPC message header",
			headers: []har.Header{{Name: "grpc-message", Value: "Request had invalid authentication credentials."}},
			format:  "gRPC status", message: "Request had invalid authentication credentials.",
		},
		{
			name: "nothing readable",
			body: `{"data":{"items":[]}}`,
		},
		{
			name: "a status repeated as a string is not a code",
			body: `{"status":"401","error":"Unauthorized"}`,
			// "Unauthorized" is one word without a period: a code, not a message.
			format: "JSON error", codes: []string{"Unauthorized"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &har.Entry{}
			e.Response.Status = 403
			e.Response.Headers = c.headers
			e.Response.Content.MimeType = c.mime
			if c.mime == "" && c.body != "" {
				e.Response.Content.MimeType = "application/json"
			}
			w := signatures.ReadServerWords(e, c.body)
			if w.Format != c.format {
				t.Errorf("format %q, want %q", w.Format, c.format)
			}
			if !reflect.DeepEqual(w.Codes, c.codes) && !(len(w.Codes) == 0 && len(c.codes) == 0) {
				t.Errorf("codes %q, want %q", w.Codes, c.codes)
			}
			if w.Message != c.message {
				t.Errorf("message %q, want %q", w.Message, c.message)
			}
		})
	}
}

// TestServerWordsBounds checks the limits the fuzz target asserts on
// inputs built to break them.
func TestServerWordsBounds(t *testing.T) {
	long := strings.Repeat("é ", 200) // "é" is two bytes: a cut must not split one
	e := &har.Entry{}
	e.Response.Status = 401
	e.Response.Content.MimeType = "application/json"
	w := signatures.ReadServerWords(e, `{"error":"invalid_grant","error_description":"`+long+`"}`)
	checkWords(t, w)
	if !strings.HasSuffix(w.Message, "…") {
		t.Errorf("a long message is not clipped: %d bytes", len(w.Message))
	}
	e.Response.Headers = []har.Header{{Name: "x-ms-error-code", Value: "Not A\x00Code"}, {Name: "grpc-message", Value: "bad\x1b[31m\x07 \x7f message\r\n"}}
	checkWords(t, signatures.ReadServerWords(e, ""))
	e.Response.Headers = []har.Header{{Name: "WWW-Authenticate", Value: "Bearer error=\"invalid token\", error_description=\"line\x01one\""}}
	checkWords(t, signatures.ReadServerWords(e, ""))
	e.Response.Headers = nil
	e.Response.Content.MimeType = "application/xml"
	checkWords(t, signatures.ReadServerWords(e, "<Error><Code>Bad\x01Code</Code><Message>caf\xe9 \x02 au lait</Message></Error>"))
}

// checkWords asserts the promises ServerWords makes to its callers: a
// bounded, valid message; codes without spaces or controls; a quote
// without control characters.
func checkWords(t *testing.T, w signatures.ServerWords) {
	t.Helper()
	if len(w.Message) > 300+len("…") {
		t.Errorf("message is %d bytes", len(w.Message))
	}
	if !utf8.ValidString(w.Message) {
		t.Errorf("message is not UTF-8: %q", w.Message)
	}
	for _, c := range w.Codes {
		if c == "" || len(c) > 80 || !utf8.ValidString(c) {
			t.Errorf("code %q: empty, over 80 bytes or not UTF-8", c)
		}
		for _, r := range c {
			if unicode.IsSpace(r) || unicode.IsControl(r) {
				t.Errorf("code %q holds %U", c, r)
				break
			}
		}
	}
	q := w.Quote()
	if !utf8.ValidString(q) {
		t.Errorf("quote is not UTF-8: %q", q)
	}
	for i := 0; i < len(q); i++ {
		if q[i] < 0x20 || q[i] == 0x7f {
			t.Errorf("quote holds control byte %#x: %q", q[i], q)
			break
		}
	}
}

// FuzzReadServerWords feeds ReadServerWords arbitrary bodies and headers.
// Seeds are the vocabulary examples.
func FuzzReadServerWords(f *testing.F) {
	for _, x := range loadExamples(f) {
		challenge, _ := har.HeaderValue(x.headers, "WWW-Authenticate")
		vendor := ""
		for _, h := range x.headers {
			if strings.HasPrefix(strings.ToLower(h.Name), "x-") {
				vendor = h.Value
				break
			}
		}
		mime := x.entry().Response.Content.MimeType
		f.Add(x.body, challenge, vendor, mime)
	}
	f.Fuzz(func(t *testing.T, body, challenge, vendor, mime string) {
		e := &har.Entry{}
		e.Response.Status = 401
		e.Response.Content.MimeType = mime
		if challenge != "" {
			e.Response.Headers = append(e.Response.Headers, har.Header{Name: "WWW-Authenticate", Value: challenge})
		}
		if vendor != "" {
			e.Response.Headers = append(e.Response.Headers,
				har.Header{Name: "x-ms-error-code", Value: vendor},
				har.Header{Name: "X-Authentication-Denied-Reason", Value: vendor},
				har.Header{Name: "grpc-message", Value: vendor})
		}
		start := time.Now()
		w := signatures.ReadServerWords(e, body)
		checkWords(t, w)
		_ = signatures.MatchVocabulary(e, 401, w, vendor != "", signatures.Vocabulary)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%v for a %d-byte body and %d/%d-byte headers", d, len(body), len(challenge), len(vendor))
		}
	})
}
