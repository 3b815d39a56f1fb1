package blocktraces

import (
	"fmt"

	"authlens/analysis/internal/tracebuild"
)

// written returns every trace as written here, in a fixed order; All
// finishes them.
func written() []Trace {
	return []Trace{
		cloudflare1020(), cloudflareChallenge(), f5RejectedWith200(), awsWAFCaptcha(), akamaiReference(), impervaIncident(),
		wordfenceBlock(), wordfenceLockout(), iis40314(), iis403503(), iis4013(),
		laravel419(), springCSRF(), wpRESTNonce(), githubRateLimit(), cloudflareOriginPassThrough(),
	}
}

const cfHTML1020 = `<!DOCTYPE html>
<html lang="en-US"><head><title>Access denied | shop.example.com used Cloudflare to restrict access</title></head>
<body><div id="cf-wrapper"><div id="cf-error-details" class="cf-error-details-wrapper">
<div class="cf-wrapper cf-header cf-error-overview"><h1><span class="cf-error-type">Error</span> <span class="cf-error-code">1020</span></h1>
<h2 class="cf-subheadline">Access denied</h2></div>
<section><h2>What happened?</h2><p>This website is using a security service to protect itself from online attacks.</p></section>
<div class="cf-error-footer"><p><span>Cloudflare Ray ID: <strong class="font-semibold">8e2c4a1f9b3d7e60</strong></span> &bull;
<span>Your IP: 203.0.113.45</span> &bull; <span>Performance &amp; security by Cloudflare</span></p></div>
</div></div></body></html>`

func cloudflare1020() Trace {
	b := newBuilder()
	cf := func(ray string) []option {
		return opts(tracebuild.RespHeader("Server", "cloudflare"), tracebuild.RespHeader("CF-RAY", ray), tracebuild.RespHeader("CF-Cache-Status", "DYNAMIC"))
	}
	b.Add("GET", "https://shop.example.com/", 200, append(cf("8e2c4a1f9b3d7e5f-FRA"), navigation(), page("text/html", "<html><title>Shop</title><body>Welcome</body></html>"))...)
	b.Add("GET", "https://shop.example.com/checkout?step=pay", 403, append(cf("8e2c4a1f9b3d7e60-FRA"), navigation(), page("text/html; charset=UTF-8", cfHTML1020))...)
	return Trace{Name: "cloudflare-1020-block", Entries: b.Entries(),
		Expect: `
# Cloudflare firewall custom rule (error 1020) blocks the checkout; the home page passed through Cloudflare fine.
0 GET / 200 ok  # CF-RAY and Server: cloudflare alone are not a block
1 GET /checkout?step=pay 403 cause=waf-block  # "Error 1020 Access denied", Ray ID 8e2c4a1f9b3d7e60
`,
		Readme: `
# cloudflare-1020-block

A Cloudflare WAF custom rule blocks one page (Cloudflare error 1020) while the rest of the site, also served through Cloudflare, works.

Signatures (signatures.md §1, Cloudflare):
- 1xxx errors in the HTML body, 1020 "Access denied" = blocked by a customer firewall rule — Cloudflare docs, *Troubleshooting Cloudflare 1XXX errors* (developers.cloudflare.com/support/troubleshooting/cloudflare-errors/troubleshooting-cloudflare-1xxx-errors/).
- ` + "`CF-RAY: <hex>-<colo>`" + ` and the "Cloudflare Ray ID" on the page — wafw00f ` + "`cloudflare.py`" + `; the Ray ID is what the site owner searches in Security Events.
- Trap: ` + "`Server: cloudflare`/`CF-RAY`" + ` on the 200 only mean the request went through Cloudflare.
`}
}

