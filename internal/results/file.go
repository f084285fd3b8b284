package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Write writes results.json (indented, schema set, totals recomputed) and
// junit.xml into dir, creating dir when needed. r itself is not modified.
//
// Every app must have an outcome: results.json is the final record, and a
// pending app would make a file that Read refuses.
func Write(dir string, r *Results) error {
	if r == nil {
		return fmt.Errorf("write results: no results")
	}
	n := normalized(r)
	if err := n.validate(); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	b, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", JSONFile, err)
	}
	b = append(b, '\n')
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	if err := writeFile(filepath.Join(dir, JSONFile), b); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, JUnitFile), JUnit(n))
}

// Read reads dir/results.json and checks that it is a wizard-ci/results@1
// record: the schema matches, every app has a path and a known outcome
// (outcome.Outcome refuses unknown names) and no app appears twice.
func Read(dir string) (*Results, error) {
	p := filepath.Join(dir, JSONFile)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	var r Results
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&r); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("read %s: schema is %q, want %q", p, r.Schema, Schema)
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
	seen := make(map[string]bool, len(r.Apps))
	for i, a := range r.Apps {
		if a.App == "" {
			return fmt.Errorf("app %d has no path", i+1)
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
