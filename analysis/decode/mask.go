package decode

import "authlens/redact"

// Mask hides a secret, keeping only enough to recognise it (e.g.
// "eyJh…(812 chars)"). It is redact.Value: the decoders' masked forms
// follow the one masking policy of every output.
func Mask(secret string) string { return redact.Value(secret) }
