package wizard

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// DefaultNodeRange is what the wizard needs from Node.js when its
// package.json cannot be read (SPEC §4: Node ≥ 22.22).
const DefaultNodeRange = ">=22.22.0"

// Semver is a release version such as Node.js's v22.23.5. Pre-release and
// build suffixes are ignored.
type Semver struct{ Major, Minor, Patch int }

// ParseVersion reads "v22.23.5", "22.23.5" or "22.23.5-rc.1".
func ParseVersion(s string) (Semver, error) {
	v, n, err := parsePartial(strings.TrimSpace(s))
	if err != nil {
		return Semver{}, err
	}
	if n != 3 {
		return Semver{}, fmt.Errorf("%q is not a full version (major.minor.patch)", s)
	}
	return v, nil
}

// Compare returns -1, 0 or 1 as v is older than, equal to or newer than w.
func (v Semver) Compare(w Semver) int {
	for _, d := range [3]int{v.Major - w.Major, v.Minor - w.Minor, v.Patch - w.Patch} {
		switch {
		case d < 0:
			return -1
		case d > 0:
			return 1
		}
	}
	return 0
}

func (v Semver) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Short drops trailing zero parts: 22.22.0 → "22.22", 18.0.0 → "18".
func (v Semver) Short() string {
	switch {
	case v.Patch != 0:
		return v.String()
	case v.Minor != 0:
		return fmt.Sprintf("%d.%d", v.Major, v.Minor)
	default:
		return strconv.Itoa(v.Major)
	}
}

// Range is an npm semver range as found in package.json's engines.node:
// alternatives joined by ||, each a set of comparators that must all hold
// (>=, >, <=, <, =, ^, ~, x-ranges such as 22.x, and hyphen ranges a - b).
type Range struct {
	raw  string
	sets [][]comparator
}

type comparator struct {
	op string // ">=", ">", "<=", "<" or "="
	v  Semver
}

func (c comparator) holds(v Semver) bool {
	d := v.Compare(c.v)
	switch c.op {
	case ">=":
		return d >= 0
	case ">":
		return d > 0
	case "<=":
		return d <= 0
	case "<":
		return d < 0
	default:
		return d == 0
	}
}

var (
	hyphenRange = regexp.MustCompile(`^(\S+)\s+-\s+(\S+)$`)
	opSpace     = regexp.MustCompile(`(>=|<=|>|<|=|~>|~|\^)\s+`)
)

// ParseRange reads an npm semver range. "" and "*" allow every version.
func ParseRange(s string) (Range, error) {
	r := Range{raw: strings.TrimSpace(s)}
	for _, alt := range strings.Split(s, "||") {
		alt = strings.TrimSpace(alt)
		var set []comparator
		if m := hyphenRange.FindStringSubmatch(alt); m != nil {
			lo, _, err := parsePartial(m[1])
			if err != nil {
				return Range{}, fmt.Errorf("engines range %q: %w", s, err)
			}
			hi, n, err := parsePartial(m[2])
			if err != nil {
				return Range{}, fmt.Errorf("engines range %q: %w", s, err)
			}
			set = append(set, comparator{">=", lo})
			set = append(set, upTo(hi, n)...)
			r.sets = append(r.sets, set)
			continue
		}
		for _, f := range strings.Fields(opSpace.ReplaceAllString(alt, "$1")) {
			cs, err := desugar(f)
			if err != nil {
				return Range{}, fmt.Errorf("engines range %q: %w", s, err)
			}
			set = append(set, cs...)
		}
		r.sets = append(r.sets, set)
	}
	return r, nil
}

// MustRange is ParseRange for constants.
func MustRange(s string) Range {
	r, err := ParseRange(s)
	if err != nil {
		panic(err)
	}
	return r
}

// Contains reports whether v satisfies the range.
func (r Range) Contains(v Semver) bool {
	for _, set := range r.sets {
		ok := true
		for _, c := range set {
			ok = ok && c.holds(v)
		}
		if ok {
			return true
		}
	}
	return false
}

