package cli

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/posthog/wizard-ci/internal/fakegh"
	"github.com/posthog/wizard-ci/internal/outcome"
	"github.com/posthog/wizard-ci/internal/slash"
)

// useTestWizard makes the test binary the wizard-command, recording every
// start in a trace file.
func (e *e2e) useTestWizard(key string) string {
	e.t.Helper()
	self, err := os.Executable()
	if err != nil {
		e.t.Fatal(err)
	}
	trace := filepath.Join(e.dir, "wizard-starts.txt")
	e.env["INPUT_WIZARD-COMMAND"] = self
	e.env["INPUT_POSTHOG-API-KEY"] = key
	e.env["WIZARD_CI_TEST_WIZARD"] = trace
	return trace
}

func wizardStarts(t *testing.T, trace string) int {
	b, err := os.ReadFile(trace)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "started ")
}

// TestGate proves that no wizard process starts for anyone or anything the
// gate of SPEC §3 refuses, and what each case is told.
func TestGate(t *testing.T) {
	type setup struct {
		role     string // commenter's role; "" leaves the default (read)
		permFail int    // status the permission API answers instead
		closed   bool
		forkRepo string
		minPerm  string
	}
	cases := []struct {
		name      string
		setup     setup
		action    string
		userType  string
		body      string
		wantReply []string // nil: deliberate silence
		wantRun   bool
	}{
		{name: "read commenter", setup: setup{role: "read"}, body: "/wizard-ci all",
			wantReply: []string{"Nothing ran", "needs `write` access", "has `read`"}},
		{name: "triage commenter with default settings", setup: setup{role: "triage"}, body: "/wizard-ci all",
			wantReply: []string{"Nothing ran", "needs `write` access", "has `triage`"}},
		{name: "permission API 404", setup: setup{role: "write", permFail: 404}, body: "/wizard-ci all",
			wantReply: []string{"Nothing ran", "could not confirm", "GitHub answered 404"}},
		{name: "permission API 500", setup: setup{role: "write", permFail: 500}, body: "/wizard-ci all",
			wantReply: []string{"Nothing ran", "could not confirm", "GitHub answered 500"}},
		{name: "bot author", setup: setup{role: "admin"}, userType: "Bot", body: "/wizard-ci all"},
		{name: "edited event", setup: setup{role: "admin"}, action: "edited", body: "/wizard-ci all"},
		{name: "quoted command", setup: setup{role: "admin"}, body: "> /wizard-ci all\n\nThis failed yesterday."},
		{name: "fenced command", setup: setup{role: "admin"}, body: "Try:\n\n```\n/wizard-ci all\n```"},
		{name: "inline code command", setup: setup{role: "admin"}, body: "Type `/wizard-ci all` to run."},
		{name: "prefix without space", setup: setup{role: "admin"}, body: "/wizard-cifoo all"},
		{name: "closed PR", setup: setup{role: "admin", closed: true}, body: "/wizard-ci all",
			wantReply: []string{"Nothing ran", "is closed"}},
		{name: "fork PR with default inputs", setup: setup{role: "admin", forkRepo: "someone/fork"}, body: "/wizard-ci all",
			wantReply: []string{"Nothing ran", "fork", "allow-forks: true"}},
		{name: "ref with ..", setup: setup{role: "admin"}, body: "/wizard-ci basic-integration wizard:feature/../main",
			wantReply: []string{"Nothing ran", ".."}},
		{name: "ref with leading -", setup: setup{role: "admin"}, body: "/wizard-ci basic-integration wizard:--upload-pack=x",
			wantReply: []string{"Nothing ran", "wizard:"}},
		{name: "maintain runs", setup: setup{role: "maintain"}, body: "/wizard-ci misc", wantRun: true},
		{name: "admin runs", setup: setup{role: "admin"}, body: "/wizard-ci misc", wantRun: true},
		{name: "read runs when min-permission is read", setup: setup{role: "read", minPerm: "read"}, body: "/wizard-ci misc", wantRun: true},
		{name: "triage refused by maintain minimum", setup: setup{role: "write", minPerm: "maintain"}, body: "/wizard-ci misc",
			wantReply: []string{"needs `maintain` access", "has `write`"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			trace := e.useTestWizard("phx_gateTestKey0123456789")
			pr := fakegh.PullRequest{Number: 21, HeadRepo: tc.setup.forkRepo}
			if tc.setup.closed {
				pr.State = "closed"
			}
			e.rs.AddPull(pr)
			if tc.setup.role != "" {
				e.rs.SetRole("contributor-1", tc.setup.role)
			}
			if tc.setup.permFail != 0 {
				e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
					if strings.HasSuffix(r.URL.Path, "/permission") {
						fakegh.Error(w, tc.setup.permFail, http.StatusText(tc.setup.permFail))
						return true
					}
					return false
				})
			}
			e.env["INPUT_MIN-PERMISSION"] = tc.setup.minPerm
			action, userType := cmpOr(tc.action, "created"), cmpOr(tc.userType, "User")
			login := "contributor-1"
			if userType == "Bot" {
				login = "some-app[bot]"
			}
			e.commentEvent(action, 21, login, userType, tc.body)
			e.run()
			if e.code != 0 {
				t.Fatalf("exit %d\nstderr:\n%s", e.code, e.stderr)
			}
			starts := wizardStarts(t, trace)
			if tc.wantRun {
				if starts == 0 {
					t.Fatalf("no wizard started\nstderr:\n%s", e.stderr)
				}
				return
			}
			if starts != 0 {
				t.Fatalf("%d wizard processes started; want none", starts)
			}
			bots := e.botComments(21)
			if tc.wantReply == nil {
				if len(bots) != 0 || len(e.reactions()) != 0 {
					t.Errorf("want silence, got %d comments and reactions %v", len(bots), e.reactions())
				}
				return
			}
			if len(bots) != 1 {
				t.Fatalf("%d bot comments, want one reply", len(bots))
			}
			for _, w := range tc.wantReply {
				if !strings.Contains(bots[0].Body, w) {
					t.Errorf("reply lacks %q:\n%s", w, bots[0].Body)
				}
			}
			if slash.Parse(bots[0].Body).Kind != slash.Ignore {
				t.Error("the reply parses as a command")
			}
			if got := e.reactions(); !slices.Equal(got, []string{"confused"}) {
				t.Errorf("reactions = %v, want [confused]", got)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestCRLFCommandRunsExactApps: a CRLF comment runs exactly its apps.
func TestCRLFCommandRunsExactApps(t *testing.T) {
	e := newE2E(t)
	trace := e.useTestWizard("phx_crlfTestKey0123456789")
	e.rs.AddPull(fakegh.PullRequest{Number: 22})
	e.rs.SetRole("contributor-1", "write")
	e.commentEvent("created", 22, "contributor-1", "User", "/wizard-ci basic-integration/next-js\r\n\r\nthanks")
	e.run()
	if e.code != 0 {
		t.Fatalf("exit %d\n%s", e.code, e.stderr)
	}
	var got []string
	for _, a := range e.results().Apps {
		got = append(got, a.App)
	}
	want := []string{"basic-integration/next-js/app-router-todo", "basic-integration/next-js/pages-router-blog"}
	if !slices.Equal(got, want) {
		t.Errorf("apps = %v, want %v", got, want)
	}
	if n := wizardStarts(t, trace); n != 2 {
		t.Errorf("%d wizard starts, want 2", n)
	}
}

// TestNoSecretLeaks plants secrets of every shape in the wizard's output:
// none appears in any byte the action writes, its own stdout and stderr
// (the Actions log) included.
func TestNoSecretLeaks(t *testing.T) {
	e := newE2E(t)
	key := "phx_configuredKeyValue0123456789"
	e.useTestWizard(key)
	planted := []string{
		key,
		e2eToken,
		"phx_personalKey0123456789abcdef",
		"phc_projectToken0123456789abcdef",
		"ghp_classicToken0123456789abcdefABCDEF",
		"gho_oauthToken0123456789abcdefABCDEF",
		"ghs_serverToken0123456789abcdefABCDEF",
		"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123",
		"sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
		"AKIAIOSFODNN7EXAMPLE",
	}
	e.env["WIZARD_CI_TEST_PRINT"] = "leaking: " + strings.Join(planted, " ") + "\nAPI Error: 401 invalid key " + key
	e.env["WIZARD_CI_SIMULATE"] = "*=auth"
	e.rs.AddPull(fakegh.PullRequest{Number: 23})
	e.rs.SetRole("contributor-1", "write")
	e.commentEvent("created", 23, "contributor-1", "User", "/wizard-ci basic-integration/flask misc")
	e.run()
	if e.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", e.code, e.stderr)
	}
	var written []string
	var names []string
	add := func(name, s string) { names = append(names, name); written = append(written, s) }
	for _, c := range e.rs.Comments(23) {
		if c.AuthorType == "Bot" {
			add("comment", c.Body)
		}
	}
	for _, r := range e.srv.Log() {
		add("request "+r.Method+" "+r.Path, r.Body)
	}
	// The action's own stdout and stderr are the Actions log. An
	// ::add-mask:: command names its secret by necessity; the runner takes
	// it out of the log and masks the value from then on.
	add("stdout", withoutMaskCommands(e.stdout))
	add("stderr", withoutMaskCommands(e.stderr))
	for _, f := range []string{e.env["GITHUB_STEP_SUMMARY"], e.env["GITHUB_OUTPUT"]} {
		b, _ := os.ReadFile(f)
		add(f, string(b))
	}
	err := filepath.WalkDir(e.outDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		add(p, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) < 8 {
		t.Fatalf("only %d things written: %v", len(written), names)
	}
	sawLog := false
	for i, s := range written {
		if strings.HasSuffix(names[i], ".log") && strings.Contains(s, "leaking:") {
			sawLog = true
		}
		for _, p := range planted {
			if strings.Contains(s, p) {
				t.Errorf("%s contains the secret %s…", names[i], p[:6])
			}
		}
	}
	if !sawLog {
		t.Error("no log holds the wizard's (masked) output; the test proves nothing")
	}
}

// withoutMaskCommands drops the ::add-mask:: workflow commands from a
// step's output, as the runner does before it shows the log.
func withoutMaskCommands(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSuffix(l, "\r"), "::add-mask::") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestHeadMovedDuringRun: the comment shows the accepted SHA and a warning
// with both SHAs.
func TestHeadMovedDuringRun(t *testing.T) {
	e := newE2E(t)
	pr := e.rs.AddPull(fakegh.PullRequest{Number: 24})
	e.rs.SetRole("contributor-1", "write")
	moved := "0123456789abcdef0123456789abcdef01234567"
	var once sync.Once
	e.rs.Intercept(func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		// The first comment created is the pending results comment: the run
		// has been accepted, so move the head now.
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/comments") {
			once.Do(func() {
				p := pr
				p.HeadSHA = moved
				e.rs.SetPull(p) // interceptors run without the state's lock
			})
		}
		return false
	})
	e.commentEvent("created", 24, "contributor-1", "User", "/wizard-ci misc")
	e.run()
	if e.code != 0 {
		t.Fatalf("exit %d\n%s", e.code, e.stderr)
	}
	final := e.botComments(24)[0].Body
	warning := regexp.MustCompile("(?m)^> \\[!WARNING\\]\n> The PR head moved while this ran: these results are for `" +
		pr.HeadSHA[:7] + "[0-9a-f]*`, the PR head is now `" + moved[:7] + "[0-9a-f]*`\\.$")
	if !warning.MatchString(final) {
		t.Errorf("final comment lacks the warning naming the accepted SHA %s and the new head %s:\n%s", pr.HeadSHA[:7], moved[:7], final)
	}
	r := e.results()
	if r.Run.HeadSHA != pr.HeadSHA || r.Run.HeadMoved != moved {
		t.Errorf("run head = %s moved = %s", r.Run.HeadSHA, r.Run.HeadMoved)
	}
}

// TestNoWorkflowCommandsFromUntrustedText: a wizard's words (its failure
// reason) and a comment's tokens reach the action's stdout and stderr, which
// the runner reads for workflow commands ("::name::" at a line start,
// "##[name]" anywhere). None of them may be one; only wizard-ci's own
// commands are.
func TestNoWorkflowCommandsFromUntrustedText(t *testing.T) {
	own := regexp.MustCompile(`^::(add-mask|warning|error|notice|debug|group|endgroup)::`)
	check := func(t *testing.T, e *e2e) {
		t.Helper()
		for name, s := range map[string]string{"stdout": e.stdout, "stderr": e.stderr} {
			for _, l := range strings.Split(s, "\n") {
				if strings.Contains(l, "##[") {
					t.Errorf("%s line %q holds a legacy workflow command", name, l)
				}
				if c := strings.TrimLeft(l, " \t"); strings.HasPrefix(c, "::") && (name == "stderr" || !own.MatchString(c) || strings.Contains(c, "zz")) {
					t.Errorf("%s line %q is a workflow command wizard-ci did not mean", name, l)
				}
			}
		}
	}
	t.Run("wizard output", func(t *testing.T) {
		e := newE2E(t)
		e.useTestWizard("phx_inertTestKey0123456789")
		// The simulator's crash prints no phw-error line of its own, so the
		// planted one (decisive: auth) gives the reason.
		e.env["WIZARD_CI_SIMULATE"] = "*=crashed"
		e.env["WIZARD_CI_TEST_PRINT"] = "::stop-commands::zzC\n##[add-mask]zzD\n" +
			`phw-error: {"code":"PHW_AUTH_INVALID_KEY","message":"::error::zzA ##[error]zzB"}`
		e.rs.AddPull(fakegh.PullRequest{Number: 41})
		e.rs.SetRole("contributor-1", "write")
		e.commentEvent("created", 41, "contributor-1", "User", "/wizard-ci misc")
		e.run()
		if r := e.results(); len(r.Apps) != 1 || r.Apps[0].Outcome != outcome.Auth {
			t.Fatalf("results: %+v\nstderr:\n%s", r.Apps, e.stderr)
		}
		if !strings.Contains(e.stderr, "## [error]zzB") {
			t.Errorf("stderr does not show the wizard's reason, made inert:\n%s", e.stderr)
		}
		check(t, e)
	})
	t.Run("comment tokens", func(t *testing.T) {
		e := newE2E(t)
		e.rs.AddPull(fakegh.PullRequest{Number: 42})
		e.rs.SetRole("contributor-1", "write")
		e.commentEvent("created", 42, "contributor-1", "User", "/wizard-ci ##[stop-commands]zzE basic-integration/##[add-mask]zzF")
		e.run()
		if e.wizardStarted() {
			t.Fatal("a wizard started for an invalid command")
		}
		check(t, e)
	})
}
