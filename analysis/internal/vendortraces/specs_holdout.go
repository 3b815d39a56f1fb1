package vendortraces

// The held-out set (testdata/vendor-holdout): traces built from public
// sources that testdata/vendor-corpus does not use, written before the
// rules were scored on them and never used to tune them.

const (
	hUACloudflareTF = "Terraform/1.8.2 (+https://www.terraform.io) Terraform-Plugin-SDK/2.10.1 terraform-provider-cloudflare/4.31.0"
	hUAPyRequests   = "python-requests/2.31.0"
	hUADocl         = "Ruby"
	hUAVaultCLI     = "Go-http-client/1.1"
	hUAVaultSharp   = "VaultSharp/1.6.0.2"
	hUAFilebeat     = "Go-http-client/1.1"
	hUAESPHP        = "elasticsearch-php/8.5.0 (Linux 5.15.0; PHP 8.1.13)"
	hUAHarbor       = "harbor-registry-client"
	hUAPSCore       = "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19044; en-US) PowerShell/7.0.0"
	hUAGuzzle       = "GuzzleHttp/7"
	hUAChrome       = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36"
	hUAChromeNew    = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36"
	hUANode         = "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"
	hUAAxios        = "axios/0.19.2"
	hUAShopifyPy    = "ShopifyPythonAPI/12.3.0 Python/3.10.12"
	hUASendGridPHP  = "sendgrid/7.2.1;php"
	hUAHerokuCLI    = "heroku-cli/5.1.7-0de2607 (darwin-amd64) go1.6.2"
	hUATravisDPL    = "Excon/0.25.3"
	hUAPyKeycloak   = "python-requests/2.24.0"
	hUAAppAuthIOS   = "Runner/1 CFNetwork/1568.300.101 Darwin/24.2.0"
	hUAGoPay        = "Go-http-client/2.0"
	hUAPayPalNode   = "PayPalSDK/PayPal-node-SDK 1.5.1 (node v0.12.2-x64-linux; OpenSSL 1.0.1m)"
	hUAHTTPie       = "HTTPie/2.1.0"
	hUAPostman      = "PostmanRuntime/7.24.1"
	hUAZoomLaravel  = "GuzzleHttp/6.5.2 curl/7.58.0 PHP/7.4.3"
)

