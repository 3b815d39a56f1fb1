package signatures

import (
	"regexp"
	"strings"

	"authlens/har"
	"authlens/redact"
)

// A Term is one documented error of a platform's vocabulary — an error
// code, a reason, or a message its documentation gives — and the catalogue
// cause it names. Where a page fingerprint (Signature) recognises who
// answered, a Term reads what they said.
type Term struct {
	ID     string
	Vendor string
	// Cause is the catalogue cause the term names; Also lists causes it
	// supports too.
	Cause string
	Also  []string
	// Meaning says in plain words what the vendor means by it.
	Meaning string
	// Codes match any of the response's error codes exactly (vendors'
	// codes are case-sensitive: Google's "forbidden" is not Kubernetes'
	// "Forbidden"); CodePrefix matches codes that start with it.
	Codes      []string
	CodePrefix string
	// CodePattern matches codes by shape, for the words many APIs share
	// ("expired_access_token", "TOKEN_EXPIRED").
	CodePattern *regexp.Regexp
	// Message, when set, must match the server's message (and, when Codes
	// are set too, both must match: "Forbidden" + "system:anonymous").
	Message *regexp.Regexp
	// Statuses limits the term to these statuses; nil means any error
	// status (400 and above). Slack-style APIs answer 200 {ok:false}.
	Statuses []int
	// Format, when set, must be the words' format ("Kubernetes Status"):
	// a bare "Unauthorized" means something only in a known shape.
	Format string
	// URL, when set, must match the request URL (the code host APIs whose
	// 404 hides a private resource).
	URL *regexp.Regexp
	// Sent limits the term by whether the request carried credentials:
	// API Gateway's "Missing Authentication Token" means "no credential"
	// without one and "no such path" with one.
	Sent     Sent
	strength Strength
	Source   string
}

// Sent is a condition on the request's credentials.
type Sent int

const (
	SentAny  Sent = iota // whatever the request carried
	SentSome             // only when the request carried a credential
	SentNone             // only when it carried none
)

// VocabularyMatch is one term found in one exchange.
type VocabularyMatch struct {
	ID         string
	Vendor     string
	Cause      string
	Also       []string
	Meaning    string
	Strength   string
	Confidence float64
	// Code is the code that matched ("" when the message did); Quote is
	// the server's words, masked, for evidence.
	Code   string
	Quote  string
	Where  har.Location
	Source string
}

// Names reports whether the match names cause, first or as an also.
func (m VocabularyMatch) Names(cause string) bool {
	if m.Cause == cause {
		return true
	}
	for _, a := range m.Also {
		if a == cause {
			return true
		}
	}
	return false
}

// Confidence of a term: a documented code that names one cause is close
// to proof; a broad standard code (RFC 6750 invalid_token) is a lead.
func (t *Term) confidence() float64 {
	return map[Strength]float64{Unique: 0.9, Strong: 0.8, Generic: 0.45}[t.strength]
}

// MatchVocabulary returns every term of table the server's words w (read
// from e, whose effective status is status) match, strongest first (table
// order among equals). sent says whether the request carried a credential.
func MatchVocabulary(e *har.Entry, status int, w ServerWords, sent bool, table []*Term) []VocabularyMatch {
	if w.Empty() {
		return nil
	}
	var out []VocabularyMatch
	// A code a message-refined term already explained is not read again
	// by the same code's general term (the table lists refined terms first).
	explained := map[string]bool{}
	for _, t := range table {
		if t.URL != nil && !t.URL.MatchString(e.Request.URL) {
			continue
		}
		if code, ok := t.match(status, w, sent); ok {
			if code != "" {
				if t.Message == nil && explained[code] {
					continue
				}
				if t.Message != nil {
					explained[code] = true
				}
			}
			out = append(out, VocabularyMatch{
				ID: t.ID, Vendor: t.Vendor, Cause: t.Cause, Also: t.Also, Meaning: t.Meaning,
				Strength: t.strength.String(), Confidence: t.confidence(),
				Code: code, Quote: quote(w, code), Where: w.Where, Source: t.Source,
			})
		}
	}
	for a := 1; a < len(out); a++ {
		for b := a; b > 0 && out[b].Confidence > out[b-1].Confidence; b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out
}

func (t *Term) match(status int, w ServerWords, sent bool) (string, bool) {
	if t.Statuses != nil {
		if !containsInt(t.Statuses, status) {
			return "", false
		}
	} else if status < 400 {
		return "", false
	}
	if t.Sent == SentSome && !sent || t.Sent == SentNone && sent {
		return "", false
	}
	if t.Format != "" && t.Format != w.Format {
		return "", false
	}
	code := ""
	if len(t.Codes) > 0 || t.CodePrefix != "" || t.CodePattern != nil {
		code = t.matchCode(w)
		if code == "" {
			return "", false
		}
	}
	if t.Message != nil && !t.Message.MatchString(w.Message) {
		return "", false
	}
	return code, true
}

func (t *Term) matchCode(w ServerWords) string {
	for _, c := range w.Codes {
		for _, want := range t.Codes {
			if c == want {
				return c
			}
		}
		if t.CodePrefix != "" && len(c) > len(t.CodePrefix) && strings.HasPrefix(c, t.CodePrefix) {
			return c
		}
		if t.CodePattern != nil && t.CodePattern.MatchString(c) {
			return c
		}
	}
	return ""
}

// quote is the evidence text: the code and the message, masked.
func quote(w ServerWords, code string) string {
	if code == "" && len(w.Codes) > 0 {
		code = w.Codes[0]
	}
	return redact.Text(joinQuote(code, w.Message))
}

// joinQuote writes code — “message”. A colon after the code would read
// as "name: value" to the masker and hide the message's first word.
func joinQuote(code, message string) string {
	s := code
	if message != "" {
		if s != "" {
			s += " — "
		}
		s += "“" + message + "”"
	}
	return s
}
