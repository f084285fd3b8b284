package checks

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ecosystem is a package manager: dependency names are compared the way it
// compares them.
type ecosystem string

const (
	npm    ecosystem = "npm"
	pypi   ecosystem = "python"
	gems   ecosystem = "ruby"
	php    ecosystem = "php"
	gomod  ecosystem = "go"
	gradle ecosystem = "gradle"
	swift  ecosystem = "swift"
	dart   ecosystem = "dart"
	cargo  ecosystem = "rust"
)

// dependency is one package a manifest depends on.
type dependency struct {
	eco  ecosystem
	name string
	file string // the manifest, relative to the app
}

// manifest reads one kind of dependency file; a parse error means the file
// is broken (a wizard that leaves invalid JSON behind fails the sdk check).
type manifest struct {
	eco   ecosystem
	match func(rel string) bool
	parse func(src string) ([]string, error)
}

func base(rel string) string { return path.Base(rel) }

var manifests = []manifest{
	{npm, func(r string) bool { return base(r) == "package.json" }, parseJSONKeys("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")},
	{php, func(r string) bool { return base(r) == "composer.json" }, parseJSONKeys("require", "require-dev")},
	{pypi, isRequirements, parseRequirements},
	{pypi, func(r string) bool { return base(r) == "pyproject.toml" }, parsePyproject},
	{pypi, func(r string) bool { return base(r) == "Pipfile" }, tomlTableKeys(func(t string) bool { return t == "packages" || t == "dev-packages" })},
	{pypi, func(r string) bool { return base(r) == "setup.py" }, parseSetupPy},
	{gems, func(r string) bool { return base(r) == "Gemfile" || path.Ext(r) == ".gemspec" }, parseRuby},
	{gomod, func(r string) bool { return base(r) == "go.mod" }, parseGoMod},
	{gradle, func(r string) bool {
		b := base(r)
		return b == "build.gradle" || b == "build.gradle.kts" || strings.HasSuffix(b, ".versions.toml")
	}, parseGradle},
	{swift, func(r string) bool { return base(r) == "Package.swift" || base(r) == "Podfile" }, parseSwift},
	{dart, func(r string) bool { return base(r) == "pubspec.yaml" }, parsePubspec},
	{cargo, func(r string) bool { return base(r) == "Cargo.toml" }, parseCargo},
}

func manifestFor(rel string) (manifest, bool) {
	for _, m := range manifests {
		if m.match(rel) {
			return m, true
		}
	}
	return manifest{}, false
}

func isRequirements(rel string) bool {
	b := base(rel)
	if path.Ext(b) != ".txt" {
		return false
	}
	return strings.HasPrefix(b, "requirements") || path.Base(path.Dir(rel)) == "requirements"
}

// normalize makes a dependency name comparable within its ecosystem.
func normalize(eco ecosystem, name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if eco == pypi {
		// PEP 503: runs of -, _ and . are one -.
		name = pyNameSep.ReplaceAllString(name, "-")
	}
	return name
}

var pyNameSep = regexp.MustCompile(`[-_.]+`)

// defaultSDK says whether name is a PostHog SDK of eco, for apps whose
// expect.yml names none, and which SDK a failure message suggests.
var defaultSDK = map[ecosystem]struct {
	is      func(name string) bool
	suggest string
}{
	npm: {func(n string) bool {
		return n == "posthog-js" || n == "posthog-node" || n == "posthog-react-native" || n == "posthog-js-lite" ||
			strings.HasPrefix(n, "@posthog/")
	}, "posthog-js or posthog-node"},
	pypi:  {func(n string) bool { return n == "posthog" || n == "posthoganalytics" }, "posthog"},
	gems:  {func(n string) bool { return n == "posthog-ruby" || n == "posthog-rails" }, "posthog-ruby"},
	php:   {func(n string) bool { return n == "posthog/posthog-php" }, "posthog/posthog-php"},
	gomod: {func(n string) bool { return n == "github.com/posthog/posthog-go" }, "github.com/posthog/posthog-go"},
	gradle: {func(n string) bool {
		return strings.HasPrefix(n, "com.posthog:") || strings.HasPrefix(n, "com.posthog.")
	}, "com.posthog:posthog-android"},
	swift: {func(n string) bool { return n == "posthog-ios" || n == "posthog" }, "posthog-ios"},
	dart:  {func(n string) bool { return n == "posthog_flutter" }, "posthog_flutter"},
	cargo: {func(n string) bool { return n == "posthog-rs" || n == "posthog" }, "posthog-rs"},
}

