// Package fakegh is an httptest GitHub for tests, checked against GitHub's
// OpenAPI description: every request must be a documented operation with a
// well-formed body, and every answer a documented status with valid JSON.
//
// Tests register the routes they expect with Handle (or install the
// stateful RepoState), make their calls, and assert on Log. A request with no
// route gets 501 and fails the test; a route never called fails it too
// (HandleOptional routes excepted). A FaultInjector makes a RepoState fail
// deterministically: 502s, answers lost after the change was made, GitHub's
// rate-limit answers, requests that hang.
package fakegh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Prefix is the path under which the fake serves, as GitHub Enterprise
// Server does. A client that builds absolute paths misses it and fails.
const Prefix = "/api/v3"

// HandlerFunc answers one request. body is the request body, already read.
// Path wildcards are available through r.PathValue.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, body []byte)

// Request is one request the server received.
type Request struct {
	Method string
	Path   string // without Prefix, escaped as sent, e.g. "/repos/o/r/issues/1/comments"
	Query  string // raw query, e.g. "page=2&per_page=100"
	Body   string
	Status int // the status the fake answered with
	Time   time.Time
}

// Server is a fake GitHub REST API. Create it with New.
type Server struct {
	t      testing.TB
	srv    *httptest.Server
	spec   *apiSpec
	now    func() time.Time
	strict bool

	mu       sync.Mutex
	routes   map[string]*route // by "METHOD /pattern"
	order    []*route
	log      []Request
	verified bool
}

type route struct {
	method, pattern string
	segs            []patSeg
	optional        bool
	h               HandlerFunc
	hits            int
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock used for Request.Time and rate-limit headers.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// StrictResponses also checks each JSON answer against the top level of the
// documented response schema: required properties present, top-level
// property types and enums as documented. RepoState's answers pass; ad-hoc
// handlers that write a few fields do not, so it is off by default.
func StrictResponses() Option { return func(s *Server) { s.strict = true } }

// New starts a fake GitHub serving under Prefix. It is closed, and Verify
// runs, when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	spec, err := loadSpec()
	if err != nil {
		t.Fatalf("fakegh: %v", err)
	}
	s := &Server{t: t, spec: spec, now: time.Now, routes: map[string]*route{}}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.srv.Close()
		s.Verify(t)
	})
	return s
}

// URL is the API base URL, like GITHUB_API_URL on GitHub Enterprise:
// "http://127.0.0.1:PORT/api/v3" (no trailing slash).
func (s *Server) URL() string { return s.srv.URL + Prefix }

// Client is an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Handle registers a required route: method and a path pattern without
// Prefix in Go 1.22 ServeMux syntax, e.g.
// Handle("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", h); r.PathValue
// reads the wildcards, "{name...}" takes the rest of the path. As in
// ServeMux, the most specific pattern wins (a literal segment beats a
// wildcard), but overlapping patterns do not conflict, since GitHub has
// such pairs (issues/{issue_number}/comments and issues/comments/{comment_id}).
// The route must be documented by GitHub. Registering the same method and
// pattern again replaces the handler and makes the route required, so a test
// can override one route of an installed RepoState (whose patterns use
// GitHub's wildcard names; see RepoState.Install).
func (s *Server) Handle(method, pattern string, h HandlerFunc) {
	s.t.Helper()
	s.handle(method, pattern, h, false)
}

// HandleOptional registers a route that Verify does not require to be used.
func (s *Server) HandleOptional(method, pattern string, h HandlerFunc) {
	s.t.Helper()
	s.handle(method, pattern, h, true)
}

func (s *Server) handle(method, pattern string, h HandlerFunc, optional bool) {
	s.t.Helper()
	method = strings.ToUpper(method)
	segs, err := parsePattern(pattern)
	if err != nil {
		s.t.Errorf("fakegh: %v", err)
		return
	}
	if s.spec.find(method, samplePath(segs)) == nil {
		s.t.Errorf("fakegh: route %s %s is not in GitHub's OpenAPI description", method, pattern)
	}
	key := method + " " + pattern
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt, ok := s.routes[key]; ok {
		// The new handler must be used itself to count as used.
		rt.h, rt.optional, rt.hits = h, optional, 0
		return
	}
	rt := &route{method: method, pattern: pattern, segs: segs, optional: optional, h: h}
	s.routes[key] = rt
	s.order = append(s.order, rt)
}

