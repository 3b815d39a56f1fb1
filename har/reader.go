package har

// The streaming walk: reads the top level and log members with a
// jsontext.Decoder and log.entries one entry at a time, so a large file
// never has to be held in memory, and turns every failure into an *Error
// that says what and where.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

const (
	progressEveryEntries = 256
	progressEveryBytes   = 4 << 20
	cancelCheckEvery     = 16
)

// Load reads the HAR at path (plain, gzip, HARP/JSONP, BOM, UTF-16 —
// detected by content). On damage after some entries it returns the
// Trace with Damage set and a nil error; it returns an error (an *Error)
// only when nothing usable could be read. Cancelling ctx stops reading
// and returns an error wrapping ctx.Err(). The caller must Close the
// Trace: bodies left in the source are read from the file until then.
func Load(ctx context.Context, path string, opt Options) (*Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening HAR file: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening HAR file: %w", err)
	}
	if info.IsDir() {
		f.Close()
		return nil, &Error{Path: path, Kind: ErrNotHAR, Offset: -1, Entry: -1, Err: errors.New("this is a folder, not a HAR file")}
	}
	t, err := load(ctx, path, f, info.Size(), f, opt)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(strings.ToLower(path), ".journal") {
		t.Format = "journal"
	}
	return t, nil
}

// LoadBytes reads a HAR held in memory (the embedded demo trace); name is
// used in messages.
func LoadBytes(ctx context.Context, name string, data []byte, opt Options) (*Trace, error) {
	return load(ctx, name, bytes.NewReader(data), int64(len(data)), nil, opt)
}

