// Package trace holds a HAR trace and the indexes the diagnosis rules
// share, built once by New: the per-origin authentication history, the
// cookie timeline and jar, redirects, sockets, site context, browser,
// sign-in detection, sanitized-export detection and vendor signatures.
//
// Its exported query API is the only way rules see the trace, so a rule
// never depends on another rule. Shared reasoning several rules need lives
// here in a file named for what it knows (session.go, stalesession.go,
// signin.go, refusal.go, attack.go, tokens.go, cors.go, csrf.go,
// ratelimit.go, oauth.go…). It also defines the words findings are made
// of: Evidence, Step and Who.
package trace
