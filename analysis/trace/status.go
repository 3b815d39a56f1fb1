package trace

import "authlens/analysis/entry"

// RefusedUpgrade reports whether entry i is a WebSocket handshake the
// Server refused with 401 or 403 (recorded by Chromium as status -1).
func (t *Trace) RefusedUpgrade(i int) bool {
	e := t.Entries[i]
	st := entry.EffectiveStatus(e)
	return e.Response.Status <= 0 && (st == 401 || st == 403)
}

// AuthFailure reports whether entry i is a failing 401/403 that is not the
// answered first leg of a handshake.
func (t *Trace) AuthFailure(i int) bool {
	st := t.Entries[i].Response.Status
	if st != 401 && st != 403 {
		return false
	}
	ok, _ := t.AnsweredChallenge(i)
	return !ok
}
