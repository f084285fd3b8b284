package outcome

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fixtureDir holds the wizard transcripts shared by every package (read-only).
var fixtureDir = filepath.Join("..", "..", "..", "shared", "fixtures", "wizard")

// fixtureRow is one line of testdata/transcripts.tsv.
type fixtureRow struct {
	path    string // synthetic/<file>.txt or real/<basename>
	line    int
	want    Result // Outcome, RetryAfter, Code (Reason is checked separately)
	changed bool
}

func readFixtureTable(t *testing.T) map[string]fixtureRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "transcripts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]fixtureRow{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if i := strings.Index(text, "#"); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 {
			t.Fatalf("transcripts.tsv:%d: want <path> <outcome> [options], got %q", n, sc.Text())
		}
		r := fixtureRow{path: fields[0], line: n}
		if err := r.want.Outcome.UnmarshalText([]byte(fields[1])); err != nil {
			t.Fatalf("transcripts.tsv:%d: %v", n, err)
		}
		for _, opt := range fields[2:] {
			k, v, _ := strings.Cut(opt, "=")
			switch k {
			case "retry-after":
				d, err := time.ParseDuration(v)
				if err != nil {
					t.Fatalf("transcripts.tsv:%d: %v", n, err)
				}
				r.want.RetryAfter = d
			case "code":
				r.want.Code = v
			case "changed":
				r.changed = true
			default:
				t.Fatalf("transcripts.tsv:%d: unknown option %q", n, opt)
			}
		}
		if prev, dup := rows[r.path]; dup {
			t.Fatalf("transcripts.tsv:%d: %s already named on line %d", n, r.path, prev.line)
		}
		rows[r.path] = r
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// transcript is one recorded wizard run.
type transcript struct {
	stdout, stderr string
	exit           int
	class          string // synthetic `# class:` header
}

// readSynthetic parses a synthetic transcript: `# key: value` headers, then
// `--- stdout ---` and `--- stderr ---` sections.
func readSynthetic(t *testing.T, path string) transcript {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tr transcript
	exit := ""
	var section *strings.Builder
	var out, errb strings.Builder
	for l := range strings.SplitSeq(string(b), "\n") {
		switch {
		case l == "--- stdout ---":
			section = &out
		case l == "--- stderr ---":
			section = &errb
		case section != nil:
			section.WriteString(l)
			section.WriteByte('\n')
		case strings.HasPrefix(l, "# "):
			k, v, _ := strings.Cut(strings.TrimPrefix(l, "# "), ":")
			switch strings.TrimSpace(k) {
			case "class":
				tr.class = strings.TrimSpace(v)
			case "exit-code":
				exit = strings.TrimSpace(v)
			}
		}
	}
	if exit == "" || section == nil {
		t.Fatalf("%s: no `# exit-code:` header or no output sections", path)
	}
	if tr.exit, err = strconv.Atoi(exit); err != nil {
		t.Fatalf("%s: exit-code: %v", path, err)
	}
	tr.stdout, tr.stderr = out.String(), errb.String()
	return tr
}

