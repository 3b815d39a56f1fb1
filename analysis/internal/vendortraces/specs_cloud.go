package vendortraces

import (
	"encoding/base64"
	"encoding/json"
	"time"
)

// jwt mints an unsigned-looking compact JWS (the signature part is filler).
func jwt(claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "kid": "corpus-key-1", "typ": "JWT"})
	c, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(c) + "." + enc([]byte("signature-filler-not-a-real-signature-0123456789"))
}

func unix(d time.Duration) int64 { return base.Add(d).Unix() }

const (
	uaPowerShell = "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.20348; en-US) PowerShell/7.3.1"
	uaAzCLI      = "python-requests/2.22.0"
	uaGo         = "Go-http-client/1.1"
	uaCurl       = "curl/8.5.0"
	uaBoto3      = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0"
	uaAzBlob     = "azsdk-net-Storage.Blobs/12.19.1 (.NET 8.0.0; Microsoft Windows 10.0.22631)"
	uaExplorer   = "Microsoft Azure Storage Explorer/1.35.0 (win32) azsdk-js-storageblob/12.15.0 (NODE-VERSION v20.14.0; Windows_NT 10.0.22631)"
	tenant       = "72f988bf-86f1-41af-91ab-2d7cd011db47"
)

func form(s string) (string, string) { return s, "application/x-www-form-urlencoded" }

