package checks

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Bounds on what the checks read, so a huge or hostile app copy cannot
// exhaust memory or time.
const (
	MaxFileBytes = 1 << 20 // bytes read from one file; the rest is ignored
	MaxFiles     = 20000   // files looked at in one app
)

// skipDirs are folders the wizard does not write sources into: installed
// dependencies, version control, caches and build output. They are neither
// scanned nor compared.
var skipDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "jspm_packages": true,
	"vendor": true, "venv": true, ".venv": true, "__pycache__": true, "site-packages": true,
	".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true, ".tox": true, ".nox": true,
	".git": true, ".hg": true, ".svn": true,
	"dist": true, "build": true, "out": true, "target": true, "coverage": true,
	".next": true, ".nuxt": true, ".svelte-kit": true, ".turbo": true, ".cache": true, ".parcel-cache": true,
	".vercel": true, ".output": true, ".angular": true, ".expo": true,
	".gradle": true, ".dart_tool": true, "Pods": true, ".bundle": true, "DerivedData": true,
}

// wizardLog is the wizard's own log, which is not a change to the app.
const wizardLog = "posthog-wizard.log"

// sourceExts are the files searched for initialisation and capture calls
// when expect.yml names no files: code and HTML, never docs (the wizard's
// setup report quotes code it did not necessarily write).
var sourceExts = map[string]bool{
	".js": true, ".jsx": true, ".mjs": true, ".cjs": true, ".ts": true, ".tsx": true, ".mts": true, ".cts": true,
	".vue": true, ".svelte": true, ".astro": true, ".html": true, ".htm": true,
	".py": true, ".rb": true, ".erb": true, ".php": true, ".go": true,
	".java": true, ".kt": true, ".kts": true, ".scala": true, ".groovy": true,
	".swift": true, ".m": true, ".dart": true, ".rs": true, ".ex": true, ".exs": true, ".cs": true,
	// templates that hold inline scripts
	".ejs": true, ".hbs": true, ".handlebars": true, ".njk": true, ".twig": true, ".liquid": true,
	".jinja": true, ".jinja2": true, ".j2": true, ".heex": true, ".cshtml": true, ".razor": true,
}

func isSource(rel string) bool { return sourceExts[strings.ToLower(path.Ext(rel))] }

// listFiles returns the regular files under root as sorted slash paths,
// leaving out skipDirs and the wizard's log; at most limit when limit > 0.
func listFiles(root string, limit int) ([]string, error) {
	var out []string
	errFull := errors.New("full")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable corner of the copy is not the app
		}
		if p == root {
			return nil
		}
		if d.IsDir() {
			if skipDirs[d.Name()] {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || d.Name() == wizardLog {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return nil
		}
		out = append(out, filepath.ToSlash(rel))
		if limit > 0 && len(out) >= limit {
			return errFull
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFull) {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// readLimited reads at most n bytes of the file p.
func readLimited(p string, n int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// readText reads the first MaxFileBytes of rel under root; ok is false for
// a file that cannot be read or looks binary (a NUL byte in its first 8 KiB).
func readText(root, rel string) (string, bool) {
	b, err := readLimited(filepath.Join(root, filepath.FromSlash(rel)), MaxFileBytes)
	if err != nil || bytes.IndexByte(b[:min(len(b), 8<<10)], 0) >= 0 {
		return "", false
	}
	return string(b), true
}

// matchGlob matches a slash path against a glob of path.Match segments in
// which a "**" segment stands for any number of folders, none included.
func matchGlob(glob, name string) bool {
	return matchSegs(strings.Split(path.Clean(glob), "/"), strings.Split(name, "/"))
}

func matchSegs(g, n []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(n); i++ {
				if matchSegs(g[1:], n[i:]) {
					return true
				}
			}
			return false
		}
		if len(n) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], n[0]); !ok {
			return false
		}
		g, n = g[1:], n[1:]
	}
	return len(n) == 0
}

// AppChanged reports whether the wizard changed the app copy at all: a file
// added, removed, or with other content or permissions (skipDirs and the
// wizard's log aside). The runner uses it to tell success from no-changes.
func AppChanged(orig, copy string) (bool, error) {
	same, err := sameTree(orig, copy)
	return !same, err
}

// sameTree reports whether the copy holds exactly the files of the original
// with the same contents, as far as the checks look (skipDirs and the
// wizard's log aside).
func sameTree(orig, copy string) (bool, error) {
	a, err := listFiles(orig, 0)
	if err != nil {
		return false, err
	}
	b, err := listFiles(copy, 0)
	if err != nil {
		return false, err
	}
	if len(a) != len(b) {
		return false, nil
	}
	for i := range a {
		if a[i] != b[i] {
			return false, nil
		}
		same, err := sameFile(filepath.Join(orig, filepath.FromSlash(a[i])), filepath.Join(copy, filepath.FromSlash(b[i])))
		if err != nil || !same {
			return false, err
		}
	}
	return true, nil
}

func sameFile(x, y string) (bool, error) {
	sx, err := os.Stat(x)
	if err != nil {
		return false, err
	}
	sy, err := os.Stat(y)
	if err != nil {
		return false, err
	}
	if sx.Size() != sy.Size() || sx.Mode().Perm() != sy.Mode().Perm() {
		return false, nil
	}
	fx, err := os.Open(x)
	if err != nil {
		return false, err
	}
	defer fx.Close()
	fy, err := os.Open(y)
	if err != nil {
		return false, err
	}
	defer fy.Close()
	bx, by := make([]byte, 32<<10), make([]byte, 32<<10)
	for {
		nx, ex := io.ReadFull(fx, bx)
		ny, ey := io.ReadFull(fy, by)
		if nx != ny || !bytes.Equal(bx[:nx], by[:ny]) {
			return false, nil
		}
		endX := errors.Is(ex, io.EOF) || errors.Is(ex, io.ErrUnexpectedEOF)
		endY := errors.Is(ey, io.EOF) || errors.Is(ey, io.ErrUnexpectedEOF)
		switch {
		case ex != nil && !endX:
			return false, ex
		case ey != nil && !endY:
			return false, ey
		case endX || endY:
			return endX && endY, nil
		}
	}
}
