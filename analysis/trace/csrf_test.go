package trace

import (
	"strings"
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
	if d := NoCSRFTokenEvidence(3).Detail; !strings.Contains(d, "X-CSRFToken / X-CSRF-Token") || strings.Contains(d, "X-Requested-With") {
		t.Errorf("NoCSRFTokenEvidence = %q", d)
	}
}

func TestWordPressNonceMissing(t *testing.T) {
	refused := `{"code":"rest_cannot_create","message":"Sorry, you are not allowed to create posts."}`
	tr := traceOf(
		fixture.Entry(0, "POST", "https://blog.example.com/wp-json/wp/v2/posts", 401, []string{"Cookie: wordpress_logged_in_abc=u"}, nil, refused),
		fixture.Entry(1, "POST", "https://blog.example.com/wp-json/wp/v2/posts", 401, []string{"Cookie: wordpress_logged_in_abc=u", "X-WP-Nonce: 1234"}, nil, refused),
		fixture.Entry(2, "POST", "https://blog.example.com/wp-json/wp/v2/posts", 401, nil, nil, refused),
	)
	if !tr.WordPressNonceMissing(0) {
		t.Error("entry 0: signed-in cookie, no nonce, refused")
	}
	if tr.WordPressNonceMissing(1) || tr.WordPressNonceMissing(2) {
		t.Error("entries 1 (nonce sent) and 2 (not signed in) are no missing nonce")
	}
}

func TestCSRFRequestEvidence(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "GET", "https://app.example.com/form", 200, nil, []string{"Set-Cookie: csrftoken=abc; Path=/"}, ""),
		fixture.Entry(1, "POST", "https://app.example.com/form", 403, []string{"Cookie: csrftoken=abc", "X-CSRFToken: zzz", "Origin: https://app.example.com"}, nil, ""),
	)
	var details []string
	for _, ev := range tr.CSRFRequestEvidence(1) {
		details = append(details, ev.Detail)
	}
	got := strings.Join(details, " | ")
	for _, want := range []string{"anti-forgery cookie sent: csrftoken", "token header or field was sent", "Origin: https://app.example.com"} {
		if !strings.Contains(got, want) {
			t.Errorf("CSRFRequestEvidence = %q, missing %q", got, want)
		}
	}
}
