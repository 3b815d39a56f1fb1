package report

import (
	"fmt"
	"html/template"
	"io"
)

// WriteCaseHTML writes the case report as one self-contained HTML file:
// html/template escaping, inline CSS, no script, no link and no external
// resource (a Content-Security-Policy forbids them too), laid out to print
// on A4 or Letter.
func WriteCaseHTML(w io.Writer, c Case) error {
	if c.Report == nil {
		return fmt.Errorf("writing the HTML case report: no analysis report")
	}
	if err := caseTemplate.Execute(w, c.view()); err != nil {
		return fmt.Errorf("writing the HTML case report: %w", err)
	}
	return nil
}

var caseTemplate = template.Must(template.New("case").Parse(caseHTML))

const caseHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}{{if .Source}} — {{.Source}}{{end}}</title>
<style>
@page { margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 15px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", sans-serif; color: #1d2430; margin: 0 auto; max-width: 60rem; padding: 2rem 2.2rem 3rem; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; color: #10243f; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid #d9e1ec; color: #10243f; break-after: avoid; }
h3 { font-size: 1rem; margin: 0 0 .4rem; overflow-wrap: anywhere; }
h4 { font-size: .9rem; margin: .9rem 0 .3rem; color: #465468; text-transform: uppercase; letter-spacing: .04em; }
p { margin: .3rem 0 .6rem; }
code, .mono { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: .86em; overflow-wrap: anywhere; }
.meta { color: #5b6778; font-size: .88rem; margin-bottom: 1rem; }
.summary { background: #f2f6fb; border-left: 5px solid #2f6fd6; padding: .8rem 1rem; border-radius: 4px; }
.summary p { margin: .2rem 0; }
.result { font-weight: 600; }
.warn { background: #fff6e5; border-left: 5px solid #d98a00; padding: .8rem 1rem; border-radius: 4px; margin-top: 1rem; }
.ask { white-space: pre-wrap; font-size: .85rem; background: #fff; border: 1px solid #ead9b5; padding: .6rem .8rem; border-radius: 4px; margin: .5rem 0 0; }
.exchange { border: 1px solid #d9e1ec; border-radius: 6px; padding: .9rem 1rem; margin: 0 0 1rem; }
.exchange h3, .exchange h4 { break-after: avoid; }
ol.causes > li > div:first-child { break-after: avoid; }
.others { color: #465468; font-size: .9rem; }
.glance td:first-child { white-space: nowrap; }
.check { font-size: 1rem; margin-right: .2rem; }
.status { display: inline-block; background: #c62828; color: #fff; border-radius: 3px; padding: 0 .45rem; font-size: .85rem; font-weight: 600; margin-left: .3rem; white-space: nowrap; }
ol.causes { padding-left: 1.4rem; margin: .2rem 0; }
ol.causes > li { margin: 0 0 .9rem; }
.cause-title { font-weight: 600; }
.conf { color: #5b6778; font-size: .85rem; white-space: nowrap; }
.id { color: #5b6778; }
.unconfirmed { color: #8a5a00; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .3rem 0 .5rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem; border-bottom: 1px solid #e3e8ef; overflow-wrap: anywhere; }
th { color: #465468; font-weight: 600; background: #f6f8fb; }
ol.steps { padding-left: 1.3rem; margin: .2rem 0; }
ol.steps li { margin: .15rem 0; }
.who { display: inline-block; min-width: 5.6rem; font-size: .78rem; font-weight: 600; color: #fff; background: #5b6778; border-radius: 3px; padding: 0 .35rem; margin-right: .35rem; text-align: center; }
.who-Customer { background: #2f6fd6; }
.who-Site { background: #7a4fc9; }
.who-Developer { background: #2e7d5b; }
.hook { color: #5b6778; font-style: italic; border: 1px dashed #b9c4d3; padding: .5rem .7rem; border-radius: 4px; }
.notes { white-space: pre-wrap; background: #f7f7f2; border: 1px solid #e4e4d8; padding: .6rem .8rem; border-radius: 4px; }
tr.failure td { background: #fdecea; }
.role { font-weight: 600; white-space: nowrap; }
ol.todo { font-size: 1.05rem; padding-left: 1.6rem; }
ol.todo li { margin: .5rem 0; }
footer { margin-top: 2rem; color: #7a8596; font-size: .8rem; border-top: 1px solid #e3e8ef; padding-top: .5rem; }
@media print {
  body { font-size: 10pt; padding: 0; max-width: none; }
  h1 { font-size: 17pt; }
  h2 { font-size: 12.5pt; margin-top: 1.2rem; }
  tr, .summary, .warn, ol.steps li { break-inside: avoid; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<div class="meta">Recording: <span class="mono">{{.Source}}</span>{{if .Entries}} · {{.Entries}} requests{{end}}{{if and .Creator (not .Customer)}} · recorded by {{.Creator}}{{end}}{{if .Generated}} · written {{.Generated}}{{end}}</div>
</header>

<section class="summary">
<p>{{.Summary}}</p>
{{if .Result}}<p class="result">{{.Result}}</p>{{end}}
</section>

{{if .Sanitized}}<section class="warn">
<p><strong>Recording without sign-in data.</strong> {{.Sanitized}}</p>
{{if not .Customer}}<p>Message to send the customer:</p>
<div class="ask">{{.AskCustomer}}</div>{{end}}
</section>{{end}}

{{if .Customer}}
{{if .Sanitized}}<h2>What we need from you</h2>
<div class="ask">{{.AskCustomer}}</div>
{{else}}<h2>What to do</h2>
{{if .UserSteps}}<ol class="todo">{{range .UserSteps}}<li>{{.}}</li>{{end}}</ol>
{{else}}<p>There is nothing you need to do: the fix is on the site's side, and our team is taking care of it. We will tell you when it is done.</p>{{end}}{{end}}
{{if .Exchanges}}<h2>What happened</h2>
{{range .Exchanges}}<div class="exchange"><h3><span class="mono">{{.Request}}</span> <span class="status">{{.Status}}</span></h3>
<p>{{.Explanation}}</p></div>{{end}}{{end}}
{{else}}
{{if .Exchanges}}<h2>At a glance</h2>
<table class="glance"><thead><tr><th style="width:3.5rem">#</th><th>Request</th><th style="width:9rem">Answer</th><th>Most likely cause</th></tr></thead><tbody>
{{range .Exchanges}}<tr><td>{{.Index}}</td><td class="mono">{{.Request}}</td><td>{{.Status}}</td><td>{{if .Top}}{{.Top}}{{else}}no known cause{{end}}</td></tr>{{end}}
</tbody></table>{{end}}

{{if .Timeline}}<h2>Timeline of the exchanges that matter</h2>
<table><thead><tr><th style="width:3.5rem">#</th><th style="width:4.5rem">Time</th><th>Request</th><th style="width:9rem">Answer</th><th style="width:8rem">Role</th></tr></thead><tbody>
{{range .Timeline}}<tr{{if .Failure}} class="failure"{{end}}><td>{{.Index}}</td><td>{{.When}}</td><td class="mono">{{.Request}}</td><td>{{.Status}}</td><td class="role">{{.Role}}</td></tr>{{end}}
</tbody></table>{{end}}

{{with .Comparison}}<h2>Compared with a working trace</h2>
<p class="meta">Working: <span class="mono">{{.Good}}</span> · failing: <span class="mono">{{.Bad}}</span>{{range .Hosts}}<br>Host {{.}}{{end}}</p>
{{if .Divergence}}<p><strong>First divergence:</strong> <code>{{.Divergence}}</code></p>
<table><tbody><tr><th style="width:9rem">Working trace</th><td class="mono">{{.GoodPath}}</td></tr><tr><th>Failing trace</th><td class="mono">{{.BadPath}}</td></tr></tbody></table>
{{else}}<p>No step that worked in the working trace failed in this one.</p>{{end}}
{{if .Differences}}<h4>Differences that matter, most likely first</h4>
<ol class="causes">{{range .Differences}}<li><div><span class="cause-title">{{.Title}}</span> <span class="conf">{{.Kind}}</span>{{if .Cause}} <code class="id">{{.Cause}}</code>{{end}}</div>
<p>{{.Explanation}}</p>
{{if .Evidence}}<table><thead><tr><th style="width:5rem">Trace</th><th style="width:4.5rem">Entry</th><th style="width:14rem">Where</th><th>What it shows</th></tr></thead><tbody>
{{range .Evidence}}<tr><td>{{.Side}}</td><td>#{{.Entry}}</td><td><code>{{.Where}}</code></td><td>{{.Detail}}</td></tr>{{end}}
</tbody></table>{{end}}</li>{{end}}</ol>
{{else}}<p>No meaningful difference.</p>{{end}}
{{if .Noise}}<p class="others"><strong>Noise, not a cause:</strong> {{range $i, $n := .Noise}}{{if $i}}; {{end}}{{$n}}{{end}}.</p>{{end}}
<h4>The two flows side by side</h4>
<table><thead><tr><th style="width:9rem">Working</th><th style="width:9rem">Failing</th><th>Step</th></tr></thead><tbody>
{{range .Steps}}<tr{{if .Divergent}} class="failure"{{end}}><td>{{.Good}}</td><td>{{.Bad}}</td><td class="mono">{{.Key}}{{if .Divergent}} <strong>◀ first divergence</strong>{{end}}</td></tr>{{end}}
</tbody></table>{{end}}

<h2>Failing requests in detail</h2>
{{if not .Exchanges}}<p>No failing request.</p>{{end}}
{{range .Exchanges}}<article class="exchange">
<h3>#{{.Index}} <span class="mono">{{.Request}}</span> <span class="status">{{.Status}}</span></h3>
<p>{{.Explanation}}</p>
{{if .ServerSaid}}<p><strong>The server said:</strong> {{.ServerSaid}}</p>{{end}}
{{if .Causes}}<h4>Likely causes, most likely first</h4>
<ol class="causes">{{range .Causes}}<li>
<div><span class="cause-title">{{.Title}}</span> <code class="id">{{.ID}}</code> <span class="conf">confidence {{.Confidence}}</span></div>
<p>{{.Explanation}}</p>
{{if .Unconfirmed}}<p class="unconfirmed">{{.Unconfirmed}}</p>{{end}}
{{if .Evidence}}<table><thead><tr><th style="width:4.5rem">Entry</th><th style="width:14rem">Where</th><th>What it shows</th></tr></thead><tbody>
{{range .Evidence}}<tr><td>#{{.Entry}}</td><td><code>{{.Where}}</code></td><td>{{.Detail}}</td></tr>{{end}}
</tbody></table>{{end}}
{{if .Steps}}<ol class="steps">{{range .Steps}}<li><span class="check">{{if .Done}}☑{{else}}☐{{end}}</span><span class="who who-{{.Who}}">{{.Who}}</span>{{.Text}}</li>{{end}}</ol>{{end}}
</li>{{end}}</ol>{{else}}<p>AuthLens recognised no known cause for this refusal.</p>{{end}}
{{if .RuledOut}}<p class="others"><strong>Checked and ruled out by the trace:</strong></p>
<ul class="ruled-out">{{range .RuledOut}}<li>{{.Title}} <code class="id">{{.Cause}}</code>: {{.Evidence}}</li>{{end}}</ul>{{end}}
{{if .Others}}<p class="others"><strong>Less likely:</strong> {{range $i, $o := .Others}}{{if $i}}; {{end}}{{$o.Title}} (<code>{{$o.ID}}</code>, {{$o.Confidence}}){{end}}.</p>{{end}}
</article>{{end}}

<h2>Causes ruled out</h2>
{{if .RuledOut}}<table><thead><tr><th>Cause</th><th>Why it was ruled out</th></tr></thead><tbody>
{{range .RuledOut}}<tr><td>{{.Title}} <code class="id">{{.Cause}}</code></td><td>{{.Why}}</td></tr>{{end}}
</tbody></table>
{{else}}<p class="hook">Ruled-out causes: not reported by this version of AuthLens. Only the causes above were found to fit; other causes were not checked off one by one.</p>{{end}}

<h2>What was tried</h2>
{{if .Tried}}<table><thead><tr><th>Cause</th><th style="width:8rem">Outcome</th><th>Steps done</th></tr></thead><tbody>
{{range .Tried}}<tr><td>{{.Title}} <code class="id">{{.Cause}}</code></td><td>{{.Outcome}}</td><td>{{range .Done}}<div>✔ {{.}}</div>{{else}}—{{end}}</td></tr>{{end}}
</tbody></table>
{{else}}<p>Nothing recorded yet (the walkthrough was not used).</p>{{end}}

<h2>Support notes</h2>
{{if .Support}}<div class="notes">{{.Support}}</div>{{else}}<p>No notes.</p>{{end}}

{{if .Notes}}<h2>Notes on the recording</h2>
<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{end}}

<footer>Written by AuthLens. Passwords, cookies and tokens are masked in this report.</footer>
</body>
</html>
`
