package localca

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// configDir is AuthLens's own folder in the user config directory of the
// operating system goos, with getenv reading the environment: the rules
// of os.UserConfigDir, written out so the tests check every OS's answer
// here (Windows and macOS included).
func configDir(goos string, getenv func(string) string) (string, error) {
	var base string
	switch goos {
	case "windows":
		base = getenv("AppData")
		if base == "" {
			return "", errors.New("locating the user config directory for the AuthLens CA: %AppData% is not defined")
		}
	case "darwin", "ios":
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("locating the user config directory for the AuthLens CA: $HOME is not defined")
		}
		base = home + "/Library/Application Support"
	case "plan9":
		home := getenv("home")
		if home == "" {
			return "", errors.New("locating the user config directory for the AuthLens CA: $home is not defined")
		}
		base = home + "/lib"
	default:
		base = getenv("XDG_CONFIG_HOME")
		if base == "" {
			home := getenv("HOME")
			if home == "" {
				return "", errors.New("locating the user config directory for the AuthLens CA: neither $XDG_CONFIG_HOME nor $HOME are defined")
			}
			base = home + "/.config"
		} else if !filepath.IsAbs(base) && !strings.HasPrefix(base, "/") {
			return "", fmt.Errorf("locating the user config directory for the AuthLens CA: path in $XDG_CONFIG_HOME is relative")
		}
	}
	if goos == "windows" {
		return strings.TrimRight(base, `\/`) + `\authlens`, nil
	}
	return filepath.Join(base, "authlens"), nil
}
