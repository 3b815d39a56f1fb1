package trace

import (
	"regexp"
	"strings"

	"authlens/har"
)

// Client is the program that sent a request, as far as its headers tell:
// a browser, or a tool, SDK or server (curl, python-requests, an AWS SDK,
// kubectl). Explanations name it, and steps meant for a person at a browser
// are not addressed to the owner of a script.
type Client struct {
	// Name is "curl 8.5.0", "python-requests 2.31.0", "a browser", or ""
	// when nothing tells.
	Name string
	// Browser is true when the request came from a web browser.
	Browser bool
}

// nonBrowserUA matches the User-Agent products of HTTP tools, SDKs and
// servers; group 1 is the product, group 2 its version.
var nonBrowserUA = regexp.MustCompile(`(?i)\b(curl|wget|python-requests|python-httpx|python-urllib3|python-urllib|aiohttp|httpie|axios|node-fetch|undici|got|okhttp|go-http-client|java|apache-httpclient|jersey|postmanruntime|insomnia|powershell|windowspowershell|libwww-perl|ruby|faraday|rest-client|guzzlehttp|restsharp|dart|dotnet|kubectl|docker-client|docker|containerd|helm|git|npm|pip|yarn|terraform|aws-sdk-[a-z0-9-]+|aws-cli|boto3|botocore|azsdk-[a-z0-9.-]+|azure-cli|google-api-[a-z0-9-]+|gcloud|stripe|twilio|slackclient|octokit|gh|okta-sdk-[a-z0-9-]+|auth0-[a-z0-9-]+|reqwest|hyper|k6|wrk|ab|jmeter|grafana|prometheus|jenkins)(?:/([0-9][0-9A-Za-z.+_-]*))?`)

// ClientOf tells which kind of program sent entry e's request.
func ClientOf(e *har.Entry) Client {
	ua, _ := har.HeaderValue(e.Request.Headers, "User-Agent")
	fetchMeta := false
	for _, h := range e.Request.Headers {
		if strings.HasPrefix(strings.ToLower(h.Name), "sec-fetch-") || strings.EqualFold(h.Name, "sec-ch-ua") {
			fetchMeta = true
			break
		}
	}
	if fetchMeta || strings.HasPrefix(ua, "Mozilla/") && !nonBrowserUA.MatchString(strings.TrimPrefix(ua, "Mozilla/")) {
		return Client{Name: browserName, Browser: true}
	}
	if m := nonBrowserUA.FindStringSubmatch(ua); m != nil {
		name := m[1]
		if m[2] != "" {
			name += " " + m[2]
		}
		return Client{Name: name}
	}
	if ua = strings.TrimSpace(ua); ua != "" {
		product, _, _ := strings.Cut(ua, " ")
		product = strings.Replace(product, "/", " ", 1)
		if len(product) > 40 {
			product = product[:40]
		}
		return Client{Name: product}
	}
	return Client{}
}

// browserName is Client.Name for a browser.
const browserName = "a browser"

// ClientSubject names a client (a Client.Name) at the start of a
// sentence: "The browser", "curl 8.5.0", or "The client" when the trace
// does not say.
func ClientSubject(name string) string {
	switch name {
	case browserName:
		return "The browser"
	case "":
		return "The client"
	}
	return name
}
