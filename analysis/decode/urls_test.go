package decode

import (
	"testing"
	"time"
)

func TestPresignedExpiry(t *testing.T) {
	s3 := PresignedExpiry("https://b.s3.amazonaws.com/f?X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-Signature=ab")
	if s3 == nil || !s3.At.Equal(time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC)) || s3.Lifetime != time.Minute {
		t.Errorf("S3 SigV4: %+v", s3)
	}
	v2 := PresignedExpiry("https://b.s3.amazonaws.com/f?AWSAccessKeyId=AK&Expires=1767225600&Signature=x")
	if v2 == nil || v2.At.Unix() != 1767225600 {
		t.Errorf("S3 SigV2: %+v", v2)
	}
	sas := PresignedExpiry("https://a.blob.core.windows.net/c/b?st=2026-01-01T00:00:00Z&se=2026-01-01T01:00:00Z&sig=x")
	if sas == nil || sas.Lifetime != time.Hour {
		t.Errorf("Azure SAS: %+v", sas)
	}
	for _, u := range []string{"https://example.com/?se=2026-01-01", "https://b.s3.amazonaws.com/f?X-Amz-Date=bad&X-Amz-Expires=60", "%zz"} {
		if p := PresignedExpiry(u); p != nil {
			t.Errorf("PresignedExpiry(%q) = %+v, want nil", u, p)
		}
	}
}

func TestQueryJWT(t *testing.T) {
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3NjcyMjU2MDB9.c2ln"
	if name, j := QueryJWT("wss://h/ws?access_token=" + jwt); name != "access_token" || j == nil || j.Expires == nil {
		t.Errorf("QueryJWT = %q, %+v", name, j)
	}
	if name, j := QueryJWT("https://h/?token=notajwt"); name != "" || j != nil {
		t.Errorf("a plain token was read as a JWT: %q %+v", name, j)
	}
}
