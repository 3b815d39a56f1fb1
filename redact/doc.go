// Package redact hides the secrets that HAR files carry — passwords,
// cookies, tokens, signatures, session IDs — before anything from a HAR is
// shown on screen, written to a report or logged.
//
// It has one function per kind of input: Value for a bare secret,
// CookieValue for a cookie value whose equality must stay visible,
// Authorization, CookieHeader, SetCookie and Header for header values, URL
// and Query for addresses, and Text for body excerpts, error messages and
// any other free text. IsSecretName and IsSecretHeader say which names
// carry secrets.
//
// Masking errs on the side of hiding: when in doubt a value is masked.
// What is not secret is kept byte for byte, so that hosts, paths, IDs and
// status words stay readable. All functions are safe for concurrent use.
package redact