// patSeg is one segment of a route pattern.
type patSeg struct {
	lit  string // literal, when name is ""
	name string // wildcard name
	rest bool   // {name...}: the rest of the path
}

func parsePattern(pattern string) ([]patSeg, error) {
	if !strings.HasPrefix(pattern, "/") {
		return nil, fmt.Errorf("pattern %q must start with /", pattern)
	}
	parts := strings.Split(pattern[1:], "/")
	segs := make([]patSeg, 0, len(parts))
	for i, p := range parts {
		switch {
		case p == "{$}":
			if i != len(parts)-1 {
				return nil, fmt.Errorf("pattern %q: {$} must come last", pattern)
			}
			segs = append(segs, patSeg{})
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}"):
			if i != len(parts)-1 {
				return nil, fmt.Errorf("pattern %q: %s must come last", pattern, p)
			}
			segs = append(segs, patSeg{name: p[1 : len(p)-4], rest: true})
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			segs = append(segs, patSeg{name: p[1 : len(p)-1]})
		case strings.ContainsAny(p, "{}"):
			return nil, fmt.Errorf("pattern %q: a wildcard must be a whole segment", pattern)
		default:
			segs = append(segs, patSeg{lit: p})
		}
	}
	return segs, nil
}

// samplePath fills each wildcard with a sample value, to look a pattern up
// in the OpenAPI description.
func samplePath(segs []patSeg) string {
	var b strings.Builder
	for _, sg := range segs {
		b.WriteByte('/')
		switch {
		case sg.rest:
			b.WriteString("x/y")
		case sg.name != "":
			b.WriteString("1")
		default:
			b.WriteString(sg.lit)
		}
	}
	return b.String()
}

// matchPath matches the unescaped segments of a path; it returns the
// wildcard values, or ok == false.
func matchPath(segs []patSeg, parts []string) (vals map[string]string, ok bool) {
	vals = map[string]string{}
	for i, sg := range segs {
		if sg.rest {
			if i >= len(parts) {
				return nil, false
			}
			vals[sg.name] = strings.Join(parts[i:], "/")
			return vals, true
		}
		if i >= len(parts) {
			return nil, false
		}
		if sg.name != "" {
			if parts[i] == "" {
				return nil, false
			}
			vals[sg.name] = parts[i]
			continue
		}
		if parts[i] != sg.lit {
			return nil, false
		}
	}
	return vals, len(parts) == len(segs)
}

// moreSpecific reports whether a should win over b when both match: at the
// first segment where they differ, a literal beats a wildcard, which beats
// a rest wildcard.
func moreSpecific(a, b []patSeg) bool {
	kind := func(s patSeg) int {
		switch {
		case s.rest:
			return 0
		case s.name != "":
			return 1
		}
		return 2
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if ka, kb := kind(a[i]), kind(b[i]); ka != kb {
			return ka > kb
		}
	}
	return len(a) > len(b)
}

// dispatch finds the best route for the request and runs it.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, rest string, body []byte) {
	raw := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	parts := make([]string, len(raw))
	for i, p := range raw {
		u, err := url.PathUnescape(p)
		if err != nil {
			u = p
		}
		parts[i] = u
	}
	s.mu.Lock()
	var best *route
	var bestVals map[string]string
	for _, rt := range s.order {
		if rt.method != r.Method && !(rt.method == http.MethodGet && r.Method == http.MethodHead) {
			continue
		}
		vals, ok := matchPath(rt.segs, parts)
		if ok && (best == nil || moreSpecific(rt.segs, best.segs)) {
			best, bestVals = rt, vals
		}
	}
	var h HandlerFunc
	if best != nil {
		best.hits++
		h = best.h
	}
	s.mu.Unlock()
	if h == nil {
		s.t.Errorf("fakegh: no route for %s %s (register one with Handle)", r.Method, rest)
		Error(w, http.StatusNotImplemented, "fakegh: no route for "+r.Method+" "+rest)
		return
	}
	for k, v := range bestVals {
		r.SetPathValue(k, v)
	}
	h(w, r, body)
}

