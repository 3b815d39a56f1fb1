package trace

import (
	"net/http"
	"time"

	"authlens/har"
)

func OrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// inlineBody returns an inline body's bytes, "" on bad base64.
func inlineBody(c *har.Content) []byte {
	b, err := c.InlineBytes()
	if err != nil {
		return nil
	}
	return b
}

// HTTPDate parses an HTTP date (RFC 9110 §5.6.7, all three formats).
func HTTPDate(v string) (time.Time, error) {
	return http.ParseTime(v)
}
