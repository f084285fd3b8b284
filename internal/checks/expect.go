package checks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

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

// ExpectError is a problem in an expect.yml, with the 1-based line it was
// found on (0 when the line is unknown).
type ExpectError struct {
	File string
	Line int
	Msg  string
}

func (e *ExpectError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// LoadExpect reads appDir/.wizard-ci/expect.yml. A missing file is the zero
// Expect; problems in the file are *ExpectError naming the line.
func LoadExpect(appDir string) (Expect, error) {
	p := filepath.Join(appDir, filepath.FromSlash(ExpectFile))
	b, err := readLimited(p, MaxFileBytes+1)
	if errors.Is(err, fs.ErrNotExist) {
		return Expect{}, nil
	}
	if err != nil {
		return Expect{}, fmt.Errorf("read %s: %w", ExpectFile, err)
	}
	if len(b) > MaxFileBytes {
		return Expect{}, &ExpectError{File: ExpectFile, Msg: fmt.Sprintf("the file is larger than %d bytes", MaxFileBytes)}
	}
	return ParseExpect(b)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func expectErr(line int, format string, a ...any) *ExpectError {
	return &ExpectError{File: ExpectFile, Line: line, Msg: fmt.Sprintf(format, a...)}
}

// ParseExpect parses the text of an expect.yml. It walks the YAML node tree
// so that an unknown key or a wrong type is reported with its own line.
func ParseExpect(data []byte) (Expect, error) {
	var x Expect
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return x, nil // an empty file asks for the defaults
		}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return x, expectErr(line, "invalid YAML: %s", m[2])
		}
		return x, expectErr(0, "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return x, expectErr(extra.Line, "a second YAML document; the file holds exactly one")
	} else if !errors.Is(err, io.EOF) {
		return x, expectErr(0, "invalid YAML after the first document: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	root := deref(&doc)
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return x, nil
		}
		root = deref(root.Content[0])
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return x, nil
	}
	if root.Kind != yaml.MappingNode {
		return x, expectErr(root.Line, "the top level must be a mapping (sdk, init, events, check, allow-project-token), got %s", describe(root))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := deref(root.Content[i]), deref(root.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return x, expectErr(k.Line, "keys must be plain names, got %s", describe(k))
		}
		if line, ok := seen[k.Value]; ok {
			return x, expectErr(k.Line, "key %q is already defined on line %d", k.Value, line)
		}
		seen[k.Value] = k.Line
		var err error
		switch k.Value {
		case "sdk":
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || strings.TrimSpace(v.Value) == "" {
				return x, expectErr(v.Line, "sdk must be a package name such as posthog-node, got %s", describe(v))
			}
			x.SDK = strings.TrimSpace(v.Value)
		case "init":
			if x.Init, err = strList(v, "init", "[index.js]"); err != nil {
				return x, err
			}
			for j, g := range x.Init {
				if msg := checkGlob(g); msg != "" {
					return x, expectErr(v.Content[j].Line, "init glob %q: %s", g, msg)
				}
			}
		case "events":
			if x.Events, err = strList(v, "events", "[todo created]"); err != nil {
				return x, err
			}
		case "check":
			if x.Check, err = strList(v, "check", "[node, --check, index.js]"); err != nil {
				return x, err
			}
			if len(x.Check) > 0 && strings.TrimSpace(x.Check[0]) == "" {
				return x, expectErr(v.Line, "check must start with a program name")
			}
		case "allow-project-token":
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return x, expectErr(v.Line, "allow-project-token must be true or false, got %s", describe(v))
			}
			if err := v.Decode(&x.AllowProjectToken); err != nil {
				return x, expectErr(v.Line, "allow-project-token: %v", err)
			}
		default:
			return x, expectErr(k.Line, "unknown key %q (known: \"allow-project-token\", \"check\", \"events\", \"init\", \"sdk\")", k.Value)
		}
	}
	return x, nil
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

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// describe names a node's type for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!int", "!!float":
			return "a number (" + n.Value + ")"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		}
		return fmt.Sprintf("%s %q", n.Tag, n.Value)
	}
	return "an empty document"
}
