package har

// Format detection and decoding: turns the bytes of a file (plain, gzip,
// UTF-16, UTF-8 with BOM, HARP/JSONP) into the decoded JSON text that the
// streaming walk reads, plus random access to that same text for bodies
// left in the source.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

const (
	defaultInlineBodyLimit = 64 << 10
	defaultMaxDecompressed = 16 << 30
	// A gzip stream that has expanded beyond ratioGuardFloor bytes at more
	// than maxCompressionRatio:1 is treated as a bomb. Real HAR files
	// compress 5-50:1; deflate's ceiling is about 1032:1.
	maxCompressionRatio = 200
	ratioGuardFloor     = 64 << 20
	headSize            = 4096
)

// source is the decoded JSON text of a HAR file.
type source struct {
	format   string       // "har", "har.gz", "harp"
	stream   io.Reader    // decoded JSON text from its first byte
	total    int64        // size of the decoded text, 0 when unknown
	fileSize int64        // size of the input as stored
	fileRead func() int64 // bytes of the input consumed; nil when the input is the decoded text
	warnings []string
	// bodies gives random access to the decoded text: the input itself
	// for plain files, the spool for decoded streams.
	bodies sourceFile
	spool  *spool // non-nil when the decoded text is copied to a temp file
}

// sourceFile reads a byte range of the decoded source.
type sourceFile interface {
	ReadAt(p []byte, off int64) (int, error)
	Close() error
}

// openSource detects the format of input (size bytes) by content and
// prepares the decoded stream.
func openSource(ctx context.Context, input io.ReaderAt, size int64, opt Options) (*source, error) {
	head := make([]byte, min(size, headSize))
	if _, err := input.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the start of the file: %w", err)
	}
	src := &source{format: "har", fileSize: size}
	if bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		counted := &countingReader{r: io.NewSectionReader(input, 0, size)}
		zr, err := gzip.NewReader(bufio.NewReaderSize(counted, 64<<10))
		if err != nil {
			return nil, encodingError(fmt.Errorf("the file starts like gzip but its header is damaged: %w", err))
		}
		src.format = "har.gz"
		src.fileRead = counted.count
		guard := &sizeGuard{r: zr, compressed: counted.count, limit: opt.MaxDecompressed, floor: opt.bombFloor}
		if guard.floor <= 0 {
			guard.floor = ratioGuardFloor
		}
		return src, src.decodeStream(ctx, guard)
	}
	if err := sniffBinary(head); err != nil {
		return nil, err
	}
	if order, ok := utf16Order(head); ok {
		counted := &countingReader{r: io.NewSectionReader(input, 0, size)}
		src.fileRead = counted.count
		src.warnings = append(src.warnings, "the file is "+orderName(order)+" text; it was decoded to UTF-8")
		return src, src.decodeStream(ctx, transform.NewReader(counted, utf16Decoder(order)))
	}
	// Plain UTF-8: the decoded text is a section of the input itself.
	start, harp, err := jsonStart(head)
	if err != nil {
		return nil, err
	}
	end := size
	if harp {
		src.format = "harp"
		end = jsonpEnd(input, size, start)
	}
	section := io.NewSectionReader(input, start, end-start)
	src.stream = bufio.NewReaderSize(&ctxReader{ctx: ctx, r: section}, 256<<10)
	src.total = end - start
	src.bodies = nopCloser{section}
	return src, nil
}

// decodeStream finishes detection on a decoded stream (after gzip or
// UTF-16) and copies what is read to a temp file so bodies can be re-read.
func (src *source) decodeStream(ctx context.Context, r io.Reader) error {
	br := bufio.NewReaderSize(&ctxReader{ctx: ctx, r: r}, 64<<10)
	// A read error with some text before it (a cut .har.gz) is met again,
	// with its position, when the walk reaches it.
	head, err := br.Peek(headSize)
	if err != nil && len(head) == 0 && !errors.Is(err, io.EOF) {
		return src.streamError(err)
	}
	if src.format == "har.gz" {
		if err := sniffBinary(head); err != nil {
			return err
		}
		if order, ok := utf16Order(head); ok {
			src.warnings = append(src.warnings, "the decompressed text is "+orderName(order)+"; it was decoded to UTF-8")
			br = bufio.NewReaderSize(transform.NewReader(br, utf16Decoder(order)), 64<<10)
			if head, err = br.Peek(headSize); err != nil && len(head) == 0 && !errors.Is(err, io.EOF) {
				return src.streamError(err)
			}
		}
	}
	start, harp, err := jsonStart(head)
	if err != nil {
		return err
	}
	if harp && src.format == "har" {
		src.format = "harp"
	}
	if _, err := br.Discard(int(start)); err != nil {
		return src.streamError(err)
	}
	sp, err := newSpool()
	if err != nil {
		return err
	}
	src.spool = sp
	src.bodies = sp
	// The JSON walk never reads past the top-level value, so a JSONP
	// suffix such as ");" is simply left unread.
	src.stream = io.TeeReader(br, sp)
	return nil
}