func cloudflareChallenge() Trace {
	b := newBuilder()
	chl := `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">portal.example.com</h1><h2 class="h2" id="challenge-running">Verify you are human by completing the action below.</h2>
<noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div></noscript></div></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "portal.example.com",cType: 'managed'};var cpo=document.createElement('script');cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8e2c4b77a1c05d11';document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>`
	cf := func(ray string) []option {
		return opts(tracebuild.RespHeader("Server", "cloudflare"), tracebuild.RespHeader("CF-RAY", ray), tracebuild.RespHeader("cf-mitigated", "challenge"),
			tracebuild.RespHeader("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate"))
	}
	b.Add("GET", "https://portal.example.com/account", 403, append(cf("8e2c4b77a1c05d11-AMS"), navigation(), page("text/html; charset=UTF-8", chl))...)
	b.Add("GET", "https://portal.example.com/api/profile", 403, append(cf("8e2c4b78b2d16e22-AMS"), fetchFrom("https://portal.example.com"), page("text/html; charset=UTF-8", chl))...)
	return Trace{Name: "cloudflare-challenge", Entries: b.Entries(),
		Expect: `
# Cloudflare managed challenge: the page navigation and the script's API call both get it.
0 GET /account 403 cause=waf-block  # cf-mitigated: challenge — a person passes it in a normal tab
1 GET /api/profile 403 cause=waf-block  # fetch cannot pass a challenge
`,
		Readme: `
# cloudflare-challenge

Cloudflare answers a navigation and a fetch with its managed challenge ("Just a moment...", 403).

Signatures (signatures.md §1, Cloudflare):
- ` + "`cf-mitigated: challenge`" + ` is set on every challenge page response — Cloudflare docs, *Detect a Challenge Page response* (developers.cloudflare.com/cloudflare-challenges/challenge-types/challenge-pages/detect-response).
- ` + "`<title>Just a moment...</title>`, `/cdn-cgi/challenge-platform/`, `_cf_chl_opt`" + ` — FlareSolverr ` + "`src/providers/cloudflare.ts`" + ` and other detectors.
`}
}

const f5Page = `<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Please consult with your administrator.<br><br>Your support ID is: 13946487391288743219<br><br><a href='javascript:history.back();'>[Go Back]</a></body></html>`

func f5RejectedWith200() Trace {
	b := newBuilder()
	b.Add("GET", "https://bank.example.net/transfer", 200, navigation(), page("text/html", "<html><title>Transfer</title><form method=post>...</form></html>"))
	b.Add("POST", "https://bank.example.net/transfer", 200, navigation(), tracebuild.ReqHeader("Origin", "https://bank.example.net"),
		post("application/x-www-form-urlencoded", "to=DE89370400440532013000&amount=100&memo=%3Cscript%3E"),
		tracebuild.RespHeader("Cache-Control", "no-store, must-revalidate, no-cache"), tracebuild.RespHeader("Pragma", "no-cache"), tracebuild.RespHeader("Connection", "close"),
		page("text/html", f5Page))
	return Trace{Name: "f5-request-rejected-200", Entries: b.Entries(),
		Expect: `
# F5 BIG-IP ASM rejects the form post with its default page — and status 200.
0 GET /transfer 200 ok
1 POST /transfer 200 cause=waf-block  # "Request Rejected", support ID 13946487391288743219
`,
		Readme: `
# f5-request-rejected-200

The F5 BIG-IP ASM / Advanced WAF default blocking page, delivered with status 200 (the default response status of the blocking page; admins may change it to 403).

Signatures (signatures.md §1, F5):
- "Request Rejected" / "The requested URL was rejected. Please consult with your administrator." / "Your support ID is: <digits>" — F5 manuals: techdocs.f5.com *BIG-IP ASM Implementations 13.1, ch. 27 (response pages)* and clouddocs.f5.com *bigip-next waf_response_pages*.
- Status 200 and the ` + "`Cache-Control: no-store, must-revalidate, no-cache`, `Pragma: no-cache`, `Connection: close`" + ` headers of the default page — public BIG-IP configuration and captures cited in signatures.md.
`}
}

