package capture

import (
	"fmt"
	"time"
)

// The default limits. Each one, when reached, is answered with a status
// that says which limit it was, and recorded as an entry that says why.
const (
	// DefaultMaxHeaderBytes bounds a request's line and headers (431).
	DefaultMaxHeaderBytes = 1 << 20
	// DefaultMaxConns bounds concurrent client connections (503).
	DefaultMaxConns = 1024
	// DefaultIdleTimeout is how long a kept-alive client connection may
	// wait before its next request starts (closed silently, as browsers
	// expect).
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultHeaderTimeout is how long a client may take to send one
	// request's line and headers once it started (408: slowloris).
	DefaultHeaderTimeout = 15 * time.Second
	// DefaultRequestTimeout bounds one whole exchange (request body,
	// server wait, response) on a client connection.
	DefaultRequestTimeout = 5 * time.Minute
	// DefaultResponseTimeout is how long a server may take to start its
	// response once the request is sent (504).
	DefaultResponseTimeout = 2 * time.Minute
	// DefaultJournalBytes is the journal size at which recording stops
	// (proxying goes on).
	DefaultJournalBytes = 2 << 30
	// DefaultMinFreeDisk is the free space kept on the journal's disk:
	// recording stops before less would remain.
	DefaultMinFreeDisk = 512 << 20
)

// Limits bound what one capture may cost. A zero field means its default;
// for JournalBytes and MinFreeDisk a negative value means no limit.
type Limits struct {
	MaxHeaderBytes  int64
	MaxConns        int
	IdleTimeout     time.Duration
	HeaderTimeout   time.Duration
	RequestTimeout  time.Duration
	ResponseTimeout time.Duration
	JournalBytes    int64
	MinFreeDisk     int64
}

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxConns <= 0 {
		l.MaxConns = DefaultMaxConns
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	if l.HeaderTimeout <= 0 {
		l.HeaderTimeout = DefaultHeaderTimeout
	}
	if l.RequestTimeout <= 0 {
		l.RequestTimeout = DefaultRequestTimeout
	}
	if l.ResponseTimeout <= 0 {
		l.ResponseTimeout = DefaultResponseTimeout
	}
	if l.JournalBytes == 0 {
		l.JournalBytes = DefaultJournalBytes
	}
	if l.MinFreeDisk == 0 {
		l.MinFreeDisk = DefaultMinFreeDisk
	}
	return l
}

// String lists the limits in force, for the start-up banner.
func (l Limits) String() string {
	l = l.withDefaults()
	size := func(n int64) string {
		if n < 0 {
			return "none"
		}
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("headers %d KiB, %d connections, idle %s, headers within %s, server answer within %s, exchange %s, journal %s, keep %s free",
		l.MaxHeaderBytes>>10, l.MaxConns, l.IdleTimeout, l.HeaderTimeout, l.ResponseTimeout, l.RequestTimeout, size(l.JournalBytes), size(l.MinFreeDisk))
}
