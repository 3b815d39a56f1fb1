package capture

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// Guide is one set of instructions: how to trust the AuthLens CA and
// point one browser (or tool) at the proxy, on one platform.
type Guide struct {
	Platform string // "Linux", "Windows", "macOS", "Any"
	Browser  string // "Chrome / Chromium / Edge", "Firefox", "curl", ...
	Steps    []string
}

// Guides returns the set-up instructions for every platform and browser.
// certPath is where the exported certificate is (or will be); proxyAddr
// is host:port of the proxy.
func Guides(certPath, proxyAddr string) []Guide {
	if certPath == "" {
		certPath = "authlens-ca.pem"
	}
	der := strings.TrimSuffix(certPath, ".pem") + ".crt"
	host, port, err := net.SplitHostPort(proxyAddr)
	if err != nil {
		host, port = proxyAddr, "8080"
	}
	return []Guide{
		{"Linux", "Chrome / Chromium / Edge", []string{
			"Trust the CA for your user (needs libnss3-tools): certutil -d sql:$HOME/.pki/nssdb -A -t \"C,,\" -n \"AuthLens capture CA\" -i " + certPath,
			"Or: Settings › Privacy and security › Security › Manage certificates › Authorities › Import, pick the file, tick \"Trust this certificate for identifying websites\".",
			"Start a separate browser profile through the proxy: chromium --user-data-dir=/tmp/authlens-profile --proxy-server=" + proxyAddr,
			"To capture sites on this machine (localhost, 127.0.0.1) add --proxy-bypass-list=\"<-loopback>\": Chromium never proxies loopback otherwise.",
		}},
		{"Linux", "Firefox", []string{
			"Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import, pick " + certPath + ", tick \"Trust this CA to identify websites\".",
			"Settings › General › Network Settings › Manual proxy configuration: HTTP Proxy " + proxyAddr + ", tick \"Also use this proxy for HTTPS\".",
			"To capture localhost sites set network.proxy.allow_hijacking_localhost to true in about:config.",
		}},
		{"Linux", "curl and command-line tools", []string{
			"curl --cacert " + certPath + " -x http://" + proxyAddr + " https://site.example/",
			"System-wide (Debian/Ubuntu): sudo cp " + certPath + " /usr/local/share/ca-certificates/authlens-ca.crt && sudo update-ca-certificates",
		}},
		{"Windows", "Chrome / Edge", []string{
			"Trust the CA for your user: certutil -user -addstore Root " + der + " (or double-click the .crt file › Install Certificate › Current User › Place all certificates in \"Trusted Root Certification Authorities\").",
			"Start the browser through the proxy: \"chrome.exe\" --user-data-dir=%TEMP%\\authlens-profile --proxy-server=" + proxyAddr + " (Edge: msedge.exe with the same flags), or Settings › Network & Internet › Proxy › Manual proxy setup.",
			"For localhost sites add --proxy-bypass-list=\"<-loopback>\".",
		}},
		{"Windows", "System proxy (every app that follows Windows' setting)", []string{
			"Settings › Network & Internet › Proxy › Manual proxy setup › Use a proxy server: On, address " + host + ", port " + port + ", Save. Undo: the same switch Off.",
			"Or from a command prompt (your user, no administrator rights): reg add \"HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\" /v ProxyServer /t REG_SZ /d " + proxyAddr + " /f and reg add \"HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\" /v ProxyEnable /t REG_DWORD /d 1 /f. Undo: the second command with /d 0.",
			"Services and tools that use WinHTTP (not the browsers) read their own setting, from an administrator prompt: netsh winhttp set proxy proxy-server=\"" + proxyAddr + "\" bypass-list=\"<local>\". Check it with netsh winhttp show proxy; undo with netsh winhttp reset proxy.",
			"Trust the CA for your user first: authlens ca install (it prints certutil -user -addstore Root and runs it with --yes).",
		}},
		{"Windows", "Firefox", []string{
			"Import the CA as on Linux (Settings › Privacy & Security › Certificates), or set security.enterprise_roots.enabled to true in about:config after trusting it in Windows.",
			"Network Settings › Manual proxy configuration: " + proxyAddr + " for HTTP and HTTPS.",
		}},
		{"macOS", "Safari / Chrome / Edge", []string{
			"Trust the CA: security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db " + certPath + " (or open it in Keychain Access, double-click it, Trust › When using this certificate: Always Trust).",
			"Safari uses the system proxy: System Settings › Network › (your network) › Details › Proxies › Web proxy (HTTP) and Secure web proxy (HTTPS): " + proxyAddr + ".",
			"Chrome alone: open -na \"Google Chrome\" --args --user-data-dir=/tmp/authlens-profile --proxy-server=" + proxyAddr,
		}},
		{"macOS", "System proxy from the Terminal", []string{
			"networksetup -listallnetworkservices lists the services (\"Wi-Fi\", \"Ethernet\"…); then networksetup -setwebproxy \"Wi-Fi\" " + host + " " + port + " and networksetup -setsecurewebproxy \"Wi-Fi\" " + host + " " + port + ".",
			"Undo: networksetup -setwebproxystate \"Wi-Fi\" off and networksetup -setsecurewebproxystate \"Wi-Fi\" off.",
		}},
		{"macOS", "Firefox", []string{
			"Import the CA in Firefox's own certificate store (Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import).",
			"Network Settings › Manual proxy configuration: " + proxyAddr + " for HTTP and HTTPS.",
		}},
		{"Any", "When you are done", []string{
			"Remove the proxy setting and the trusted CA again (same places). The CA's key stays on this computer only; `authlens ca regenerate` makes a new one and every browser that trusted the old one stops trusting captures.",
			"Certificate-pinned apps refuse any interception: list their hosts with --passthrough to tunnel them undecrypted.",
		}},
	}
}