func load(ctx context.Context, path string, input io.ReaderAt, size int64, file io.Closer, opt Options) (*Trace, error) {
	if opt.InlineBodyLimit <= 0 {
		opt.InlineBodyLimit = defaultInlineBodyLimit
	}
	if opt.MaxDecompressed <= 0 {
		opt.MaxDecompressed = defaultMaxDecompressed
	}
	closeFile := func() {
		if file != nil {
			file.Close()
		}
	}
	src, err := openSource(ctx, input, size, opt)
	if err != nil {
		closeFile()
		return nil, withPath(err, path)
	}
	r := &reader{
		ctx:   ctx,
		path:  path,
		opt:   opt,
		src:   src,
		warns: &warnings{},
		trace: &Trace{Path: path, Format: src.format},
	}
	if opt.MaxValueBytes <= 0 {
		opt.MaxValueBytes = DefaultMaxValueBytes
	}
	if opt.MaxEntryBytes <= 0 {
		opt.MaxEntryBytes = DefaultMaxEntryBytes
	}
	r.opt = opt
	r.td = newTolerant(opt.InlineBodyLimit, r.warns)
	// Strings are cut beyond what the reader may hold, and never below
	// what it would keep inline.
	r.td.cuts = newStringCutter(src.stream, max(opt.MaxValueBytes, opt.InlineBodyLimit+2))
	r.dec = jsontext.NewDecoder(r.td.cuts, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

	walkErr := r.walk()
	if walkErr == nil && src.spool != nil {
		// Read a compressed stream to its end so that a cut or corrupt
		// gzip trailer (checksum) is noticed even when the JSON is whole.
		if _, err := io.Copy(io.Discard, src.stream); err != nil {
			walkErr = r.readError(err, -1)
		}
	}
	t := r.trace
	t.Warnings = append(slices.Clone(src.warnings), r.warns.list()...)
	r.progress(true)

	fail := func(err error) (*Trace, error) {
		if src.spool != nil {
			src.spool.Close()
		}
		closeFile()
		return nil, withPath(err, path)
	}
	if walkErr != nil {
		var herr *Error
		if !errors.As(walkErr, &herr) || len(t.Entries) == 0 {
			return fail(walkErr) // cancelled, or nothing usable
		}
		switch herr.Kind {
		case ErrTruncated, ErrSyntax, ErrEntry, ErrEncoding:
			herr.Path = path
			t.Damage = herr
		default:
			return fail(walkErr)
		}
	}
	// Bodies come from the spool for decoded streams, from the input
	// itself otherwise.
	if src.spool != nil {
		if err := src.spool.flush(); err != nil {
			return fail(encodingError(err))
		}
		closeFile()
		t.source = src.spool
	} else {
		t.source = closerSource{src.bodies, file}
	}
	return t, nil
}

// withPath fills in the file name of an *Error.
func withPath(err error, path string) error {
	var herr *Error
	if errors.As(err, &herr) && herr.Path == "" {
		herr.Path = path
	}
	return err
}

// closerSource reads a section of the input and closes the input file.
type closerSource struct {
	sourceFile
	file io.Closer
}

func (c closerSource) Close() error {
	if c.file == nil {
		return nil
	}
	return c.file.Close()
}

type reader struct {
	ctx   context.Context
	path  string
	opt   Options
	src   *source
	dec   *jsontext.Decoder
	td    *tolerant
	warns *warnings
	trace *Trace

	topKeys      []string // top-level member names, for the "not a HAR" message
	notHAR       *Error
	sawLog       bool
	sawEntries   bool
	entriesDone  bool
	lastProgress Progress
}

func (r *reader) walk() error {
	if k := r.dec.PeekKind(); k != '{' {
		// Read the whole value so that invalid JSON is reported as such.
		if err := r.dec.SkipValue(); err != nil {
			if errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				return &Error{Kind: ErrNotHAR, Offset: 0, Entry: -1, Err: errors.New("the file holds no JSON: there is no HAR in it")}
			}
			return r.readError(err, -1)
		}
		return &Error{Kind: ErrNotHAR, Offset: 0, Entry: -1,
			Err: fmt.Errorf("valid JSON but not a HAR: the document is %s; a HAR is an object with a \"log\" member", kindName(k))}
	}
	if _, err := r.dec.ReadToken(); err != nil {
		return r.readError(err, -1)
	}
	if err := r.members(func(name string) error {
		if name == "log" {
			return r.log()
		}
		if len(r.topKeys) < 8 {
			r.topKeys = append(r.topKeys, strconv.Quote(name))
		}
		return r.skip(-1)
	}); err != nil {
		return err
	}
	switch {
	case r.notHAR != nil && !r.sawEntries:
		return r.notHAR
	case !r.sawLog:
		has := "it has no members"
		if len(r.topKeys) > 0 {
			has = "its top level has " + strings.Join(r.topKeys, ", ")
		}
		return &Error{Kind: ErrNotHAR, Offset: -1, Entry: -1, Err: fmt.Errorf("valid JSON but not a HAR: no log.entries (%s)", has)}
	case !r.sawEntries:
		return &Error{Kind: ErrNotHAR, Offset: -1, Entry: -1, Err: errors.New("valid JSON but not a HAR: no log.entries (the log has no entries member)")}
	}
	return nil
}

// members reads the members of the object whose "{" was just read.
func (r *reader) members(member func(name string) error) error {
	for {
		tok, err := r.dec.ReadToken()
		if err != nil {
			return r.readError(err, -1)
		}
		if tok.Kind() == '}' {
			return nil
		}
		if err := member(tok.String()); err != nil {
			return err
		}
	}
}

func (r *reader) skip(entry int) error {
	if err := r.dec.SkipValue(); err != nil {
		return r.readError(err, entry)
	}
	return nil
}

// value reads a small member of log and points the tolerant decoder at it.
func (r *reader) value() (bool, error) {
	v, err := r.dec.ReadValue()
	if err != nil {
		return false, r.readError(err, -1)
	}
	r.td.reset(v, r.dec.InputOffset()-int64(len(v)), -1)
	return true, nil
}