func awsWAFCaptcha() Trace {
	b := newBuilder()
	captcha := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title></title><script type="text/javascript" src="https://3f1a2b4c5d6e.edge.sdk.awswaf.com/3f1a2b4c5d6e/7a8b9c0d1e2f/captcha.js" defer></script></head><body><div id="captcha-container"></div><noscript><h1>JavaScript is disabled</h1>In order to continue, we need to verify that you're not a robot. This requires JavaScript. Enable JavaScript and then reload the page.</noscript></body></html>`
	b.Add("GET", "https://app.example.org/reports", 405, navigation(), tracebuild.RespHeader("x-amzn-waf-action", "captcha"), tracebuild.RespHeader("Server", "CloudFront"),
		tracebuild.RespHeader("X-Cache", "Error from cloudfront"), tracebuild.RespHeader("X-Amz-Cf-Id", "hT0dJ2xk3Q9mVZcN1bL8yR4pWqS6uE7fA5gC0iKjO2nMvXyZwB1aDe=="), page("text/html; charset=UTF-8", captcha))
	b.Add("GET", "https://app.example.org/api/reports.json", 202, fetchFrom("https://app.example.org"), tracebuild.RespHeader("x-amzn-waf-action", "challenge"),
		tracebuild.RespHeader("Server", "CloudFront"), tracebuild.RespHeader("X-Amz-Cf-Id", "Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm1234567890abcdEF=="), page("text/html; charset=UTF-8", "<html><body>challenge</body></html>"))
	return Trace{Name: "aws-waf-captcha-405", Entries: b.Entries(),
		Expect: `
# AWS WAF CAPTCHA (405) on the page, and its silent challenge (202) on the script's call.
0 GET /reports 405 cause=waf-block  # x-amzn-waf-action: captcha
1 GET /api/reports.json 202 cause=waf-block  # x-amzn-waf-action: challenge; fetch cannot solve it
`,
		Readme: `
# aws-waf-captcha-405

AWS WAF's CAPTCHA and Challenge actions: CAPTCHA answers **405 Method Not Allowed** with ` + "`x-amzn-waf-action: captcha`" + ` and an HTML interstitial; Challenge answers **202** with ` + "`x-amzn-waf-action: challenge`" + `.

Signatures (signatures.md §1, AWS WAF): AWS WAF Developer Guide, *CAPTCHA and Challenge actions* (docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-actions.html). ` + "`X-Amz-Cf-Id`" + ` (CloudFront request ID) — wafw00f ` + "`cloudfront.py`" + `.
`}
}

func akamaiReference() Trace {
	b := newBuilder()
	body := `<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>
 
You don't have permission to access "http&#58;&#47;&#47;www&#46;example&#46;travel&#47;booking&#47;" on this server.<P>
Reference&#32;&#35;18&#46;73cfdb17&#46;1784462921&#46;702954a2
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;73cfdb17&#46;1784462921&#46;702954a2</P>
</BODY>
</HTML>
`
	b.Add("GET", "https://www.example.travel/booking/", 403, navigation(), tracebuild.RespHeader("Server", "AkamaiGHost"), tracebuild.RespHeader("Mime-Version", "1.0"), page("text/html", body))
	return Trace{Name: "akamai-reference", Entries: b.Entries(),
		Expect: `
# Akamai edge "Access Denied" with an entity-encoded Reference #.
0 GET /booking/ 403 cause=waf-block  # Reference #18.73cfdb17.1784462921.702954a2
`,
		Readme: `
# akamai-reference

Akamai's edge-generated "Access Denied" page. The reference number is HTML-entity encoded (` + "`Reference&#32;&#35;18&#46;...`" + `), so it must be decoded before matching.

Signatures (signatures.md §1, Akamai): ` + "`Server: AkamaiGHost`" + ` — wafw00f ` + "`kona.py`" + `; reference regex ` + "`18\\.[0-9a-f]{8}\\.1[0-9]{9}\\.[0-9a-f]{7}`" + ` — identYwaf ` + "`data.json`" + ` (hex widths vary in captures); ` + "`errors.edgesuite.net`" + ` link on newer pages.
`}
}

func impervaIncident() Trace {
	b := newBuilder()
	body := `<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW"><meta name="format-detection" content="telephone=no"><meta name="viewport" content="initial-scale=1.0"><meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1"></head><body style="margin:0px;height:100%"><iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=27&xinfo=12-81474123-0%200NNN%20RT%281772460000123%20158%29%20q%280%20-1%20-1%20-1%29%20r%280%20-1%29%20B12%284%2c316%2c0%29%20U18&incident_id=1284000510147412345-568127398421789012&edet=12&cinfo=04000000&rpinfo=0&mth=GET" frameborder=0 width="100%" height="100%" marginheight="0px" marginwidth="0px">Request unsuccessful. Incapsula incident ID: 1284000510147412345-568127398421789012</iframe></body></html>`
	b.Add("GET", "https://store.example.com/cart", 200, navigation(), tracebuild.RespHeader("X-Iinfo", "12-81474123-0 0NNN RT(1772460000123 158) q(0 -1 -1 -1) r(0 -1) B12(4,316,0) U18"),
		tracebuild.RespHeader("X-CDN", "Imperva"), page("text/html", body))
	return Trace{Name: "imperva-incident-200", Entries: b.Entries(),
		Expect: `
# Imperva (Incapsula) block page, delivered with status 200.
0 GET /cart 200 cause=waf-block  # Incapsula incident ID 1284000510147412345-568127398421789012
`,
		Readme: `
# imperva-incident-200

Imperva Cloud WAF (Incapsula) refuses the request with its iframe page "Request unsuccessful. Incapsula incident ID: …" and status 200.

Signatures (signatures.md §1, Imperva/Incapsula): "Incapsula incident ID", ` + "`/_Incapsula_Resource`" + `, ` + "`X-Iinfo`" + ` — wafw00f ` + "`incapsula.py`" + ` and identYwaf ` + "`data.json`" + `; status often 200 (captures cited in signatures.md).
`}
}

