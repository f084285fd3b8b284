package fakegh

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// GitHub's documented rate-limit bodies (fixtures/github/README.md,
// "Exceeding limits").
const (
	PrimaryLimitMessage = "API rate limit exceeded for xxx.xxx.xxx.xxx. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
	PrimaryLimitDocs    = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"

	SecondaryLimitMessage = "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later."
	SecondaryLimitDocs    = "https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits"
)

// PrimaryLimitError answers as GitHub does when the hourly quota is used up:
// status (403 or 429), x-ratelimit-remaining 0, x-ratelimit-reset at reset
// (epoch seconds) and GitHub's documented body.
func PrimaryLimitError(w http.ResponseWriter, status int, reset time.Time) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Used", "5000")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	JSON(w, status, map[string]string{"message": PrimaryLimitMessage, "documentation_url": PrimaryLimitDocs})
}

// SecondaryLimitError answers as GitHub does for a secondary rate limit: status
// (403 or 429), Retry-After in whole seconds when retryAfter > 0 (none
// otherwise), Connection: close and GitHub's documented body.
func SecondaryLimitError(w http.ResponseWriter, status int, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(retryAfter.Seconds())), 10))
	}
	w.Header().Set("Connection", "close")
	JSON(w, status, map[string]string{"message": SecondaryLimitMessage, "documentation_url": SecondaryLimitDocs})
}

// FaultKind is what a Fault does to a request.
type FaultKind int

// The faults a FaultInjector can inject.
const (
	// NoFault lets the request through.
	NoFault FaultKind = iota
	// BadGateway answers 502 without acting on the request.
	BadGateway
	// LostResponse acts on the request (stores the comment, applies the
	// edit), then answers 502: the answer was lost on the way back.
	LostResponse
	// SecondaryLimit answers a secondary rate limit. Until it is over
	// (RetryAfter, or a minute when there is none) every request gets the
	// same answer, as from GitHub.
	SecondaryLimit
	// PrimaryLimit answers a used-up quota that resets Reset from now;
	// every request before the reset gets the same answer.
	PrimaryLimit
	// LastOfQuota acts on the request and answers normally, but with
	// x-ratelimit-remaining 0: the request used the quota's last unit.
	// Requests before the reset (Reset from now) get a PrimaryLimit.
	LastOfQuota
	// Hang blocks until the client gives up (its request context ends),
	// then answers 504 to nobody.
	Hang
)

var faultNames = [...]string{"none", "bad-gateway", "lost-response", "secondary-limit", "primary-limit", "last-of-quota", "hang"}

func (k FaultKind) String() string {
	if k < 0 || int(k) >= len(faultNames) {
		return "fault(" + strconv.Itoa(int(k)) + ")"
	}
	return faultNames[k]
}

// Fault is one injected failure.
type Fault struct {
	Kind FaultKind
	// Status of a limit: 403 (the default) or 429.
	Status int
	// RetryAfter of a SecondaryLimit; 0 sends no Retry-After.
	RetryAfter time.Duration
	// Reset of a PrimaryLimit or LastOfQuota: how long after now the quota
	// resets (default a minute).
	Reset time.Duration
}

func (f Fault) String() string {
	s := f.Kind.String()
	if f.Status != 0 {
		s += " " + strconv.Itoa(f.Status)
	}
	if f.RetryAfter != 0 {
		s += " retry-after=" + f.RetryAfter.String()
	}
	if f.Reset != 0 {
		s += " reset=" + f.Reset.String()
	}
	return s
}

// Injection is a fault a FaultInjector injected, for assertions.
type Injection struct {
	Method, Path string
	Fault        Fault
	// Blocked is true when the answer repeats a limit still in force
	// rather than a fault drawn for this request.
	Blocked bool
}

// FaultInjector decides, request by request and deterministically, which
// fault a RepoState injects (install it with RepoState.Inject). For each
// request it uses, in order: a limit still in force; the next fault
// scripted for the request's method (Script); the next scripted for any
// method; a seeded random draw for writes (FailWrites). It is safe for
// concurrent use; with sequential requests the same seed gives the same
// faults.
type FaultInjector struct {
	mu         sync.Mutex
	rng        *rand.Rand
	now        func() time.Time
	writeRate  float64
	writeFault []Fault
	scripts    map[string][]Fault
	until      time.Time // a limit in force until then
	limit      Fault
	reset      time.Time // of a primary limit in force
	log        []Injection
}

// NewFaultInjector returns an injector that draws with seed and reads the
// time from now (the test's clock, so limit answers and the client's waits
// agree; time.Now when nil).
func NewFaultInjector(seed uint64, now func() time.Time) *FaultInjector {
	if now == nil {
		now = time.Now
	}
	return &FaultInjector{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: now, scripts: map[string][]Fault{}}
}