// isSDK says whether dep is the SDK sdk names ("" = the default for its
// ecosystem).
func isSDK(sdk string, dep dependency) bool {
	if sdk == "" {
		d, ok := defaultSDK[dep.eco]
		return ok && d.is(dep.name)
	}
	want := normalize(dep.eco, sdk)
	if dep.name == want {
		return true
	}
	switch dep.eco {
	case gradle:
		// "posthog-android" names the artifact of com.posthog:posthog-android.
		_, artifact, ok := strings.Cut(dep.name, ":")
		return ok && !strings.Contains(want, ":") && artifact == want
	case swift:
		return strings.TrimSuffix(path.Base(want), ".git") == dep.name
	}
	return false
}

// ---- parsers: each returns dependency names as written ----

func parseJSONKeys(keys ...string) func(string) ([]string, error) {
	return func(src string) ([]string, error) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(src), &m); err != nil {
			return nil, fmt.Errorf("not valid JSON: %v", err)
		}
		var out []string
		for _, k := range keys {
			var deps map[string]json.RawMessage
			if raw, ok := m[k]; ok && json.Unmarshal(raw, &deps) == nil {
				for name := range deps {
					out = append(out, name)
				}
			}
		}
		sort.Strings(out)
		return out, nil
	}
}

// pyReqName is the project name at the start of a PEP 508 requirement.
var pyReqName = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)`)

func parseRequirements(src string) ([]string, error) {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "-") {
			continue
		}
		if m := pyReqName.FindStringSubmatch(line); m != nil {
			out = append(out, m[1])
		}
	}
	return out, nil
}

func reqNames(reqs []string) []string {
	var out []string
	for _, r := range reqs {
		if m := pyReqName.FindStringSubmatch(r); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

func parsePyproject(src string) ([]string, error) {
	var out []string
	for _, e := range tomlEntries(src) {
		switch {
		case e.table == "project" && e.key == "dependencies",
			e.table == "project.optional-dependencies",
			e.table == "dependency-groups":
			out = append(out, reqNames(e.strings)...)
		case e.key != "" && (e.table == "tool.poetry.dependencies" || e.table == "tool.poetry.dev-dependencies" ||
			strings.HasPrefix(e.table, "tool.poetry.group.") && strings.HasSuffix(e.table, ".dependencies")):
			out = append(out, e.key)
		}
	}
	return out, nil
}

func tomlTableKeys(want func(table string) bool) func(string) ([]string, error) {
	return func(src string) ([]string, error) {
		var out []string
		for _, e := range tomlEntries(src) {
			if e.key != "" && want(e.table) {
				out = append(out, e.key)
			}
		}
		return out, nil
	}
}

func parseCargo(src string) ([]string, error) {
	isDeps := func(t string) bool {
		last := t[strings.LastIndexByte(t, '.')+1:]
		return last == "dependencies" || last == "dev-dependencies" || last == "build-dependencies"
	}
	var out []string
	for _, e := range tomlEntries(src) {
		switch {
		case e.key != "" && isDeps(e.table):
			out = append(out, e.key)
		case e.key == "" && strings.Contains(e.table, "."):
			// [dependencies.posthog-rs]
			i := strings.LastIndexByte(e.table, '.')
			if isDeps(e.table[:i]) {
				out = append(out, e.table[i+1:])
			}
		}
	}
	return out, nil
}

var setupRequires = regexp.MustCompile(`install_requires\s*=\s*\[`)

func parseSetupPy(src string) ([]string, error) {
	loc := setupRequires.FindStringIndex(src)
	if loc == nil {
		return nil, nil
	}
	strs, _ := scanArray(src[loc[1]-1:])
	return reqNames(strs), nil
}

var (
	gemLine    = regexp.MustCompile(`(?m)^\s*gem\s*\(?\s*["']([^"']+)["']`)
	gemspecDep = regexp.MustCompile(`add_(?:runtime_|development_)?dependency\s*\(?\s*["']([^"']+)["']`)
)

func parseRuby(src string) ([]string, error) {
	var out []string
	for _, re := range []*regexp.Regexp{gemLine, gemspecDep} {
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			out = append(out, m[1])
		}
	}
	return out, nil
}

func parseGoMod(src string) ([]string, error) {
	var out []string
	inBlock := false
	for _, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case inBlock && f[0] == ")":
			inBlock = false
		case inBlock:
			out = append(out, f[0])
		case f[0] == "require" && len(f) >= 2 && f[1] == "(":
			inBlock = true
		case f[0] == "require" && len(f) >= 2:
			out = append(out, f[1])
		}
	}
	return out, nil
}

var (
	gradleCoord   = regexp.MustCompile(`["']([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+)(?::[^"']*)?["']`)
	catalogModule = regexp.MustCompile(`module\s*=\s*"([A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+)"`)
	catalogGroup  = regexp.MustCompile(`group\s*=\s*"([A-Za-z0-9_.-]+)"\s*,\s*name\s*=\s*"([A-Za-z0-9_.-]+)"`)
)

func parseGradle(src string) ([]string, error) {
	var out []string
	for _, m := range gradleCoord.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1]+":"+m[2])
	}
	for _, m := range catalogModule.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	for _, m := range catalogGroup.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1]+":"+m[2])
	}
	sort.Strings(out)
	return slices.Compact(out), nil
}

var (
	spmPackage = regexp.MustCompile(`\.package\s*\([^)]*?url:\s*"([^"]+)"`)
	podLine    = regexp.MustCompile(`(?m)^\s*pod\s+["']([^"'/]+)`)
)

