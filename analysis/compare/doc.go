// Package compare lines up a working ("good") and a failing ("bad") trace
// of the same flow and says which difference explains the failure.
//
// Support staff can walk a flow themselves and watch it work while the
// customer's recording fails; Compare matches the two recordings exchange
// by exchange (align.go: URL templates, host mapping, retries and polling
// collapsed, extra exchanges on either side tolerated), finds the first
// aligned step that worked in the good trace and was refused or failed in
// the bad one, and ranks the differences at that step and on the way to it
// (differences.go): credentials, cookies and the browser's cookie rules,
// redirects, intermediaries, server addresses, client, clocks, CORS — each
// tied to a catalogue cause ID where one fits, with noise (timestamps,
// cache busters, request IDs, analytics cookies) recognised and ranked
// last.
//
// Secret values are compared, never shown: a Comparer hashes them with
// HMAC-SHA256 under a random key of its own, and every text it writes goes
// through redact. Sanitized traces compare as well when both files were
// exported with one salt (authlens sanitize --salt-file): equal
// placeholders stand for equal secrets.
package compare
