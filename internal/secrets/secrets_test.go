package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestMaskShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"posthog personal key", "key=phx_ab12CD34ef56GH78ij90KL12mn34OP56qr78ST90uv12", "key=***"},
		{"posthog project key", "token: phc_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg.", "token: ***."},
		{"posthog oauth token", "Bearer pha_0123456789abcdef", "Bearer ***"},
		{"fake key from the fixtures", "--api-key phx_fake", "--api-key ***"},
		{"github classic pat", "ghp_0123456789abcdefghijABCDEFGHIJ012345 leaked", "*** leaked"},
		{"github oauth", "(gho_16C7e42F292c6912E7710c838347Ae178B4a)", "(***)"},
		{"github app server token", `"token":"ghs_16C7e42F292c6912E7710c838347Ae178B4a"`, `"token":"***"`},
		{"github user-to-server", "ghu_16C7e42F292c6912E7710c838347Ae178B4a", "***"},
		{"github refresh", "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498", "***"},
		{"github fine-grained pat", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX", "***"},
		{"anthropic key", "ANTHROPIC_API_KEY=sk-ant-api03-AbCd_EfGh-IjKl0123456789-xyzAA", "ANTHROPIC_API_KEY=***"},
		{"anthropic fake", "sk-ant-fake", "***"},
		{"aws access key id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_access_key_id = ***"},
		{"aws temporary key id", "ASIAY34FZKBOKMUTVV7A,", "***,"},
		{"several on one line", "phx_aaaa1111 and ghp_bbbb2222 and AKIAIOSFODNN7EXAMPLE", "*** and *** and ***"},
		// Not secrets: prose about key types, and near-misses.
		{"prose mention", "pass a personal API key (phx_xxx). phc_ is a project key.", "pass a personal API key (phx_xxx). phc_ is a project key."},
		{"aws id too short", "AKIAIOSFODNN7", "AKIAIOSFODNN7"},
		{"aws id inside a longer word", "XAKIAIOSFODNN7EXAMPLEX", "XAKIAIOSFODNN7EXAMPLEX"},
		{"plain text", "The Wizard exited without changing your project.", "The Wizard exited without changing your project."},
	}
	var m Masker // the zero value masks shapes
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := m.Mask(tc.in); got != tc.want {
				t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	var nilMasker *Masker
	if got := nilMasker.Mask("x phx_abcdefgh"); got != "x ***" {
		t.Errorf("nil Masker: got %q", got)
	}
}

