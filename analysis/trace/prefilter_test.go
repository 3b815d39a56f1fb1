package trace

import (
	"regexp"
	"strings"
	"testing"
)

// TestPrefilterKeepsTraceWordings checks the literal prefilters of the
// trace's own body wordings never hide a match.
func TestPrefilterKeepsTraceWordings(t *testing.T) {
	texts := []string{"Authentication credentials were not provided.", "JWT EXPIRED", "token is expired", "Access Denied", "nothing here", "requires the role admin"}
	var ps Prefilters
	for _, re := range []*regexp.Regexp{notLoggedInText, permissionText} {
		p := ps.Of(re)
		matched := 0
		for _, s := range texts {
			if re.MatchString(s) {
				matched++
				if !p.MayMatch(strings.ToLower(s)) {
					t.Errorf("prefilter of %q hides the match in %q (literals %q)", re, s, p.Any)
				}
			}
		}
		if matched == 0 {
			t.Errorf("no sample text matches %q: the test checks nothing for it", re)
		}
	}
}