// Log returns a copy of every request received so far, in order.
func (s *Server) Log() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Count returns how many logged requests have this method and a path
// matching the pattern (same syntax as Handle).
func (s *Server) Count(method, pattern string) int {
	segs, err := parsePattern(pattern)
	if err != nil {
		s.t.Errorf("fakegh: %v", err)
		return 0
	}
	n := 0
	for _, r := range s.Log() {
		if r.Method != strings.ToUpper(method) {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(r.Path, "/"), "/")
		for i, p := range parts {
			if u, err := url.PathUnescape(p); err == nil {
				parts[i] = u
			}
		}
		if _, ok := matchPath(segs, parts); ok {
			n++
		}
	}
	return n
}

// Verify fails t for every required route that was never called. It runs
// by itself when the test ends; calling it earlier is fine (it reports once).
func (s *Server) Verify(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.verified {
		return
	}
	s.verified = true
	for _, rt := range s.order {
		if !rt.optional && rt.hits == 0 {
			t.Errorf("fakegh: route %s %s was registered but never called", rt.method, rt.pattern)
		}
	}
}

// maxBody bounds what the fake reads of a request; GitHub's own limit on a
// comment is far below it.
const maxBody = 8 << 20

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		s.t.Errorf("fakegh: read body of %s %s: %v", r.Method, r.URL, err)
	}
	esc := r.URL.EscapedPath()
	rest, ok := strings.CutPrefix(esc, Prefix)
	ok = ok && strings.HasPrefix(rest, "/")
	if !ok {
		rest = esc
	}
	// Log the request before answering and its status as it is written, so
	// a client that has its answer always finds both in Log.
	s.mu.Lock()
	idx := len(s.log)
	s.log = append(s.log, Request{Method: r.Method, Path: rest, Query: r.URL.RawQuery, Body: string(body), Time: s.now()})
	s.mu.Unlock()
	rec := &recorder{ResponseWriter: w, onStatus: func(code int) {
		s.mu.Lock()
		s.log[idx].Status = code
		s.mu.Unlock()
	}}
	defer rec.code() // a handler that wrote nothing answered 200

	if !ok {
		s.t.Errorf("fakegh: %s %s is outside %s/: the client ignored the API base URL", r.Method, esc, Prefix)
		Error(rec, http.StatusNotFound, "Not Found")
		return
	}
	what := r.Method + " " + rest

	op := s.spec.find(r.Method, rest)
	if op == nil {
		s.t.Errorf("fakegh: %s is not in GitHub's OpenAPI description", what)
	} else {
		s.checkRequest(what, op, r, body)
	}

	s.setHeaders(rec.Header())
	// Handlers see the path without Prefix, as their patterns are written.
	u := *r.URL
	u.Path = strings.TrimPrefix(u.Path, Prefix)
	if u.RawPath != "" {
		u.RawPath = rest
	}
	r.URL = &u
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.dispatch(rec, r, rest, body)

	if op != nil && rec.code() != http.StatusNotImplemented {
		s.checkResponse(what, op, rec)
	}
}

func (s *Server) setHeaders(h http.Header) {
	s.mu.Lock()
	n := len(s.log)
	s.mu.Unlock()
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("0680:9D%06X", n))
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(1, 5000-n)))
	h.Set("X-RateLimit-Used", strconv.Itoa(n))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

func (s *Server) checkRequest(what string, op *operation, r *http.Request, body []byte) {
	d := s.spec.details(op)
	if d.err != nil {
		s.t.Errorf("fakegh: %s: %v", what, d.err)
		return
	}
	switch r.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut:
	default:
		if len(body) > 0 && !d.hasBody {
			s.t.Errorf("fakegh: %s sends a body, but GitHub documents none for %s %s", what, op.Method, op.Template)
		}
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if d.hasBody && d.bodyRequired {
			s.t.Errorf("fakegh: %s has no body, but %s %s requires a JSON body", what, op.Method, op.Template)
		}
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		s.t.Errorf("fakegh: %s: body is not valid JSON: %v\n%s", what, err, clip(body))
		return
	}
	if !d.hasBody {
		s.t.Errorf("fakegh: %s sends a body, but GitHub documents none for %s %s", what, op.Method, op.Template)
		return
	}
	if d.body != nil {
		for _, p := range d.body.check(v) {
			s.t.Errorf("fakegh: %s: request body does not match %s %s: %s\n%s", what, op.Method, op.Template, p, clip(body))
		}
	}
}

// alwaysPossible are statuses GitHub may answer on any operation, documented
// or not: rate limits, bad credentials, a repository or resource that is
// gone (or hidden from the token), server errors.
func alwaysPossible(code int) bool {
	switch code {
	case http.StatusNotModified, http.StatusUnauthorized, http.StatusForbidden,
		http.StatusNotFound, http.StatusTooManyRequests:
		return true
	}
	return code >= 500
}

