package sanitize

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
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
