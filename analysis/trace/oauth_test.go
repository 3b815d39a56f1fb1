package trace

import (
	"reflect"
	"testing"
	"time"

	"authlens/analysis/internal/fixture"
	"authlens/har"
)

func TestGrantsRefusedBefore(t *testing.T) {
	refresh := func(sec, status int, body string) *har.Entry {
		e := fixture.Entry(sec, "POST", "https://idp.example.com/oauth2/token", status, nil, nil, body)
		e.Request.PostData = &har.PostData{MimeType: "application/x-www-form-urlencoded", Text: "grant_type=refresh_token&refresh_token=r"}
		return e
	}
	tr := traceOf(
		refresh(0, 400, `{"error":"invalid_grant"}`),
		refresh(900, 400, `{"error":"invalid_grant"}`),
		refresh(901, 400, `{"error":"invalid_request"}`),
		fixture.Entry(960, "GET", "https://api.example.com/me", 401, nil, nil, ""),
	)
	if !tr.GrantRefused(0) || tr.GrantRefused(2) || tr.GrantRefused(3) {
		t.Error("GrantRefused: only the invalid_grant answers")
	}
	if got := tr.GrantsRefusedBefore(3, 10*time.Minute); !reflect.DeepEqual(got, []int{1}) {
		t.Errorf("GrantsRefusedBefore(3) = %v, want [1] (entry 0 is 16 minutes before)", got)
	}
}