// streamError classifies a read error of the decoded stream.
func (src *source) streamError(err error) error {
	var tooLarge *tooLargeError
	if errors.As(err, &tooLarge) {
		return &Error{Kind: ErrTooLarge, Offset: -1, Entry: -1, Err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Kind: ErrTruncated, Offset: -1, Entry: -1, Err: fmt.Errorf("the compressed file was cut off before any HAR text: %w", err)}
	}
	return encodingError(fmt.Errorf("decoding the file: %w", err))
}

func encodingError(err error) *Error {
	return &Error{Kind: ErrEncoding, Offset: -1, Entry: -1, Err: err}
}

// sniffBinary refuses inputs that are recognisably not text.
func sniffBinary(head []byte) error {
	type magic struct {
		prefix []byte
		what   string
	}
	for _, m := range []magic{
		{[]byte{0x00, 0x00, 0xfe, 0xff}, "UTF-32 text, which is not supported: save it as UTF-8"},
		{[]byte{0xff, 0xfe, 0x00, 0x00}, "UTF-32 text, which is not supported: save it as UTF-8"},
		{[]byte("PK\x03\x04"), "a ZIP archive, not a HAR: extract the .har file from it first"},
		{[]byte{0x28, 0xb5, 0x2f, 0xfd}, "zstd-compressed: decompress it first (only gzip is read directly)"},
		{[]byte("BZh"), "bzip2-compressed: decompress it first (only gzip is read directly)"},
		{[]byte{0xfd, '7', 'z', 'X', 'Z', 0x00}, "xz-compressed: decompress it first (only gzip is read directly)"},
	} {
		if bytes.HasPrefix(head, m.prefix) {
			return encodingError(fmt.Errorf("the file is %s", m.what))
		}
	}
	if _, isUTF16 := utf16Order(head); !isUTF16 && bytes.IndexByte(head, 0) >= 0 {
		n := min(len(head), 8)
		return encodingError(fmt.Errorf("the file is binary data, not HAR text (it starts with bytes % x)", head[:n]))
	}
	return nil
}

// utf16Order recognises UTF-16 by its byte order mark or, without one,
// by the zero bytes that ASCII JSON leaves in every other position.
func utf16Order(head []byte) (order unicode.Endianness, ok bool) {
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}) && !bytes.HasPrefix(head, []byte{0xff, 0xfe, 0, 0}):
		return unicode.LittleEndian, true
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return unicode.BigEndian, true
	case len(head) < 4:
		return order, false
	}
	n := min(len(head), 64) &^ 1
	evenZero, oddZero := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			evenZero++
		}
		if head[i+1] == 0 {
			oddZero++
		}
	}
	switch {
	case oddZero == n/2 && evenZero == 0:
		return unicode.LittleEndian, true
	case evenZero == n/2 && oddZero == 0:
		return unicode.BigEndian, true
	}
	return order, false
}

// utf16Decoder decodes UTF-16 in the given byte order; a BOM, when
// present, decides the order and is removed.
func utf16Decoder(order unicode.Endianness) transform.Transformer {
	return unicode.UTF16(order, unicode.UseBOM).NewDecoder()
}

func orderName(order unicode.Endianness) string {
	if order == unicode.LittleEndian {
		return "UTF-16LE"
	}
	return "UTF-16BE"
}

