package compare

import (
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	cases := []struct{ method, url, origin, key string }{
		{"get", "https://A.example.test/api/orders/1042?expand=items&_=1699999", "https://a.example.test", "GET /api/orders/{n}?expand"},
		{"GET", "https://x.test/u/3f2504e0-4f89-11d3-9a0c-0305e82c3301/avatar.png", "https://x.test", "GET /u/{uuid}/avatar.png"},
		{"GET", "https://x.test/blob/9f86d081884c7d65/raw", "https://x.test", "GET /blob/{hex}/raw"},
		{"GET", "https://x.test/dl/eyJhbGciOiJIUzI1NiJ9abc123def456/file.pdf", "https://x.test", "GET /dl/{token}/file.pdf"},
		{"GET", "https://x.test/reports/42.json?b=1&a=2&a=3", "https://x.test", "GET /reports/{n}.json?a&b"},
		{"POST", "https://x.test/login", "https://x.test", "POST /login"},
		{"GET", "https://x.test", "https://x.test", "GET /"},
		{"GET", "https://x.test/settings/notifications", "https://x.test", "GET /settings/notifications"},
	}
	for _, c := range cases {
		o, k := Template(c.method, c.url)
		if o != c.origin || k != c.key {
			t.Errorf("Template(%q) = %q, %q; want %q, %q", c.url, o, k, c.origin, c.key)
		}
	}
}

// FuzzTemplate: templating never panics, is deterministic, and a path's
// numeric IDs never reach the key.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"https://x.test/a/1/b?c=2", "http://[::1]:8080/%zz", "/relative", "https://x.test/" + strings.Repeat("a1", 40), "::"} {
		f.Add("GET", s, uint32(7))
	}
	f.Fuzz(func(t *testing.T, method, raw string, id uint32) {
		o1, k1 := Template(method, raw)
		o2, k2 := Template(method, raw)
		if o1 != o2 || k1 != k2 {
			t.Fatalf("not deterministic: %q", raw)
		}
		base := "https://host.test/items/"
		_, a := Template("GET", base+itoa(id)+"/view")
		_, b := Template("GET", base+itoa(id+1)+"/view")
		if a != b {
			t.Fatalf("numeric IDs reach the key: %q vs %q", a, b)
		}
	})
}

func itoa(n uint32) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}
