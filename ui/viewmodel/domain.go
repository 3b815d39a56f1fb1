package viewmodel

import (
	"context"
	"errors"
	"fmt"

	"authlens/analysis"
	"authlens/analysis/rules"
	"authlens/analysis/trace"
	"authlens/har"
	"authlens/report"
)

// Source says where a trace comes from: a file on disk, or bytes held in
// memory (the embedded demo trace).
type Source struct {
	Path string // file to read; empty when Data is set
	Name string // name shown in the title and messages; defaults to Path
	Data []byte // in-memory HAR (the demo)
	Demo bool   // the embedded demo trace: the window says so
}

// DisplayName is the name the window shows for the source.
func (s Source) DisplayName() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Path
}

// Analyzer is the one door from the views to the domain: it reads a trace
// and analyses it. The views never parse HTTP themselves.
type Analyzer interface {
	// Load reads and analyses src. progress and onEntry are called from the
	// loading goroutine (never the UI goroutine). A damaged source that
	// still gave some entries returns a Session with Damage set.
	Load(ctx context.Context, src Source, progress func(har.Progress), onEntry func(*har.Entry)) (*Session, error)
}

// Session is a loaded, analysed trace: what every view reads.
type Session struct {
	Source Source
	// HAR is what the reader produced; nil for traces built in memory
	// (live capture).
	HAR    *har.Trace
	Trace  *trace.Trace
	Report *analysis.Report
	// Damage is set when the file was damaged after some entries: the
	// session holds what could be read.
	Damage *har.Error
	// Warnings are the reader's non-fatal remarks (UTF-16 decoded, ...).
	Warnings []string
	// Rows are the entries formatted for the list, built with the session
	// (off the UI goroutine: formatting 200,000 rows takes a while).
	Rows *RowSet
	// Comparison is this (failing) trace compared with a working trace of
	// the same flow, once the person made one; the case report adds it.
	Comparison *Comparison

	byIndex map[int]*analysis.Exchange
}

// NewSession wraps an analysed trace. hr may be nil.
func NewSession(src Source, hr *har.Trace, tr *trace.Trace, rep *analysis.Report) *Session {
	s := &Session{Source: src, HAR: hr, Trace: tr, Report: rep, byIndex: map[int]*analysis.Exchange{}}
	if hr != nil {
		s.Damage = hr.Damage
		s.Warnings = hr.Warnings
	}
	for k := range rep.Exchanges {
		x := &rep.Exchanges[k]
		s.byIndex[x.Index] = x
	}
	s.Rows = NewRowSet(tr.Entries, s.Failing)
	return s
}

// Entries returns every entry in file order.
func (s *Session) Entries() []*har.Entry { return s.Trace.Entries }

// Exchange returns the report's record of entry i (nil when the report does
// not list it: not a 401/403 and not flagged by any rule).
func (s *Session) Exchange(i int) *analysis.Exchange { return s.byIndex[i] }

// Failing reports whether entry i is a problem the report lists.
func (s *Session) Failing(i int) bool {
	x := s.byIndex[i]
	return x != nil && x.Problem
}

// ResponseBody returns the decoded response body of entry i, read from the
// file when the reader left it there.
func (s *Session) ResponseBody(i int) ([]byte, error) {
	c := &s.Trace.Entries[i].Response.Content
	if s.HAR == nil && c.Ref != nil && s.Trace.Bodies() != nil {
		// A live capture: the body is in the capture's journal.
		b, err := s.Trace.Bodies().Body(c)
		if err != nil {
			return nil, fmt.Errorf("reading the body of entry %d from the capture journal: %w", i, err)
		}
		return b, nil
	}
	if s.HAR != nil && c.Ref != nil {
		b, err := s.HAR.Body(c)
		if err != nil {
			return nil, fmt.Errorf("reading the body of entry %d from %s: %w", i, s.Source.DisplayName(), err)
		}
		return b, nil
	}
	b, err := c.InlineBytes()
	if err != nil {
		return nil, fmt.Errorf("entry %d: %w", i, err)
	}
	return b, nil
}

// RequestBody returns the text of entry i's request body ("" when none).
func (s *Session) RequestBody(i int) (string, error) {
	pd := s.Trace.Entries[i].Request.PostData
	if pd == nil {
		return "", nil
	}
	if s.HAR != nil {
		t, err := s.HAR.PostText(pd)
		if err != nil {
			return "", fmt.Errorf("reading the request body of entry %d from %s: %w", i, s.Source.DisplayName(), err)
		}
		return t, nil
	}
	return pd.Text, nil
}

// Close releases the source file.
func (s *Session) Close() error {
	if s == nil || s.HAR == nil {
		return nil
	}
	return s.HAR.Close()
}

// HARAnalyzer is the real Analyzer: har.Load (or har.LoadBytes), then
// trace.FromHAR and analysis.Analyze.
type HARAnalyzer struct{}

// Load implements Analyzer.
func (HARAnalyzer) Load(ctx context.Context, src Source, progress func(har.Progress), onEntry func(*har.Entry)) (*Session, error) {
	opt := har.Options{Progress: progress, OnEntry: onEntry}
	var (
		h   *har.Trace
		err error
	)
	if src.Data != nil {
		h, err = har.LoadBytes(ctx, src.DisplayName(), src.Data, opt)
	} else {
		h, err = har.Load(ctx, src.Path, opt)
	}
	if err != nil {
		if readError(err) != nil {
			return nil, err // a *har.Error already says which file and where
		}
		return nil, fmt.Errorf("reading %s: %w", src.DisplayName(), err)
	}
	tr := trace.FromHAR(h)
	rep, err := analysis.Analyze(ctx, tr, rules.All())
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("analysing %s: %w", src.DisplayName(), err)
	}
	// The app shows the same masked report every other output prints.
	return NewSession(src, h, tr, report.Masked(rep)), nil
}

// readError returns the reader's structured error inside err, if any.
func readError(err error) *har.Error {
	var he *har.Error
	if errors.As(err, &he) {
		return he
	}
	return nil
}
