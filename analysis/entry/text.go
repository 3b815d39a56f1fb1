package entry

import (
	"net/http"
	"time"
)

// OrDefault returns s, or def when s is empty.
func OrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// HTTPDate parses an HTTP date (RFC 9110 §5.6.7, all three formats).
func HTTPDate(v string) (time.Time, error) {
	return http.ParseTime(v)
}

// OrWord returns s, or the word def when s is empty (the same as
// OrDefault; rules use both names).
func OrWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
