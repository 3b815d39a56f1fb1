// Package sanitize writes a copy of a HAR that can be handed on — to
// engineering, to a customer, into a ticket — without the passwords,
// cookies and tokens it carried, while keeping everything AuthLens needs
// to reach the same diagnosis.
//
// What is replaced, and how:
//   - Authorization and Proxy-Authorization keep their scheme. A JWT keeps
//     its header and claims and gets a placeholder signature (or, with
//     Options.DropJWTClaims, empty claims). Basic stays base64 of
//     "user:password" with the password (and, unless Options.KeepBasicUser,
//     the user-id) replaced. NTLM keeps its message type, flags and layout;
//     its challenge, responses and session key are replaced. Negotiate
//     (Kerberos) keeps its ASN.1 prefix. Digest keeps its parameters and
//     loses its response.
//   - Every cookie value in Cookie, Set-Cookie and the cookies arrays;
//     names and attributes are kept.
//   - The values of secret-named parameters (redact.IsSecretName, plus
//     Options.ExtraNames) in URLs, queryString, postData (form, JSON,
//     multipart), redirectURL, Location and bodies; URL userinfo; JWTs and
//     long token-like path segments; secret headers (redact.IsSecretHeader).
//   - Response bodies follow Options.Bodies (by default the text of error
//     responses is kept, everything else dropped).
//   - Finally, any remaining occurrence of a replaced secret anywhere in
//     the entry (a body echoing a header, a comment) is replaced too.
//
// Placeholders are stable: each is derived from the secret with
// HMAC-SHA256 under a salt (random per export unless one is given), so the
// same secret gives the same placeholder within a file — "the same stale
// cookie was sent twice" and "the token changed" stay visible — while a
// placeholder cannot be brute-forced without the salt. A placeholder keeps
// the secret's length and character classes (digits stay digits, base64
// stays base64), so the decoders and rules read it as what it stands for.
//
// The output records in log.comment that it was sanitized and how.
package sanitize
