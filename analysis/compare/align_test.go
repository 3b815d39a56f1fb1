package compare

import (
	"context"
	"fmt"
	"testing"
)

// stepsOf makes one step per byte: the key is one of a few paths, the
// origin one of two hosts, the entry index its position.
func stepsOf(b []byte) []step {
	ss := make([]step, len(b))
	for i, c := range b {
		ss[i] = step{key: fmt.Sprintf("GET /p%d", c%7), origin: fmt.Sprintf("https://h%d.test", c/128), entries: []int{i}}
	}
	return ss
}

// FuzzAlign: whatever the two sequences, every step of each side appears
// exactly once, in order, and matched steps have equal keys.
func FuzzAlign(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, []byte{1, 9, 3, 4, 4})
	f.Add([]byte{}, []byte{5})
	f.Add([]byte{0, 0, 0, 130, 130}, []byte{130, 0, 0})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		gs, bs := stepsOf(a), stepsOf(b)
		pairs, err := align(context.Background(), gs, bs, newHostMap(nil))
		if err != nil {
			t.Fatal(err)
		}
		nextG, nextB := 0, 0
		for _, p := range pairs {
			if p.Good >= 0 {
				if p.Good != nextG {
					t.Fatalf("good step %d out of order (want %d): %+v", p.Good, nextG, pairs)
				}
				nextG++
			}
			if p.Bad >= 0 {
				if p.Bad != nextB {
					t.Fatalf("bad step %d out of order (want %d): %+v", p.Bad, nextB, pairs)
				}
				nextB++
			}
			if p.Good >= 0 && p.Bad >= 0 && gs[p.Good].key != bs[p.Bad].key {
				t.Fatalf("matched %q with %q", gs[p.Good].key, bs[p.Bad].key)
			}
		}
		if nextG != len(gs) || nextB != len(bs) {
			t.Fatalf("pairs cover %d of %d good and %d of %d bad steps", nextG, len(gs), nextB, len(bs))
		}
	})
}

// TestAlignFindsLongestMatch: extra steps on either side do not stop the
// common ones from matching.
func TestAlignFindsLongestMatch(t *testing.T) {
	gs := stepsOf([]byte{1, 2, 3, 4, 5})
	bs := stepsOf([]byte{1, 6, 2, 3, 6, 6, 4, 5})
	pairs, err := align(context.Background(), gs, bs, newHostMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	for _, p := range pairs {
		if p.Good >= 0 && p.Bad >= 0 {
			matched++
		}
	}
	if matched != 5 {
		t.Fatalf("matched %d steps, want 5: %+v", matched, pairs)
	}
}