func holdoutSpecs() []vt {
	return []vt{
		// ---------------------------------------------------------- Cloudflare
		{
			Name: "cloudflare-token-lacks-permission-10000", Vendor: "Cloudflare API", Client: hUACloudflareTF,
			Source:   "https://github.com/cloudflare/terraform-provider-cloudflare/issues/1533 (error creating Filter for zone ; HTTP status 403: Authentication error (10000)); body from https://github.com/BeeHiveSafety/CloudflareToAbuseIPDB/issues/5",
			Story:    "Terraform creates a firewall filter with a scoped API token; Cloudflare answers 403 with error code 10000 \"Authentication error\". The provider maintainer's reading: the token lacks the permission this operation needs (add the permission group, or compare with the global key).",
			Verbatim: "status 403 and the message `Authentication error (10000)` from terraform-provider-cloudflare#1533; the JSON envelope `{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}` exactly as CloudflareToAbuseIPDB#5 prints it. The Server and CF-RAY response headers are reconstructed.",
			Why:      "`cause=insufficient-permissions`: the token authenticates (other calls with it work) but its permission groups do not cover firewall filters; Cloudflare reports this with the same code 10000 it uses for a bad token.",
			Trap:     "\"Authentication error\" reads as a rejected token (invalid-credentials); per the maintainer it is the token's permissions.",
			Redacted: "the API token is `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` (as in the issue's configuration).",
			Entries: []ex{{Method: "POST", URL: "https://api.cloudflare.com/client/v4/zones/0da42c8d2132a9ddaf714f9e7c920711/filters", Req: []string{"Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Content-Type: application/json"},
				Body: `[{"expression":"(http.request.uri.path contains \"/wp-login.php\")","paused":false,"description":"block wp-login"}]`, Mime: "application/json",
				Status: 403, Verbatim: true, Verdict: "cause=insufficient-permissions", RMime: "application/json",
				Resp: []string{"Server: cloudflare", "CF-RAY: 6f3c2a1b9d5e0a12-FRA"},
				Text: `{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}`}},
		},
		{
			Name: "cloudflare-token-verify-healthy", Vendor: "Cloudflare API", Folder: "healthy", Client: uaCurl,
			Source:   "https://developers.cloudflare.com/fundamentals/api/troubleshooting (Cloudflare API troubleshooting: the token is not verified)",
			Story:    "The documented check of an API token: `curl https://api.cloudflare.com/client/v4/user/tokens/verify --header \"Authorization: Bearer <API_TOKEN>\"` answers 200 with `\"status\": \"active\"`.",
			Verbatim: "status 200 and the JSON body of the documentation's sample response (success, errors, messages, result with id, status, not_before, expires_on).",
			Why:      "`ok`: a healthy call — the token is valid and active.",
			Redacted: "the token is `<API_TOKEN>` as in the documentation.",
			Entries: []ex{{Method: "GET", URL: "https://api.cloudflare.com/client/v4/user/tokens/verify", Req: []string{"Authorization: Bearer <API_TOKEN>"}, Status: 200, Verbatim: true, RMime: "application/json",
				Text: "{\n\"success\": true,\n\"errors\": [],\n\"messages\": [],\n\"result\": {\n\"id\": \"f267e341f3dd4697bd3b9f71dd96247f\",\n\"status\": \"active\",\n\"not_before\": \"2018-07-01T05:20:00Z\",\n\"expires_on\": \"2020-01-01T00:00:00Z\"\n}\n}"}},
		},
		{
			Name: "cloudflare-verify-200-with-code-10000-message", Vendor: "Cloudflare API", Folder: "healthy", Client: hUAPyRequests,
			Source:   "https://pastebin.com/WN7h6gXQ (cloud-flare-api-key-test-response.json)",
			Story:    "A script verifies its Cloudflare API token (GET /user/tokens/verify); the answer is 200 success with a `messages` entry carrying code 10000 — the same number Cloudflare uses for \"Authentication error\" — saying the token is valid and active.",
			Verbatim: "status 200 and the JSON body as posted (result id masked with x by its author, status active, expires_on, success true, messages code 10000 \"This API Token is valid and active\").",
			Why:      "`ok`: the token verified; nothing failed.",
			Trap:     "code 10000 is Cloudflare's \"Authentication error\" code elsewhere; here it is an informational message in a successful answer.",
			Redacted: "the token id is `59xx4f6axxx278x70e02cx2x1b1b1x8x` (masked by the author); the request's token is `<token>`.",
			Entries: []ex{{Method: "GET", URL: "https://api.cloudflare.com/client/v4/user/tokens/verify", Req: []string{"Authorization: Bearer <token>", "Content-Type: application/json"}, Status: 200, Verbatim: true, RMime: "application/json",
				Text: `{"result":{"id":"59xx4f6axxx278x70e02cx2x1b1b1x8x","status":"active","expires_on":"2024-03-09T23:59:59Z"},"success":true,"errors":[],"messages":[{"code":10000,"message":"This API Token is valid and active","type":null}]}`}},
		},
		// ---------------------------------------------------------- DigitalOcean
		{
			Name: "digitalocean-revoked-token-unable-to-authenticate", Vendor: "DigitalOcean API", Client: hUADocl,
			Source:   "https://github.com/nathansamson/docl/issues/8 (\"Unable to authenticate you\" with docl v0.0.5); body from https://github.com/devopsgroup-io/vagrant-digitalocean/issues/200",
			Story:    "A CLI lists regions with a saved personal access token; DigitalOcean answers 401 `unauthorized` \"Unable to authenticate you.\" The reporter found DigitalOcean had revoked all older tokens; a newly generated token worked.",
			Verbatim: "status 401 and the id/message pair `unauthorized` / `Unable to authenticate you.` as the clients print them (vagrant-digitalocean#200 shows `{\"id\"=>\"unauthorized\", \"message\"=>\"Unable to authenticate you.\"}`, Ruby's rendering of the JSON object); the JSON serialisation is reconstructed.",
			Why:      "`cause=invalid-credentials`: a token was sent and DigitalOcean no longer accepts it (revoked); generating a new one fixes it.",
			Redacted: "the token is `58f6412345[redacted]` as the reporter wrote it.",
			Entries: []ex{{Method: "GET", URL: "https://api.digitalocean.com/v2/regions", Req: []string{"Authorization: Bearer 58f6412345[redacted]", "Content-Type: application/json"}, Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials", RMime: "application/json",
				Text: `{"id":"unauthorized","message":"Unable to authenticate you."}`}},
		},
		// ---------------------------------------------------------- Vault
		{
			Name: "vault-bogus-token-permission-denied", Vendor: "HashiCorp Vault", Client: hUAVaultCLI,
			Source:   "https://github.com/hashicorp/vault/issues/1878 (Remove HTTP Status Codes 403 from documentation); body from https://github.com/hashicorp/vault/issues/831",
			Story:    "A Vault maintainer shows what an unknown token gets: `VAULT_TOKEN=foo vault read secret/foo` → `Code: 403. Errors: * permission denied`. Vault answers a token it does not know with the same 403 as a policy refusal.",
			Verbatim: "status 403 and the `permission denied` error as the CLI prints it (vault#1878); the JSON body `{\"errors\":[\"permission denied\"]}` exactly as vault#831 shows it for the same Vault generation.",
			Why:      "`cause=invalid-credentials`: the X-Vault-Token is `foo`, not a token Vault issued; the fix is a valid token (vault login), not a policy change.",
			Trap:     "\"permission denied\" and 403 read as a policy problem (insufficient-permissions); the token itself is bogus.",
			Entries: []ex{{Method: "GET", URL: "http://127.0.0.1:8200/v1/secret/foo", Req: []string{"X-Vault-Token: foo"}, Status: 403, Verbatim: true, Verdict: "cause=invalid-credentials", RMime: "application/json",
				Text: `{"errors":["permission denied"]}`}},
		},
		{
			Name: "vault-policy-denies-write", Vendor: "HashiCorp Vault", Client: uaCurl,
			Source:   "https://github.com/hashicorp/vault/issues/831 ([Documentation] HTTP api gives 403 but this is documented as 401)",
			Story:    "\"My policy doesn't allow writing on a certain path and gives a 403 error\": a token whose policy permits reading but not writing the path writes to it.",
			Verbatim: "status 403 and the body `{\"errors\":[\"permission denied\"]}` as the reporter quotes it.",
			Why:      "`cause=insufficient-permissions`: the token is valid but its policy lacks the update capability on this path.",
			Redacted: "the token is `s.XXXXXXXXXXXXXXXXXXXXXXXX`.",
			Entries: []ex{{Method: "POST", URL: "https://vault.example.internal:8200/v1/secret/app/config", Req: []string{"X-Vault-Token: s.XXXXXXXXXXXXXXXXXXXXXXXX", "Content-Type: application/json"}, Body: `{"value":"bar"}`, Mime: "application/json",
				Status: 403, Verbatim: true, Verdict: "cause=insufficient-permissions", RMime: "application/json",
				Text: `{"errors":["permission denied"]}`}},
		},
		{
			Name: "vault-mistyped-path-403", Vendor: "HashiCorp Vault", Client: hUAVaultSharp,
			Source:   "https://github.com/rajanadar/VaultSharp/issues/176 (We are getting 403 forbidden error, instead of Error Code 404 for invalid path)",
			Story:    "A .NET service reads a KV secret with the right mount point but a mistyped path (`testttttttt` instead of `test`); Vault answers 403 permission denied rather than 404, because the token's policy grants nothing on the non-existent path. The same token reads the correct path.",
			Verbatim: "status 403 and the body `{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}` as the issue quotes it (Vault 1.5.3).",
			Why:      "`cause=wrong-url`: the path is the mistake — the token reads `test` fine (entry 0); Vault masks unknown paths outside the policy as 403.",
			Trap:     "\"permission denied\" suggests a missing policy (insufficient-permissions); the path is mistyped.",
			Redacted: "the token is `s.****`.",
			Entries: []ex{
				{Method: "GET", URL: "https://vault.example.internal:8200/v1/kv/data/test", Req: []string{"X-Vault-Token: s.****"}, Status: 200, RMime: "application/json",
					Text: `{"request_id":"2b0a4d8e-1f0c-4c52-9d0e-3a8b7c6d5e4f","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":{"password":"****"},"metadata":{"created_time":"2021-01-15T09:12:44.3Z","deletion_time":"","destroyed":false,"version":1}},"wrap_info":null,"warnings":null,"auth":null}`},
				{Method: "GET", URL: "https://vault.example.internal:8200/v1/kv/data/testttttttt", Req: []string{"X-Vault-Token: s.****"}, Status: 403, Verbatim: true, Verdict: "cause=wrong-url", RMime: "application/json",
					Text: `{"errors":["1 error occurred:\n\t* permission denied\n\n"]}`},
			},
		},
		{
			Name: "vault-list-accessors-healthy", Vendor: "HashiCorp Vault", Folder: "healthy", Client: uaCurl,
			Source:   "https://developer.hashicorp.com/vault/api-docs/auth/token (Token auth method (API): List accessors, sample request and response)",
			Story:    "The documented sample: a sudo-capable token lists token accessors (`curl --header \"X-Vault-Token: ...\" --request LIST …/v1/auth/token/accessors`, sent here as the equivalent `GET ?list=true`).",
			Verbatim: "status 200 and the documentation's sample response body (auth, warnings, wrap_info null; data.keys with two accessors; lease fields).",
			Why:      "`ok`: a healthy authenticated call.",
			Redacted: "the token is `...` as in the documentation.",
			Entries: []ex{{Method: "GET", URL: "http://127.0.0.1:8200/v1/auth/token/accessors?list=true", Req: []string{"X-Vault-Token: ..."}, Status: 200, Verbatim: true, RMime: "application/json",
				Text: "{\n\"auth\": null,\n\"warnings\": null,\n\"wrap_info\": null,\n\"data\": {\n\"keys\": [\n\"476ea048-ded5-4d07-eeea-938c6b4e43ec\",\n\"bb00c093-b7d3-b0e9-69cc-c4d85081165b\"\n]\n},\n\"lease_duration\": 0,\n\"renewable\": false,\n\"lease_id\": \"\"\n}"}},
		},
		// ---------------------------------------------------------- Elasticsearch
		{
			Name: "elasticsearch-filebeat-credentials-not-sent", Vendor: "Elasticsearch", Client: hUAFilebeat,
			Source:   "https://github.com/elastic/elasticsearch/issues/21399 (missing authentication token for REST request)",
			Story:    "Filebeat connects to a secured Elasticsearch; its username/password were written under a wrong key (`output.elasticsearch.username` nested inside `output.elasticsearch`), so it sends no credentials and gets 401. The same credentials work with `curl --user`.",
			Verbatim: "status 401 and the security_exception body as Filebeat logs it (`missing authentication credentials for REST request [/]`, the WWW-Authenticate header object, status 401); the WWW-Authenticate response header is reconstructed from the body's header object.",
			Why:      "`cause=missing-credentials`: the request carries no Authorization header at all.",
			Entries: []ex{{Method: "GET", URL: "http://192.168.15.22:9200/", Status: 401, Verbatim: true, Verdict: "cause=missing-credentials", RMime: "application/json; charset=UTF-8",
				Resp: []string{"WWW-Authenticate: Basic realm=\"security\" charset=\"UTF-8\""},
				Text: `{"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication credentials for REST request [/]","header":{"WWW-Authenticate":"Basic realm=\"security\" charset=\"UTF-8\""}}],"type":"security_exception","reason":"missing authentication credentials for REST request [/]","header":{"WWW-Authenticate":"Basic realm=\"security\" charset=\"UTF-8\""}},"status":401}`}},
		},
		{
			Name: "elasticsearch-curl-cluster-health-healthy", Vendor: "Elasticsearch", Folder: "healthy", Client: "curl/7.29.0",
			Source:   "https://github.com/elastic/elasticsearch/issues/21399 (missing authentication token for REST request — comment of 2020-04-17)",
			Story:    "The same reporter checks the credentials by hand: `curl --silent -X GET -H \"Content-Type: application/json\" http://192.168.15.22:9200/_cluster/health --user elastic:changeme` answers 200 with the cluster health.",
			Verbatim: "status 200 and the cluster-health JSON body as posted.",
			Why:      "`ok`: Basic credentials sent and accepted.",
			Entries: []ex{{Method: "GET", URL: "http://192.168.15.22:9200/_cluster/health", Req: []string{"Authorization: Basic ZWxhc3RpYzpjaGFuZ2VtZQ==", "Content-Type: application/json"}, Status: 200, Verbatim: true, RMime: "application/json; charset=UTF-8",
				Text: `{"cluster_name":"docker-cluster","status":"yellow","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,"active_primary_shards":15,"active_shards":15,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":3,"delayed_unassigned_shards":0,"number_of_pending_tasks":0,"number_of_in_flight_fetch":0,"task_max_waiting_in_queue_millis":0,"active_shards_percent_as_number":83.33333333333334}`}},
		},
		{
			Name: "elasticsearch8-basic-or-apikey-not-sent", Vendor: "Elasticsearch", Client: hUAESPHP,
			Source:   "https://github.com/babenkoivan/elastic-scout-driver-plus/issues/143 (401 unauthorized issue)",
			Story:    "After upgrading to Elasticsearch 8 (security on by default) a Laravel migration command creates an index without configuring credentials; Elasticsearch answers 401 offering Basic and ApiKey.",
			Verbatim: "status 401 and the security_exception body as the exception prints it (reason `missing authentication credentials for REST request [/users]`, the two-valued WWW-Authenticate header object); the two WWW-Authenticate response headers are reconstructed from it.",
			Why:      "`cause=missing-credentials`: no credential was sent; the maintainer: provide credentials (or disable security).",
			Entries: []ex{{Method: "PUT", URL: "http://localhost:9200/users", Req: []string{"Content-Type: application/json"}, Body: `{"mappings":{"properties":{"name":{"type":"text"}}}}`, Mime: "application/json",
				Status: 401, Verbatim: true, Verdict: "cause=missing-credentials", RMime: "application/json",
				Resp: []string{"WWW-Authenticate: Basic realm=\"security\" charset=\"UTF-8\"", "WWW-Authenticate: ApiKey"},
				Text: `{"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication credentials for REST request [/users]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","ApiKey"]}}],"type":"security_exception","reason":"missing authentication credentials for REST request [/users]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","ApiKey"]}},"status":401}`}},
		},
		{
			Name: "elasticsearch6-missing-token-curl-put-index", Vendor: "Elasticsearch", Client: uaCurl,
			Source:   "https://github.com/marco-lancini/docker_offensive_elk/issues/3 (can't create index: missing authentication token for REST request)",
			Story:    "Following a tutorial, a user creates an index with `curl -XPUT 'localhost:9200/nmap-vuln-to-es'` against an X-Pack-secured 6.x cluster, without credentials.",
			Verbatim: "status 401 and the JSON body as posted (`missing authentication token for REST request [/nmap-vuln-to-es]`, status 401); the WWW-Authenticate response header is reconstructed from the body's header object.",
			Why:      "`cause=missing-credentials`: the fix in the thread is to authenticate with the elastic user.",
			Entries: []ex{{Method: "PUT", URL: "http://localhost:9200/nmap-vuln-to-es", Status: 401, Verbatim: true, Verdict: "cause=missing-credentials", RMime: "application/json; charset=UTF-8",
				Resp: []string{"WWW-Authenticate: Basic realm=\"security\" charset=\"UTF-8\""},
				Text: `{"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication token for REST request [/nmap-vuln-to-es]","header":{"WWW-Authenticate":"Basic realm=\"security\" charset=\"UTF-8\""}}],"type":"security_exception","reason":"missing authentication token for REST request [/nmap-vuln-to-es]","header":{"WWW-Authenticate":"Basic realm=\"security\" charset=\"UTF-8\""}},"status":401}`}},
		},
		// ---------------------------------------------------------- Harbor
		{
			Name: "harbor-push-unauthorized-to-access-repository", Vendor: "Harbor registry", Client: hUAHarbor,
			Source:   "https://github.com/goharbor/harbor-operator/issues/327 (failed to pull-based replication from remote harbor)",
			Story:    "A replication job pushes an image into a Harbor project; the registry answers 401 UNAUTHORIZED \"unauthorized to access repository … action: push\": the bearer token Harbor issued to the job's account does not carry push on that repository.",
			Verbatim: "status 401 and the JSON body as the job service logs it (`{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"unauthorized to access repository: goharbor/harbor-operator, action: push: …\"}]}`). The Docker-Distribution-Api-Version and Www-Authenticate response headers (including its error=\"insufficient_scope\") are reconstructed, not in the source.",
			Why:      "`cause=insufficient-permissions`: the account authenticated (it holds a registry token) but has no push right on the project; Harbor reports it with 401.",
			Trap:     "401 and UNAUTHORIZED read as bad credentials (invalid-credentials); the message names a refused action on a repository.",
			Redacted: "the bearer token is `eyJ…[redacted]`.",
			Entries: []ex{{Method: "POST", URL: "https://harbor.example.com/v2/goharbor/harbor-operator/blobs/uploads/", Req: []string{"Authorization: Bearer eyJ…[redacted]"}, Status: 401, Verbatim: true, Verdict: "cause=insufficient-permissions", RMime: "application/json; charset=utf-8",
				Resp: []string{"Docker-Distribution-Api-Version: registry/2.0", "Www-Authenticate: Bearer realm=\"https://harbor.example.com/service/token\",service=\"harbor-registry\",scope=\"repository:goharbor/harbor-operator:pull,push\",error=\"insufficient_scope\""},
				Text: `{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized to access repository: goharbor/harbor-operator, action: push: unauthorized to access repository: goharbor/harbor-operator, action: push"}]}`}},
		},
		// ---------------------------------------------------------- Bitbucket
		{
			Name: "bitbucket-cloud-login-failed-email-as-username", Vendor: "Bitbucket Cloud", Client: hUAPyRequests,
			Source:   "https://github.com/GearPlug/bitbucket-python/issues/10 (API error message not exposed)",
			Story:    "A Python client calls the Bitbucket Cloud API with Basic auth, using the account e-mail as the user name; Bitbucket answers 401 with a plain-text body. Using the Bitbucket username instead fixed it.",
			Verbatim: "status 401 and the plain-text body as the reporter quotes it (\"Login failed due to incorrect login credentials or method.\" and the two documentation pointers).",
			Why:      "`cause=invalid-credentials`: Basic credentials were sent and rejected (wrong user identifier).",
			Redacted: "the Basic credential is `****`.",
			Entries: []ex{{Method: "GET", URL: "https://api.bitbucket.org/2.0/repositories/acme-team?role=member", Req: []string{"Authorization: Basic ****"}, Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials", RMime: "text/plain; charset=utf-8",
				Text: "Login failed due to incorrect login credentials or method.\nFor information on authentication methods for Bitbucket Cloud APIs, visit:\n    https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication\nIf you are unsure of which login details or login method to use, visit:\n    https://support.atlassian.com/bitbucket-cloud/docs/log-into-or-connect-to-bitbucket-cloud/\n"}},
		},
		// ---------------------------------------------------------- Spotify
		{
			Name: "spotify-access-token-expired", Vendor: "Spotify Web API", Client: hUAPSCore,
			Source:   "https://github.com/wardbox/spotishell/issues/18 (Search-Spotify Throwing 401)",
			Story:    "A PowerShell module searches the catalogue with a cached access token whose one-hour lifetime has passed (the module misread the saved expiry); Spotify answers 401.",
			Verbatim: "status 401 and the JSON body as Invoke-WebRequest prints it (`{\"error\": {\"status\": 401, \"message\": \"The access token expired\"}}`). The www-authenticate response header is reconstructed (not in the source).",
			Why:      "`cause=expired-token`: the body says so and the maintainer's fix was the expiry computation.",
			Redacted: "the bearer token is `BQ…[redacted]`.",
			Entries: []ex{{Method: "GET", URL: "https://api.spotify.com/v1/search?q=Bloc+Party&type=artist", Req: []string{"Authorization: Bearer BQ…[redacted]"}, Status: 401, Verbatim: true, Verdict: "cause=expired-token", RMime: "application/json; charset=utf-8",
				Resp: []string{"www-authenticate: Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"The access token expired\""},
				Text: "{\n  \"error\": {\n    \"status\": 401,\n    \"message\": \"The access token expired\"\n  }\n}"}},
		},
		{
			Name: "spotify-empty-bearer-missing-invalid-expired", Vendor: "Spotify Web API", Client: hUAGuzzle,
			Source:   "https://github.com/jwilsson/spotify-web-api-php/issues/288 (hasExpiredToken() no longer detects expired tokens after Spotify changed the 401 message)",
			Story:    "The issue tabulates Spotify's current 401 message for each case; for an empty bearer token (`Authorization: Bearer ` with nothing after it) the message is \"Missing/invalid/expired access token\".",
			Verbatim: "status 401 and the message `Missing/invalid/expired access token` (verified live by the reporter); the `{\"error\":{\"status\":…,\"message\":…}}` envelope is Spotify's, reconstructed.",
			Why:      "`cause=missing-credentials`: the request carries the Bearer scheme with no token at all.",
			Trap:     "the message names \"expired\" too; nothing expired — no token was sent.",
			Entries: []ex{{Method: "GET", URL: "https://api.spotify.com/v1/search?q=foo&type=track", Req: []string{"Authorization: Bearer "}, Status: 401, Verbatim: true, Verdict: "cause=missing-credentials", RMime: "application/json; charset=utf-8",
				Text: `{"error":{"status":401,"message":"Missing/invalid/expired access token"}}`}},
		},
		// ---------------------------------------------------------- Discord
		{
			Name: "discord-user-token-401-browser", Vendor: "Discord API", Client: hUAChrome, Browser: true,
			Source:   "https://github.com/victornpb/undiscord/issues/32 ({\"message\":\"401: Unauthorized\",\"code\":0})",
			Story:    "A browser script searches a channel's messages with the user's token pasted by hand; Discord answers 401 for every call. With the token the script fetches itself it works: the pasted token was not valid.",
			Verbatim: "status 401 and the body `{\"message\":\"401: Unauthorized\",\"code\":0}` as the script logs it.",
			Why:      "`cause=invalid-credentials`: a token was sent and rejected.",
			Redacted: "the token is `<token>`.",
			Entries: []ex{{Method: "GET", URL: "https://discord.com/api/v6/channels/657263113846734848/messages/search?author_id=123456789012345678", Req: []string{"Authorization: <token>"}, Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials", RMime: "application/json",
				Text: `{"message":"401: Unauthorized","code":0}`}},
		},
		// ---------------------------------------------------------- Twitch
		{
			Name: "twitch-helix-oauth-prefix-instead-of-bearer", Vendor: "Twitch API", Client: uaCurl,
			Source:   "https://github.com/twitchdev/issues/issues/105 (Unauthorized on GET STREAMS with a valid token)",
			Story:    "A client-credentials app token validates fine at id.twitch.tv (entry 0, `Authorization: OAuth`), but the same `Authorization: OAuth <access token>` header on Helix gets 401 \"OAuth token is missing\". The answer in the thread: Helix needs the `Bearer` prefix, not `OAuth`.",
			Verbatim: "both responses: the validate 200 body `{\"client_id\":\"<client id>\",\"scopes\":[],\"expires_in\":5206826}` and the Helix 401 body `{\"error\": \"Unauthorized\", \"status\": 401, \"message\": \"OAuth token is missing\"}` as the reporter posts them.",
			Why:      "`cause=wrong-scheme` for entry 1: the token is valid (entry 0) but sent with the `OAuth` scheme Helix does not read.",
			Trap:     "\"OAuth token is missing\" reads as missing-credentials; a token was sent, under the wrong scheme.",
			Redacted: "`<access token>` and `<client id>` as in the issue.",
			Entries: []ex{
				{Method: "GET", URL: "https://id.twitch.tv/oauth2/validate", Req: []string{"Authorization: OAuth <access token>"}, Status: 200, Verbatim: true, RMime: "application/json",
					Text: `{"client_id":"<client id>","scopes":[],"expires_in":5206826}`},
				{Method: "GET", URL: "https://api.twitch.tv/helix/streams?user_login=name1&user_login=name2", Req: []string{"Authorization: OAuth <access token>", "Client-ID: <client id>"}, Status: 401, Verbatim: true, Verdict: "cause=wrong-scheme", RMime: "application/json",
					Text: "{\n  \"error\": \"Unauthorized\",\n  \"status\": 401,\n  \"message\": \"OAuth token is missing\"\n}"},
			},
		},
		{
			Name: "twitch-helix-no-token-after-oauth-requirement", Vendor: "Twitch API", Client: hUANode,
			Source:   "https://github.com/true-dubach/node-twitch-webhook/issues/18 (Missing OAuth token)",
			Story:    "Since May 2020 Helix requires an OAuth token on every endpoint; a webhook library still sends only the Client-ID header and gets 401 \"OAuth token is missing\".",
			Verbatim: "status 401 and the body `{\"error\":\"Unauthorized\",\"status\":401,\"message\":\"OAuth token is missing\"}` as posted.",
			Why:      "`cause=missing-credentials`: no Authorization header; the library must obtain and send an app access token.",
			Entries: []ex{{Method: "POST", URL: "https://api.twitch.tv/helix/webhooks/hub", Req: []string{"Client-ID: 2lgtkyzvw3qrn8bm1xh8xk9ucskqbz", "Content-Type: application/json"},
				Body: `{"hub.callback":"https://example.com/twitch/callback","hub.mode":"subscribe","hub.topic":"https://api.twitch.tv/helix/streams?user_id=12826","hub.lease_seconds":864000}`, Mime: "application/json",
				Status: 401, Verbatim: true, Verdict: "cause=missing-credentials", RMime: "application/json",
				Text: `{"error":"Unauthorized","status":401,"message":"OAuth token is missing"}`}},
		},
		{
			Name: "twitch-client-id-and-token-do-not-match", Vendor: "Twitch API", Client: hUAAxios,
			Source:   "https://github.com/louis70109/Twitch-Bot/issues/19 (Twitch id and token can not use)",
			Story:    "A bot calls Helix with a token issued to one application and the Client-ID of another; Twitch answers 401. The fix in the thread: read the client_id the token belongs to from /oauth2/validate and send that.",
			Verbatim: "status 401 and the body `{\"error\": \"Unauthorized\", \"status\": 401, \"message\": \"Client ID and OAuth token do not match\"}` as the bot logs it.",
			Why:      "`cause=token-audience-mismatch`: the token is valid but was issued to another client than the one the request names.",
			Redacted: "the token is `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.",
			Entries: []ex{{Method: "GET", URL: "https://api.twitch.tv/helix/users?login=louis70109", Req: []string{"Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Client-ID: gp762nuuoqcoxypju8c569th9wz7q5"}, Status: 401, Verbatim: true, Verdict: "cause=token-audience-mismatch", RMime: "application/json",
				Text: "{\n  \"error\": \"Unauthorized\",\n  \"status\": 401,\n  \"message\": \"Client ID and OAuth token do not match\"\n}"}},
		},
		// ---------------------------------------------------------- Shopify
		{
			Name: "shopify-invalid-access-token-basic-challenge", Vendor: "Shopify Admin API", Client: hUAShopifyPy,
			Source:   "https://github.com/frappe/ecommerce_integrations/issues/414 (Shopify Authentication Error, Support For New Client ID/Secret Auth?)",
			Story:    "An ERP integration calls the Shopify Admin REST API with its stored access token in `X-Shopify-Access-Token`; after the store moved to the new client-credentials app model the token is no longer valid and Shopify answers 401.",
			Verbatim: "status 401, the body `{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}` and the response headers the exception prints (Date, Content-Type, x-frame-options, x-shopid, www-authenticate `Basic Realm=\"Shopify API Authentication\"`, x-request-id).",
			Why:      "`cause=invalid-credentials`: the access token was sent and is not accepted.",
			Trap:     "the `WWW-Authenticate: Basic` challenge answers a request that used Shopify's own token header, which Shopify accepts: it is not a scheme mismatch.",
			Redacted: "the access token is `shpat_****`.",
			Entries: []ex{{Method: "GET", URL: "https://acme-store.myshopify.com/admin/api/2024-01/shop.json", Req: []string{"X-Shopify-Access-Token: shpat_****", "Accept: application/json"}, Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials",
				Resp:  []string{"Date: Sun, 15 Feb 2026 22:35:00 GMT", "Content-Type: application/json; charset=utf-8", "referrer-policy: origin-when-cross-origin", "x-frame-options: DENY", "x-shopid: 72711110749", "www-authenticate: Basic Realm=\"Shopify API Authentication\"", "x-request-id: f85dcf90-4638-4e75-952c-ef1551503d40-1771194900"},
				RMime: "application/json; charset=utf-8",
				Text:  `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`}},
		},
		// ---------------------------------------------------------- SendGrid
		{
			Name: "sendgrid-authorization-grant-invalid", Vendor: "Twilio SendGrid", Client: hUASendGridPHP,
			Source:   "https://github.com/sendgrid/sendgrid-php/issues/793 (The provided authorization grant is invalid, expired or revoked)",
			Story:    "A PHP site sends mail through v3/mail/send with the API key from its environment; SendGrid answers 401. In the related thread (sendgrid-php#239) the cause was the API Key ID pasted instead of the key itself.",
			Verbatim: "status 401, the response headers and the JSON body as the issue prints them (Server nginx, Date, Content-Type, Content-Length 116, the CORS headers, `{\"errors\":[{\"message\":\"The provided authorization grant is invalid, expired, or revoked\",\"field\":null,\"help\":null}]}`).",
			Why:      "`cause=invalid-credentials`: the key sent is not a valid SendGrid API key; nothing in the exchange indicates an expiry (SendGrid API keys do not expire).",
			Trap:     "\"invalid, expired, or revoked\" invites expired-token; the key is simply wrong.",
			Redacted: "the key is `SG.xxxxxxxxxxxxx` as in the issue.",
			Entries: []ex{{Method: "POST", URL: "https://api.sendgrid.com/v3/mail/send", Req: []string{"Authorization: Bearer SG.xxxxxxxxxxxxx", "Content-Type: application/json"},
				Body: `{"personalizations":[{"to":[{"email":"support@classworks.co","name":"Classworks Support"}]}],"from":{"email":"noreply@classworks.co","name":"Classworks Leads"},"subject":"Classworks Appointment","content":[{"type":"text/plain","value":"New appointment"}]}`, Mime: "application/json",
				Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials",
				Resp:  []string{"Server: nginx", "Date: Thu, 27 Dec 2018 20:59:24 GMT", "Content-Type: application/json", "Connection: keep-alive", "Access-Control-Allow-Origin: https://sendgrid.api-docs.io", "Access-Control-Allow-Methods: POST", "Access-Control-Allow-Headers: Authorization, Content-Type, On-behalf-of, x-sg-elas-acl", "Access-Control-Max-Age: 600", "X-No-CORS-Reason: https://sendgrid.com/docs/Classroom/Basics/API/cors.html"},
				RMime: "application/json",
				Text:  `{"errors":[{"message":"The provided authorization grant is invalid, expired, or revoked","field":null,"help":null}]}`}},
		},
		// ---------------------------------------------------------- Dropbox
		{
			Name: "dropbox-short-lived-token-expired", Vendor: "Dropbox API", Client: hUAGuzzle,
			Source:   "https://github.com/froemken/dropbox/issues/29 (Refresh Token expires)",
			Story:    "A TYPO3 extension uses a token from the Dropbox app console; Dropbox now issues only short-lived (4-hour) access tokens, and after about four hours every call answers 401 expired_access_token.",
			Verbatim: "status 401 and the JSON body as Guzzle prints it (`{\"error\":{\".tag\":\"expired_access_token\"},\"error_summary\":\"expired_access_token/\"}`).",
			Why:      "`cause=expired-token`: the short-lived access token has expired; the app must use a refresh token.",
			Redacted: "the token is `sl.****`.",
			Entries: []ex{{Method: "POST", URL: "https://api.dropboxapi.com/2/users/get_current_account", Req: []string{"Authorization: Bearer sl.****"}, Status: 401, Verbatim: true, Verdict: "cause=expired-token", RMime: "application/json",
				Text: `{"error":{".tag":"expired_access_token"},"error_summary":"expired_access_token/"}`}},
		},
		// ---------------------------------------------------------- Heroku
		{
			Name: "heroku-deleted-api-key-invalid-credentials", Vendor: "Heroku Platform API", Client: hUATravisDPL,
			Source:   "https://github.com/scala-vienna/scala-vienna-web/issues/35 (Deploy to Heroku not working (invalid credentials))",
			Story:    "A Travis deploy step calls the Heroku API with the API key stored in the build settings; Heroku answers 401 unauthorized \"Invalid credentials provided.\" (the deploy tool adds \"wrong API key?\").",
			Verbatim: "status 401 and the body `{\"id\":\"unauthorized\",\"error\":\"Invalid credentials provided.\"}` as the build log prints it.",
			Why:      "`cause=invalid-credentials`: the API key sent is not (or no longer) valid.",
			Redacted: "the Basic credential (`:` + API key) is `Basic OioqKioq` (`:****`).",
			Entries: []ex{{Method: "GET", URL: "https://api.heroku.com/apps/scala-vienna-web", Req: []string{"Authorization: Basic OioqKioq", "Accept: application/vnd.heroku+json; version=3"}, Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials", RMime: "application/json",
				Text: `{"id":"unauthorized","error":"Invalid credentials provided."}`}},
		},
		{
			Name: "heroku-not-logged-in-invalid-credentials-wording", Vendor: "Heroku Platform API", Client: hUAPyRequests,
			Source:   "https://github.com/iterative/mlem/issues/501 (Error message when failing to log into Heroku)",
			Story:    "A deployment tool creates a Heroku app while the user has neither run `heroku login` nor set HEROKU_API_KEY (\"No, I didn't provide any credentials\"); Heroku answers 401 with id `unauthorized` and \"Invalid credentials provided.\"",
			Verbatim: "status 401 and the message / error id pair `Invalid credentials provided.` / `unauthorized` as the tool prints it; the JSON serialisation `{\"id\":\"unauthorized\",\"message\":\"Invalid credentials provided.\"}` is reconstructed in Heroku's documented error shape.",
			Why:      "`cause=missing-credentials`: the request carries no Authorization header; the fix is to log in or set the API key.",
			Trap:     "\"Invalid credentials provided.\" although none were provided.",
			Entries: []ex{{Method: "POST", URL: "https://api.heroku.com/apps", Req: []string{"Accept: application/vnd.heroku+json; version=3", "Content-Type: application/json"}, Body: `{"name":"bank-churn-app"}`, Mime: "application/json",
				Status: 401, Verbatim: true, Verdict: "cause=missing-credentials", RMime: "application/json",
				Text: `{"id":"unauthorized","message":"Invalid credentials provided."}`}},
		},
		{
			Name: "heroku-cli-favorites-healthy", Vendor: "Heroku Platform API", Folder: "healthy", Client: hUAHerokuCLI,
			Source:   "https://github.com/heroku/heroku-apps/issues/91 (`heroku dashboard` makes an unauthorized request to telex)",
			Story:    "With HEROKU_DEBUG=1 the CLI's dashboard command shows its first call, `GET /favorites`, answering 200 with the user's favourite apps.",
			Verbatim: "status 200 and the JSON body as the debug output prints it.",
			Why:      "`ok`: an authenticated call that succeeded.",
			Redacted: "the API key is `****`.",
			Entries: []ex{{Method: "GET", URL: "https://particleboard.heroku.com/favorites", Req: []string{"Authorization: Bearer ****", "Accept: application/vnd.heroku+json; version=3"}, Status: 200, Verbatim: true, RMime: "application/json",
				Text: `[{"app_name":"regroup-demo","app_id":"b2fdf816-7d05-41f0-91fb-3dd0037362f6"},{"app_name":"regroup-demo-staging","app_id":"6d410d11-a896-4c20-95c4-3be9181b9647"},{"app_name":"regroup-app","app_id":"e7e8daf2-d596-41d1-8325-48a770968033"},{"app_name":"regroup-staging","app_id":"512a8692-680f-4c9c-8ea7-f0ce9c26fc07"}]`}},
		},
		// ---------------------------------------------------------- Keycloak
		{
			Name: "keycloak-refresh-token-not-active", Vendor: "Keycloak", Client: hUAPyKeycloak,
			Source:   "https://github.com/marcospereirampj/python-keycloak/pull/99 (Handle 'Token is not active' error in refresh_token); body from https://github.com/keycloak/keycloak/issues/37961",
			Story:    "An admin client holds a token pair and does not use it until the realm's SSO session timeouts have passed; the refresh at the token endpoint answers 400 invalid_grant \"Token is not active\". Getting a new token fixes it.",
			Verbatim: "status 400 and the JSON body `{\"error\":\"invalid_grant\",\"error_description\":\"Token is not active\"}` as keycloak#37961 quotes it.",
			Why:      "`cause=expired-token`: the refresh token outlived the SSO session; the client must authenticate again.",
			Redacted: "the refresh token is `eyJ…[REDACTED]`.",
			Entries: []ex{{Method: "POST", URL: "https://sso.example.com/realms/master/protocol/openid-connect/token", Body: "client_id=admin-cli&grant_type=refresh_token&refresh_token=eyJ%E2%80%A6%5BREDACTED%5D", Mime: "application/x-www-form-urlencoded",
				Status: 400, Verbatim: true, Verdict: "cause=expired-token", RMime: "application/json",
				Text: `{"error":"invalid_grant","error_description":"Token is not active"}`}},
		},
		{
			Name: "keycloak-session-killed-session-not-active", Vendor: "Keycloak", Client: hUAAppAuthIOS,
			Source:   "https://github.com/fa-fifi/keycloak_wrapper/issues/57 (Problem when session is not active)",
			Story:    "A Flutter app (AppAuth on iOS) refreshes its tokens after the user's session was ended on the Keycloak side (admin sign-out); the token endpoint answers 400 invalid_grant \"Session not active\".",
			Verbatim: "status 400 and the JSON body `{\"error\":\"invalid_grant\",\"error_description\":\"Session not active\"}` as the AppAuth error quotes it.",
			Why:      "`cause=expired-token`: the session the refresh token belongs to no longer exists; the user must sign in again.",
			Redacted: "the refresh token is `<refresh_token>`.",
			Entries: []ex{{Method: "POST", URL: "https://auth.example.com/realms/app/protocol/openid-connect/token", Body: "grant_type=refresh_token&refresh_token=%3Crefresh_token%3E&client_id=mobile-app", Mime: "application/x-www-form-urlencoded",
				Status: 400, Verbatim: true, Verdict: "cause=expired-token", RMime: "application/json",
				Text: `{"error":"invalid_grant","error_description":"Session not active"}`}},
		},
		// ---------------------------------------------------------- Zoom
		{
			Name: "zoom-invalid-access-token-124-unset-config", Vendor: "Zoom API", Client: hUAZoomLaravel,
			Source:   "https://github.com/MacsiDigital/laravel-zoom/issues/22 (Error Code 124 > invalid access token)",
			Story:    "A Laravel app lists Zoom users; its JWT is signed with an API key/secret that were not loaded from the environment, so Zoom answers 401 code 124. Putting the key and secret in config/zoom.php fixed it.",
			Verbatim: "status 401 and the code/message pair `124` / `Invalid access token.` as the reporter's dump shows it; the JSON serialisation is reconstructed.",
			Why:      "`cause=invalid-credentials`: a bearer JWT was sent but Zoom cannot validate it (signed with the wrong key).",
			Redacted: "the JWT is `eyJ…[redacted]`.",
			Entries: []ex{{Method: "GET", URL: "https://api.zoom.us/v2/users?status=active&page_size=30&page_number=1", Req: []string{"Authorization: Bearer eyJ…[redacted]"}, Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials", RMime: "application/json;charset=UTF-8",
				Text: `{"code":124,"message":"Invalid access token."}`}},
		},
		{
			Name: "zoom-token-lacks-scope-4711", Vendor: "Zoom API", Client: hUAZoomLaravel,
			Source:   "https://github.com/JubaerHossain/zoom-laravel/issues/15 (Invalid access token issue $users = Zoom::getUsers(['status' => 'active']);)",
			Story:    "A server-to-server OAuth app lists users; its token was granted without the granular scope `user:read:list_users:admin`, and Zoom answers 400 code 4711.",
			Verbatim: "status 400 and the JSON body `{\"code\":4711,\"message\":\"Invalid access token, does not contain scopes:[user:read:list_users:admin].\"}` as Guzzle quotes it.",
			Why:      "`cause=insufficient-scope`: the token is valid but lacks the scope the endpoint requires (add it to the app, get a new token).",
			Trap:     "\"Invalid access token\" reads as invalid-credentials; the rest of the sentence names a missing scope.",
			Redacted: "the access token is `<token>`.",
			Entries: []ex{{Method: "GET", URL: "https://api.zoom.us/v2/users?page_size=300&status=active&page_number=1", Req: []string{"Authorization: Bearer <token>"}, Status: 400, Verbatim: true, Verdict: "cause=insufficient-scope", RMime: "application/json;charset=UTF-8",
				Text: `{"code":4711,"message":"Invalid access token, does not contain scopes:[user:read:list_users:admin]."}`}},
		},
		// ---------------------------------------------------------- Supabase
		{
			Name: "supabase-invalid-api-key-browser", Vendor: "Supabase", Client: hUAChromeNew, Browser: true,
			Source:   "https://github.com/ibttf/interview-coder/issues/55 (I can't log in)",
			Story:    "An app's sign-up calls Supabase from the browser with a wrong anon key in its environment; the API answers 401 \"Invalid API key\". The maintainer fixed the deployed key.",
			Verbatim: "status 401 and the JSON body (`message` \"Invalid API key\", `hint` \"Double check your Supabase `anon` or `service_role` API key.\") as the user posts it.",
			Why:      "`cause=invalid-credentials`: the apikey sent is not one of the project's keys.",
			Redacted: "the apikey and bearer value are `eyJ…xxx`.",
			Entries: []ex{{Method: "POST", URL: "https://qsgornzpowoxvqbbqxib.supabase.co/auth/v1/signup", Req: []string{"apikey: eyJ…xxx", "Authorization: Bearer eyJ…xxx", "Content-Type: application/json;charset=UTF-8", "Origin: https://app.interviewcoder.co"},
				Body: `{"email":"user@example.com","password":"********"}`, Mime: "application/json",
				Status: 401, Verbatim: true, Verdict: "cause=invalid-credentials", RMime: "application/json",
				Text: "{\n    \"message\": \"Invalid API key\",\n    \"hint\": \"Double check your Supabase `anon` or `service_role` API key.\"\n}"}},
		},
		// ---------------------------------------------------------- PayPal
		{
			Name: "paypal-access-token-not-found-in-cache", Vendor: "PayPal REST API", Client: hUAGoPay,
			Source:   "https://github.com/go-pay/gopay/issues/348 (Paypal报错“Access Token not found in cache”)",
			Story:    "A Go shop backend creates an order with an access token it obtained earlier and kept past its lifetime; PayPal answers invalid_token \"Access Token not found in cache\". The reporter's finding: the token had expired and must be renewed before expiry.",
			Verbatim: "the JSON body `{\"error\":\"invalid_token\",\"error_description\":\"Access Token not found in cache\"}` as posted; the status 401 is PayPal's documented status for invalid_token (reconstructed), and so is the Paypal-Debug-Id header.",
			Why:      "`cause=expired-token`: the token was valid once and expired (the reporter's own conclusion).",
			Trap:     "\"not found in cache\" sounds like a server-side cache problem.",
			Redacted: "the access token is `A21AA…xxx`.",
			Entries: []ex{{Method: "POST", URL: "https://api-m.paypal.com/v2/checkout/orders", Req: []string{"Authorization: Bearer A21AA…xxx", "Content-Type: application/json"},
				Body: `{"intent":"CAPTURE","purchase_units":[{"amount":{"currency_code":"USD","value":"10.00"}}]}`, Mime: "application/json",
				Status: 401, Verbatim: true, Verdict: "cause=expired-token", RMime: "application/json",
				Resp: []string{"Paypal-Debug-Id: 8f3c1a2b4d5e6"},
				Text: `{"error":"invalid_token","error_description":"Access Token not found in cache"}`}},
		},
		{
			Name: "paypal-oauth-basic-undefined-undefined", Vendor: "PayPal REST API", Client: hUAPayPalNode,
			Source:   "https://github.com/paypal/PayPal-node-SDK/issues/87 (error: 'invalid_client' (401))",
			Story:    "The Node SDK requests an access token, but the client id and secret were never loaded into its configuration: the Basic header it sends is `dW5kZWZpbmVkOnVuZGVmaW5lZA==`, base64 of `undefined:undefined`. PayPal answers 401 invalid_client.",
			Verbatim: "status 401, the JSON body `{\"error\":\"invalid_client\",\"error_description\":\"The client credentials are invalid\"}` and the request's Authorization value, as the reporter prints them; the paypal-debug-id header value is the one in the issue.",
			Why:      "`cause=client-credentials-invalid`: the application's client credentials are rejected at the token endpoint (here they are the literal string \"undefined\" — the configuration was not loaded).",
			Entries: []ex{{Method: "POST", URL: "https://api.sandbox.paypal.com/v1/oauth2/token", Req: []string{"Authorization: Basic dW5kZWZpbmVkOnVuZGVmaW5lZA==", "Accept: application/json"}, Body: "grant_type=client_credentials", Mime: "application/x-www-form-urlencoded",
				Status: 401, Verbatim: true, Verdict: "cause=client-credentials-invalid", RMime: "application/json",
				Resp: []string{"Paypal-Debug-Id: 728fd8193642e"},
				Text: `{"error":"invalid_client","error_description":"The client credentials are invalid"}`}},
		},
		// ---------------------------------------------------------- Django REST framework
		{
			Name: "drf-token-auth-not-enabled", Vendor: "Django REST framework", Client: hUAHTTPie,
			Source:   "https://github.com/overshard/timestrap-django/pull/195 ([Fix] add default auth classes to activate token authentication)",
			Story:    "A client sends `Authorization: Token <my-token>` with a token obtained from the API itself, but the server's DEFAULT_AUTHENTICATION_CLASSES did not include TokenAuthentication (only session and Basic), so DRF ignores the header and answers 401. The fix was server configuration.",
			Verbatim: "status 401 and the body `{\"detail\": \"Authentication credentials were not provided.\"}` as the PR quotes it; the `WWW-Authenticate: Basic realm=\"api\"` header is DRF's for BasicAuthentication first in the list (reconstructed, as are Vary and Allow).",
			Why:      "`cause=wrong-scheme`: the credential is sent with a scheme (`Token`) the server does not accept; it asks for Basic.",
			Trap:     "\"credentials were not provided\" although a Token header was sent.",
			Redacted: "the token is `<my-token>`.",
			Entries: []ex{{Method: "GET", URL: "https://timestrap.example.com/api/tasks/", Req: []string{"Authorization: Token <my-token>", "Accept: application/json, */*"}, Status: 401, Verbatim: true, Verdict: "cause=wrong-scheme", RMime: "application/json",
				Resp: []string{"WWW-Authenticate: Basic realm=\"api\"", "Vary: Accept, Cookie", "Allow: GET, POST, HEAD, OPTIONS"},
				Text: "{\n  \"detail\": \"Authentication credentials were not provided.\"\n}"}},
		},
		{
			Name: "drf-simplejwt-token-prefix-instead-of-jwt", Vendor: "Django REST framework", Client: hUAPostman,
			Source:   "https://github.com/sunscrapers/djoser/issues/483 (Djoser jwt Authentication credentials were not provided.)",
			Story:    "A user obtains a JWT from djoser and sends it as `Authorization: Token <jwt>`; the settings declare the header type `JWT`, so the JWT authenticator skips the header and the request is anonymous. The answer in the thread: send `Authorization: JWT <your_token>`.",
			Verbatim: "status 401 and the body `{\"detail\": \"Authentication credentials were not provided.\"}` as the reporter posts it; the `WWW-Authenticate: JWT realm=\"api\"` header is what simplejwt sends for that header type (reconstructed, as are Vary and Allow).",
			Why:      "`cause=wrong-scheme`: the token is sent under `Token`, the server expects `JWT`.",
			Trap:     "\"credentials were not provided\" although a token was sent.",
			Redacted: "the JWT is `eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.xxx.xxx`.",
			Entries: []ex{{Method: "GET", URL: "http://127.0.0.1:8000/auth/users/me/", Req: []string{"Authorization: Token eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.xxx.xxx"}, Status: 401, Verbatim: true, Verdict: "cause=wrong-scheme", RMime: "application/json",
				Resp: []string{"WWW-Authenticate: JWT realm=\"api\"", "Vary: Accept", "Allow: GET, PUT, PATCH, DELETE, HEAD, OPTIONS"},
				Text: "{\n    \"detail\": \"Authentication credentials were not provided.\"\n}"}},
		},
		// ---------------------------------------------------------- FastAPI
		{
			Name: "fastapi-httpbearer-no-header-403", Vendor: "FastAPI", Client: hUAPyRequests,
			Source:   "https://github.com/fastapi/fastapi/issues/2026 (HTTPBearer security scheme is returning 403 instead or 401)",
			Story:    "An endpoint depends on `HTTPBearer()`; a request without an Authorization header gets 403 `{\"detail\":\"Not authenticated\"}` (FastAPI's behaviour at the time of the issue).",
			Verbatim: "status 403 and the body `{\"detail\":\"Not authenticated\"}` that HTTPBearer raises, as discussed in the issue; the server header is reconstructed.",
			Why:      "`cause=missing-credentials`: no credential was sent; 403 is FastAPI's status choice, not a permission refusal.",
			Trap:     "403 reads as a permission problem (insufficient-permissions).",
			Entries: []ex{{Method: "GET", URL: "http://127.0.0.1:8000/test", Status: 403, Verbatim: true, Verdict: "cause=missing-credentials", RMime: "application/json",
				Resp: []string{"server: uvicorn"},
				Text: `{"detail":"Not authenticated"}`}},
		},
	}
}