// readReal reads real/<base>.{stdout,stderr,exitcode}.
func readReal(t *testing.T, base string) transcript {
	t.Helper()
	read := func(ext string) string {
		b, err := os.ReadFile(base + ext)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var tr transcript
	var err error
	if tr.exit, err = strconv.Atoi(strings.TrimSpace(read(".exitcode"))); err != nil {
		t.Fatalf("%s.exitcode: %v", base, err)
	}
	tr.stdout, tr.stderr = read(".stdout"), read(".stderr")
	return tr
}

// realSuffixes are the files a real scenario may have; only stdout and
// stderr are wizard output.
var realSuffixes = []string{".stdout", ".stderr", ".exitcode", ".wizardlog", ".mocklog"}

// listFixtures returns every transcript in the fixture folders, as table
// paths. An unexpected file fails the test, so a new kind of fixture is not
// silently skipped.
func listFixtures(t *testing.T) []string {
	t.Helper()
	var paths []string
	syn, err := os.ReadDir(filepath.Join(fixtureDir, "synthetic"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range syn {
		switch {
		case e.Name() == "README.md":
		case strings.HasSuffix(e.Name(), ".txt"):
			paths = append(paths, "synthetic/"+e.Name())
		default:
			t.Errorf("synthetic/%s: not a transcript (.txt) and not README.md", e.Name())
		}
	}
	real, err := os.ReadDir(filepath.Join(fixtureDir, "real"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range real {
		name := e.Name()
		if name == "README.md" {
			continue
		}
		base := ""
		for _, s := range realSuffixes {
			if strings.HasSuffix(name, s) {
				base = strings.TrimSuffix(name, s)
			}
		}
		if base == "" {
			t.Errorf("real/%s: unknown kind of file (want one of %q)", name, realSuffixes)
			continue
		}
		if !seen[base] {
			seen[base] = true
			paths = append(paths, "real/"+base)
		}
	}
	sort.Strings(paths)
	return paths
}

// syntheticClass maps the `# class:` labels of synthetic/README.md to SPEC
// §5 outcomes, so the table cannot drift from the fixture authors' intent.
var syntheticClass = map[string]Outcome{
	"success":                Success,
	"auth_error":             Auth,
	"rate_limit":             RateLimited,
	"rate_limit_daily_quota": QuotaExhausted,
	"bedrock_billing_403":    Provisioning,
	"overloaded":             Overloaded,
	"api_5xx":                Overloaded,
	"api_forbidden":          Auth,
	"mcp_missing":            MCPMissing,
	"resource_missing":       ResourceMissing,
	"no_progress":            Incomplete,
	"incomplete_tasks":       Incomplete,
	"security_stop":          SecurityBlocked,
	"agent_abort":            Aborted,
	"timeout":                Timeout,
	"env_node_version":       Config,
	"crash":                  Crashed,
	"invocation_error":       Config,
	"fixture_error":          Precondition,
	"network_error":          Overloaded,
}

func TestClassifyFixtures(t *testing.T) {
	t.Parallel()
	rows := readFixtureTable(t)
	found := listFixtures(t)
	if len(found) == 0 {
		t.Fatalf("no transcripts under %s", fixtureDir)
	}
	named := map[string]bool{}
	for _, p := range found {
		named[p] = true
		if _, ok := rows[p]; !ok {
			t.Errorf("%s: transcript not named in testdata/transcripts.tsv; add a row with its expected outcome", p)
		}
	}
	for p, r := range rows {
		if !named[p] {
			t.Errorf("transcripts.tsv:%d: %s: no such transcript under %s", r.line, p, fixtureDir)
		}
	}

	for _, p := range found {
		r, ok := rows[p]
		if !ok {
			continue
		}
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			var tr transcript
			if strings.HasPrefix(p, "synthetic/") {
				tr = readSynthetic(t, filepath.Join(fixtureDir, filepath.FromSlash(p)))
				want, ok := syntheticClass[tr.class]
				if !ok {
					t.Fatalf("unknown `# class: %s`; add it to syntheticClass", tr.class)
				}
				if want != r.want.Outcome {
					t.Errorf("table says %s, but `# class: %s` is %s in synthetic/README.md", r.want.Outcome, tr.class, want)
				}
			} else {
				tr = readReal(t, filepath.Join(fixtureDir, filepath.FromSlash(p)))
			}
			e := Exit{Code: tr.exit, TimedOut: tr.exit == 124, Changed: r.changed}
			if e.TimedOut {
				e.Code = -1
			}

			// Stream it as the runner does: stdout lines, then stderr lines.
			c := NewClassifier()
			for _, out := range []string{tr.stdout, tr.stderr} {
				for l := range strings.SplitSeq(out, "\n") {
					c.Line(l)
				}
			}
			got := c.Result(e)
			t.Logf("%s retry-after=%s code=%s reason=%q", got.Outcome, got.RetryAfter, got.Code, got.Reason)
			if d := cmp.Diff(r.want, got, cmpIgnoreReason); d != "" {
				t.Errorf("Result (-want +got):\n%s\nreason: %q", d, got.Reason)
			}
			if got.Outcome != Success && got.Reason == "" {
				t.Errorf("%s without a reason", got.Outcome)
			}
			if n := len([]rune(got.Reason)); n > maxReason+1 {
				t.Errorf("reason has %d runes, want ≤ %d", n, maxReason+1)
			}
			if strings.ContainsRune(got.Reason, 0x1b) {
				t.Errorf("reason keeps an ANSI escape: %q", got.Reason)
			}
			// The one-shot form agrees with the streamed one.
			if d := cmp.Diff(got, Classify(e, tr.stdout+"\n"+tr.stderr)); d != "" {
				t.Errorf("Classify differs from Classifier (-stream +whole):\n%s", d)
			}
		})
	}
}

var cmpIgnoreReason = cmp.FilterPath(func(p cmp.Path) bool {
	return p.Last().String() == ".Reason"
}, cmp.Ignore())
