package viewmodel

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"authlens/analysis"
	"authlens/analysis/trace"
	"authlens/har"
)

func twoCauseExchange() *analysis.Exchange {
	return &analysis.Exchange{Index: 4, Status: 401, Diagnoses: []analysis.Diagnosis{
		{Cause: "a", Title: "A", Remedy: []trace.Step{{Step: "one"}, {Step: "two"}}},
		{Cause: "b", Title: "B", Remedy: []trace.Step{{Step: "three"}}},
	}}
}

func TestCaseFileRoundTripIsPrivateAndHoldsTheProgress(t *testing.T) {
	store := CaseStore{Dir: filepath.Join(t.TempDir(), "cases")}
	key, err := CaseKey(context.Background(), Source{Data: []byte("{}")})
	if err != nil {
		t.Fatal(err)
	}
	wt := NewWalkthrough("x.har", twoCauseExchange())
	wt.Next()
	wt.Next()
	wt.SetChecked(1, true)
	wt.Notes = "customer cleared cookies"
	c := &CaseFile{Key: key, Name: "x.har", Selected: 4, Walks: map[int]WalkState{4: wt.State()}}
	if err := store.Save(c); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(store.CaseFileName(key))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("case file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(store.Dir); di.Mode().Perm() != 0o700 {
		t.Errorf("case folder mode %v, want 0700", di.Mode().Perm())
	}
	got, err := store.Load(key)
	if err != nil || got == nil {
		t.Fatalf("load: %v %v", got, err)
	}
	back := NewWalkthrough("x.har", twoCauseExchange())
	back.Restore(got.Walks[4])
	if back.Stage != StageRemedy || !back.Checked(1) || back.Checked(0) || back.Notes != wt.Notes || got.Selected != 4 {
		t.Errorf("restored %+v selected %d", back.State(), got.Selected)
	}
	if err := store.Clear(key); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Load(key); got != nil {
		t.Error("a cleared case came back")
	}
}

func TestRestoreClampsAStateThatNoLongerFits(t *testing.T) {
	wt := NewWalkthrough("x.har", twoCauseExchange())
	wt.Restore(WalkState{Stage: StageCause, Cause: 7, Checked: map[int][]int{0: {0, 9}, 5: {1}}})
	if wt.Stage != StageWhat || wt.Cause != 0 || !wt.Checked(0) {
		t.Errorf("got %+v", wt.State())
	}
}

func TestEmptyCaseIsNotWritten(t *testing.T) {
	store := CaseStore{Dir: t.TempDir()}
	key, _ := CaseKey(context.Background(), Source{Data: []byte("x")})
	if err := store.Save(&CaseFile{Key: key, Walks: map[int]WalkState{1: {}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(store.CaseFileName(key)); !os.IsNotExist(err) {
		t.Errorf("an empty case was written: %v", err)
	}
	if _, err := store.Load("../../etc/passwd"); err == nil {
		t.Error("a key that is not a hash was accepted")
	}
}

func TestRequestsFromToolsAreNotCalledScriptCalls(t *testing.T) {
	e := &har.Entry{ResourceType: "xhr"}
	e.Request.Headers = []har.Header{{Name: "User-Agent", Value: "curl/8.5.0"}}
	if got := EntryType(e); got != "api" {
		t.Errorf("type of a curl request: %q", got)
	}
	if got := KindWords(e); !strings.Contains(got, "curl 8.5.0") || strings.Contains(got, "script") {
		t.Errorf("kind words: %q", got)
	}
	e.Request.Headers = []har.Header{{Name: "Sec-Fetch-Mode", Value: "cors"}}
	if got := EntryType(e); got != "xhr" {
		t.Errorf("type of a browser xhr: %q", got)
	}
}