// FailWrites makes each write (POST, PATCH, PUT, DELETE) not otherwise
// scripted fail with probability rate, with one of faults drawn at random
// (BadGateway when none are given).
func (fi *FaultInjector) FailWrites(rate float64, faults ...Fault) *FaultInjector {
	if len(faults) == 0 {
		faults = []Fault{{Kind: BadGateway}}
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.writeRate, fi.writeFault = rate, faults
	return fi
}

// Script queues faults for the next requests with method ("" for any
// method), one per request, in order; a zero Fault lets one through.
func (fi *FaultInjector) Script(method string, faults ...Fault) *FaultInjector {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.scripts[method] = append(fi.scripts[method], faults...)
	return fi
}

// Injected returns every fault injected so far, in order.
func (fi *FaultInjector) Injected() []Injection {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return append([]Injection(nil), fi.log...)
}

// Count returns how many injected faults have kind k.
func (fi *FaultInjector) Count(k FaultKind) int {
	n := 0
	for _, in := range fi.Injected() {
		if in.Fault.Kind == k {
			n++
		}
	}
	return n
}

// decide picks the fault for r, records it and, for limits, starts their
// block; it returns the fault and the time it applies at.
func (fi *FaultInjector) decide(r *http.Request) (Fault, time.Time) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	now := fi.now()
	if now.Before(fi.until) {
		f := fi.limit
		switch f.Kind {
		case SecondaryLimit:
			if f.RetryAfter > 0 {
				f.RetryAfter = fi.until.Sub(now)
			}
		case PrimaryLimit:
			f.Reset = fi.reset.Sub(now)
		}
		fi.log = append(fi.log, Injection{Method: r.Method, Path: r.URL.Path, Fault: f, Blocked: true})
		return f, now
	}
	var f Fault
	switch {
	case len(fi.scripts[r.Method]) > 0:
		f, fi.scripts[r.Method] = fi.scripts[r.Method][0], fi.scripts[r.Method][1:]
	case len(fi.scripts[""]) > 0:
		f, fi.scripts[""] = fi.scripts[""][0], fi.scripts[""][1:]
	case isWrite(r.Method) && fi.writeRate > 0:
		// Draw both numbers every time, so one draw does not shift the next.
		p, i := fi.rng.Float64(), fi.rng.IntN(len(fi.writeFault))
		if p < fi.writeRate {
			f = fi.writeFault[i]
		}
	}
	if f.Kind == NoFault {
		return f, now
	}
	if f.Status == 0 && (f.Kind == SecondaryLimit || f.Kind == PrimaryLimit) {
		f.Status = http.StatusForbidden
	}
	if f.Reset == 0 && (f.Kind == PrimaryLimit || f.Kind == LastOfQuota) {
		f.Reset = time.Minute
	}
	switch f.Kind {
	case SecondaryLimit:
		block := f.RetryAfter
		if block <= 0 {
			block = time.Minute
		}
		fi.until, fi.limit = now.Add(block), f
	case PrimaryLimit, LastOfQuota:
		// GitHub's reset is whole epoch seconds.
		fi.reset = time.Unix(now.Add(f.Reset).Unix(), 0)
		fi.until, fi.limit = fi.reset, Fault{Kind: PrimaryLimit, Status: cmpOr(f.Status, http.StatusForbidden)}
	}
	fi.log = append(fi.log, Injection{Method: r.Method, Path: r.URL.Path, Fault: f})
	return f, now
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// serve answers r with fault f, decided at now; h acts on the request and
// writes the normal answer to the writer it is given.
func (f Fault) serve(w http.ResponseWriter, r *http.Request, now time.Time, h func(http.ResponseWriter)) {
	switch f.Kind {
	case NoFault:
		h(w)
	case BadGateway:
		Error(w, http.StatusBadGateway, "Bad Gateway")
	case LostResponse:
		h(httptest.NewRecorder())
		Error(w, http.StatusBadGateway, "Bad Gateway")
	case SecondaryLimit:
		SecondaryLimitError(w, f.Status, f.RetryAfter)
	case PrimaryLimit:
		PrimaryLimitError(w, f.Status, time.Unix(now.Add(f.Reset).Unix(), 0))
	case LastOfQuota:
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Used", "5000")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(f.Reset).Unix(), 10))
		h(w)
	case Hang:
		<-r.Context().Done()
		Error(w, http.StatusGatewayTimeout, "fakegh: the client gave up")
	default:
		Error(w, http.StatusInternalServerError, fmt.Sprintf("fakegh: unknown fault %v", f))
	}
}
