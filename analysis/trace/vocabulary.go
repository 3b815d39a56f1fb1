package trace

import (
	"net/url"
	"strings"

	"authlens/analysis/entry"
	"authlens/analysis/signatures"
	"authlens/har"
	"authlens/redact"
)

// ServerWords returns what the server of entry i said about its failure
// in its own vocabulary (error codes and message); empty for successes and
// for failures that said nothing readable. Values are unmasked: mask them
// (redact.Text) before showing them.
func (t *Trace) ServerWords(i int) signatures.ServerWords {
	if i < len(t.words) {
		return t.words[i]
	}
	return t.readServerWords(i)
}

// Vocabulary returns the documented vendor errors (signatures.Vocabulary)
// the server's words of entry i match, strongest first.
func (t *Trace) Vocabulary(i int) []signatures.VocabularyMatch {
	if i < len(t.vocab) {
		return t.vocab[i]
	}
	e := t.Entries[i]
	return signatures.MatchVocabulary(e, entry.EffectiveStatus(e), t.ServerWords(i), t.SentCredentials(i), signatures.Vocabulary)
}

// VocabularyFor returns the strongest vocabulary match of entry i that
// names cause, first or as an also.
func (t *Trace) VocabularyFor(i int, cause string) (signatures.VocabularyMatch, bool) {
	for _, m := range t.Vocabulary(i) {
		if m.Cause == cause {
			return m, true
		}
	}
	for _, m := range t.Vocabulary(i) {
		if m.Names(cause) {
			return m, true
		}
	}
	return signatures.VocabularyMatch{}, false
}

// VocabularyEvidence is the evidence row for a vocabulary match at entry i.
func VocabularyEvidence(i int, m signatures.VocabularyMatch) Evidence {
	return Evidence{Entry: i, Where: m.Where, Detail: m.Vendor + " says " + m.Quote}
}

func buildServerWords(t *Trace) ([]signatures.ServerWords, [][]signatures.VocabularyMatch) {
	words := make([]signatures.ServerWords, len(t.Entries))
	vocab := make([][]signatures.VocabularyMatch, len(t.Entries))
	for i, e := range t.Entries {
		words[i] = t.readServerWords(i)
		if !words[i].Empty() {
			vocab[i] = signatures.MatchVocabulary(e, entry.EffectiveStatus(e), words[i], t.SentCredentials(i), signatures.Vocabulary)
		}
	}
	return words, vocab
}

// maxOKErrorBody bounds the successful answers read for an error document:
// APIs that report failure inside a 200 ({"ok":false,"error":…}) send
// small bodies.
const maxOKErrorBody = 4 << 10

func (t *Trace) readServerWords(i int) signatures.ServerWords {
	e := t.Entries[i]
	st := entry.EffectiveStatus(e)
	if st < 400 {
		c := &e.Response.Content
		if st != 200 || c.Ref != nil || len(c.Text) > maxOKErrorBody || !strings.Contains(strings.ToLower(c.MimeType), "json") {
			return signatures.ServerWords{}
		}
		if b := t.Body(i); !strings.Contains(b, `"ok":false`) && !strings.Contains(b, `"ok": false`) {
			return signatures.ServerWords{}
		}
	}
	return signatures.ReadServerWords(e, t.Body(i))
}

// SentCredentials reports whether the request of entry i carried anything
// that identifies the caller: an Authorization header, user:password in the
// URL, a Cookie header, an API-key header, or a secret-named query parameter.
func (t *Trace) SentCredentials(i int) bool {
	a := t.Auth(i)
	if a.Credentials != nil && !a.Credentials.Empty() || a.URLUserinfo || t.HasCookieHeader(i) {
		return true
	}
	if _, ok := t.APIKeyHeader(i); ok {
		return true
	}
	e := t.Entries[i]
	if u, err := url.Parse(e.Request.URL); err == nil {
		for k := range u.Query() {
			if redact.IsSecretName(k) {
				return true
			}
		}
	}
	return false
}

// ServerSaid is the entry's server words for people, masked, with the
// format they were read from and where; said is "" when the server said
// nothing readable.
func (t *Trace) ServerSaid(i int) (format, said string, where har.Location) {
	w := t.ServerWords(i)
	if w.Empty() {
		return "", "", har.Location{}
	}
	return w.Format, w.Quote(), w.Where
}

// APIKeyHeader returns the header other than Authorization, Cookie and
// Proxy-Authorization in which the request of entry i carried a secret
// (X-API-Key, PRIVATE-TOKEN, X-Auth-Token…): API clients often send their
// credential so, and a 401 to such a request is a refused key, not a
// missing one.
func (t *Trace) APIKeyHeader(i int) (name string, ok bool) {
	for _, h := range t.Entries[i].Request.Headers {
		if strings.EqualFold(h.Name, "Authorization") || strings.EqualFold(h.Name, "Cookie") || strings.EqualFold(h.Name, "Proxy-Authorization") {
			continue
		}
		if redact.IsSecretHeader(h.Name) && !strings.Contains(strings.ToLower(h.Name), "csrf") && !strings.Contains(strings.ToLower(h.Name), "xsrf") && strings.TrimSpace(h.Value) != "" {
			return h.Name, true
		}
	}
	return "", false
}
