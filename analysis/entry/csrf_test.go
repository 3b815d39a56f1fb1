package entry

import (
	"testing"

	"authlens/analysis/internal/fixture"
	"authlens/har"
)

func TestCSRFPairSent(t *testing.T) {
	withCookie := fixture.Entry(0, "POST", "https://app.example.com/form", 403, []string{"Cookie: csrftoken=abc; sessionid=s"}, nil, "")
	if name, ok := CSRFCookieSent(withCookie); !ok || name != "csrftoken" {
		t.Errorf("CSRFCookieSent = %q, %v", name, ok)
	}
	if CSRFTokenSent(withCookie) {
		t.Error("no token header or field was sent")
	}
	header := fixture.Entry(0, "POST", "https://app.example.com/form", 403, []string{"X-CSRFToken: abc"}, nil, "")
	xrw := fixture.Entry(0, "POST", "https://app.example.com/form", 403, []string{"X-Requested-With: XMLHttpRequest"}, nil, "")
	field := fixture.Entry(0, "POST", "https://app.example.com/form", 403, nil, nil, "")
	field.Request.PostData = &har.PostData{MimeType: "application/x-www-form-urlencoded", Text: "name=x&csrfmiddlewaretoken=abc"}
	query := fixture.Entry(0, "POST", "https://app.example.com/form?_csrf=abc", 403, nil, nil, "")
	for name, e := range map[string]*har.Entry{"header": header, "field": field, "query": query} {
		if !CSRFTokenSent(e) {
			t.Errorf("%s: token not seen", name)
		}
	}
	if CSRFTokenSent(xrw) {
		t.Error("X-Requested-With alone is no token")
	}
}
