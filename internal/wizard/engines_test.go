package wizard

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseVersion(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		want    Semver
		wantErr bool
	}{
		{in: "v22.23.5", want: Semver{22, 23, 5}},
		{in: "22.22.0\n", want: Semver{22, 22, 0}},
		{in: "v20.20.2", want: Semver{20, 20, 2}},
		{in: "v24.0.0-nightly20250101", want: Semver{24, 0, 0}},
		{in: "v22", wantErr: true},
		{in: "22.x", wantErr: true},
		{in: "", wantErr: true},
		{in: "unknown", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseVersion(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseVersion(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseVersion(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestSemverCompare(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want int
	}{
		{"v22.22.0", "v22.22.0", 0},
		{"v20.20.2", "v22.22.0", -1},
		{"v22.23.5", "v22.22.0", 1},
		{"v22.22.1", "v22.22.0", 1},
		{"v22.9.0", "v22.22.0", -1}, // numeric, not lexical
		{"v100.0.0", "v99.99.99", 1},
	}
	for _, tc := range cases {
		t.Run(tc.a+"_vs_"+tc.b, func(t *testing.T) {
			t.Parallel()
			a, _ := ParseVersion(tc.a)
			b, _ := ParseVersion(tc.b)
			if got := a.Compare(b); got != tc.want {
				t.Errorf("%s.Compare(%s) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if got := b.Compare(a); got != -tc.want {
				t.Errorf("%s.Compare(%s) = %d, want %d", tc.b, tc.a, got, -tc.want)
			}
		})
	}
}

func TestRangeContains(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rng     string
		yes, no []string
		min     string
	}{
		{rng: ">=22.22.0", yes: []string{"v22.22.0", "v22.23.5", "v23.0.0", "v24.1.0"},
			no: []string{"v20.20.2", "v22.21.9", "v22.9.0", "v18.0.0"}, min: "22.22"},
		{rng: "^22.22.0 || >=24", yes: []string{"v22.22.0", "v22.23.5", "v24.0.0", "v25.2.1"},
			no: []string{"v22.21.0", "v23.0.0", "v23.11.1", "v20.20.2"}, min: "22.22"},
		{rng: ">=18", yes: []string{"v18.0.0", "v20.20.2", "v22.23.5"}, no: []string{"v16.20.2", "v17.9.9"}, min: "18"},
		{rng: ">= 18.17.0", yes: []string{"v18.17.0", "v20.0.0"}, no: []string{"v18.16.9"}, min: "18.17"},
		{rng: ">=18 <23", yes: []string{"v18.0.0", "v22.99.0"}, no: []string{"v23.0.0", "v17.0.0"}, min: "18"},
		{rng: "~22.22", yes: []string{"v22.22.0", "v22.22.9"}, no: []string{"v22.23.0", "v22.21.0"}, min: "22.22"},
		{rng: "~22.22.3", yes: []string{"v22.22.3"}, no: []string{"v22.22.2", "v22.23.0"}, min: "22.22.3"},
		{rng: "22.x", yes: []string{"v22.0.0", "v22.99.1"}, no: []string{"v21.9.9", "v23.0.0"}, min: "22"},
		{rng: "22", yes: []string{"v22.1.0"}, no: []string{"v23.0.0"}, min: "22"},
		{rng: "^0.2.3", yes: []string{"v0.2.3", "v0.2.9"}, no: []string{"v0.3.0"}, min: "0.2.3"},
		{rng: "18 - 20", yes: []string{"v18.0.0", "v20.99.0"}, no: []string{"v21.0.0", "v17.0.0"}, min: "18"},
		{rng: ">22.22.0", yes: []string{"v22.22.1"}, no: []string{"v22.22.0"}, min: "22.22.1"},
		{rng: "<=22.22", yes: []string{"v22.22.9", "v1.0.0"}, no: []string{"v22.23.0"}, min: "0"},
		{rng: "=22.22.0", yes: []string{"v22.22.0"}, no: []string{"v22.22.1"}, min: "22.22"},
		{rng: "*", yes: []string{"v0.0.1", "v99.0.0"}, min: "0"},
		{rng: "", yes: []string{"v20.20.2"}, min: "0"},
	}
	for _, tc := range cases {
		t.Run(tc.rng, func(t *testing.T) {
			t.Parallel()
			r, err := ParseRange(tc.rng)
			if err != nil {
				t.Fatalf("ParseRange(%q): %v", tc.rng, err)
			}
			for _, s := range tc.yes {
				if v, _ := ParseVersion(s); !r.Contains(v) {
					t.Errorf("%q does not contain %s; want it to", tc.rng, s)
				}
			}
			for _, s := range tc.no {
				if v, _ := ParseVersion(s); r.Contains(v) {
					t.Errorf("%q contains %s; want it not to", tc.rng, s)
				}
			}
			if got := r.Min().Short(); got != tc.min {
				t.Errorf("%q.Min() = %s, want %s", tc.rng, got, tc.min)
			}
		})
	}
}

func TestParseRangeErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{">=abc", "22.22.0.1", "^x.y.z.w", ">=1.-2"} {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			if _, err := ParseRange(s); err == nil {
				t.Errorf("ParseRange(%q) = nil error, want one", s)
			}
		})
	}
}
