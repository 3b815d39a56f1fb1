package analysis

// TEMPORARY stub: replaced by the auth-history index.

// AnsweredChallenge reports whether entry i is a 401 that was the normal
// first leg of a challenge the client then answered successfully (Basic or
// Digest retried with credentials and 2xx/3xx, NTLM/Negotiate legs before
// the final 200, Digest stale=true retried, DPoP use_dpop_nonce retried),
// and says why in plain words.
func (t *Trace) AnsweredChallenge(i int) (bool, string) { return false, "" }
