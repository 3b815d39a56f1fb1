package har

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Part names a part of an exchange, by its path in the HAR format.
type Part string

// The parts of an exchange that evidence points at.
const (
	PartRequest          Part = "request"
	PartRequestURL       Part = "request.url"
	PartRequestVersion   Part = "request.httpVersion"
	PartRequestHeaders   Part = "request.headers"
	PartRequestCookies   Part = "request.cookies"
	PartRequestBody      Part = "request.postData.text"
	PartResponseStatus   Part = "response.status"
	PartResponseHeaders  Part = "response.headers"
	PartResponseCookies  Part = "response.cookies"
	PartResponseBody     Part = "response.content.text"
	PartResponseFailure  Part = "response._failureText"
	PartFailureText      Part = "_failureText"
	PartServerAddress    Part = "serverIPAddress"
	PartConnectionID     Part = "_connectionId"
	PartFromCache        Part = "_fromCache"
	PartTimings          Part = "timings"
	PartStartedDateTime  Part = "startedDateTime"
	PartResponseRedirect Part = "response.redirectURL"
)

// Location points into one exchange: a part, and for headers and cookies
// the name of one. It prints (and is written to JSON) as the HAR path,
// e.g. "request.headers.Authorization", so the JSON contract keeps its
// strings while programs compare parts instead of parsing them back.
type Location struct {
	Part Part
	Name string // header or cookie name; "" for a whole part
}

// At is the location of a whole part.
func At(p Part) Location { return Location{Part: p} }

// RequestHeader is the location of one request header.
func RequestHeader(name string) Location { return Location{Part: PartRequestHeaders, Name: name} }

// ResponseHeader is the location of one response header.
func ResponseHeader(name string) Location { return Location{Part: PartResponseHeaders, Name: name} }

// RequestCookie is the location of one cookie the request sent.
func RequestCookie(name string) Location { return Location{Part: PartRequestCookies, Name: name} }

// ResponseCookie is the location of one cookie the response set.
func ResponseCookie(name string) Location { return Location{Part: PartResponseCookies, Name: name} }

// String is the HAR path of the location.
func (l Location) String() string {
	if l.Name == "" {
		return string(l.Part)
	}
	return string(l.Part) + "." + l.Name
}

// IsRequest reports whether the location is in the request.
func (l Location) IsRequest() bool {
	return l.Part == PartRequest || strings.HasPrefix(string(l.Part), "request.")
}

// IsResponse reports whether the location is in the response.
func (l Location) IsResponse() bool { return strings.HasPrefix(string(l.Part), "response.") }

// ParseLocation reads a HAR path back into a Location: the longest known
// part that prefixes it, the rest being the header or cookie name.
func ParseLocation(s string) Location {
	for _, p := range []Part{PartRequestHeaders, PartRequestCookies, PartResponseHeaders, PartResponseCookies} {
		if name, ok := strings.CutPrefix(s, string(p)+"."); ok {
			return Location{Part: p, Name: name}
		}
	}
	return Location{Part: Part(s)}
}

// MarshalJSON writes the location as its HAR path string.
func (l Location) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads a HAR path string.
func (l *Location) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a location must be a string: %w", err)
	}
	*l = ParseLocation(s)
	return nil
}
