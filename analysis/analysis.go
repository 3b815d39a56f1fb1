package analysis

import (
	"authlens/analysis/trace"
	"authlens/har"
)

// Rule is one cause from the diagnosis catalogue.
type Rule struct {
	// ID is the catalogue's stable kebab-case identifier (a contract).
	ID string
	// Title is a short heading for people, e.g. "Session cookie went stale".
	Title string
	// Doc explains the cause in plain words for support staff.
	Doc string
	// Remedy is the default playbook, in the order a person should try it.
	// A Finding may replace it with steps specific to its evidence.
	Remedy []trace.Step
	// Run inspects the trace and reports findings through the pass.
	Run func(*Pass)
	// RuleOut, when set, says whether the trace's own evidence excludes
	// this cause for failing entry i, in plain words with that evidence
	// ("not expired: the token's exp is 40 min after the request"). The
	// runner asks it for failing exchanges the rule did not diagnose, so
	// a person sees what was checked, not only what was found.
	RuleOut func(t *trace.Trace, i int) (why string, ok bool)
}

// RuledOut is a cause checked and excluded by evidence for one exchange.
type RuledOut struct {
	Cause    string `json:"cause"`
	Title    string `json:"title"`
	Evidence string `json:"evidence"`
}

// Finding is what a rule reports about one exchange.
type Finding struct {
	Entry      int     // index of the exchange the finding is about
	Confidence float64 // 0..1: high when the server or trace proves it, low when only plausible
	// Explanation says, for this exchange, why the rule concluded what it
	// did. Empty means the rule's Doc.
	Explanation string
	Evidence    []trace.Evidence
	// Remedy, when set, replaces the rule's default playbook with steps
	// that name the concrete cookie, scheme, proxy, plugin or reference ID.
	Remedy []trace.Step
	// Inferred marks a finding concluded from indirect signals. When the
	// server's own error page names another cause (an IIS sub-status), the
	// runner ranks such a finding below what the page says.
	Inferred bool
}

// Pass is the interface between one rule and the runner.
type Pass struct {
	Rule     *Rule
	Trace    *trace.Trace
	Findings []Finding
	notes    []trace.Note
}

// Report records a finding of the pass's rule.
func (p *Pass) Report(f Finding) {
	p.Findings = append(p.Findings, f)
}

// Diagnosis is one ranked cause of one exchange, as the JSON contract
// prints it.
type Diagnosis struct {
	Cause       string           `json:"cause"`
	Confidence  float64          `json:"confidence"`
	Title       string           `json:"title"`
	Explanation string           `json:"explanation"`
	Evidence    []trace.Evidence `json:"evidence"`
	Remedy      []trace.Step     `json:"remedy"`
}

// Exchange is one exchange the report is about: every 401 and 403, and any
// other exchange a rule flagged.
type Exchange struct {
	Index  int    `json:"index"`
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	// Client names the program that sent the request: "a browser",
	// "curl 8.5.0", "python-requests 2.31.0"; omitted when nothing tells.
	Client string `json:"client,omitempty"`
	// Problem is false when the exchange is the normal first leg of a
	// challenge the client then answered successfully.
	Problem bool `json:"problem"`
	// Explanation is the plain-words reading of the status (and, when
	// Problem is false, why it is not a problem).
	Explanation string      `json:"explanation"`
	Diagnoses   []Diagnosis `json:"diagnoses"`
	// RuledOut lists the causes checked and excluded by evidence, in
	// catalogue order (failing exchanges only).
	RuledOut []RuledOut `json:"ruled_out,omitempty"`
	// ServerSaid is what the server itself said about the failure (its
	// error code and message), masked; nil when it said nothing readable.
	ServerSaid *ServerSaid `json:"server_said,omitempty"`
}

// ServerSaid is the server's own words about one failure: shown above the
// causes, and the best reading the trace allows when no cause fits.
type ServerSaid struct {
	// Words are the codes and the message, masked: `invalid_grant — “…”`.
	Words string `json:"words"`
	// Format is the shape they were read from ("OAuth 2 error",
	// "Kubernetes Status", "Bearer challenge", "XML error", …).
	Format string       `json:"format"`
	Where  har.Location `json:"where"`
	// Vendor and Meaning are set when the words are a documented error
	// of a known platform (analysis/signatures Vocabulary).
	Vendor  string `json:"vendor,omitempty"`
	Meaning string `json:"meaning,omitempty"`
	Source  string `json:"source,omitempty"`
}

// Report is the result of analysing a trace: the JSON contract of
// `authlens analyze --format json`.
type Report struct {
	Source    trace.SourceInfo `json:"source"`
	Exchanges []Exchange       `json:"exchanges"`
	Notes     []trace.Note     `json:"notes"`
}
