// Package analysis explains why HTTP exchanges in a trace failed with 401
// or 403 (and the exchanges around them that matter).
//
// It follows the shape of golang.org/x/tools/go/analysis: every cause in
// the catalogue is one small Rule value in its own file (ID, title, plain
// explanation, detection, remedy steps). A Trace holds the entries plus the
// indexes rules share, built once. The runner (Analyze) applies every rule,
// groups what they report per exchange, ranks it, and adds the plain-words
// reading of each failing status.
package analysis

// Who names the person who has to act on a remedy step.
type Who string

// The three kinds of people a remedy step is addressed to.
const (
	User      Who = "user"      // the customer in the browser
	Admin     Who = "admin"     // the site or network administrator
	Developer Who = "developer" // the application's code
)

// Step is one remedy action, addressed to one person.
type Step struct {
	Who  Who    `json:"who"`
	Step string `json:"step"`
}

// Evidence points at the entry and field a conclusion rests on. Detail is
// an excerpt or a summary; secrets in it are masked.
type Evidence struct {
	Entry  int    `json:"entry"`
	Where  string `json:"where"` // e.g. "request.headers.Authorization", "response.content.text"
	Detail string `json:"detail"`
}

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
	Remedy []Step
	// Run inspects the trace and reports findings through the pass.
	Run func(*Pass)
	// Inferred marks a rule that only infers its cause from indirect
	// signals. When the server's own error page names another cause (an
	// IIS sub-status), the runner ranks such a finding below that page.
	Inferred bool
}

// Finding is what a rule reports about one exchange.
type Finding struct {
	Entry      int     // index of the exchange the finding is about
	Confidence float64 // 0..1: high when the server or trace proves it, low when only plausible
	// Explanation says, for this exchange, why the rule concluded what it
	// did. Empty means the rule's Doc.
	Explanation string
	Evidence    []Evidence
	// Remedy, when set, replaces the rule's default playbook with steps
	// that name the concrete cookie, scheme, proxy, plugin or reference ID.
	Remedy []Step
}

// Pass is the interface between one rule and the runner.
type Pass struct {
	Rule  *Rule
	Trace *Trace
	found []Finding
	notes []Note
}

// Report records a finding of the pass's rule.
func (p *Pass) Report(f Finding) {
	p.found = append(p.found, f)
}

// Diagnosis is one ranked cause of one exchange, as the JSON contract
// prints it.
type Diagnosis struct {
	Cause       string     `json:"cause"`
	Confidence  float64    `json:"confidence"`
	Title       string     `json:"title"`
	Explanation string     `json:"explanation"`
	Evidence    []Evidence `json:"evidence"`
	Remedy      []Step     `json:"remedy"`
}

// Exchange is one exchange the report is about: every 401 and 403, and any
// other exchange a rule flagged.
type Exchange struct {
	Index  int    `json:"index"`
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	// Problem is false when the exchange is the normal first leg of a
	// challenge the client then answered successfully.
	Problem bool `json:"problem"`
	// Explanation is the plain-words reading of the status (and, when
	// Problem is false, why it is not a problem).
	Explanation string      `json:"explanation"`
	Diagnoses   []Diagnosis `json:"diagnoses"`
}

// Note is a trace-wide observation, such as "this HAR was exported without
// cookies".
type Note struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// SourceInfo describes where the trace came from.
type SourceInfo struct {
	Path      string `json:"path"`
	Format    string `json:"format"`
	Creator   string `json:"creator"`
	Entries   int    `json:"entries"`
	Sanitized bool   `json:"sanitized"`
}

// Report is the result of analysing a trace: the JSON contract of
// `authlens analyze --format json`.
type Report struct {
	Source    SourceInfo `json:"source"`
	Exchanges []Exchange `json:"exchanges"`
	Notes     []Note     `json:"notes"`
}
