package workbench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the workbench configuration, at the workbench root (SPEC §10).
const ConfigFile = "wizard-ci.yml"

// ConfigError is a problem in wizard-ci.yml, with the 1-based line it was found on
// (0 when the line is unknown).
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Category is one top-level folder of the workbench and the wizard program that runs its apps.
type Category struct {
	Name    string
	Label   string   // shown in the hint; the name when the config gives none
	Command []string // wizard sub-command words, e.g. [revenue-analytics]; empty for the default program
	CI      bool     // whether CI may run it
}

// reserved names cannot be categories: each is a word of the command grammar (SPEC §2),
// so a folder with that name could never be named as a target.
var reserved = map[string]bool{"all": true, "help": true, "rerun-failed": true}

func configErr(line int, format string, args ...any) *ConfigError {
	return &ConfigError{File: ConfigFile, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// yamlLine matches the position yaml.v3 puts in its syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseConfig reads wizard-ci.yml. It walks the yaml.Node tree itself rather than
// unmarshalling into a struct, so that every unknown key, wrong type and duplicate
// key is reported with its own line. lines maps each category to the line of its
// name, for problems found later (a category without its folder).
func parseConfig(data []byte) (cats []Category, lines map[string]int, err error) {
	root, err := decodeOne(data)
	if err != nil {
		return nil, nil, err
	}
	if root == nil {
		return nil, nil, configErr(0, "the file is empty; it needs a categories: mapping of each top-level folder to its label, command and ci")
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, configErr(root.Line, "the top level must be a mapping with the key categories, got %s", describe(root))
	}

	lines = map[string]int{}
	found := false
	err = eachPair(root, func(key string, k, v *yaml.Node) error {
		if key != "categories" {
			return configErr(k.Line, "unknown key %q at the top level (known: %q)", key, "categories")
		}
		found = true
		if v.Kind != yaml.MappingNode {
			return configErr(v.Line, "categories must be a mapping of category name to settings, got %s", describe(v))
		}
		return eachPair(v, func(name string, k, v *yaml.Node) error {
			c, err := parseCategory(name, k, v)
			if err != nil {
				return err
			}
			cats = append(cats, c)
			lines[name] = k.Line
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, configErr(root.Line, "missing key categories")
	}
	if len(cats) == 0 {
		return nil, nil, configErr(root.Line, "categories is empty; name at least one top-level folder")
	}
	return cats, lines, nil
}

func parseCategory(name string, k, v *yaml.Node) (Category, error) {
	if msg := checkName(name); msg != "" {
		return Category{}, configErr(k.Line, "category %q: %s", name, msg)
	}
	c := Category{Name: name, Label: name, Command: []string{}}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return Category{}, configErr(v.Line, "category %q has no settings; give it label, command and ci", name)
	}
	if v.Kind != yaml.MappingNode {
		return Category{}, configErr(v.Line, "category %q must be a mapping with label, command and ci, got %s", name, describe(v))
	}
	err := eachPair(v, func(key string, k, v *yaml.Node) error {
		switch key {
		case "label":
			s, err := str(v, name+".label")
			if err != nil {
				return err
			}
			if strings.TrimSpace(s) == "" {
				return configErr(v.Line, "%s.label is empty", name)
			}
			c.Label = s
		case "command":
			if v.Kind != yaml.SequenceNode {
				return configErr(v.Line, "%s.command must be a list of sub-command words such as [revenue-analytics], got %s", name, describe(v))
			}
			for _, item := range v.Content {
				w, err := str(deref(item), name+".command item")
				if err != nil {
					return err
				}
				if w == "" || strings.IndexFunc(w, unicode.IsSpace) >= 0 {
					return configErr(item.Line, "%s.command word %q must be one non-empty word; put each word in its own list item", name, w)
				}
				c.Command = append(c.Command, w)
			}
		case "ci":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return configErr(v.Line, "%s.ci must be true or false, got %s", name, describe(v))
			}
			if err := v.Decode(&c.CI); err != nil {
				return configErr(v.Line, "%s.ci: %v", name, err)
			}
		default:
			return configErr(k.Line, "unknown key %q in category %q (known: \"ci\", \"command\", \"label\")", key, name)
		}
		return nil
	})
	return c, err
}

// checkName says why name cannot be a category, or "" when it can: a category is a
// top-level folder, named in commands as a whole path segment.
func checkName(name string) string {
	switch {
	case name == "":
		return "a category name cannot be empty"
	case strings.ContainsAny(name, `/\`):
		return "a category is a top-level folder, so its name cannot contain a slash"
	case strings.HasPrefix(name, "."):
		return "folders starting with a dot are never searched"
	case skipDirs[name]:
		return "folders with this name are never searched"
	case reserved[name]:
		return "the name is a word of the /wizard-ci command and cannot be a folder target"
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "a command token cannot contain spaces or control characters"
	}
	return ""
}

// decodeOne decodes a file that holds exactly one YAML document and returns
// its top-level node, or nil when the file is empty (nothing, comments only,
// or null). Errors are *ConfigError naming the line where yaml.v3 gives one.
func decodeOne(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			msg := "invalid YAML: " + m[2]
			if lines := strings.Split(string(data), "\n"); line >= 1 && line <= len(lines) && strings.Contains(lines[line-1], "\t") {
				msg += " (this line holds a tab: YAML indents with spaces only)"
			}
			return nil, configErr(line, "%s", msg)
		}
		return nil, configErr(0, "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, configErr(extra.Line, "a second YAML document; the file holds exactly one")
	} else if !errors.Is(err, io.EOF) {
		return nil, configErr(0, "invalid YAML after the first document: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	root := deref(&doc)
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, nil
		}
		root = deref(root.Content[0])
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	return root, nil
}

// eachPair calls f for every key of a mapping node, in file order, refusing
// non-string and duplicate keys.
func eachPair(m *yaml.Node, f func(key string, k, v *yaml.Node) error) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := deref(m.Content[i]), deref(m.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return configErr(k.Line, "keys must be plain names, got %s", describe(k))
		}
		if line, ok := seen[k.Value]; ok {
			return configErr(k.Line, "key %q is already defined on line %d", k.Value, line)
		}
		seen[k.Value] = k.Line
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// str returns the value of a string scalar; other types are an error, so that
// `label: 2024` or `command: [1]` is caught instead of converted.
func str(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", configErr(n.Line, "%s must be a string, got %s (quote it if it is meant as text)", what, describe(n))
	}
	return n.Value, nil
}

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