func parseSwift(src string) ([]string, error) {
	var out []string
	for _, m := range spmPackage.FindAllStringSubmatch(src, -1) {
		out = append(out, strings.TrimSuffix(path.Base(strings.TrimSuffix(m[1], "/")), ".git"))
	}
	for _, m := range podLine.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	return out, nil
}

func parsePubspec(src string) ([]string, error) {
	var doc struct {
		Deps    map[string]any `yaml:"dependencies"`
		DevDeps map[string]any `yaml:"dev_dependencies"`
	}
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return nil, fmt.Errorf("not valid YAML: %v", err)
	}
	var out []string
	for _, m := range []map[string]any{doc.Deps, doc.DevDeps} {
		for k := range m {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ---- a small TOML reader: enough for dependency tables ----

// tomlEntry is one key of a TOML table, or (key "") a table header.
type tomlEntry struct {
	table   string
	key     string
	strings []string // the string items when the value is an array
}

// tomlEntries lists the tables and keys of src in order. It understands
// headers, bare and quoted keys and (multi-line) arrays of strings, which is
// all dependency lists use; other values are skipped.
func tomlEntries(src string) []tomlEntry {
	var out []tomlEntry
	table := ""
	for i := 0; i < len(src); {
		end := strings.IndexByte(src[i:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += i
		}
		line := strings.TrimSpace(src[i:end])
		next := end + 1
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			h := strings.Trim(line, "[]")
			if j := strings.Index(h, "]"); j >= 0 {
				h = h[:j]
			}
			table = unquoteDotted(h)
			out = append(out, tomlEntry{table: table})
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				break
			}
			e := tomlEntry{table: table, key: unquoteDotted(k)}
			if v = strings.TrimSpace(v); strings.HasPrefix(v, "[") {
				at := i + strings.Index(src[i:], "=") + 1
				at += strings.Index(src[at:], "[")
				strs, n := scanArray(src[at:])
				e.strings = strs
				if at+n > next {
					next = at + n
				}
			}
			out = append(out, e)
		}
		i = next
	}
	return out
}

// unquoteDotted turns `"a".b . "c"` into a.b.c.
func unquoteDotted(s string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// scanArray reads the array that starts at s[0] == '[' and returns its string
// items (at any depth) and the number of bytes it spans. Quotes are honoured,
// so "posthog[django]" does not end the array.
func scanArray(s string) ([]string, int) {
	var out []string
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return out, i + 1
			}
		case '#':
			if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
				i += j
			} else {
				return out, len(s)
			}
		case '"', '\'':
			j := i + 1
			for j < len(s) && s[j] != c && s[j] != '\n' {
				if s[j] == '\\' && c == '"' {
					j++
				}
				j++
			}
			if j < len(s) && s[j] == c {
				out = append(out, s[i+1:j])
			}
			i = j
		}
	}
	return out, len(s)
}
