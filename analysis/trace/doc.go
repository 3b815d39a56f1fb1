// Package trace holds a HAR trace and the indexes the diagnosis rules
// share, built once by New: the per-origin authentication history, the
// cookie timeline and jar, redirects, sockets, site context, browser,
// sign-in detection, sanitized-export detection and vendor signatures.
//
// It says what the trace as a whole says; what one exchange says on its
// own (its status in words, client, request ID, challenge classes, CORS,
// CSRF, rate-limit and cache headers…) is package analysis/entry, which
// this package imports.
//
// Its exported query API is the only way rules see the trace, so a rule
// never depends on another rule. Shared reasoning several rules need that
// reads more than one entry lives here in a file named for what it knows
// (session.go, stalesession.go, handshake.go, refusal.go, tokens.go,
// cors.go, csrf.go, ratelimit.go, oauth.go…). It also defines the words
// findings are made of: Evidence, Step and Who.
package trace
