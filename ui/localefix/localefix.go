// Package localefix maps the POSIX "C" locale to English before Fyne reads
// the locale. Fyne parses LANG=C.UTF-8 (the default of Debian containers
// and CI machines) as a BCP 47 tag and logs an error on every start, which
// would pollute the output of `authlens analyze`. Import it (blank) from
// main, before any Fyne package: Go initialises packages in import-path
// order once their dependencies are ready, and "authlens/..." sorts before
// "fyne.io/...".
package localefix

import (
	"os"
	"strings"
)

func init() {
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(env)
		if v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if base == "C" || base == "POSIX" {
			os.Setenv(env, "en_US."+strings.TrimPrefix(strings.TrimPrefix(v, base), "."))
			if !strings.Contains(v, ".") {
				os.Setenv(env, "en_US")
			}
		}
		return
	}
}
