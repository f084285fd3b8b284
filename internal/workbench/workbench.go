// Package workbench loads a workbench folder (wizard-ci.yml and the apps under its
// categories, SPEC §10) and resolves command targets to apps; it only reads the fs.FS it is given.
package workbench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/agnivade/levenshtein"
)

// RootMarker marks a folder as an app when it holds no project file (a monorepo root, a static site).
const RootMarker = ".wizard-root"

// projectFiles are the files whose presence makes a folder an app (SPEC §10).
var projectFiles = map[string]bool{
	"package.json":     true,
	"requirements.txt": true,
	"pyproject.toml":   true,
	"manage.py":        true,
	"Gemfile":          true,
	"composer.json":    true,
	"go.mod":           true,
	"build.gradle":     true,
	"build.gradle.kts": true,
	"Package.swift":    true,
	"pubspec.yaml":     true,
	"Cargo.toml":       true,
	RootMarker:         true,
}

// skipDirs are never searched for apps: installed dependencies and virtual environments
// hold project files that are not apps of ours. Dot-folders are skipped as well.
var skipDirs = map[string]bool{"node_modules": true, "vendor": true, "venv": true}

// App is one app of the workbench.
type App struct {
	Path     string // slash path relative to the workbench root, e.g. "basic-integration/next-js/app-router-todo"
	Category string // the first segment of Path
}

// Workbench is a loaded workbench: its categories and the apps found under them.
type Workbench struct {
	Categories []Category // in config file order
	Apps       []App      // sorted by Path
	Unlisted   []string   // top-level folders that wizard-ci.yml does not name (reported, never run), sorted
}

// LoadDir loads the workbench in the folder dir on disk. Unlike Load, its errors
// name dir, so a person can see where the config was looked for.
func LoadDir(dir string) (*Workbench, error) {
	w, err := Load(os.DirFS(dir))
	if errors.As(err, &noConfigError{}) {
		return nil, noConfigError{path: filepath.Join(dir, ConfigFile)}
	}
	if err != nil && !relabel(err, filepath.Join(dir, ConfigFile)) {
		err = fmt.Errorf("workbench %s: %w", dir, err)
	}
	return w, err
}

// relabel names file in every *ConfigError of err, a single one or a
// joined list, and reports whether it found any.
func relabel(err error, file string) bool {
	if ce, ok := err.(*ConfigError); ok {
		// Name the file by its path from the working directory, as editors and CI logs expect.
		ce.File = file
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		found := false
		for _, e := range j.Unwrap() {
			found = relabel(e, file) || found
		}
		return found
	}
	return false
}

// Load reads wizard-ci.yml at the root of fsys and finds the apps of every category.
// A missing config wraps fs.ErrNotExist; problems in it, a category without its
// folder included, are *ConfigError (several are joined with errors.Join).
func Load(fsys fs.FS) (*Workbench, error) {
	if st, err := fs.Stat(fsys, ConfigFile); err == nil && st.IsDir() {
		return nil, configErr(0, "is a folder; the workbench config must be a YAML file mapping each category to its settings")
	}
	data, err := fs.ReadFile(fsys, ConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, noConfigError{}
	}
	if err != nil {
		// A *fs.PathError names the file again; the ConfigError already does.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, configErr(0, "cannot be read: %v", err)
	}
	cats, lines, err := parseConfig(data)
	if err != nil {
		return nil, err
	}
	w := &Workbench{Categories: cats, Apps: []App{}, Unlisted: []string{}}

	top, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read the workbench folder: %w", err)
	}
	dirs, files := map[string]bool{}, map[string]bool{}
	for _, e := range top {
		switch {
		case !e.IsDir():
			files[e.Name()] = true
		case !strings.HasPrefix(e.Name(), ".") && !skipDirs[e.Name()]:
			dirs[e.Name()] = true
		}
	}
	var missing []Category
	for _, c := range cats {
		if !dirs[c.Name] {
			missing = append(missing, c)
			continue
		}
		delete(dirs, c.Name)
		if err := w.discover(fsys, c.Name, true); err != nil {
			return nil, err
		}
	}
	for d := range dirs {
		w.Unlisted = append(w.Unlisted, d)
	}
	sort.Strings(w.Unlisted)
	// A category is a top-level folder (SPEC §10): one without its folder is
	// most often a typo, and would otherwise drop its apps without a word.
	// An empty folder is fine: the category has no apps yet.
	var errs []error
	for _, c := range missing {
		why := fmt.Sprintf("there is no folder %s/ in the workbench", c.Name)
		if files[c.Name] {
			why = fmt.Sprintf("%s is a file, not a folder", c.Name)
		}
		msg := fmt.Sprintf("category %q has no folder: %s", c.Name, why)
		if near := closeNames(c.Name, w.Unlisted); len(near) > 0 {
			msg += fmt.Sprintf(" (did you mean %s?)", quoteList(near))
		}
		errs = append(errs, configErr(lines[c.Name], "%s; name the category after its top-level folder, or create the folder", msg))
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	if len(errs) > 1 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(w.Apps, func(i, j int) bool { return w.Apps[i].Path < w.Apps[j].Path })
	return w, nil
}

// closeNames returns up to 3 of names within a small edit distance of name
// (case-insensitive), closest first.
func closeNames(name string, names []string) []string {
	type cand struct {
		name string
		dist int
	}
	limit := max(2, len([]rune(name))/3)
	var cands []cand
	for _, n := range names {
		if d := levenshtein.ComputeDistance(strings.ToLower(name), strings.ToLower(n)); d <= limit {
			cands = append(cands, cand{n, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	var out []string
	for i := 0; i < len(cands) && i < 3; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// discover adds dir to w.Apps when it is an app, else searches its sub-folders.
// Folders under an app are not searched (SPEC §10): a sub-package is part of its app.
func (w *Workbench) discover(fsys fs.FS, dir string, isCategory bool) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("search %s for apps: %w", dir, err)
	}
	if !isCategory {
		for _, e := range entries {
			if projectFiles[e.Name()] && !e.IsDir() {
				if strings.IndexFunc(dir, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
					return fmt.Errorf("app folder %q has a space or control character in its path, so no command can name it; rename it", dir)
				}
				cat, _, _ := strings.Cut(dir, "/")
				w.Apps = append(w.Apps, App{Path: dir, Category: cat})
				return nil
			}
		}
	}
	for _, e := range entries {
		// e.IsDir is false for symbolic links, which are not followed, so a link loop cannot hang discovery.
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || skipDirs[e.Name()] {
			continue
		}
		if err := w.discover(fsys, path.Join(dir, e.Name()), false); err != nil {
			return err
		}
	}
	return nil
}

// noConfigError is the error when the workbench has no wizard-ci.yml; path
// is where it was looked for on disk (LoadDir), "" for an fs.FS (Load).
type noConfigError struct{ path string }

func (e noConfigError) Error() string {
	if e.path != "" {
		return fmt.Sprintf("no workbench config: %s does not exist (choose the workbench folder with --workbench or the workbench input)", e.path)
	}
	return ConfigFile + " not found at the root of the workbench folder"
}

func (noConfigError) Unwrap() error { return fs.ErrNotExist }

// Category returns the category with this name.
func (w *Workbench) Category(name string) (Category, bool) {
	for _, c := range w.Categories {
		if c.Name == name {
			return c, true
		}
	}
	return Category{}, false
}

// IsProgram reports whether name is a category, and so may be used as the
// <program> of a command (SPEC §2).
func (w *Workbench) IsProgram(name string) bool {
	_, ok := w.Category(name)
	return ok
}