const wordfence403 = `<!DOCTYPE html>
<html><head><title>403 Forbidden</title></head>
<body>
<h1>A potentially unsafe operation has been detected in your request to this site</h1>
<p>Your access to this service has been limited. (HTTP response code 403)</p>
<p>If you think you have been blocked in error, contact the owner of this site for assistance.</p>
<details><summary>Block Technical Data</summary><table><tr><td>Block Reason:</td><td>A potentially unsafe operation has been detected in your request to this site</td></tr>
<tr><td>Time:</td><td>Mon, 2 Mar 2026 14:00:00 GMT</td></tr></table></details>
<p>Generated by Wordfence at Mon, 2 Mar 2026 14:00:00 GMT.<br>Your computer's time: <script>document.write(new Date().toUTCString());</script>.</p>
</body></html>`

func wordfenceBlock() Trace {
	b := newBuilder()
	b.Add("GET", "https://blog.example.org/wp-admin/post.php?post=12&action=edit", 200, navigation(),
		tracebuild.ReqHeader("Cookie", "wordpress_logged_in_5c6d7e8f=editor%7C1772600000%7Cabc%7Cdef; wp-settings-1=libraryContent%3Dbrowse"), page("text/html", "<html><title>Edit Post</title></html>"))
	b.Add("POST", "https://blog.example.org/wp-admin/post.php", 403, navigation(),
		tracebuild.ReqHeader("Cookie", "wordpress_logged_in_5c6d7e8f=editor%7C1772600000%7Cabc%7Cdef; wp-settings-1=libraryContent%3Dbrowse"),
		post("application/x-www-form-urlencoded", "post_ID=12&_wpnonce=3a1b2c3d4e&content=%3Ciframe+src%3D%22javascript%3Aalert(1)%22%3E"),
		page("text/html; charset=UTF-8", wordfence403))
	return Trace{Name: "wordfence-block", Entries: b.Entries(),
		Expect: `
# Wordfence's firewall blocks an editor's post that contains an iframe with javascript:.
0 GET /wp-admin/post.php?post=12&action=edit 200 ok
1 POST /wp-admin/post.php 403 cause=plugin-block  # "A potentially unsafe operation has been detected", Generated by Wordfence
`,
		Readme: `
# wordfence-block

The Wordfence WAF (WordPress plugin) block page, status 403.

Signatures (signatures.md §2, Wordfence): "A potentially unsafe operation has been detected in your request to this site", "Generated by Wordfence at <date>" — Wordfence ` + "`waf/views/403.php`" + `; the newer blocking view with "Your access to this service has been limited. (HTTP response code 403)", "Block Technical Data", "Block Reason:" — rendered-page capture cited in signatures.md.
`}
}