func TestMaskRegistered(t *testing.T) {
	t.Parallel()
	m := NewMasker()
	m.Add("hunter2-is-my-password")
	m.Add("abc") // too short: ignored
	m.Add("ééé") // three characters, six bytes: ignored too
	m.Add("")
	m.Add("hunter2") // contained in the longer one: the longer one still goes whole
	m.Add("-----BEGIN KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\n  Zm9vYmFyYmF6cXV4  \n-----END KEY-----\n")

	tests := map[string]string{
		"password: hunter2-is-my-password!":           "password: ***!",
		"just hunter2 here":                           "just *** here",
		"abc stays, abcabc stays":                     "abc stays, abcabc stays",
		"ééé stays":                                   "ééé stays",
		"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC":            "***",
		"line: Zm9vYmFyYmF6cXV4 (trimmed line)":       "line: *** (trimmed line)",
		"-----BEGIN KEY-----":                         "***",
		"twice hunter2hunter2":                        "twice ******",
		"a registered value inside a shape: phx_abcd": "a registered value inside a shape: ***",
	}
	for in, want := range tests {
		if got := m.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// A replacement can join text into a new occurrence of another secret;
// Mask must not stop after one pass.
func TestMaskRepeatsUntilClean(t *testing.T) {
	t.Parallel()
	m := NewMasker()
	m.Add("aaaa")
	m.Add("***x")
	if got := m.Mask("aaaax"); strings.Contains(got, "***x") || strings.Contains(got, "aaaa") {
		t.Errorf("Mask left a secret: %q", got)
	}
}

func TestWriterMasksLines(t *testing.T) {
	t.Parallel()
	m := NewMasker()
	m.Add("s3cr3t-value")
	var out bytes.Buffer
	w := NewWriter(m, &out)
	// The secret and a key shape are both split across Write calls.
	for _, p := range []string{"first s3cr", "3t-value line\nsecond phx_ab", "cdef12 line\r\nno newline at end: s3cr3t", "-value"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	if got := out.String(); got != "first *** line\nsecond *** line\r\n" {
		t.Errorf("before Close: %q", got)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "first *** line\nsecond *** line\r\nno newline at end: ***"
	if d := cmp.Diff(want, out.String()); d != "" {
		t.Errorf("output (-want +got):\n%s", d)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := w.Write([]byte("late\n")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v, want ErrClosed", err)
	}
}

func TestWriterHugeLineIsBounded(t *testing.T) {
	t.Parallel()
	m := NewMasker()
	secret := "registered-secret-0123456789"
	m.Add(secret)

	// 1 MiB of words, no newline, with the secret and a key shape sprinkled
	// in; written in one call and then in odd-sized calls.
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		switch i % 997 {
		case 13:
			sb.WriteString(secret + " ")
		case 500:
			sb.WriteString("ghp_abcdefghijklmnopqrstuvwxyz0123456789 ")
		default:
			fmt.Fprintf(&sb, "word%d ", i)
		}
	}
	huge := sb.String()

	for _, chunk := range []int{len(huge), 7777, 1} {
		t.Run(fmt.Sprint("chunk ", chunk), func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			w := NewWriter(m, &out)
			ww := w.(*writer)
			for p := huge; p != ""; {
				n := min(chunk, len(p))
				if _, err := w.Write([]byte(p[:n])); err != nil {
					t.Fatal(err)
				}
				p = p[n:]
				if len(ww.buf) > MaxLine || cap(ww.buf) > 2*MaxLine {
					t.Fatalf("buffer holds %d bytes (cap %d), want ≤ %d", len(ww.buf), cap(ww.buf), MaxLine)
				}
			}
			if out.Len() == 0 {
				t.Errorf("nothing written before Close: a long line must be flushed in pieces")
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if strings.Contains(got, secret) || strings.Contains(got, "ghp_") {
				t.Errorf("a secret survived in the output")
			}
			if want := m.Mask(huge); got != want {
				t.Errorf("pieces differ from masking the whole line (len %d vs %d)", len(got), len(want))
			}
		})
	}
}

type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("disk full")
	}
	f.n--
	return len(p), nil
}

func TestWriterKeepsFirstError(t *testing.T) {
	t.Parallel()
	w := NewWriter(NewMasker(), &failingWriter{n: 1})
	if _, err := w.Write([]byte("ok\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("fails\n")); err == nil {
		t.Fatal("want an error")
	}
	if _, err := w.Write([]byte("again\n")); err == nil || err.Error() != "disk full" {
		t.Errorf("later Write: %v, want the first error", err)
	}
	if err := w.Close(); err == nil {
		t.Errorf("Close: want the first error")
	}
}

// Run with -race: Add, Mask and writers used from many goroutines at once.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	m := NewMasker()
	var out bytes.Buffer
	var outMu sync.Mutex
	w := NewWriter(m, writerFunc(func(p []byte) (int, error) {
		outMu.Lock()
		defer outMu.Unlock()
		return out.Write(p)
	}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				secret := fmt.Sprintf("secret-%d-%d", g, i)
				m.Add(secret)
				if got := m.Mask("x " + secret + " y"); got != "x *** y" {
					t.Errorf("Mask = %q", got)
					return
				}
				if _, err := fmt.Fprintf(w, "%s\n", secret); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for l := range strings.SplitSeq(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if l != "***" {
			t.Fatalf("line %q: want every line masked whole", l)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// FuzzMask: whatever the text, a registered secret of MinLen characters or
// more taken from it never survives masking, directly or through the writer.
func FuzzMask(f *testing.F) {
	f.Add("my key is phx_abcdefgh and more", uint16(10), uint8(14))
	f.Add("aaaaaaaaaaaaaaaaaaaax", uint16(0), uint8(8))
	f.Add("***x***x***x", uint16(1), uint8(9))
	f.Add("line one\nline two secret\nthree", uint16(9), uint8(20))
	f.Add("000000000\U00033cf3\U00033cf3000", uint16(9), uint8(8)) // 8 bytes, 2 characters: below MinLen
	f.Fuzz(func(t *testing.T, text string, start uint16, length uint8) {
		if len(text) < 8 {
			return
		}
		i := int(start) % len(text)
		n := max(int(length), 8)
		if i+n > len(text) {
			return
		}
		secret := text[i : i+n]
		if utf8.RuneCountInString(secret) < MinLen {
			return // Add ignores it by design (MinLen counts characters, not bytes)
		}
		m := NewMasker()
		m.Add(secret)
		if strings.ContainsAny(secret, "\r\n") {
			return // only its lines are promised, checked below via the writer
		}
		if got := m.Mask(text); strings.Contains(got, secret) {
			t.Fatalf("Mask(%q) = %q still holds %q", text, got, secret)
		}
		var out bytes.Buffer
		w := NewWriter(m, &out)
		_, _ = w.Write([]byte(text))
		_ = w.Close()
		for l := range strings.SplitSeq(out.String(), "\n") {
			if strings.Contains(l, secret) {
				t.Fatalf("writer output line %q still holds %q", l, secret)
			}
		}
	})
}

// shapeRe is the reference definition of the credential shapes (see the
// comment in secrets.go); maskShapes must agree with it.
var shapeRe = regexp.MustCompile(
	`(?:ph[xca]_|gh[posur]_|github_pat_)[A-Za-z0-9_]{4,}[A-Za-z0-9_-]*` +
		`|sk-ant-[A-Za-z0-9_-]{4,}` +
		`|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`)

func FuzzShapes(f *testing.F) {
	for _, s := range []string{
		"phx_phx_abcd", "ghp_ab-cd", "ghp_abcd-ef", "github_pat_ab", "sk-ant-abc", "sk-ant-abcd-",
		"AKIAIOSFODNN7EXAMPLE", "xAKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLEx", "-ASIAY34FZKBOKMUTVV7A-",
		"phc_ is a key", "gho_\xff\xfeabcd", "pha_____", "sk-ant-sk-ant-xxxx",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := maskShapes(s), shapeRe.ReplaceAllLiteralString(s, Redacted); got != want {
			t.Fatalf("maskShapes(%q) = %q, regexp says %q", s, got, want)
		}
	})
}
