package workbench

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// ExpectFile is where an app states what the wizard must achieve, relative
// to the app folder (SPEC §10).
const ExpectFile = ".wizard-ci/expect.yml"

// Expect is an app's .wizard-ci/expect.yml. The zero value (no file) asks
// for the defaults: the SDK by language, initialisation anywhere, only the
// planned events, no check command, no project token in files.
type Expect struct {
	SDK               string   // package that must become a dependency; "" = by language
	Init              []string // globs (slash paths relative to the app, ** for any folders) where initialisation must appear
	Events            []string // events that must be captured
	Check             []string // argv run in the app copy after the wizard, without a shell
	AllowProjectToken bool     // the public phc_ token may be written into files (static sites)
}

// maxExpectBytes bounds what is read of an expect.yml.
const maxExpectBytes = 1 << 20

// LoadExpect reads appDir/.wizard-ci/expect.yml. A missing file is the zero
// Expect; problems in the file are *ConfigError naming ExpectFile and the line.
func LoadExpect(appDir string) (Expect, error) {
	f, err := os.Open(filepath.Join(appDir, filepath.FromSlash(ExpectFile)))
	if errors.Is(err, fs.ErrNotExist) {
		return Expect{}, nil
	}
	if err != nil {
		return Expect{}, unreadable(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxExpectBytes+1))
	if err != nil {
		return Expect{}, unreadable(err)
	}
	if len(b) > maxExpectBytes {
		return Expect{}, expectErr(0, "the file is larger than %d bytes", maxExpectBytes)
	}
	return ParseExpect(b)
}

// unreadable is the *ConfigError for an expect.yml that cannot be read
// (a folder of that name, no permission). The *fs.PathError's own path is
// dropped: the ConfigError names the file.
func unreadable(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return expectErr(0, "cannot be read: %v", err)
}

// ExpectError lists every app whose expect.yml cannot be used (CheckExpects).
type ExpectError struct {
	// Problems name each file by its path (Root joined with the app's
	// ExpectFile) and, where known, the line.
	Problems []*ConfigError
}

func (e *ExpectError) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		b.WriteString("nothing was run: the expect.yml of 1 app cannot be used; fix the file:")
	} else {
		fmt.Fprintf(&b, "nothing was run: the expect.yml of %d apps cannot be used; fix these files:", len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.Error())
	}
	return b.String()
}

// CheckExpects reads the expect.yml of every app under root, the workbench
// folder on disk, so that a broken file is a configuration error before any
// wizard starts, not a checks-failed app blamed on the wizard after it ran.
// It returns nil, or an *ExpectError listing every broken file.
func CheckExpects(root string, apps []App) error {
	var problems []*ConfigError
	for _, a := range apps {
		dir := filepath.Join(root, filepath.FromSlash(a.Path))
		if _, err := LoadExpect(dir); err != nil {
			ce, ok := err.(*ConfigError)
			if !ok {
				ce = &ConfigError{Msg: err.Error()}
			}
			ce.File = filepath.Join(dir, filepath.FromSlash(ExpectFile))
			problems = append(problems, ce)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &ExpectError{Problems: problems}
}

func expectErr(line int, format string, a ...any) *ConfigError {
	return &ConfigError{File: ExpectFile, Line: line, Msg: fmt.Sprintf(format, a...)}
}

// inExpect relabels an error of the shared YAML helpers, which name
// wizard-ci.yml, as one of expect.yml.
func inExpect(err error) error {
	var ce *ConfigError
	if errors.As(err, &ce) {
		ce.File = ExpectFile
	}
	return err
}

// ParseExpect parses the text of an expect.yml. It walks the YAML node tree
// so that an unknown key or a wrong type is reported with its own line.
func ParseExpect(data []byte) (Expect, error) {
	var x Expect
	root, err := decodeOne(data)
	if err != nil || root == nil {
		return x, inExpect(err) // an empty file asks for the defaults
	}
	if root.Kind != yaml.MappingNode {
		return x, expectErr(root.Line, "the top level must be a mapping (sdk, init, events, check, allow-project-token), got %s", describe(root))
	}
	err = eachPair(root, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "sdk":
			if isNull(v) {
				return nil
			}
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || strings.TrimSpace(v.Value) == "" {
				return expectErr(v.Line, "sdk must be a package name such as posthog-node, got %s", describe(v))
			}
			if hasControl(v.Value) {
				return expectErr(v.Line, "sdk: control characters are not allowed")
			}
			x.SDK = strings.TrimSpace(v.Value)
		case "init":
			if x.Init, err = strList(v, "init", "[index.js]"); err != nil {
				return err
			}
			for j, g := range x.Init {
				if msg := checkGlob(g); msg != "" {
					return expectErr(v.Content[j].Line, "init glob %q: %s", g, msg)
				}
			}
		case "events":
			if x.Events, err = strList(v, "events", "[todo created]"); err != nil {
				return err
			}
		case "check":
			if x.Check, err = strList(v, "check", "[node, --check, index.js]"); err != nil {
				return err
			}
			if len(x.Check) > 0 && strings.TrimSpace(x.Check[0]) == "" {
				return expectErr(v.Line, "check must start with a program name")
			}
		case "allow-project-token":
			if isNull(v) {
				return nil
			}
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return expectErr(v.Line, "allow-project-token must be true or false, got %s", describe(v))
			}
			if err := v.Decode(&x.AllowProjectToken); err != nil {
				return expectErr(v.Line, "allow-project-token: %v", err)
			}
		default:
			return expectErr(k.Line, "unknown key %q (known: \"allow-project-token\", \"check\", \"events\", \"init\", \"sdk\")", key)
		}
		return nil
	})
	return x, inExpect(err)
}

// strList reads a list of non-empty strings; null is an empty list.
func strList(v *yaml.Node, key, example string) ([]string, error) {
	if isNull(v) {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, expectErr(v.Line, "%s must be a list such as %s, got %s", key, example, describe(v))
	}
	var out []string
	for _, item := range v.Content {
		item = deref(item)
		if item.Kind != yaml.ScalarNode || item.Tag != "!!str" {
			return nil, expectErr(item.Line, "%s items must be strings, got %s (quote it if it is meant as text)", key, describe(item))
		}
		if strings.TrimSpace(item.Value) == "" {
			return nil, expectErr(item.Line, "%s has an empty item", key)
		}
		if hasControl(item.Value) {
			return nil, expectErr(item.Line, "%s: control characters are not allowed", key)
		}
		out = append(out, item.Value)
	}
	return out, nil
}

// checkGlob says why g cannot be an init glob, or "" when it can.
func checkGlob(g string) string {
	switch {
	case strings.HasPrefix(g, "/") || filepath.IsAbs(g):
		return "globs are relative to the app folder"
	case strings.Contains(g, `\`):
		return "use / between folders"
	}
	for _, seg := range strings.Split(g, "/") {
		if seg == ".." {
			return "globs cannot leave the app folder"
		}
		if _, err := path.Match(seg, ""); err != nil {
			return "not a valid glob"
		}
	}
	return ""
}

// hasControl reports whether s holds a control character (a tab too): none
// belongs in a package name, file glob, event name or argument, and one
// could reach a terminal as an escape sequence.
func hasControl(s string) bool { return strings.IndexFunc(s, unicode.IsControl) >= 0 }

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }
