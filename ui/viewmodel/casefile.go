package viewmodel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// A case file keeps what the person did with one trace — notes, ticked
// remedy steps, where the guided fix stood — so that opening the same
// trace again (from anywhere: the key is the file's content) carries on
// where they stopped. It holds the person's own words and the catalogue's
// step texts only, never a value read from the HAR.

// EnvConfigDir overrides where case files live (screenshots and tests
// point it at a prepared folder); hidden, not in the UI.
const EnvConfigDir = "AUTHLENS_CONFIG_DIR"

// caseFileVersion is written into every case file; a file of another
// version is ignored rather than half-understood.
const caseFileVersion = 1

// CaseFile is what is saved per trace.
type CaseFile struct {
	Version int       `json:"version"`
	Key     string    `json:"key"`  // SHA-256 of the trace's bytes
	Name    string    `json:"name"` // the trace's file name when last saved, so a person browsing the folder knows it
	Saved   time.Time `json:"saved"`
	// Selected is the entry (#) the person last looked at, -1 for none.
	Selected int `json:"selected"`
	// Walks are the guided fixes started, by entry (#).
	Walks map[int]WalkState `json:"walks,omitempty"`
}

// Empty reports whether the case holds nothing worth keeping.
func (c *CaseFile) Empty() bool {
	for _, w := range c.Walks {
		if !w.empty() {
			return false
		}
	}
	return true
}

// WalkState is a Walkthrough's progress without its exchange: what a
// case file stores and Walkthrough.Restore reads back.
type WalkState struct {
	Stage    WalkStage     `json:"stage"`
	Cause    int           `json:"cause"`
	Notes    string        `json:"notes,omitempty"`
	Fixed    bool          `json:"fixed,omitempty"`
	Attempts []Attempt     `json:"attempts,omitempty"`
	Checked  map[int][]int `json:"checked,omitempty"` // cause position → ticked remedy steps
}

func (s WalkState) empty() bool {
	return s.Stage == StageWhat && s.Cause == 0 && s.Notes == "" && len(s.Attempts) == 0 && len(s.Checked) == 0
}

// CaseStore reads and writes case files in one folder.
type CaseStore struct {
	Dir string // "" disables the store (nothing is saved or found)
}

// DefaultCaseStore is the store under the user's config folder
// (…/authlens/cases), or under $AUTHLENS_CONFIG_DIR when set.
func DefaultCaseStore() CaseStore {
	base := os.Getenv(EnvConfigDir)
	if base == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return CaseStore{} // no home: keep working, just without case files
		}
		base = filepath.Join(dir, "authlens")
	}
	return CaseStore{Dir: filepath.Join(base, "cases")}
}

func (s CaseStore) path(key string) (string, error) {
	if s.Dir == "" {
		return "", errors.New("no folder for case files")
	}
	if len(key) != 2*sha256.Size {
		return "", fmt.Errorf("case key %q is not a SHA-256", key)
	}
	if _, err := hex.DecodeString(key); err != nil {
		return "", fmt.Errorf("case key %q is not a SHA-256", key)
	}
	return filepath.Join(s.Dir, key+".json"), nil
}

// Load returns the case saved for key; (nil, nil) when there is none.
func (s CaseStore) Load(key string) (*CaseFile, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the case file: %w", err)
	}
	var c CaseFile
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("reading the case file %s: %w", p, err)
	}
	if c.Version != caseFileVersion || c.Key != key {
		return nil, nil
	}
	return &c, nil
}

// Save writes c (0600, in a 0700 folder) through a temporary file, so a
// crash mid-write leaves the previous case intact. An empty case removes
// the file instead.
func (s CaseStore) Save(c *CaseFile) error {
	p, err := s.path(c.Key)
	if err != nil {
		return err
	}
	if c.Empty() {
		return s.Clear(c.Key)
	}
	c.Version = caseFileVersion
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("saving the case: %w", err)
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("saving the case: %w", err)
	}
	tmp, err := os.CreateTemp(s.Dir, c.Key+".*.tmp")
	if err != nil {
		return fmt.Errorf("saving the case: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the case: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the case: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving the case: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("saving the case: %w", err)
	}
	return nil
}

// Clear removes the case saved for key (no error when there is none).
func (s CaseStore) Clear(key string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("clearing the case: %w", err)
	}
	return nil
}

// CaseKey is the key of a trace: the SHA-256 of its bytes, read from
// src.Path or taken from src.Data. It reads the file on its own (the
// caller runs it beside the loader) and stops when ctx is cancelled.
func CaseKey(ctx context.Context, src Source) (string, error) {
	h := sha256.New()
	if src.Data != nil {
		h.Write(src.Data)
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	f, err := os.Open(src.Path)
	if err != nil {
		return "", fmt.Errorf("hashing %s: %w", src.Path, err)
	}
	defer f.Close()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		return "", fmt.Errorf("hashing %s: %w", src.Path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader stops a long read once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// State is the walkthrough's progress, for a case file.
func (w *Walkthrough) State() WalkState {
	s := WalkState{Stage: w.Stage, Cause: w.Cause, Notes: w.Notes, Fixed: w.Fixed, Attempts: append([]Attempt(nil), w.Attempts...)}
	for cause, steps := range w.checked {
		var on []int
		for k, v := range steps {
			if v {
				on = append(on, k)
			}
		}
		if len(on) > 0 {
			sort.Ints(on)
			if s.Checked == nil {
				s.Checked = map[int][]int{}
			}
			s.Checked[cause] = on
		}
	}
	return s
}

// Restore puts a saved progress back. A state that no longer fits the
// exchange (the catalogue changed since: fewer causes, fewer steps) is
// clamped rather than trusted.
func (w *Walkthrough) Restore(s WalkState) {
	w.Notes = s.Notes
	w.Fixed = s.Fixed
	w.Attempts = append([]Attempt(nil), s.Attempts...)
	w.checked = map[int]map[int]bool{}
	for cause, steps := range s.Checked {
		if cause < 0 || cause >= w.Causes() {
			continue
		}
		for _, k := range steps {
			if k >= 0 && k < len(w.Exchange.Diagnoses[cause].Remedy) {
				if w.checked[cause] == nil {
					w.checked[cause] = map[int]bool{}
				}
				w.checked[cause][k] = true
			}
		}
	}
	w.Stage, w.Cause = StageWhat, 0
	switch {
	case s.Stage < StageWhat || s.Stage > StageDone:
	case s.Stage == StageDone:
		w.Stage = StageDone
		w.Cause = min(max(s.Cause, 0), max(w.Causes()-1, 0))
	case w.Causes() == 0:
	case s.Cause >= 0 && s.Cause < w.Causes():
		w.Stage, w.Cause = s.Stage, s.Cause
	}
}

// CaseFileName is how a case file is named in messages ("…/<hash>.json").
func (s CaseStore) CaseFileName(key string) string {
	p, err := s.path(key)
	if err != nil {
		return ""
	}
	return p
}