func cloudSpecs() []vt {
	tokenURL := "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token"
	ccBody, ccMime := form("client_id=6731de76-14a6-49ae-97bc-6eba6914391e&scope=https%3A%2F%2Fanalysis.windows.net%2Fpowerbi%2Fapi%2F.default&client_secret=%2A%2A%2A&grant_type=client_credentials")
	rtBody, rtMime := form("client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&grant_type=refresh_token&refresh_token=0.AXoAv4j5cvGGr0GRqy180BHbR3aVB7T...%5BREDACTED%5D&resource=https%3A%2F%2Fmanagement.core.windows.net%2F")
	ropcBody, ropcMime := form("client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&grant_type=password&username=jdoe%40contoso.com&password=%2A%2A%2A%2A%2A%2A%2A%2A&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default+offline_access")
	graphTok := jwt(map[string]any{"aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/" + tenant + "/", "iat": unix(-10 * time.Minute), "nbf": unix(-10 * time.Minute), "exp": unix(50 * time.Minute),
		"appid": "9b7c2a1e-3f4d-4c5b-8a6e-1d2c3b4a5f60", "idtyp": "app", "tid": tenant})
	return []vt{
		{
			Name: "entra-client-secret-expired", Vendor: "Microsoft Entra ID", Client: uaPowerShell,
			Source:   "https://github.com/liprec/vsts-release-aas/issues/119 (Not able to fetch token for tenant)",
			Story:    "A release pipeline (PowerShell Invoke-WebRequest) asks the Microsoft identity platform v2.0 token endpoint for an app-only token with the client-credentials grant; the token endpoint answers 401 invalid_client with AADSTS7000222: the app's client secret has expired.",
			Verbatim: "status 401 and the JSON body as the pipeline log prints it (error, error_description with AADSTS7000222 and its Trace/Correlation IDs, error_codes); the app id is shown as `'***'` because the CI log masked it.",
			Why:      "`cause=client-credentials-invalid`: the application's own secret is rejected at the token endpoint (OAuth invalid_client); nothing a user retypes fixes it — an admin creates a new secret.",
			Redacted: "the app id in the message is `'***'` (masked by the CI log) and the request's client_secret is `***`.",
			Entries: []ex{{Method: "POST", URL: tokenURL, Body: ccBody, Mime: ccMime, Req: []string{"Accept: application/json"}, Status: 401, Verbatim: true, Verdict: "cause=client-credentials-invalid",
				Resp:  []string{"Cache-Control: no-store, no-cache", "Pragma: no-cache", "x-ms-request-id: 8c95acf1-cc04-40a1-ad14-481862cf1801"},
				RMime: "application/json; charset=utf-8",
				Text:  `{"error":"invalid_client","error_description":"AADSTS7000222: The provided client secret keys for app '***' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.\r\nTrace ID: 8c95acf1-cc04-40a1-ad14-481862cf1801\r\nCorrelation ID: d65574ea-000b-4526-8595-ddaae8b4250d\r\nTimestamp: 2023-01-09 14:06:14Z","error_codes":[7000222],"timestamp":"2023-01-09 14:06:14Z","trace_id":"8c95acf1-cc04-40a1-ad14-481862cf1801","correlation_id":"d65574ea-000b-4526-8595-ddaae8b4250d","error_uri":"https://login.microsoftonline.com/error?code=7000222"}`}},
		},
		{
			Name: "entra-invalid-client-secret-v1", Vendor: "Microsoft Entra ID", Client: "Microsoft.IdentityModel.Clients.ActiveDirectory/3.13.9",
			Source:   "https://github.com/sjkp/letsencrypt-siteextension/issues/117 (Invalid secret after it has worked several times)",
			Story:    "A site extension (ADAL.NET) requests a token for the Azure management API with its client id and secret on the v1 token endpoint; Entra answers 401 with AADSTS70002/AADSTS50012 \"Invalid client secret is provided\".",
			Verbatim: "status 401 and the AADSTS70002/AADSTS50012 description with its Trace ID, Correlation ID and Timestamp as the ADAL exception prints them; the JSON envelope (error, error_codes, trace_id…) is reconstructed in Entra's documented v1 error shape around that text.",
			Why:      "`cause=client-credentials-invalid`: the client secret the application sends is not valid for the app registration.",
			Entries: []ex{{Method: "POST", URL: "https://login.windows.net/" + tenant + "/oauth2/token", Status: 401, Verbatim: true, Verdict: "cause=client-credentials-invalid",
				Body: "resource=https%3A%2F%2Fmanagement.core.windows.net%2F&client_id=3a1f2e4d-5c6b-4a7e-9f8d-0c1b2a3e4d5f&client_secret=kJ9%2Bw...&grant_type=client_credentials", Mime: "application/x-www-form-urlencoded",
				RMime: "application/json; charset=utf-8",
				Text:  `{"error":"invalid_client","error_description":"AADSTS70002: Error validating credentials. AADSTS50012: Invalid client secret is provided.\r\nTrace ID: f8002e35-8e39-4dce-a889-96498b8f0d00\r\nCorrelation ID: 96cd5114-2f15-4cc4-89fd-8d110359777a\r\nTimestamp: 2017-04-02 12:10:31Z","error_codes":[70002,50012],"timestamp":"2017-04-02 12:10:31Z","trace_id":"f8002e35-8e39-4dce-a889-96498b8f0d00","correlation_id":"96cd5114-2f15-4cc4-89fd-8d110359777a"}`}},
			Redacted: "the client_secret in the request is cut to `kJ9%2Bw...`.",
		},
		{
			Name: "entra-refresh-token-inactive", Vendor: "Microsoft Entra ID", Client: uaAzCLI,
			Source:   "https://github.com/Azure/azure-cli/issues/14244 (expired token. need help.)",
			Story:    "The Azure CLI silently redeems its cached refresh token; Entra answers 400 invalid_grant AADSTS700082: the refresh token was unused for 90 days and has expired. `az login` fixed it.",
			Verbatim: "status 400 and the whole JSON body as the CLI prints it (\"Get Token request returned http error: 400 and server response: …\").",
			Why:      "`cause=expired-token`: the refresh token expired by inactivity; the user signs in again.",
			Trap:     "invalid_grant must not be read as wrong credentials or a client problem: the description says expired due to inactivity.",
			Redacted: "the refresh_token in the request body is cut and ends in `…%5BREDACTED%5D`.",
			Entries: []ex{{Method: "POST", URL: "https://login.microsoftonline.com/common/oauth2/token", Body: rtBody, Mime: rtMime, Status: 400, Verbatim: true, Verdict: "cause=expired-token",
				RMime: "application/json; charset=utf-8",
				Text:  `{"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2020-02-26T21:52:54.2810613Z and was inactive for 90.00:00:00.\r\nTrace ID: 6e94ade5-10de-4d67-909a-14d845813500\r\nCorrelation ID: 0e87b495-1e24-4882-be85-d012c216f4f6\r\nTimestamp: 2020-07-06 22:31:52Z","error_codes":[700082],"timestamp":"2020-07-06 22:31:52Z","trace_id":"6e94ade5-10de-4d67-909a-14d845813500","correlation_id":"0e87b495-1e24-4882-be85-d012c216f4f6","error_uri":"https://login.microsoftonline.com/error?code=700082"}`}},
		},
		{
			Name: "entra-mfa-required-50076", Vendor: "Microsoft Entra ID", Client: uaGo,
			Source:   "https://github.com/AzureAD/microsoft-authentication-library-for-go/issues/398 (multi-factor authentication)",
			Story:    "A Go program (MSAL Go, username/password flow) asks for a Graph token; Conditional Access requires MFA, which this non-interactive flow cannot do, and Entra answers 400 invalid_grant AADSTS50076 with suberror basic_action.",
			Verbatim: "status 400 and the JSON body exactly as the issue's log line shows it.",
			Why:      "`cause=step-up-required`: the password was accepted but the tenant requires a stronger sign-in (MFA); the app must use an interactive flow.",
			Trap:     "must not be read as invalid-credentials (the password was right) nor as an expired token because the error is invalid_grant.",
			Redacted: "the password in the request body is `********`.",
			Entries: []ex{{Method: "POST", URL: "https://login.microsoftonline.com/organizations/oauth2/v2.0/token", Body: ropcBody, Mime: ropcMime, Status: 400, Verbatim: true, Verdict: "cause=step-up-required",
				RMime: "application/json; charset=utf-8",
				Text:  `{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.\r\n","error_uri":"https://login.microsoftonline.com/error?code=50076","suberror":"basic_action"}`}},
		},
		{
			Name: "entra-mfa-interaction-required-50079", Vendor: "Microsoft Entra ID", Client: "python-requests/2.21.0",
			Source:   "https://github.com/Azure/azure-kusto-python/issues/89 (AdalError \"AADSTS50079\" for MFA)",
			Story:    "The Kusto Python client (ADAL, non-interactive) asks for a token from outside the corporate network; the tenant demands MFA there and Entra answers 400 interaction_required AADSTS50079.",
			Verbatim: "status 400 and the JSON body as the AdalError prints it.",
			Why:      "`cause=step-up-required`: a stronger sign-in (MFA) is required; the non-interactive client cannot provide it.",
			Trap:     "must not be read as invalid-credentials.",
			Entries: []ex{{Method: "POST", URL: "https://login.microsoftonline.com/" + tenant + "/oauth2/token", Body: ropcBody, Mime: ropcMime, Status: 400, Verbatim: true, Verdict: "cause=step-up-required",
				RMime: "application/json; charset=utf-8",
				Text:  `{"error":"interaction_required","error_description":"AADSTS50079: The user is required to use multi-factor authentication.\r\nTrace ID: 8d4704cf-5c83-42bb-860b-7a2180d1fa00\r\nCorrelation ID: 87014a28-6bc1-4413-8592-ec1aac63646e\r\nTimestamp: 2018-12-31 20:57:33Z","error_codes":[50079],"timestamp":"2018-12-31 20:57:33Z","trace_id":"8d4704cf-5c83-42bb-860b-7a2180d1fa00","correlation_id":"87014a28-6bc1-4413-8592-ec1aac63646e","suberror":"basic_action"}`}},
		},
		{
			Name: "entra-resource-principal-not-found", Vendor: "Microsoft Entra ID", Client: "GuzzleHttp/7",
			Source:   "https://github.com/rootinc/laravel-azure-middleware/issues/51 (Error AADSTS500011)",
			Story:    "A Laravel app redeems an authorization code for a token for a resource that is not registered in the tenant; Entra answers 400 invalid_resource AADSTS500011 (resource principal not found in the tenant).",
			Verbatim: "status 400 and the JSON body as posted, including the author's own redactions (`{id}` and empty trace/correlation IDs).",
			Why:      "`cause=token-audience-mismatch`: the token is requested for a resource (audience) that does not exist in this tenant — wrong resource or wrong tenant.",
			Redacted: "the resource and tenant names are `{id}`; Trace ID and Correlation ID are empty (removed by the issue author).",
			Entries: []ex{{Method: "POST", URL: "https://login.microsoftonline.com/common/oauth2/token", Status: 400, Verbatim: true, Verdict: "cause=token-audience-mismatch",
				Body: "grant_type=authorization_code&client_id=%7Bid%7D&client_secret=%2A%2A%2A&code=0.AXoA...&redirect_uri=https%3A%2F%2Fapp.example.com%2Flogin%2Fazurecallback&resource=%7Bid%7D", Mime: "application/x-www-form-urlencoded",
				RMime: "application/json; charset=utf-8",
				Text: `{
  "error": "invalid_resource",
  "error_description": "AADSTS500011: The resource principal named {id} was not found in the tenant named {id} This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.\r\nTrace ID: \r\nCorrelation ID: \r\nTimestamp: 2021-06-01 09:55:53Z",
  "error_codes": [
    500011
  ],
  "timestamp": "2021-06-01 09:55:53Z",
  "trace_id": "",
  "correlation_id": "",
  "error_uri": "https://login.microsoftonline.com/error?code=500011"
}`}},
		},
		{
			Name: "graph-authorization-requestdenied-app-permission", Vendor: "Microsoft Graph", Client: "python-requests/2.22.0",
			Source:   "https://github.com/Azure-Samples/ms-identity-python-daemon/issues/8 (Insufficient privileges to complete the operation even after granting consent)",
			Story:    "A daemon (client-credentials token, no application roles in it) lists users through Microsoft Graph; Graph answers 403 Authorization_RequestDenied. The fix in the thread: the app needed the User.Read.All application permission.",
			Verbatim: "status 403 and the JSON body as the sample prints it (\"Graph API call result\").",
			Why:      "`cause=insufficient-scope`: the app-only token carries no `roles` claim for User.Read.All — the token lacks the permission the endpoint needs.",
			Entries: []ex{{Method: "GET", URL: "https://graph.microsoft.com/v1.0/users", Req: []string{"Authorization: Bearer " + graphTok, "Accept: application/json"}, Status: 403, Verbatim: true, Verdict: "cause=insufficient-scope",
				Resp:  []string{"request-id: d3d91569-9702-478e-90bc-21baa7b31591", "client-request-id: d3d91569-9702-478e-90bc-21baa7b31591"},
				RMime: "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
				Text: `{
  "error": {
    "code": "Authorization_RequestDenied",
    "message": "Insufficient privileges to complete the operation.",
    "innerError": {
      "request-id": "d3d91569-9702-478e-90bc-21baa7b31591",
      "date": "2020-01-27T19:20:20"
    }
  }
}`}},
		},
		{
			Name: "azure-storage-permission-mismatch", Vendor: "Azure Storage", Client: uaAzBlob,
			Source:   "https://github.com/Azure/kusto-copy/issues/79 (Improve error message - Authentication) and https://github.com/microsoft/AzureStorageExplorer/issues/3767 (body)",
			Story:    "A tool signed in with Entra ID (a valid Bearer token) writes to a blob container; the identity has no Storage Blob Data role, and Azure Storage answers 403 AuthorizationPermissionMismatch.",
			Verbatim: "status 403 and the response headers listed in kusto-copy#79 (Server, x-ms-request-id, x-ms-version, x-ms-error-code); the XML body as Storage Explorer's log shows it in AzureStorageExplorer#3767 (its RequestId/Time).",
			Why:      "`cause=insufficient-permissions`: the caller is authenticated (Bearer token accepted) but its role does not allow this operation — assign a Storage Blob Data role.",
			Redacted: "the Authorization header is `Bearer JSON Web Token Redacted`, the way Storage Explorer writes it in its logs (AzureStorageExplorer#6889).",
			Entries: []ex{{Method: "PUT", URL: "https://kustocopystaging.blob.core.windows.net/staging/2025/11/17/checkpoint.json", Req: []string{"Authorization: Bearer JSON Web Token Redacted", "x-ms-version: 2025-07-05", "x-ms-client-request-id: 0d3662ef-5c42-44dd-8c01-0a4353c87670", "x-ms-blob-type: BlockBlob"},
				Body: `{"state":"initialized"}`, Mime: "application/json", Status: 403, Verbatim: true, Verdict: "cause=insufficient-permissions",
				Resp:  []string{"Server: Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0", "x-ms-request-id: 1a9db850-b01e-0036-17c2-5708ec000000", "x-ms-client-request-id: 0d3662ef-5c42-44dd-8c01-0a4353c87670", "x-ms-version: 2025-07-05", "x-ms-error-code: AuthorizationPermissionMismatch", "Date: Mon, 17 Nov 2025 13:03:52 GMT"},
				RMime: "application/xml",
				Text:  "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.\nRequestId:4f4010b3-601e-00ee-3f7b-b8399d000000\nTime:2020-11-11T22:40:50.2409167Z</Message></Error>"}},
		},
		{
			Name: "azure-storage-firewall-authorizationfailure", Vendor: "Azure Storage", Client: uaExplorer,
			Source:   "https://github.com/microsoft/AzureStorageExplorer/issues/9150 (Authentication Error)",
			Story:    "Storage Explorer lists the containers of a storage account whose 'Firewalls and virtual networks' setting only admits selected networks; the request comes from an address outside them and Storage answers 403 AuthorizationFailure.",
			Verbatim: "status 403, the headers Storage Explorer records (Server: Microsoft-HTTPAPI/2.0, x-ms-request-id, x-ms-client-request-id, x-ms-error-code, Vary, Date) and the error code and message; the XML envelope is reconstructed in Storage's error format around that code and message (content-length 246 in the source).",
			Why:      "`cause=ip-restriction`: the storage firewall refuses the client's network; the credential is not the problem (Storage Explorer's own hint says so).",
			Entries: []ex{{Method: "GET", URL: "https://contosodatalake.blob.core.windows.net/?comp=list&include=metadata", Req: []string{"Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIs…[REDACTED]", "x-ms-version: 2023-01-03", "Accept: application/xml", "x-ms-client-request-id: ff1578a3-1cfa-4050-b34c-d7d91a418ea2"},
				Status: 403, Verbatim: true, Verdict: "cause=ip-restriction",
				Resp:  []string{"Server: Microsoft-HTTPAPI/2.0", "Vary: Origin", "x-ms-request-id: ad7a75b2-201e-0032-20d4-23e8a6000000", "x-ms-client-request-id: ff1578a3-1cfa-4050-b34c-d7d91a418ea2", "x-ms-error-code: AuthorizationFailure", "Date: Tue, 04 Aug 2026 05:48:02 GMT"},
				RMime: "application/xml",
				Text:  "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationFailure</Code><Message>This request is not authorized to perform this operation.\nRequestId:ad7a75b2-201e-0032-20d4-23e8a6000000\nTime:2026-08-04T05:48:03.0108277Z</Message></Error>"}},
			Redacted: "the Bearer token is cut to `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIs…[REDACTED]`.",
		},
	}
}
