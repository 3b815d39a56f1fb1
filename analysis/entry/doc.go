// Package entry says what one exchange says on its own; analysis/trace
// says what the trace as a whole says.
//
// Everything here is a pure function of one *har.Entry (or of a part of
// it: a header value, a URL, a body, the parsed challenges), built on the
// decoders, the vendor table and redact, with no *trace.Trace: the
// effective status and the status in words (status.go), which program
// sent the request (client.go), the request ID a support ticket quotes
// (requestid.go), the challenge classes (challenges.go), the IIS
// sub-status an error page names and the web server's built-in page
// (iis.go, signatures.go), attack-looking request text (attack.go), the
// CORS, CSRF, rate-limit, cache and proxy headers of one answer (cors.go,
// csrf.go, ratelimit.go, cache.go, proxy.go), a request's cross-site
// context (sitecontext.go), token words and scopes (tokens.go), URLs
// (url.go), HTTP dates, durations and text helpers (text.go, words.go).
//
// Anything that needs another entry (the authentication history,
// handshakes, the cookie timeline, sessions, redirects across entries, a
// site's other answers) belongs in analysis/trace, which imports this
// package; so do the words findings are made of (Evidence, Step).
package entry
