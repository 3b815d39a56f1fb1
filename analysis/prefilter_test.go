package analysis

import (
	"regexp"
	"strings"
	"testing"
)

func TestPrefilterNeverHidesAMatch(t *testing.T) {
	patterns := []*regexp.Regexp{expiredText, notLoggedInText, badCredentialsText, expiryWords,
		regexp.MustCompile(`(?i)invalid (user(name)?|login)?\s*(credentials|password)`), regexp.MustCompile(`a*b`)}
	texts := []string{
		"Your Token Has Expired, sign in", "JWT EXPIRED", "error: Invalid   Credentials", "invalid password",
		"Authentication credentials were not provided.", "nothing here", "b", "<p>Logon failed</p>", "session expired",
	}
	var ps prefilters
	for _, re := range patterns {
		p := ps.of(re)
		for _, s := range texts {
			if re.MatchString(s) && !p.mayMatch(strings.ToLower(s)) {
				t.Errorf("prefilter of %q hides the match in %q (literals %q)", re, s, p.any)
			}
		}
	}
	if p := ps.of(expiredText); p.any == nil || p.mayMatch("an ordinary page") {
		t.Errorf("expiredText should have a selective prefilter, got %q", p.any)
	}
}
