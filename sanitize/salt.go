package sanitize

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"authlens/har"
)

// LoadSalt reads the salt kept in a salt file (hex, one line), so that
// several files sanitized with it share placeholders: the same cookie in
// two customers' HARs gets the same placeholder. When the file does not
// exist, LoadSalt draws a random salt and creates the file (mode 0600);
// created says so. Keep a salt file as secret as the HARs: with it, a
// guessed secret can be checked against a placeholder.
func LoadSalt(path string) (salt []byte, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		salt = make([]byte, SaltSize)
		if _, err := rand.Read(salt); err != nil {
			return nil, false, fmt.Errorf("drawing a random salt: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("creating the salt file: %w", err)
		}
		if _, err := fmt.Fprintln(f, hex.EncodeToString(salt)); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("writing the salt file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, false, fmt.Errorf("writing the salt file: %w", err)
		}
		return salt, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading the salt file: %w", err)
	}
	salt, err = hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, false, fmt.Errorf("the salt file %s is not hex: %w", path, err)
	}
	if len(salt) < 16 {
		return nil, false, fmt.Errorf("the salt file %s holds %d bytes, want at least 16", path, len(salt))
	}
	return salt, false, nil
}

// WriteFile sanitizes h into the file at path (mode 0600), writing a
// temporary file beside it first and renaming it, so that a failure never
// leaves a partial HAR.
func WriteFile(ctx context.Context, path string, h *har.Trace, opts Options) (Stats, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return Stats{}, fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	w := bufio.NewWriterSize(f, 1<<16)
	st, err := Write(ctx, w, h, opts)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return st, fmt.Errorf("writing %s: %w", path, err)
	}
	return st, nil
}
