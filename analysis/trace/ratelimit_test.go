package trace

import (
	"testing"

	"authlens/analysis/internal/fixture"
)

func TestRepeatedRefusals(t *testing.T) {
	tr := traceOf(
		fixture.Entry(0, "POST", "https://app.example.com/login", 401, nil, nil, ""),
		fixture.Entry(1, "POST", "https://app.example.com/login", 401, nil, nil, ""),
		fixture.Entry(2, "POST", "https://app.example.com/other", 401, nil, nil, ""),
		fixture.Entry(700, "POST", "https://app.example.com/login", 403, nil, nil, ""),
		fixture.Entry(701, "POST", "https://app.example.com/login", 403, nil, nil, ""),
	)
	if n, first := tr.RepeatedRefusals(4); n != 1 || first != 3 {
		t.Errorf("RepeatedRefusals(4) = %d, %d; want 1, 3 (the older ones are over ten minutes before)", n, first)
	}
	if n, first := tr.RepeatedRefusals(1); n != 1 || first != 0 {
		t.Errorf("RepeatedRefusals(1) = %d, %d; want 1, 0", n, first)
	}
	if n, first := tr.RepeatedRefusals(0); n != 0 || first != -1 {
		t.Errorf("RepeatedRefusals(0) = %d, %d; want 0, -1", n, first)
	}
}