func (s *Server) checkResponse(what string, op *operation, rec *recorder) {
	d := s.spec.details(op)
	if d.err != nil {
		return // reported with the request
	}
	code := rec.code()
	shape, documented := d.responses[code]
	if !documented && !d.defaultResp && !alwaysPossible(code) {
		codes := make([]int, 0, len(d.responses))
		for c := range d.responses {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		s.t.Errorf("fakegh: %s answered %d, which GitHub does not document for %s %s (documented: %v)", what, code, op.Method, op.Template, codes)
	}
	b := rec.buf.Bytes()
	if len(bytes.TrimSpace(b)) == 0 {
		return
	}
	if ct := rec.Header().Get("Content-Type"); ct != "" && !strings.Contains(ct, "json") {
		return
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		s.t.Errorf("fakegh: %s: response is not valid JSON: %v\n%s", what, err, clip(b))
		return
	}
	if s.strict && documented && shape != nil && !rec.truncated {
		for _, p := range shape.check(v) {
			s.t.Errorf("fakegh: %s: %d response does not match %s %s: %s", what, code, op.Method, op.Template, p)
		}
	}
}

func clip(b []byte) string {
	const n = 500
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// recorder passes a response through and keeps a copy for the checks.
type recorder struct {
	http.ResponseWriter
	onStatus  func(int)
	status    int
	buf       bytes.Buffer
	truncated bool
}

func (r *recorder) WriteHeader(code int) {
	if r.status != 0 {
		return
	}
	r.status = code
	r.onStatus(code)
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	if r.buf.Len()+len(b) <= maxBody {
		r.buf.Write(b)
	} else {
		r.truncated = true
	}
	return r.ResponseWriter.Write(b)
}

// code returns the status, recording 200 if nothing was written yet.
func (r *recorder) code() int {
	if r.status == 0 {
		r.status = http.StatusOK
		r.onStatus(r.status)
	}
	return r.status
}

// JSON writes v as a JSON response with the given status. A []byte or
// json.RawMessage is written as is (e.g. a Fixture).
func JSON(w http.ResponseWriter, status int, v any) {
	var b []byte
	switch x := v.(type) {
	case json.RawMessage:
		b = x
	case []byte:
		b = x
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			status = http.StatusInternalServerError
			b, _ = json.Marshal(map[string]string{"message": "fakegh: encode response: " + err.Error()})
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Error writes a GitHub error body, e.g. Error(w, 404, "Not Found").
func Error(w http.ResponseWriter, status int, message string) {
	JSON(w, status, map[string]string{"message": message, "documentation_url": "https://docs.github.com/rest"})
}

// Fixture returns fixtures/github/responses/<name>.json, e.g.
// s.Fixture("issues/create-comment"). A missing file fails the test and
// returns nil; it is safe to call from a handler.
func (s *Server) Fixture(name string) []byte {
	b, err := ReadFixture(name)
	if err != nil {
		s.t.Errorf("fakegh: %v", err)
	}
	return b
}

// ReadFixture returns fixtures/github/responses/<name>.json.
func ReadFixture(name string) ([]byte, error) {
	dir, err := findFixtures()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, "github", "responses", filepath.FromSlash(name)+".json"))
}

var (
	fixturesOnce sync.Once
	fixturesDir  string
	fixturesErr  error
)

// FixturesDir returns the shared fixtures folder: "../shared/fixtures" next
// to the repository root (the nearest folder above the working directory
// holding go.mod). It panics when there is none, which fails the test.
func FixturesDir() string {
	dir, err := findFixtures()
	if err != nil {
		panic(err)
	}
	return dir
}

func findFixtures() (string, error) {
	fixturesOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			fixturesErr = err
			return
		}
		for dir := wd; ; {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				fixturesDir = filepath.Join(dir, "..", "shared", "fixtures")
				if _, err := os.Stat(fixturesDir); err != nil {
					fixturesErr = fmt.Errorf("shared fixtures next to %s: %w", dir, err)
				}
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				fixturesErr = errors.New("no go.mod above " + wd + ": cannot find the shared fixtures")
				return
			}
			dir = parent
		}
	})
	return fixturesDir, fixturesErr
}
