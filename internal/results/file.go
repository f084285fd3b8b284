package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/posthog/wizard-ci/internal/jsonerr"
)

// Write writes results.json (indented, schema set, totals recomputed),
// junit.xml and, when comment is not empty, comment.md into dir, creating
// dir when needed. r itself is not modified. It tries every file, so one
// that cannot be written costs no other; the error is then a *WriteError
// naming each file that was not written.
//
// Every app must have an outcome: results.json is the final record, and a
// pending app would make a file that Read refuses.
func Write(dir string, r *Results, comment string) error {
	files := []string{JSONFile, JUnitFile}
	if comment != "" {
		files = append(files, CommentFile)
	}
	fail := func(err error) error { return &WriteError{Failed: files, Err: err} }
	if r == nil {
		return fail(errors.New("write results: no results"))
	}
	n := normalized(r)
	if err := n.validate(); err != nil {
		return fail(fmt.Errorf("write results: %w", err))
	}
	b, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return fail(fmt.Errorf("encode %s: %w", JSONFile, err))
	}
	b = append(b, '\n')
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(fmt.Errorf("write results: %w", err))
	}
	content := map[string][]byte{JSONFile: b, JUnitFile: JUnit(n), CommentFile: []byte(comment)}
	we := &WriteError{}
	var errs []error
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f), content[f]); err != nil {
			we.Failed = append(we.Failed, f)
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	we.Err = errors.Join(errs...)
	return we
}

// WriteError says which files Write could not write (the others were).
type WriteError struct {
	Failed []string // file names, such as results.json
	Err    error
}

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// Written reports whether a Write that returned err wrote the file name.
func Written(err error, name string) bool {
	var we *WriteError
	if !errors.As(err, &we) {
		return true
	}
	return !slices.Contains(we.Failed, name)
}

// resultsDoc is how errors name a results.json.
var resultsDoc = jsonerr.Doc{What: "a wizard-ci results.json", Writer: "wizard-ci writes"}

// Read reads dir/results.json and checks that it is a wizard-ci/results@1
// record: the schema matches, every app has a clean workbench path
// (CheckAppPath) and a known outcome (outcome.Outcome refuses unknown names)
// and no app appears twice. The file is untrusted (a leg's artifact can
// hold anything), so nothing it names may reach outside its folder.
func Read(dir string) (*Results, error) {
	p := filepath.Join(dir, JSONFile)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	var r Results
	if err := resultsDoc.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("read %s: not %s: its schema is %q, where wizard-ci writes %q", p, resultsDoc.What, r.Schema, Schema)
	}
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if r.Totals == nil {
		r.Totals = Tally(r.Apps)
	}
	return &r, nil
}

// validate checks what every results.json must hold.
func (r *Results) validate() error {
	if r.Run.Shard != "" {
		if _, _, err := parseShard(r.Run.Shard); err != nil {
			return err
		}
	}
	if r.Run.Selected < 0 {
		return fmt.Errorf("run.selected is %d, below 0", r.Run.Selected)
	}
	seen := make(map[string]bool, len(r.Apps))
	for i, a := range r.Apps {
		if a.App == "" {
			return fmt.Errorf("app %d has no path", i+1)
		}
		if err := CheckAppPath(a.App); err != nil {
			return fmt.Errorf("app %q: %w", a.App, err)
		}
		if seen[a.App] {
			return fmt.Errorf("app %q appears twice", a.App)
		}
		seen[a.App] = true
		if !a.Outcome.Valid() {
			return fmt.Errorf("app %q has no valid outcome (%q)", a.App, a.Outcome)
		}
		for j, at := range a.Attempts {
			if !at.Outcome.Valid() {
				return fmt.Errorf("app %q attempt %d has no valid outcome (%q)", a.App, j+1, at.Outcome)
			}
		}
	}
	return nil
}

// CheckAppPath checks that app is what workbench discovery yields: a clean
// path relative to the workbench root, with / between segments. A path from
// a file (a leg's results.json) that is not is refused before it names a
// log, a table row or a folder.
func CheckAppPath(app string) error {
	switch {
	case app == "":
		return errors.New("the path is empty")
	case strings.ContainsFunc(app, unicode.IsControl):
		return errors.New("the path holds a control character")
	case path.IsAbs(app) || filepath.IsAbs(app):
		return errors.New("the path is absolute, not relative to the workbench")
	}
	for _, seg := range strings.Split(app, "/") {
		switch seg {
		case "":
			return errors.New("the path has an empty segment")
		case ".", "..":
			return fmt.Errorf("the path has a %q segment", seg)
		}
	}
	return nil
}

// normalized returns a copy of r with the schema set, totals recomputed and
// nil lists made empty, so results.json shows [] rather than null.
func normalized(r *Results) *Results {
	n := *r
	n.Schema = Schema
	n.Run.Targets = nonNil(r.Run.Targets)
	n.Apps = make([]App, len(r.Apps))
	for i, a := range r.Apps {
		a.Attempts = nonNil(a.Attempts)
		if a.Checks != nil {
			c := *a.Checks
			c.Failures = nonNil(c.Failures)
			a.Checks = &c
		}
		n.Apps[i] = a
	}
	n.Totals = Tally(n.Apps)
	return &n
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writeFile replaces path atomically, so a reader never sees half a file.
func writeFile(path string, b []byte) error {
	if st, err := os.Lstat(path); err == nil && st.IsDir() {
		return fmt.Errorf("write %s: a folder of that name is in the way", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}
