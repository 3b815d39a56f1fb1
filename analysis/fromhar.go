package analysis

import "authlens/har"

// FromHAR indexes a HAR that har.Load read. Bodies the reader left in the
// file are read from it on demand.
func FromHAR(h *har.Trace) *Trace {
	src := SourceInfo{Path: h.Path, Format: h.Format, Entries: len(h.Entries)}
	return NewTrace(src, h.Log, h.Entries, h)
}
