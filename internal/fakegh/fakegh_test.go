package fakegh

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tbRecorder is a testing.TB that keeps the errors the fake reports instead of
// failing the test, so the checks themselves can be tested.
type tbRecorder struct {
	testing.TB
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func newRecorder(t *testing.T) *tbRecorder {
	r := &tbRecorder{TB: t}
	t.Cleanup(r.finish)
	return r
}

func (r *tbRecorder) Helper() {}

func (r *tbRecorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *tbRecorder) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

func (r *tbRecorder) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

// finish runs the cleanups (closing the server, Verify) once.
func (r *tbRecorder) finish() {
	r.mu.Lock()
	fs := r.cleanups
	r.cleanups = nil
	r.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// take returns and clears the recorded errors.
func (r *tbRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.errs
	r.errs = nil
	return e
}

// expect checks that the recorded errors match the regexps, in order.
func (r *tbRecorder) expect(t *testing.T, want ...string) {
	t.Helper()
	got := r.take()
	if len(got) != len(want) {
		t.Errorf("got %d errors, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		return
	}
	for i, w := range want {
		if !regexp.MustCompile(w).MatchString(got[i]) {
			t.Errorf("error %d = %q, want match for %q", i, got[i], w)
		}
	}
}

// testClient keeps no idle connections: every httptest.Server.Close closes
// http.DefaultTransport's idle ones, which broke a DELETE another parallel
// test was sending on one ("CloseIdleConnections called").
var testClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

func do(t *testing.T, method, url, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestSpecLoadTime(t *testing.T) {
	t.Parallel()
	start := time.Now()
	s, err := parseSpecFile(filepath.Join(FixturesDir(), openAPIFile))
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ops := range s.ops {
		n += len(ops)
	}
	t.Logf("parsed %d operations in %v", n, elapsed)
	if n != 1223 {
		t.Errorf("%d operations, want 1223 (the description changed?)", n)
	}
	// Measured: ~65 ms, ~160 ms with -race. The margin is for busy machines.
	if elapsed > 3*time.Second {
		t.Errorf("loading the OpenAPI description took %v; keep it under a second", elapsed)
	}
}

var allOps = flag.Bool("fakegh.all", false, "decode the details of every OpenAPI operation (slow under -race)")

// Every documented operation can be found from a sample path, and its
// details decode (every tenth one, or all with -fakegh.all).
func TestSpecEveryOperation(t *testing.T) {
	t.Parallel()
	s, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	for m, ops := range s.ops {
		for i, op := range ops {
			path := param.ReplaceAllString(op.Template, "x1")
			if got := s.find(m, path); got == nil {
				t.Errorf("find(%s, %s) = nil for %s", m, path, op.Template)
			}
			if i%10 != 0 && !*allOps {
				continue
			}
			if d := s.details(op); d.err != nil {
				t.Errorf("%s %s: %v", m, op.Template, d.err)
			}
		}
	}
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/repos/o/r/issues/comments", "/repos/{owner}/{repo}/issues/comments"},
		{"GET", "/repos/o/r/issues/12", "/repos/{owner}/{repo}/issues/{issue_number}"},
		{"HEAD", "/repos/o/r/issues/12", "/repos/{owner}/{repo}/issues/{issue_number}"},
		{"GET", "/repos/o/r/contents/a/b/c.txt", "/repos/{owner}/{repo}/contents/{path}"},
		{"GET", "/repos/o/r/compare/main...feature", "/repos/{owner}/{repo}/compare/{base}...{head}"},
		{"GET", "/repos/o/r/issues/1/comments/2", ""},
		{"PUT", "/repos/o/r/issues/comments/1", ""},
		{"GET", "/repos/o/r/", ""},
	} {
		op := s.find(tc.method, tc.path)
		got := ""
		if op != nil {
			got = op.Template
		}
		if got != tc.want {
			t.Errorf("find(%s, %s) = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestUndocumented(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	s := New(rec)
	s.Handle("GET", "/repos/{owner}/{repo}/wizard", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		JSON(w, 200, map[string]string{})
	})
	rec.expect(t, `route GET /repos/\{owner\}/\{repo\}/wizard is not in GitHub's OpenAPI description`)
	resp, _ := do(t, "GET", s.URL()+"/repos/o/r/wizard", "")
	if resp.StatusCode != 200 {
		t.Errorf("status %d, want the handler's 200", resp.StatusCode)
	}
	rec.expect(t, `GET /repos/o/r/wizard is not in GitHub's OpenAPI description`)

	resp, _ = do(t, "DELETE", s.URL()+"/repos/o/r/pulls/1", "")
	if resp.StatusCode != 501 {
		t.Errorf("status %d, want 501", resp.StatusCode)
	}
	rec.expect(t, `DELETE /repos/o/r/pulls/1 is not in GitHub's OpenAPI description`, `no route for DELETE /repos/o/r/pulls/1`)
}

func TestOutsidePrefix(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	s := New(rec)
	base := strings.TrimSuffix(s.URL(), Prefix)
	resp, _ := do(t, "GET", base+"/repos/o/r/pulls/1", "")
	if resp.StatusCode != 404 {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
	rec.expect(t, `GET /repos/o/r/pulls/1 is outside /api/v3/`)
	do(t, "GET", base+"/api/v3x/repos/o/r/pulls/1", "")
	rec.expect(t, `outside /api/v3/`)
}

func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	s := New(rec)
	s.HandleOptional("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		JSON(w, 200, map[string]any{})
	})
	resp, body := do(t, "GET", s.URL()+"/repos/o/r/issues/1", "")
	if resp.StatusCode != 501 || !strings.Contains(body, "no route") {
		t.Errorf("status %d %s, want 501", resp.StatusCode, body)
	}
	rec.expect(t, `no route for GET /repos/o/r/issues/1`)
	do(t, "PATCH", s.URL()+"/repos/o/r/pulls/1", `{}`)
	rec.expect(t, `no route for PATCH /repos/o/r/pulls/1`)
}

func TestVerify(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	s := New(rec)
	h := func(w http.ResponseWriter, _ *http.Request, _ []byte) { JSON(w, 200, map[string]any{}) }
	s.Handle("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", h)
	s.Handle("GET", "/repos/{owner}/{repo}/issues/{issue_number}", h)
	s.HandleOptional("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", h)
	do(t, "GET", s.URL()+"/repos/o/r/pulls/1", "")
	rec.finish()
	rec.expect(t, `route GET /repos/\{owner\}/\{repo\}/issues/\{issue_number\} was registered but never called`)
	s.Verify(rec) // reports once
	rec.expect(t)
}

func TestRouting(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	s := New(rec)
	var mu sync.Mutex
	var got []string
	note := func(name string) HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request, body []byte) {
			mu.Lock()
			got = append(got, fmt.Sprintf("%s %s %s %s %q", name, r.URL.Path, r.PathValue("issue_number"), r.PathValue("comment_id"), body))
			mu.Unlock()
			JSON(w, 200, []any{})
		}
	}
	// These two overlap on issues/comments/comments; ServeMux would panic.
	s.Handle("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", note("list"))
	s.Handle("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", note("old"))
	s.Handle("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", note("one")) // replaces
	s.Handle("GET", "/repos/{owner}/{repo}/contents/{path...}", func(w http.ResponseWriter, r *http.Request, _ []byte) {
		mu.Lock()
		got = append(got, "contents "+r.PathValue("path"))
		mu.Unlock()
		JSON(w, 200, []any{})
	})
	do(t, "GET", s.URL()+"/repos/o/r/issues/7/comments", "")
	do(t, "GET", s.URL()+"/repos/o/r/issues/comments/9", "")
	do(t, "HEAD", s.URL()+"/repos/o/r/issues/comments/10", "")
	do(t, "GET", s.URL()+"/repos/o/r/contents/a/b%20c.txt", "")
	want := []string{
		`list /repos/o/r/issues/7/comments 7  ""`,
		`one /repos/o/r/issues/comments/9  9 ""`,
		`one /repos/o/r/issues/comments/10  10 ""`,
		`contents a/b c.txt`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("routing (-want +got):\n%s", d)
	}
	rec.expect(t)
	if n := s.Count("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}"); n != 1 {
		t.Errorf("Count = %d, want 1 (HEAD is not GET)", n)
	}
	log := s.Log()
	if len(log) != 4 || log[3].Path != "/repos/o/r/contents/a/b%20c.txt" || log[0].Status != 200 {
		t.Errorf("Log = %+v", log)
	}
}

func TestRequestChecks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, path, body string
		want                     []string
	}{
		{"valid comment", "POST", "/repos/o/r/issues/1/comments", `{"body":"hi"}`, nil},
		{"missing required", "POST", "/repos/o/r/issues/1/comments", `{"text":"hi"}`, []string{`missing required properties \["body"\]`}},
		{"no body", "POST", "/repos/o/r/issues/1/comments", ``, []string{`requires a JSON body`}},
		{"not JSON", "POST", "/repos/o/r/issues/1/comments", `{"body":`, []string{`body is not valid JSON`}},
		{"not an object", "POST", "/repos/o/r/issues/1/comments", `["hi"]`, []string{`want a JSON object, got an array`}},
		{"wrong type", "PATCH", "/repos/o/r/issues/comments/5", `{"body":5}`, []string{`property "body" is a number, want string`}},
		{"enum", "POST", "/repos/o/r/issues/comments/5/reactions", `{"content":"party"}`, []string{`property "content" is party, want one of`}},
		{"valid reaction", "POST", "/repos/o/r/issues/comments/5/reactions", `{"content":"eyes"}`, nil},
		{"issue title oneOf", "POST", "/repos/o/r/issues", `{"title":7,"body":"b"}`, nil},
		{"issue without title", "POST", "/repos/o/r/issues", `{"body":"b"}`, []string{`missing required properties \["title"\]`}},
		{"optional body absent", "PATCH", "/repos/o/r/issues/3", ``, nil},
		{"null, nullable", "PATCH", "/repos/o/r/issues/3", `{"body":null,"state":"closed"}`, nil},
		{"null, not nullable", "PATCH", "/repos/o/r/issues/comments/3", `{"body":null}`, []string{`property "body" is null, but it is not nullable`}},
		{"GET with body", "GET", "/repos/o/r/pulls/3", `{"x":1}`, []string{`sends a body, but GitHub documents none`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			s := New(rec)
			s.HandleOptional(tc.method, "/repos/{owner}/{repo}/{rest...}", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				w.WriteHeader(http.StatusNoContent)
			})
			rec.take() // the catch-all route is not itself documented
			do(t, tc.method, s.URL()+tc.path, tc.body)
			var got []string
			for _, e := range rec.take() {
				if !strings.Contains(e, "answered 204") {
					got = append(got, e)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("errors:\n%s\nwant %d matching %q", strings.Join(got, "\n"), len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !regexp.MustCompile(w).MatchString(got[i]) {
					t.Errorf("error %q, want match for %q", got[i], w)
				}
			}
		})
	}
}

func TestResponseChecks(t *testing.T) {
	t.Parallel()
	comment := func(s *Server) []byte { return s.Fixture("issues/get-comment") }
	for _, tc := range []struct {
		name   string
		strict bool
		status int
		body   func(s *Server) []byte
		want   []string
	}{
		{"fixture", true, 200, comment, nil},
		{"undocumented status", false, 418, comment, []string{`answered 418, which GitHub does not document .*\[200 404\]`}},
		{"server error is always possible", false, 502, func(*Server) []byte { return []byte(`{"message":"Bad Gateway"}`) }, nil},
		{"not JSON", false, 200, func(*Server) []byte { return []byte(`{"id":`) }, []string{`response is not valid JSON`}},
		{"partial, lenient", false, 200, func(*Server) []byte { return []byte(`{"id":1,"body":"x"}`) }, nil},
		{"partial, strict", true, 200, func(*Server) []byte { return []byte(`{"id":1,"body":"x"}`) }, []string{`missing required properties \["node_id" "html_url" "issue_url" "user" "url" "created_at" "updated_at"\]`}},
		{"wrong type, strict", true, 200, func(s *Server) []byte {
			var m map[string]any
			_ = json.Unmarshal(comment(s), &m)
			m["id"] = "1"
			b, _ := json.Marshal(m)
			return b
		}, []string{`property "id" is a string, want integer`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			var opts []Option
			if tc.strict {
				opts = append(opts, StrictResponses())
			}
			s := New(rec, opts...)
			s.Handle("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				JSON(w, tc.status, tc.body(s))
			})
			resp, _ := do(t, "GET", s.URL()+"/repos/o/r/issues/comments/1", "")
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if resp.Header.Get("X-RateLimit-Remaining") == "" {
				t.Error("no rate-limit headers")
			}
			rec.expect(t, tc.want...)
		})
	}
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	s := New(rec)
	if b := s.Fixture("pulls/get"); !json.Valid(b) {
		t.Errorf("pulls/get is not JSON")
	}
	if b := s.Fixture("no/such"); b != nil {
		t.Errorf("missing fixture = %d bytes", len(b))
	}
	rec.expect(t, `no such file`)
}
