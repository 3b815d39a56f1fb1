package rules_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"authlens/har"
)

// TestNoSecretsInDiagnoses analyses every recorded and signature trace and
// checks that no credential the requests carried — Authorization and
// Proxy-Authorization values, Basic passwords, passwords in URLs, client
// secrets in token requests — appears in any diagnosis or note.
func TestNoSecretsInDiagnoses(t *testing.T) {
	for _, dir := range scenarioDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			h, rep := loadAndAnalyze(t, dir)
			var parts []any
			for _, x := range rep.Exchanges {
				parts = append(parts, x.Diagnoses, x.Explanation)
			}
			parts = append(parts, rep.Notes)
			out, err := json.Marshal(parts)
			if err != nil {
				t.Fatal(err)
			}
			text := string(out)
			for _, s := range requestSecrets(h.Entries) {
				if strings.Contains(text, s) {
					t.Errorf("the report shows a secret the requests carried (%d chars, starts %q)", len(s), s[:3])
				}
			}
		})
	}
}

func requestSecrets(entries []*har.Entry) []string {
	var out []string
	add := func(s string, min int) {
		if len(s) >= min {
			out = append(out, s)
		}
	}
	for _, e := range entries {
		for _, name := range []string{"Authorization", "Proxy-Authorization"} {
			for _, v := range har.HeaderValues(e.Request.Headers, name) {
				scheme, cred, _ := strings.Cut(strings.TrimSpace(v), " ")
				add(cred, 12)
				if strings.EqualFold(scheme, "basic") {
					if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
						if _, pw, ok := strings.Cut(string(raw), ":"); ok {
							add(pw, 6)
						}
					}
				}
			}
		}
		if u, err := url.Parse(e.Request.URL); err == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok {
				add(pw, 6)
			}
		}
		if pd := e.Request.PostData; pd != nil {
			if q, err := url.ParseQuery(pd.Text); err == nil {
				add(q.Get("client_secret"), 8)
				add(q.Get("password"), 6)
			}
		}
	}
	return out
}