func (r *reader) log() error {
	switch k := r.dec.PeekKind(); k {
	case '{':
	case 0:
		_, err := r.dec.ReadToken()
		return r.readError(err, -1)
	default:
		r.sawLog = true
		r.notAHAR(fmt.Sprintf("log is %s, not an object", kindName(k)))
		return r.skip(-1)
	}
	r.sawLog = true
	if _, err := r.dec.ReadToken(); err != nil {
		return r.readError(err, -1)
	}
	l := &r.trace.Log
	return r.members(func(name string) error {
		switch name {
		case "entries":
			return r.entries()
		case "version", "creator", "browser", "pages", "comment":
		default:
			return r.skip(-1)
		}
		if _, err := r.value(); err != nil {
			return err
		}
		td := r.td
		switch name {
		case "version":
			l.Version = td.id("log.version")
		case "creator":
			l.Creator = td.creator("log.creator")
		case "browser":
			if td.peek() == '{' {
				b := td.creator("log.browser")
				l.Browser = &b
			}
		case "pages":
			l.Pages = td.pages()
		case "comment":
			l.Comment = td.str("log.comment")
		}
		return nil
	})
}

func (r *reader) entries() error {
	switch k := r.dec.PeekKind(); k {
	case '[':
	case 'n':
		r.sawEntries = true
		r.warns.add(-1, "log.entries", "is null; read as no entries", nil)
		return r.skip(-1)
	case 0:
		_, err := r.dec.ReadToken()
		return r.readError(err, -1)
	default:
		r.notAHAR(fmt.Sprintf("log.entries is %s, not an array", kindName(k)))
		return r.skip(-1)
	}
	r.sawEntries = true
	if _, err := r.dec.ReadToken(); err != nil {
		return r.readError(err, -1)
	}
	t := r.trace
	for {
		index := len(t.Entries)
		if index%cancelCheckEvery == 0 {
			if err := r.ctx.Err(); err != nil {
				return r.cancelled(err)
			}
		}
		if r.dec.PeekKind() == ']' {
			if _, err := r.dec.ReadToken(); err != nil {
				return r.readError(err, index)
			}
			r.entriesDone = true
			return nil
		}
		raw, err := r.dec.ReadValue()
		if err != nil {
			return r.readError(err, index)
		}
		off := r.dec.InputOffset() - int64(len(raw))
		if int64(len(raw)) > r.opt.MaxEntryBytes {
			r.warns.add(-1, "log.entries", fmt.Sprintf("an entry of %d bytes at byte %d is larger than the %d-byte limit: reported, not loaded", len(raw), r.td.cuts.source(off), r.opt.MaxEntryBytes), nil)
			continue
		}
		e, err := r.td.entry(raw, off, index)
		if err != nil {
			return &Error{Kind: ErrEntry, Offset: off, Entry: index, Err: err}
		}
		t.Entries = append(t.Entries, e)
		if r.opt.OnEntry != nil {
			r.opt.OnEntry(e)
		}
		r.progress(false)
	}
}

// notAHAR records why the document is not a HAR; it is reported once the
// rest has been checked to be valid JSON.
func (r *reader) notAHAR(why string) {
	if r.notHAR == nil {
		r.notHAR = &Error{Kind: ErrNotHAR, Offset: r.dec.InputOffset(), Entry: -1,
			Err: errors.New("valid JSON but not a HAR: " + why)}
	}
}

func (r *reader) cancelled(err error) error {
	return fmt.Errorf("reading %s: stopped after %d entries: %w", r.path, len(r.trace.Entries), err)
}

