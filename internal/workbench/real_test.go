package workbench

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// realWorkbench is the repository's own workbench, the one CI runs.
var realWorkbench = filepath.Join("..", "..", "workbench")

func TestRealWorkbench(t *testing.T) {
	t.Parallel()
	fsys := os.DirFS(realWorkbench)
	w, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Unlisted) != 0 {
		t.Errorf("unlisted top-level folders %q: name them in %s or remove them", w.Unlisted, ConfigFile)
	}
	for _, c := range w.Categories {
		if !c.CI {
			t.Errorf("category %q has ci: false; every category of the repository's workbench is meant for CI", c.Name)
		}
	}
	wantCats := map[string][]string{
		"basic-integration":                 {},
		"revenue":                           {"revenue-analytics"},
		"error-tracking-upload-source-maps": {"upload-source-maps"},
		"misc":                              {},
	}
	gotCats := map[string][]string{}
	for _, c := range w.Categories {
		gotCats[c.Name] = c.Command
	}
	if d := cmp.Diff(wantCats, gotCats); d != "" {
		t.Errorf("categories and their commands (-want +got):\n%s", d)
	}

	perCat := map[string]int{}
	for _, a := range w.Apps {
		perCat[a.Category]++
	}
	if len(w.Apps) < 12 || len(perCat) < 4 {
		t.Errorf("%d apps in %d categories, want at least 12 in at least 4: %v", len(w.Apps), len(perCat), paths(w.Apps))
	}
	all, err := w.Select([]string{"all"}, true)
	if err != nil || len(all) != len(w.Apps) {
		t.Errorf("all selects %d apps (error %v), want every one of the %d", len(all), err, len(w.Apps))
	}

	// Every app is a small, self-contained miniature: a README, an expect.yml,
	// and nothing installed or locked.
	for _, a := range w.Apps {
		for _, f := range []string{"README.md", ".wizard-ci/expect.yml"} {
			if _, err := fs.Stat(fsys, path.Join(a.Path, f)); err != nil {
				t.Errorf("app %s: %v", a.Path, err)
			}
		}
		err := fs.WalkDir(fsys, a.Path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch d.Name() {
			case "node_modules", "venv", ".venv", "__pycache__", "dist", ".next",
				"package-lock.json", "pnpm-lock.yaml", "yarn.lock", "poetry.lock", "Pipfile.lock":
				t.Errorf("app %s holds %s: the workbench keeps sources only", a.Path, p)
			}
			if strings.Contains(strings.ToLower(d.Name()), ".env") {
				t.Errorf("app %s holds %s: no environment files in the workbench", a.Path, p)
			}
			return nil
		})
		if err != nil {
			t.Errorf("walk %s: %v", a.Path, err)
		}
	}
}
