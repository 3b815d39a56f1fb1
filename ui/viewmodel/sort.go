package viewmodel

import (
	"cmp"
	"slices"
	"strings"
)

// Sort is the order of the entries table: by one column, or file order.
type Sort struct {
	Column     int  // a Col… constant; meaningful when On
	Descending bool // largest, latest or Z first
	On         bool // false: file order
}

// Next is the order after a tap on column col's header: ascending, then
// descending, then back to file order.
func (s Sort) Next(col int) Sort {
	switch {
	case !s.On || s.Column != col:
		return Sort{Column: col, On: true}
	case !s.Descending:
		return Sort{Column: col, Descending: true, On: true}
	}
	return Sort{}
}

// Arrow is the mark after column col's title: "↑", "↓" or "".
func (s Sort) Arrow(col int) string {
	if !s.On || s.Column != col {
		return ""
	}
	if s.Descending {
		return "↓"
	}
	return "↑"
}

// SortRows orders positions (into rs.Rows) by s, in place. The sort is
// stable and breaks ties by file order, so equal rows never jump around;
// unknown values (no status, no size) sort last either way.
func (rs *RowSet) SortRows(positions []int, s Sort) {
	if !s.On {
		slices.Sort(positions)
		return
	}
	rows := rs.Rows
	dir := 1
	if s.Descending {
		dir = -1
	}
	compare := func(a, b *Row) int {
		switch s.Column {
		case ColMethod:
			return strings.Compare(a.Method, b.Method)
		case ColHost:
			return strings.Compare(a.hostKey, b.hostKey)
		case ColPath:
			return strings.Compare(a.Path, b.Path)
		case ColType:
			return strings.Compare(a.Type, b.Type)
		case ColTime:
			return cmp.Compare(a.startedMs, b.startedMs)
		case ColStatus:
			return cmp.Compare(a.StatusCode, b.StatusCode)
		case ColSize:
			return cmp.Compare(a.sizeBytes, b.sizeBytes)
		case ColDuration:
			return cmp.Compare(a.durMs, b.durMs)
		}
		return cmp.Compare(a.Index, b.Index)
	}
	unknown := func(r *Row) bool {
		switch s.Column {
		case ColTime:
			return r.startedMs == 0
		case ColStatus:
			return r.StatusCode <= 0
		case ColSize:
			return r.sizeBytes < 0
		case ColDuration:
			return r.durMs < 0
		}
		return false
	}
	slices.SortStableFunc(positions, func(i, j int) int {
		a, b := &rows[i], &rows[j]
		if ua, ub := unknown(a), unknown(b); ua != ub {
			if ua {
				return 1
			}
			return -1
		}
		if c := compare(a, b); c != 0 {
			return dir * c
		}
		return cmp.Compare(i, j)
	})
}