// readError turns a decoder error into an *Error (or a cancellation).
func (r *reader) readError(err error, entry int) error {
	if r.ctx.Err() != nil && errors.Is(err, r.ctx.Err()) {
		return r.cancelled(err)
	}
	var tooLarge *tooLargeError
	if errors.As(err, &tooLarge) {
		return &Error{Kind: ErrTooLarge, Offset: -1, Entry: -1, Err: err}
	}
	n := len(r.trace.Entries)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		cut := r.decodedSize()
		var where string
		switch {
		case entry >= 0 && len(bytes.TrimLeft(r.dec.UnreadBuffer(), " \t\r\n,")) == 0:
			where = "between entries" // e.g. a capture journal that was never closed
		case entry >= 0:
			where = fmt.Sprintf("inside entry %d", entry)
		case r.entriesDone:
			where = "after the entries"
		default:
			where = "before log.entries"
		}
		what := "the file was cut off"
		if r.src.format == "har.gz" {
			what = "the compressed file was cut off"
		}
		return &Error{Kind: ErrTruncated, Offset: cut, Entry: entry,
			Err: fmt.Errorf("%s at byte %d (%s), after %d complete entries: %w", what, cut, where, n, io.ErrUnexpectedEOF)}
	}
	after := ""
	if r.sawEntries {
		after = fmt.Sprintf(" after %d complete entries", n)
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return &Error{Kind: ErrSyntax, Offset: syn.ByteOffset, Entry: entry,
			Err: fmt.Errorf("invalid JSON%s: %w", after, syn.Err)}
	}
	what := "reading the file"
	if r.src.format == "har.gz" {
		what = "decompressing the file"
	}
	return &Error{Kind: ErrEncoding, Offset: r.dec.InputOffset(), Entry: entry,
		Err: fmt.Errorf("%s%s: %w", what, after, err)}
}

// decodedSize is how many bytes of decoded text exist: the cut position
// of a truncated file.
func (r *reader) decodedSize() int64 {
	if r.src.total > 0 {
		return r.src.total
	}
	return r.dec.InputOffset() + int64(len(r.dec.UnreadBuffer()))
}

// progress reports every few hundred entries or megabytes, and at the end.
func (r *reader) progress(final bool) {
	if r.opt.Progress == nil {
		return
	}
	p := Progress{
		Entries:  len(r.trace.Entries),
		Bytes:    r.dec.InputOffset(),
		Total:    r.src.total,
		FileSize: r.src.fileSize,
	}
	if r.src.fileRead != nil {
		p.FileRead = r.src.fileRead()
	} else {
		p.FileRead = p.Bytes
	}
	if !final && p.Entries-r.lastProgress.Entries < progressEveryEntries && p.Bytes-r.lastProgress.Bytes < progressEveryBytes {
		return
	}
	r.lastProgress = p
	r.opt.Progress(p)
}

// warnings collects producer quirks once per kind, with the first entry
// that showed it and how many did.
type warnings struct {
	order []warnKey
	seen  map[warnKey]*warnSeen
}

type warnKey struct{ path, problem string }

type warnSeen struct {
	firstEntry int
	example    string
	count      int
}

const maxWarningKinds = 64

func (w *warnings) add(entry int, path, problem string, example []byte) {
	k := warnKey{path, problem}
	if s, ok := w.seen[k]; ok {
		s.count++
		return
	}
	if w.seen == nil {
		w.seen = make(map[warnKey]*warnSeen)
	}
	if len(w.order) >= maxWarningKinds {
		return
	}
	v := jsontext.Value(bytes.Clone(example))
	if v.Compact() != nil {
		v = jsontext.Value(bytes.Clone(example))
	}
	ex := string(v)
	if len(ex) > 60 {
		ex = ex[:57] + "..."
	}
	w.seen[k] = &warnSeen{firstEntry: entry, example: ex, count: 1}
	w.order = append(w.order, k)
}

func (w *warnings) list() []string {
	out := make([]string, 0, len(w.order))
	for _, k := range w.order {
		s := w.seen[k]
		var b strings.Builder
		if s.firstEntry >= 0 {
			fmt.Fprintf(&b, "entry %d: ", s.firstEntry)
		}
		b.WriteString(k.path + " " + k.problem)
		if s.example != "" {
			b.WriteString(" (" + s.example + ")")
		}
		if s.count > 1 {
			fmt.Fprintf(&b, "; %d times in all", s.count)
		}
		out = append(out, b.String())
	}
	return out
}