// GuidesText renders the guides as plain text (CLI).
func GuidesText(gs []Guide) string {
	var b strings.Builder
	for _, g := range gs {
		fmt.Fprintf(&b, "%s — %s\n", g.Platform, g.Browser)
		for i, s := range g.Steps {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, s)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var magicPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AuthLens capture proxy</title>
<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.4}code{background:#eee;padding:0 .2em;word-break:break-all}h2{margin-top:1.5em}</style></head>
<body><h1>AuthLens capture proxy</h1>
<p>This browser reaches the AuthLens proxy. To let it record HTTPS, trust this install's own certificate authority:</p>
<p><a href="/ca.pem" download="authlens-ca.pem">Download the CA certificate (PEM)</a> ·
<a href="/ca.crt" download="authlens-ca.crt">DER (.crt, Windows/macOS/Android)</a></p>
<p>SHA-256 fingerprint: <code>{{.Fingerprint}}</code> — compare it with <code>authlens ca info</code> before trusting.</p>
{{range .Guides}}<h2>{{.Platform}} — {{.Browser}}</h2><ol>{{range .Steps}}<li>{{.}}</li>{{end}}</ol>
{{end}}</body></html>
`))

// serveMagic answers requests to http(s)://authlens.proxy/ (and to the
// proxy's own address): the CA download and the set-up instructions.
// They are not recorded.
func (p *Proxy) serveMagic(req *http.Request) *http.Response {
	res := &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Cache-Control": {"no-store"}}, Request: req,
	}
	var body []byte
	switch req.URL.Path {
	case "/ca.pem", "/cert/pem":
		body = p.opts.CA.PEM()
		res.Header.Set("Content-Type", "application/x-pem-file")
		res.Header.Set("Content-Disposition", `attachment; filename="authlens-ca.pem"`)
	case "/ca.crt", "/ca.der", "/cert/der":
		body = p.opts.CA.DER()
		res.Header.Set("Content-Type", "application/x-x509-ca-cert")
		res.Header.Set("Content-Disposition", `attachment; filename="authlens-ca.crt"`)
	case "/", "/index.html":
		var b bytes.Buffer
		err := magicPage.Execute(&b, map[string]any{
			"Fingerprint": p.opts.CA.Fingerprint(),
			"Guides":      Guides("authlens-ca.pem", p.Addr().String()),
		})
		if err != nil {
			body = []byte("AuthLens: rendering the help page failed: " + err.Error())
			res.StatusCode, res.Status = http.StatusInternalServerError, "500 Internal Server Error"
		} else {
			body = b.Bytes()
		}
		res.Header.Set("Content-Type", "text/html; charset=utf-8")
	default:
		body = []byte("not found: try http://" + MagicHost + "/\n")
		res.StatusCode, res.Status = http.StatusNotFound, "404 Not Found"
		res.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	res.ContentLength = int64(len(body))
	res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res
}
