package har

import (
	"encoding/json"
	"testing"
)

func TestLocationRoundTrip(t *testing.T) {
	for _, s := range []string{
		"request.headers.Authorization", "response.headers.WWW-Authenticate", "request.cookies.sid",
		"response.content.text", "request.url", "response.status", "_connectionId", "request.postData.text",
	} {
		l := ParseLocation(s)
		if l.String() != s {
			t.Errorf("ParseLocation(%q).String() = %q", s, l.String())
		}
		b, err := json.Marshal(l)
		if err != nil || string(b) != `"`+s+`"` {
			t.Errorf("JSON of %q = %s, %v", s, b, err)
		}
		var back Location
		if err := json.Unmarshal(b, &back); err != nil || back != l {
			t.Errorf("JSON round trip of %q gave %+v, %v", s, back, err)
		}
	}
	if l := ParseLocation("request.headers.X-A.b"); l.Part != PartRequestHeaders || l.Name != "X-A.b" {
		t.Errorf("a header name with a dot: %+v", l)
	}
	if !RequestHeader("Cookie").IsRequest() || RequestHeader("Cookie").IsResponse() || !At(PartResponseBody).IsResponse() {
		t.Error("IsRequest/IsResponse disagree with the part")
	}
	var l Location
	if err := json.Unmarshal([]byte(`12`), &l); err == nil {
		t.Error("a number was accepted as a location")
	}
}
