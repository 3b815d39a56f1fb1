package trace

import (
	"net/url"
	"strings"
)

// Socket identity differs by producer (catalogue §2): current Chrome
// DevTools writes the socket id in _connectionId and the server *port* in
// connection; older Chrome wrote the socket id in connection; Firefox,
// Charles and others write a client port or an index there. Socket returns
// a normalised key so rules can compare sockets without knowing this.

// Socket returns a key naming the TCP connection entry i used, "" when the
// trace does not say (for example when connection only holds the server
// port). Keys are only comparable within one trace.
func (t *Trace) Socket(i int) string { return t.sockets[i] }

// SameSocket reports whether entries i and j used the same connection;
// known is false when either socket is unknown.
func (t *Trace) SameSocket(i, j int) (same, known bool) {
	a, b := t.sockets[i], t.sockets[j]
	if a == "" || b == "" {
		return false, false
	}
	return a == b, true
}

func buildSockets(t *Trace) []string {
	out := make([]string, len(t.Entries))
	for i, e := range t.Entries {
		if id := strings.TrimSpace(e.ConnectionID); id != "" && id != "0" {
			out[i] = "socket:" + id
			continue
		}
		c := strings.TrimSpace(e.Connection)
		if c == "" || c == "0" {
			continue
		}
		if c == serverPort(e.Request.URL) {
			// Current Chrome without _connectionId in this entry: the server
			// port says nothing about the socket.
			continue
		}
		out[i] = "connection:" + c
	}
	return out
}

// serverPort is the port a URL connects to ("443" for https without one).
func serverPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "wss":
		return "443"
	case "http", "ws":
		return "80"
	}
	return ""
}
