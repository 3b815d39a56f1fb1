package entry

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

var (
	// "IIS 10.0 Detailed Error - 401.2 - Unauthorized" (the title of the detailed page).
	iisDetailedTitle = regexp.MustCompile(`(?i)IIS\s+(?:\d+(?:\.\d+)*\s+)?Detailed\s+Error\s*-\s*(\d{3})\.(\d{1,3})\b`)
	// "HTTP Error 401.2 - Unauthorized" (h3 of the detailed page; IIS 6 pages).
	iisHTTPError = regexp.MustCompile(`(?i)HTTP\s+Error\s+(\d{3})\.(\d{1,3})\b`)
	// "Error 403.14 - Forbidden" / "403.503 - Forbidden" in custom pages and headings.
	iisBareCode = regexp.MustCompile(`(?i)(?:<h[1-4][^>]*>|<title>|\bError\s+)\s*(40[13])\.(\d{1,3})\s*-\s*[A-Za-z]`)
	// The remote (custom) page IIS 7+ shows without the sub-status.
	iisCustomPage = regexp.MustCompile(`(?i)(?:40[13]) - (?:Unauthorized: Access is denied due to invalid credentials|Forbidden: Access is denied)\.`)
)

// ParseIISSubStatus reads the IIS sub-status from an IIS error page, detailed
// (local requests, errorMode="Detailed") or IIS 6 style. ok is false when
// the body names none (a remote client usually gets the custom page
// without it).
func ParseIISSubStatus(body string) (status, sub int, ok bool) {
	// Every sub-status is "401.x" or "403.x": skip the expressions on
	// bodies that cannot hold one.
	if !strings.Contains(body, "401.") && !strings.Contains(body, "403.") && !strings.Contains(body, "&#46;") {
		return 0, 0, false
	}
	text := body
	if strings.Contains(text, "&") {
		text = html.UnescapeString(text)
	}
	for _, re := range []*regexp.Regexp{iisDetailedTitle, iisHTTPError, iisBareCode} {
		m := re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		st, err1 := strconv.Atoi(m[1])
		sb, err2 := strconv.Atoi(m[2])
		if err1 != nil || err2 != nil || st < 400 || st > 599 {
			continue
		}
		return st, sb, true
	}
	return 0, 0, false
}
