package rules

import (
	"authlens/analysis"
)

// All returns every cause AuthLens knows, in catalogue order. The slice
// is new on every call; the rules themselves are shared and read-only.
func All() []*analysis.Rule {
	return []*analysis.Rule{
		MissingCredentials,
		InvalidCredentials,
		WrongScheme,
		UnsupportedAuthMethod,
		ConnectionAuthBroken,
		MissingChallenge,
		AuthzAs401,
		StepUpRequired,
		ClientCredentialsInvalid,
		ExpiredToken,
		ClockSkew,
		TokenAudienceMismatch,
		StaleNonce,
		StaleCookie,
		CookieRejected,
		CookieNotSent,
		CachedResponse,
		InsufficientScope,
		InsufficientPermissions,
		IPRestriction,
		RateLimited,
		CSRFFailure,
		FilesystemPermission,
		DirectoryListingForbidden,
		ProxyStrippedAuthorization,
		ProxyAuthRequired,
		WAFBlock,
		PluginBlock,
		AuthDroppedOnRedirect,
		CORSPreflightAuth,
		CORSMisconfigured,
		DNSMismatch,
		WrongURL,
	}
}
