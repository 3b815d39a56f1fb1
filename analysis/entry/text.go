package entry

import (
	"net/http"
	"time"
)

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

func OrWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
