package har

// Tolerant JSON values: the primitives the entry decoder is built from.
// Each reads one value and maps what producers actually write (numbers as
// text, floats for integers, null for objects, odd date forms) to the
// nearest sensible value, recording a warning instead of failing.

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// tolerant decodes values already checked for JSON syntax by the walk.
type tolerant struct {
	dec     *jsontext.Decoder
	base    int64 // offset of the value's first byte in the decoded source
	index   int   // entry index for warnings; -1 outside entries
	limit   int64 // inline body limit in bytes of JSON text
	warns   *warnings
	intern  *interner
	name    []byte        // scratch for member names
	text    []byte        // scratch for unquoted strings
	err     error         // first decoder error (should not happen on validated input)
	cuts    *stringCutter // the huge strings skipped in the stream; nil: none
	keepCut bool          // body(): a cut string is located, not emptied
}

func newTolerant(limit int64, warns *warnings) *tolerant {
	return &tolerant{
		dec:    jsontext.NewDecoder(bytes.NewReader(nil)),
		limit:  limit,
		warns:  warns,
		intern: newInterner(),
	}
}

// reset points the decoder at raw, which starts at offset base. raw is
// decoded in place (a bytes.Buffer is read without copying); it must stay
// untouched until decoding is done.
func (t *tolerant) reset(raw []byte, base int64, entry int) {
	t.dec.Reset(bytes.NewBuffer(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	t.base, t.index, t.err = base, entry, nil
}

func (t *tolerant) warn(path, problem string, example []byte) {
	t.warns.add(t.index, path, problem, example)
}

// value reads the next raw value; nil after an error.
func (t *tolerant) value() jsontext.Value {
	if t.err != nil {
		return nil
	}
	v, err := t.dec.ReadValue()
	if err != nil {
		t.err = err
		return nil
	}
	if v.Kind() == '"' && !t.keepCut {
		end := t.base + t.dec.InputOffset()
		if hit, n := t.cuts.cutWithin(end-int64(len(v)), end); hit {
			t.warn("a text value", fmt.Sprintf("of %d bytes at byte %d, too large to hold in memory: skipped", n, t.cuts.source(end-int64(len(v)))), nil)
			return jsontext.Value(`""`)
		}
	}
	return v
}

func (t *tolerant) skip() { t.value() }

// peek returns the kind of the next value, 0 at the end or after an error.
func (t *tolerant) peek() jsontext.Kind {
	if t.err != nil {
		return 0
	}
	return t.dec.PeekKind()
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "text"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "nothing"
}

// unquote returns the text of a JSON string value, copied.
func (t *tolerant) unquote(v jsontext.Value) string {
	t.text, _ = jsontext.AppendUnquote(t.text[:0], v) // invalid UTF-8 is replaced, not fatal
	return string(t.text)
}

// object walks the members of the next value when it is an object,
// calling member with each name; member must consume the value. It
// returns false for null (absent) and for other kinds (with a warning).
func (t *tolerant) object(path string, member func(name string)) bool {
	switch k := t.peek(); k {
	case '{':
	case 'n', 0:
		t.skip()
		return false
	default:
		t.warn(path, "is "+kindName(k)+", expected an object", t.value())
		return false
	}
	if _, err := t.dec.ReadToken(); err != nil {
		t.err = err
		return false
	}
	for {
		if k := t.peek(); k == '}' || k == 0 {
			break
		}
		v := t.value()
		if v == nil {
			break
		}
		t.name, _ = jsontext.AppendUnquote(t.name[:0], v)
		member(t.intern.get(t.name)) // names repeat: no allocation per member

	}
	if t.err == nil {
		if _, err := t.dec.ReadToken(); err != nil {
			t.err = err
		}
	}
	return true
}

// array walks the elements of the next value when it is an array. It
// returns false for null (absent) and for other kinds (with a warning).
func (t *tolerant) array(path string, element func()) bool {
	switch k := t.peek(); k {
	case '[':
	case 'n', 0:
		t.skip()
		return false
	case '{':
		// IE's exporter writes a lone cookie object where a list belongs.
		t.warn(path, "is a single object, expected an array; read as a list of one", nil)
		element()
		return true
	default:
		t.warn(path, "is "+kindName(k)+", expected an array", t.value())
		return false
	}
	if _, err := t.dec.ReadToken(); err != nil {
		t.err = err
		return false
	}
	for {
		if k := t.peek(); k == ']' || k == 0 {
			break
		}
		element()
	}
	if t.err == nil {
		if _, err := t.dec.ReadToken(); err != nil {
			t.err = err
		}
	}
	return true
}

// str reads text; numbers and booleans are kept as written (with a
// warning), null is "".
func (t *tolerant) str(path string) string { return t.strValue(path, t.value()) }

func (t *tolerant) strValue(path string, v jsontext.Value) string {
	switch v.Kind() {
	case '"':
		return t.unquote(v)
	case '0', 't', 'f':
		t.warn(path, "is "+kindName(v.Kind())+", expected text", v)
		return string(v)
	case '{', '[':
		t.warn(path, "is "+kindName(v.Kind())+", expected text", v)
	}
	return ""
}

// id reads a value that producers write as text or as a number (Chrome's
// _connectionId, the connection field); both are normal, no warning.
func (t *tolerant) id(path string) string {
	v := t.value()
	if v.Kind() == '0' {
		return string(v)
	}
	return t.strValue(path, v)
}

// internStr reads text that repeats across entries (header names and
// values, methods, MIME types) and shares one copy of each.
func (t *tolerant) internStr(path string) string {
	v := t.value()
	if v.Kind() != '"' {
		return t.strValue(path, v)
	}
	t.text, _ = jsontext.AppendUnquote(t.text[:0], v)
	return t.intern.get(t.text)
}

// number reads a number; text holding a number is accepted with a
// warning. It returns ok=false for null, a missing value, or one that is
// not a number at all (with a warning), so the caller's default applies.
func (t *tolerant) number(path string) (float64, bool) {
	v := t.value()
	switch v.Kind() {
	case '0':
		if n, ok := parseSmallInt(v); ok {
			return float64(n), true
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil { // out of range: ParseFloat gave ±Inf
			t.warn(path, "is a number out of range", v)
			return math.Copysign(math.MaxFloat64, f), true
		}
		return f, true
	case '"':
		s := strings.TrimSpace(t.unquote(v))
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			t.warn(path, "is a number written as text", v)
			return f, true
		}
		// "200 OK": keep the leading digits.
		if n := leadingDigits(s); n > 0 {
			if f, err := strconv.ParseFloat(s[:n], 64); err == nil {
				t.warn(path, "is text starting with a number", v)
				return f, true
			}
		}
		t.warn(path, "is text that is not a number", v)
	case 't', 'f', '{', '[':
		t.warn(path, "is "+kindName(v.Kind())+", expected a number", v)
	}
	return 0, false
}

func parseSmallInt(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	neg := v[0] == '-'
	if neg {
		v = v[1:]
		if len(v) == 0 {
			return 0, false
		}
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func leadingDigits(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 1 && s[0] == '-' {
		return 0
	}
	return i
}

// float reads a number with a default for missing or unusable values.
func (t *tolerant) float(path string, def float64) float64 {
	if f, ok := t.number(path); ok {
		return f
	}
	return def
}

// integer reads a whole number; floats are rounded (producers write
// 1234.0 or 12.5 for byte counts) and huge values clamped.
func (t *tolerant) integer(path string, def int64) int64 {
	f, ok := t.number(path)
	if !ok {
		return def
	}
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(math.Round(f))
}

// boolean reads true/false; "true", "1" and non-zero numbers count as
// true (with a warning).
func (t *tolerant) boolean(path string) bool {
	v := t.value()
	switch v.Kind() {
	case 't':
		return true
	case 'f', 'n', 0:
		return false
	case '"':
		s := strings.ToLower(strings.TrimSpace(t.unquote(v)))
		t.warn(path, "is a boolean written as text", v)
		return s == "true" || s == "1" || s == "yes"
	case '0':
		t.warn(path, "is a number, expected a boolean", v)
		return string(v) != "0"
	}
	t.warn(path, "is "+kindName(v.Kind())+", expected a boolean", v)
	return false
}

// date reads a timestamp. It returns the zero time and the text as
// written when it cannot be parsed (Firebug's "NaN-NaN-NaN...").
func (t *tolerant) date(path string) (time.Time, string) {
	v := t.value()
	switch v.Kind() {
	case '"':
		s := t.unquote(v)
		tm, exact, ok := parseTime(s)
		switch {
		case !ok:
			if s != "" {
				t.warn(path, "is not a date; the time is unknown", v)
			}
			return time.Time{}, s
		case !exact:
			t.warn(path, "is not in ISO 8601 form with a time zone; read as "+tm.Location().String(), v)
		}
		return tm, ""
	case '0':
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f <= 0 {
			t.warn(path, "is a number that is not a time", v)
			return time.Time{}, string(v)
		}
		t.warn(path, "is a number; read as Unix time", v)
		if f > 1e11 { // milliseconds
			return time.UnixMilli(int64(f)).UTC(), ""
		}
		return time.Unix(int64(f), int64((f-math.Floor(f))*1e9)).UTC(), ""
	case 'n', 0:
		return time.Time{}, ""
	}
	t.warn(path, "is "+kindName(v.Kind())+", expected a date", v)
	return time.Time{}, string(v)
}

// parseTime parses the date forms seen in HAR files. exact is false for
// forms outside ISO 8601 with a zone.
func parseTime(s string) (tm time.Time, exact, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, false
	}
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return tm, true, true
	}
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999999Z0700", // zone without colon
		"2006-01-02T15:04:05.999999999Z07",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z0700",
	} {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm, true, true
		}
	}
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999999", // no zone: UTC
		"2006-01-02 15:04:05.999999999",
		time.RFC1123,
		time.RFC1123Z,
		"Mon, 02-Jan-2006 15:04:05 MST", // cookie dates
		time.ANSIC,
		time.UnixDate,
	} {
		if tm, err := time.Parse(layout, s); err == nil {
			return tm, false, true
		}
	}
	return time.Time{}, false, false
}

// interner shares one copy of strings that repeat across entries (header
// names and common values), which keeps a large trace's memory small.
type interner struct {
	m map[string]string
}

const (
	internMaxLen     = 256
	internMaxEntries = 1 << 16
)

func newInterner() *interner { return &interner{m: make(map[string]string)} }

func (in *interner) get(b []byte) string {
	if len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) < internMaxEntries {
		in.m[s] = s
	}
	return s
}