// jsonStart returns where the JSON value begins in UTF-8 text: after a
// byte order mark, and after the "callback(" of a HARP (JSONP) file.
func jsonStart(head []byte) (start int64, harp bool, err error) {
	bom := 0
	if bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}) {
		bom = 3
	}
	i := bom
	for i < len(head) && isSpace(head[i]) {
		i++
	}
	switch {
	case len(head) == 0:
		return 0, false, &Error{Kind: ErrNotHAR, Offset: 0, Entry: -1, Err: errors.New("the file is empty (0 bytes): there is no HAR in it")}
	case i == len(head) && len(head) < headSize:
		return 0, false, &Error{Kind: ErrNotHAR, Offset: 0, Entry: -1, Err: errors.New("the file holds only white space: there is no HAR in it")}
	case i == len(head) || !isIdentStart(head[i]):
		return int64(bom), false, nil
	}
	// callback name (possibly dotted), white space, "("
	j := i
	for j < len(head) && (isIdentStart(head[j]) || head[j] == '.' || (head[j] >= '0' && head[j] <= '9')) {
		j++
	}
	for j < len(head) && isSpace(head[j]) {
		j++
	}
	if j < len(head) && head[j] == '(' {
		return int64(j + 1), true, nil
	}
	// Not JSONP: the JSON reader reports what is wrong.
	return int64(bom), false, nil
}

// jsonpEnd finds the closing ")" of a HARP file at its end; when it is
// missing (a cut file) the JSON runs to the end of the input.
func jsonpEnd(input io.ReaderAt, size, start int64) int64 {
	n := min(size-start, 256)
	tail := make([]byte, n)
	if _, err := input.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return size
	}
	i := len(tail)
	for i > 0 && isSpace(tail[i-1]) {
		i--
	}
	if i > 0 && tail[i-1] == ';' {
		i--
	}
	for i > 0 && isSpace(tail[i-1]) {
		i--
	}
	if i > 0 && tail[i-1] == ')' {
		return size - n + int64(i-1)
	}
	return size
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func isIdentStart(b byte) bool {
	return b == '_' || b == '$' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) count() int64 { return c.n }

// tooLargeError is returned by sizeGuard when decompression exceeds a limit.
type tooLargeError struct{ msg string }

func (e *tooLargeError) Error() string { return e.msg }

// sizeGuard stops a decompressing reader that expands beyond a size limit
// or at an implausible ratio (a gzip bomb), before it fills disk or memory.
type sizeGuard struct {
	r          io.Reader
	compressed func() int64
	limit      int64
	floor      int64 // the ratio guard applies beyond this many bytes
	n          int64
	err        error
}

func (g *sizeGuard) Read(p []byte) (int, error) {
	if g.err != nil { // sticky: the JSON decoder ignores an error that comes with data
		return 0, g.err
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.limit > 0 && g.n > g.limit {
		g.err = &tooLargeError{fmt.Sprintf("the compressed file expands to more than %d bytes (the limit): refusing to read it", g.limit)}
		return 0, g.err
	}
	if c := g.compressed(); g.n > g.floor && c > 0 && g.n/c > maxCompressionRatio {
		g.err = &tooLargeError{fmt.Sprintf("the compressed file expands more than %d:1 (%d bytes from %d): refusing it as a likely gzip bomb", maxCompressionRatio, g.n, c)}
		return 0, g.err
	}
	return n, err
}

// ctxReader stops reading when the context is done, so a long
// decompression or a huge value honours cancellation too.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// spool is a temp file holding the decoded text of a stream, so bodies
// left in the source can be re-read with ReadAt.
type spool struct {
	f       *os.File
	w       *bufio.Writer
	removed bool
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "authlens-har-*.json")
	if err != nil {
		return nil, encodingError(fmt.Errorf("creating a temp file for the decoded HAR: %w", err))
	}
	sp := &spool{f: f, w: bufio.NewWriterSize(f, 256<<10)}
	// On Unix the open file stays readable after removal, so nothing is
	// left behind even if the program dies; elsewhere Close removes it.
	sp.removed = os.Remove(f.Name()) == nil
	return sp, nil
}

func (s *spool) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil {
		return n, fmt.Errorf("writing the decoded HAR to temp file %s: %w", s.f.Name(), err)
	}
	return n, nil
}

func (s *spool) flush() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("writing the decoded HAR to temp file %s: %w", s.f.Name(), err)
	}
	return nil
}

func (s *spool) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }

func (s *spool) Close() error {
	err := s.f.Close()
	if !s.removed {
		if rerr := os.Remove(s.f.Name()); rerr != nil && err == nil {
			err = rerr
		}
	}
	return err
}

// nopCloser gives a section of the input the sourceFile shape; the input
// itself is closed separately.
type nopCloser struct{ io.ReaderAt }

func (nopCloser) Close() error { return nil }