func wordfenceLockout() Trace {
	b := newBuilder()
	lock := `<!DOCTYPE html><html><head><title>Your access to this site has been limited</title></head><body>
<h1>Your access to this site has been limited by the site owner</h1>
<p>Your access to this service has been temporarily limited. Please try again in a few minutes. (HTTP response code 503)</p>
<p>Reason: Exceeded the maximum number of login failures which is: 5. The last username they tried to sign in with was: 'admin'</p>
<p><a href="https://www.wordfence.com/help/?query=locked-out" target="_blank" rel="noopener noreferrer">Learn more</a> about why you have been locked out.</p>
<p class="generated">This response was generated by Wordfence.</p></body></html>`
	for k := 0; k < 5; k++ {
		b.Add("POST", "https://blog.example.org/wp-login.php", 200, navigation(), post("application/x-www-form-urlencoded", "log=admin&pwd=%2A%2A%2A%2A&wp-submit=Log+In"),
			page("text/html", `<div id="login_error"><strong>Error:</strong> The password you entered for the username <strong>admin</strong> is incorrect.</div>`))
	}
	b.Add("POST", "https://blog.example.org/wp-login.php", 503, navigation(), post("application/x-www-form-urlencoded", "log=admin&pwd=%2A%2A%2A%2A&wp-submit=Log+In"),
		tracebuild.RespHeader("Retry-After", "600"), page("text/html; charset=UTF-8", lock))
	return Trace{Name: "wordfence-lockout-503", Entries: b.Entries(),
		Expect: `
# Five failed WordPress logins, then Wordfence's login lockout answers 503.
0 POST /wp-login.php 200 ok
1 POST /wp-login.php 200 ok
2 POST /wp-login.php 200 ok
3 POST /wp-login.php 200 ok
4 POST /wp-login.php 200 ok
5 POST /wp-login.php 503 cause=plugin-block  # "Your access to this site has been limited by the site owner"
5 POST /wp-login.php 503 also=rate-limited
`,
		Readme: `
# wordfence-lockout-503

Wordfence's login-attempt lockout: after too many failures the plugin answers **503** "Your access to this site has been limited by the site owner".

Signatures (signatures.md §2, Wordfence): lockout text, ` + "`wordfence.com/help/?query=locked-out`" + ` and "This response was generated by Wordfence" — wafw00f ` + "`wordfence.py`" + `, identYwaf, and the older ` + "`lib/wf503.php`" + `; status 503 noted in detector captures. WordPress's wrong-password answer is a 200 with ` + "`#login_error`" + ` (signatures.md §2, unconfirmed wording).
`}
}

