package ghapi

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }
func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// Every attempt sends the whole body, even when the request has no GetBody,
// and the caller's body is closed, as a RoundTripper must.
func TestReplayableBody(t *testing.T) {
	t.Parallel()
	var got []string
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b))
		code := http.StatusOK
		if len(got) == 1 {
			code = http.StatusBadGateway
		}
		return &http.Response{StatusCode: code, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	cfg := newConfig(0, []Option{WithClock(&stepClock{now: time.Unix(0, 0)})})
	tr := &transport{base: base, cfg: cfg}
	body := &closeTracker{Reader: strings.NewReader(`{"body":"hi"}`)}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch, "http://example.invalid/x", body)
	if err != nil {
		t.Fatal(err)
	}
	if req.GetBody != nil {
		t.Fatal("the test needs a body without GetBody")
	}
	resp, err := tr.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("RoundTrip = %v, %v", resp, err)
	}
	if d := cmp.Diff([]string{`{"body":"hi"}`, `{"body":"hi"}`}, got); d != "" {
		t.Errorf("bodies sent (-want +got):\n%s", d)
	}
	if !body.closed {
		t.Error("the request body was not closed")
	}
}
