package trace

import (
	"strings"
	"testing"

	"authlens/analysis/internal/fixture"
)

// TestNoCSRFTokenEvidence checks the row names the usual token headers,
// not X-Requested-With.
func TestNoCSRFTokenEvidence(t *testing.T) {
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