// iisDetailedPage renders an IIS 10 detailed error page (signatures.md §4).
func iisDetailedPage(code, reason, h4, module, notification, errCode string) string {
	return fmt.Sprintf(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>
<title>IIS 10.0 Detailed Error - %[1]s - %[2]s</title>
</head>
<body>
<div id="content">
<div class="content-container">
  <h3>HTTP Error %[1]s - %[2]s</h3>
  <h4>%[3]s</h4>
</div>
<div class="content-container">
 <fieldset><h4>Most likely causes:</h4></fieldset>
</div>
<div class="content-container">
 <fieldset><h4>Detailed Error Information:</h4>
  <div id="details-left">
   <table border="0" cellpadding="0" cellspacing="0">
    <tr class="alt"><th>Module</th><td>&nbsp;&nbsp;&nbsp;%[4]s</td></tr>
    <tr><th>Notification</th><td>&nbsp;&nbsp;&nbsp;%[5]s</td></tr>
    <tr class="alt"><th>Error Code</th><td>&nbsp;&nbsp;&nbsp;%[6]s</td></tr>
   </table>
  </div>
 </fieldset>
</div>
</div>
</body>
</html>
`, code, reason, h4, module, notification, errCode)
}

func iisHeaders() []option {
	return opts(tracebuild.RespHeader("Server", "Microsoft-IIS/10.0"), tracebuild.RespHeader("X-Powered-By", "ASP.NET"))
}

func iis40314() Trace {
	b := newBuilder()
	b.Add("GET", "https://intranet.contoso.com/docs/handbook.pdf", 200, append(iisHeaders(), navigation(), page("application/pdf", ""))...)
	b.Add("GET", "https://intranet.contoso.com/docs/", 403, append(iisHeaders(), navigation(), page("text/html",
		iisDetailedPage("403.14", "Forbidden", "The Web server is configured to not list the contents of this directory.", "DirectoryListingModule", "ExecuteRequestHandler", "0x00000000")))...)
	return Trace{Name: "iis-403-14-directory-listing", Entries: b.Entries(),
		Expect: `
# IIS: a folder without a default document, directory browsing off.
0 GET /docs/handbook.pdf 200 ok
1 GET /docs/ 403 cause=directory-listing-forbidden  # HTTP Error 403.14 - Forbidden
`,
		Readme: readmeIIS("iis-403-14-directory-listing", "403.14 (directory listing denied)"),
	}
}

func iis403503() Trace {
	b := newBuilder()
	b.Add("GET", "https://payroll.contoso.com/", 403, append(iisHeaders(), navigation(), page("text/html",
		iisDetailedPage("403.503", "Forbidden", "The IP address of the client has been rejected.", "IpRestrictionModule", "BeginRequest", "0x00000000")))...)
	return Trace{Name: "iis-403-503-ip-denied", Entries: b.Entries(),
		Expect: `
# IIS IP and Domain Restrictions deny the client's address.
0 GET / 403 cause=ip-restriction  # HTTP Error 403.503 - Forbidden
`,
		Readme: readmeIIS("iis-403-503-ip-denied", "403.503 (IP address denied by IP Restrictions)"),
	}
}

func iis4013() Trace {
	b := newBuilder()
	b.Add("GET", "https://files.contoso.com/reports/", 200, append(iisHeaders(), navigation(), page("text/html", "<html><title>Reports</title></html>"))...)
	b.Add("GET", "https://files.contoso.com/reports/salaries.xlsx", 401, append(iisHeaders(), navigation(),
		tracebuild.RespHeader("WWW-Authenticate", "Negotiate"), tracebuild.RespHeader("WWW-Authenticate", "NTLM"), page("text/html",
			iisDetailedPage("401.3", "Unauthorized", "You do not have permission to view this directory or page because of the access control list (ACL) configuration or encryption settings for this resource on the Web server.", "IIS Web Core", "AuthenticateRequest", "0x80070005")))...)
	return Trace{Name: "iis-401-3-acl", Entries: b.Entries(),
		Expect: `
# IIS: the file's NTFS ACL does not let the anonymous account read it.
0 GET /reports/ 200 ok
1 GET /reports/salaries.xlsx 401 cause=filesystem-permission  # HTTP Error 401.3 - Unauthorized, 0x80070005
`,
		Readme: readmeIIS("iis-401-3-acl", "401.3 (unauthorized by an ACL on the resource)"),
	}
}

func readmeIIS(name, code string) string {
	return `
# ` + name + `

An IIS 10 detailed error page naming sub-status ` + code + `.

Signatures (signatures.md §4): the sub-status table from Microsoft's *HTTP status codes in IIS* (KB 943891, learn.microsoft.com/en-us/troubleshoot/iis/http-status-code); page format ` + "`<title>IIS <ver> Detailed Error - <status.sub> - <reason></title>`, `<h3>HTTP Error <status.sub> - <reason></h3>`" + ` and the "Detailed Error Information" table (Module, Notification, Error Code) — public test fixture and wafw00f ` + "`aspnetgen`" + ` (` + "`iis (\\d+.)+?detailed error`" + `). Detailed pages are shown to local requests by default (` + "`errorMode=\"DetailedLocalOnly\"`" + `).
`
}

func laravel419() Trace {
	b := newBuilder()
	expired := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page Expired</title></head><body class="antialiased"><div class="relative flex items-top justify-center min-h-screen"><div class="max-w-xl mx-auto sm:px-6 lg:px-8"><div class="flex items-center pt-8 sm:justify-start sm:pt-0"><div class="px-4 text-lg text-gray-500 border-r border-gray-400 tracking-wider">419</div><div class="ml-4 text-lg text-gray-500 uppercase tracking-wider">Page Expired</div></div></div></div></body></html>`
	cookies := "XSRF-TOKEN=eyJpdiI6IkFBQUEiLCJ2YWx1ZSI6IkJCQkIiLCJtYWMiOiJDQ0NDIn0%3D; laravel_session=eyJpdiI6IkREREQiLCJ2YWx1ZSI6IkVFRUUiLCJtYWMiOiJGRkZGIn0%3D"
	b.Add("GET", "https://crm.example.com/contacts/create", 200, navigation(), tracebuild.ReqHeader("Cookie", cookies), page("text/html", "<html><form method=post><input type=hidden name=_token value=x></form></html>"))
	b.Wait(130 * 60e9) // the form sat open past the session lifetime
	b.Add("POST", "https://crm.example.com/contacts", 419, navigation(), tracebuild.ReqHeader("Cookie", cookies), tracebuild.ReqHeader("Origin", "https://crm.example.com"),
		post("application/x-www-form-urlencoded", "_token=stale0token0value0from0the0form0000&name=Ada"), page("text/html; charset=UTF-8", expired))
	return Trace{Name: "laravel-419", Entries: b.Entries(),
		Expect: `
# Laravel: the form was submitted two hours later; the CSRF token's session had expired.
0 GET /contacts/create 200 ok
1 POST /contacts 419 cause=csrf-failure  # 419 Page Expired
`,
		Readme: `
# laravel-419

Laravel answers a stale CSRF token with its non-standard status **419 "Page Expired"** (` + "`resources/views/errors/419.blade.php`" + `, TokenMismatchException).

Signatures (signatures.md §3, Laravel): 419 "Page Expired", JSON ` + "`{\"message\":\"CSRF token mismatch.\"}`" + `, cookies ` + "`XSRF-TOKEN`/`laravel_session`" + `, field ` + "`_token`" + ` (marked unconfirmed in signatures.md: confidence is kept below the confirmed signatures).
`}
}

func springCSRF() Trace {
	b := newBuilder()
	b.Add("GET", "https://hr.example.com/api/me", 200, fetchFrom("https://hr.example.com"), tracebuild.ReqHeader("Cookie", "JSESSIONID=6F9619FF8B86D011B42D00C04FC964FF"), page("application/json", `{"user":"ada"}`))
	b.Add("PUT", "https://hr.example.com/api/profile", 403, fetchFrom("https://hr.example.com"), tracebuild.ReqHeader("Cookie", "JSESSIONID=6F9619FF8B86D011B42D00C04FC964FF"),
		post("application/json", `{"phone":"+44 20 7946 0000"}`),
		page("application/json", `{"timestamp":"2026-03-02T14:00:00.812+00:00","status":403,"error":"Forbidden","message":"Could not verify the provided CSRF token because no token was found to compare.","path":"/api/profile"}`))
	return Trace{Name: "spring-csrf", Entries: b.Entries(),
		Expect: `
# Spring Security 6: the script's PUT carries the session but no X-CSRF-TOKEN.
0 GET /api/me 200 ok
1 PUT /api/profile 403 cause=csrf-failure  # "Could not verify the provided CSRF token because no token was found to compare."
`,
		Readme: `
# spring-csrf

Spring Security's CSRF filter refuses a PUT without a token (403, ` + "`MissingCsrfTokenException`" + ` in 6.x), wrapped by Spring Boot's JSON error body with the message included.

Signatures (signatures.md §3, Spring Security): "Could not verify the provided CSRF token because your session was not found." (≤5.x) / "...because no token was found to compare." (6.x); "Invalid CSRF Token '<tok>' was found on the request parameter '_csrf' or header 'X-CSRF-TOKEN'." — spring-security ` + "`MissingCsrfTokenException`/`InvalidCsrfTokenException`" + `; Spring Boot's ` + "`{\"timestamp\",\"status\",\"error\",\"path\"}`" + ` body.
`}
}

func wpRESTNonce() Trace {
	b := newBuilder()
	cookie := "wordpress_logged_in_5c6d7e8f=editor%7C1772600000%7Cabc%7Cdef; wordpress_sec_5c6d7e8f=editor%7C1772600000%7Cabc%7Cghi"
	b.Add("GET", "https://news.example.org/wp-admin/edit.php", 200, navigation(), tracebuild.ReqHeader("Cookie", cookie), page("text/html", "<html><title>Posts</title></html>"))
	b.Add("POST", "https://news.example.org/wp-json/wp/v2/posts/481", 403, fetchFrom("https://news.example.org"), tracebuild.ReqHeader("Cookie", cookie),
		tracebuild.ReqHeader("X-WP-Nonce", "0f1e2d3c4b"), post("application/json", `{"title":"Budget 2026"}`),
		tracebuild.RespHeader("Link", `<https://news.example.org/wp-json/>; rel="https://api.w.org/"`), tracebuild.RespHeader("X-Robots-Tag", "noindex"),
		tracebuild.RespHeader("X-Content-Type-Options", "nosniff"), tracebuild.RespHeader("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"),
		page("application/json; charset=UTF-8", `{"code":"rest_cookie_invalid_nonce","message":"Cookie check failed","data":{"status":403}}`))
	return Trace{Name: "wp-rest-cookie-invalid-nonce", Entries: b.Entries(),
		Expect: `
# WordPress REST: the block editor's nonce expired (tab left open); the cookie is fine.
0 GET /wp-admin/edit.php 200 ok
1 POST /wp-json/wp/v2/posts/481 403 cause=csrf-failure  # rest_cookie_invalid_nonce
`,
		Readme: `
# wp-rest-cookie-invalid-nonce

WordPress core refuses a cookie-authenticated REST call whose ` + "`X-WP-Nonce`" + ` is not valid for ` + "`wp_rest`" + `: 403 ` + "`{\"code\":\"rest_cookie_invalid_nonce\",...}`" + `.

Signatures (signatures.md §2, WordPress REST API): error shape from ` + "`wp-includes/rest-api/class-wp-rest-server.php`" + ` ` + "`error_to_response()`" + `; the nonce check in ` + "`wp-includes/rest-api.php`" + ` ` + "`rest_cookie_check_errors()`" + `; the ` + "`Link: <…/wp-json/>; rel=\"https://api.w.org/\"`" + ` header from ` + "`serve_request()`" + `.
`}
}

func githubRateLimit() Trace {
	b := newBuilder()
	gh := func(remaining, used string) []option {
		return opts(fetchFrom("https://dashboard.example.com"), tracebuild.RespHeader("x-ratelimit-limit", "60"), tracebuild.RespHeader("x-ratelimit-remaining", remaining),
			tracebuild.RespHeader("x-ratelimit-reset", "1772463600"), tracebuild.RespHeader("x-ratelimit-resource", "core"), tracebuild.RespHeader("x-ratelimit-used", used),
			tracebuild.RespHeader("x-github-request-id", "C0DE:1F2E:3A4B5C:6D7E8F:69A5A2B0"), tracebuild.RespHeader("Access-Control-Allow-Origin", "*"))
	}
	b.Add("GET", "https://api.github.com/repos/octo-org/widgets", 200, append(gh("0", "60"), page("application/json; charset=utf-8", `{"id":1296269,"name":"widgets"}`))...)
	b.Add("GET", "https://api.github.com/repos/octo-org/widgets/pulls", 403, append(gh("0", "61"), page("application/json; charset=utf-8",
		`{"message":"API rate limit exceeded for 203.0.113.45. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}`))...)
	return Trace{Name: "github-rate-limit-403", Entries: b.Entries(),
		Expect: `
# GitHub REST API, unauthenticated: the 60 requests per hour are used up; GitHub answers 403.
0 GET /repos/octo-org/widgets 200 ok  # the last request of the quota (x-ratelimit-remaining: 0)
1 GET /repos/octo-org/widgets/pulls 403 cause=rate-limited  # x-ratelimit-remaining: 0, "API rate limit exceeded"
`,
		Readme: `
# github-rate-limit-403

GitHub's REST API answers an exhausted rate limit with **403** (or 429), ` + "`x-ratelimit-remaining: 0`" + ` and "API rate limit exceeded for <ip>".

Signatures (signatures.md §5, GitHub REST API): headers ` + "`x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset` (epoch), `x-ratelimit-resource`, `x-ratelimit-used`, `x-github-request-id`" + `; body "API rate limit exceeded for …" — GitHub docs *Troubleshooting the REST API* (docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api; marked unconfirmed in signatures.md).
`}
}

// cloudflareOriginPassThrough is a trap: the application's own 403 passes
// through Cloudflare with CF-RAY and Server: cloudflare, which alone do
// not prove a block.
func cloudflareOriginPassThrough() Trace {
	b := newBuilder()
	cf := func(ray string) []option {
		return opts(tracebuild.RespHeader("Server", "cloudflare"), tracebuild.RespHeader("CF-RAY", ray), tracebuild.RespHeader("CF-Cache-Status", "DYNAMIC"),
			fetchFrom("https://shop.example.com"), tracebuild.ReqHeader("Cookie", "shop_session=9f8e7d6c5b4a39281706f5e4d3c2b1a0; __cf_bm=Xy.z"))
	}
	b.Add("GET", "https://shop.example.com/api/orders", 200, append(cf("8e2c4d01aa000001-FRA"), page("application/json", `{"orders":[]}`))...)
	b.Add("DELETE", "https://shop.example.com/api/admin/orders/77", 403, append(cf("8e2c4d01aa000002-FRA"),
		page("application/json", `{"error":"forbidden","message":"Only staff with the refunds role may cancel orders."}`))...)
	return Trace{Name: "cloudflare-origin-403-passthrough", Entries: b.Entries(),
		Expect: `
# Trap: the shop's own 403 travels through Cloudflare. CF-RAY and Server: cloudflare
# are on every response; only a Cloudflare block page or cf-mitigated would mean a block.
0 GET /api/orders 200 ok
1 DELETE /api/admin/orders/77 403 cause=insufficient-permissions  # the session worked at entry 0; the body names a role
`,
		Readme: `
# cloudflare-origin-403-passthrough

A trap for the firewall rule: an application's own 403 (a missing role) passes through Cloudflare unchanged, still carrying ` + "`CF-RAY`" + ` and ` + "`Server: cloudflare`" + `. The signed-in session worked on the previous call.

Source: signatures.md §1, Cloudflare — "origin 401/403 passes through Cloudflare unchanged and still carries CF-RAY/Server: cloudflare → need body check to distinguish origin error from Cloudflare block"; catalogue §3.4 ` + "`waf-block`" + ` ("A CDN's presence headers alone do not prove a block").
`}
}