// Min is the oldest version the range allows (its lowest lower bound).
func (r Range) Min() Semver {
	var best Semver
	for i, set := range r.sets {
		var lo Semver
		for _, c := range set {
			b := c.v
			switch c.op {
			case ">":
				b.Patch++
			case ">=", "=":
			default:
				continue
			}
			if b.Compare(lo) > 0 {
				lo = b
			}
		}
		if i == 0 || lo.Compare(best) < 0 {
			best = lo
		}
	}
	return best
}

func (r Range) String() string { return r.raw }

// upTo is the upper bound "<= v" for a partial v of n known parts.
func upTo(v Semver, n int) []comparator {
	switch n {
	case 0:
		return nil
	case 1:
		return []comparator{{"<", Semver{v.Major + 1, 0, 0}}}
	case 2:
		return []comparator{{"<", Semver{v.Major, v.Minor + 1, 0}}}
	}
	return []comparator{{"<=", v}}
}

// desugar turns one comparator of a range into plain ones.
func desugar(f string) ([]comparator, error) {
	op := ""
	for _, p := range []string{">=", "<=", "~>", ">", "<", "=", "~", "^"} {
		if strings.HasPrefix(f, p) {
			op, f = p, f[len(p):]
			break
		}
	}
	v, n, err := parsePartial(f)
	if err != nil {
		return nil, err
	}
	all := []comparator{{">=", Semver{}}}
	next := func() Semver { // the first version past the partial
		switch n {
		case 1:
			return Semver{v.Major + 1, 0, 0}
		case 2:
			return Semver{v.Major, v.Minor + 1, 0}
		}
		return Semver{v.Major, v.Minor, v.Patch + 1}
	}
	switch op {
	case "", "=":
		if n == 0 {
			return all, nil
		}
		if n == 3 {
			return []comparator{{"=", v}}, nil
		}
		return []comparator{{">=", v}, {"<", next()}}, nil
	case ">=":
		return []comparator{{">=", v}}, nil
	case ">":
		if n == 0 {
			return []comparator{{"<", Semver{}}}, nil // nothing
		}
		if n == 3 {
			return []comparator{{">", v}}, nil
		}
		return []comparator{{">=", next()}}, nil
	case "<":
		return []comparator{{"<", v}}, nil
	case "<=":
		return append([]comparator{{">=", Semver{}}}, upTo(v, n)...), nil
	case "~", "~>":
		if n == 0 {
			return all, nil
		}
		if n == 1 {
			return []comparator{{">=", v}, {"<", Semver{v.Major + 1, 0, 0}}}, nil
		}
		return []comparator{{">=", v}, {"<", Semver{v.Major, v.Minor + 1, 0}}}, nil
	default: // ^
		switch {
		case n == 0:
			return all, nil
		case v.Major > 0 || n == 1:
			return []comparator{{">=", v}, {"<", Semver{v.Major + 1, 0, 0}}}, nil
		case v.Minor > 0 || n == 2:
			return []comparator{{">=", v}, {"<", Semver{0, v.Minor + 1, 0}}}, nil
		default:
			return []comparator{{">=", v}, {"<", Semver{0, 0, v.Patch + 1}}}, nil
		}
	}
}

// parsePartial reads "22", "22.22", "22.x", "v22.22.0", "*" and returns the
// version (missing parts 0) and how many parts were given before the first
// wildcard.
func parsePartial(s string) (Semver, int, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "=")
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	if s == "" || s == "*" || s == "x" || s == "X" {
		return Semver{}, 0, nil
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return Semver{}, 0, fmt.Errorf("%q is not a version", s)
	}
	var nums [3]int
	n := 0
	for _, p := range parts {
		if p == "*" || p == "x" || p == "X" {
			break
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || len(p) > 9 {
			return Semver{}, 0, fmt.Errorf("%q is not a version", s)
		}
		nums[n] = v
		n++
	}
	return Semver{nums[0], nums[1], nums[2]}, n, nil
}
