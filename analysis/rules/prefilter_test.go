package rules

import (
	"regexp"
	"strings"
	"testing"

	"authlens/analysis/trace"
)

func TestPrefilterNeverHidesAMatch(t *testing.T) {
	patterns := []*regexp.Regexp{expiredText, badCredentialsText,
		regexp.MustCompile(`(?i)invalid (user(name)?|login)?\s*(credentials|password)`), regexp.MustCompile(`a*b`)}
	texts := []string{
		"Your Token Has Expired, sign in", "JWT EXPIRED", "error: Invalid   Credentials", "invalid password",
		"Authentication credentials were not provided.", "nothing here", "b", "<p>Logon failed</p>", "session expired",
	}
	var ps trace.Prefilters
	for _, re := range patterns {
		p := ps.Of(re)
		for _, s := range texts {
			if re.MatchString(s) && !p.MayMatch(strings.ToLower(s)) {
				t.Errorf("prefilter of %q hides the match in %q (literals %q)", re, s, p.Any)
			}
		}
	}
	if p := ps.Of(expiredText); p.Any == nil || p.MayMatch("an ordinary page") {
		t.Errorf("expiredText should have a selective prefilter, got %q", p.Any)
	}
}
