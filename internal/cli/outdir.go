package cli

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/posthog/wizard-ci/internal/results"
)

// markerText is the content of the output folder's marker file.
const markerText = "This folder is an output folder of wizard-ci (https://github.com/posthog/wizard-ci).\n" +
	"Every run replaces results.json, junit.xml, comment.md and logs/ here; keep your own files elsewhere.\n"

// guarded is a folder the output folder must stay clear of: it must not be
// that folder, hold it, or be inside it.
type guarded struct {
	what string // what the folder is: "the workbench"
	dir  string
	why  string // what writing there would do, and what to do instead
}

// workbenchGuard keeps the output folder clear of the workbench, which
// wizard-ci never modifies (SPEC §4).
func workbenchGuard(dir string) guarded {
	return guarded{"the workbench", dir, "wizard-ci never writes into the workbench. " +
		"Choose an output folder outside it (the default is wizard-ci-out)"}
}

// legGuards keep report's output folder clear of the folders it reads: it
// would overwrite the results it merges, or leave its output where the
// next report takes it for a leg.
func legGuards(dirs []string) []guarded {
	g := make([]guarded, len(dirs))
	for i, d := range dirs {
		g[i] = guarded{"the results folder", d, "report must not write where it reads the legs. " +
			"Choose an --out apart from every results folder, for example --out wizard-ci-merged"}
	}
	return g
}

// checkOutDir says whether out may be this run's output folder, without
// changing anything. out is refused when it is, holds or is inside a
// guarded folder (paths compared with symlinks resolved, so a relative path
// or a link cannot disguise one), and when it is a non-empty folder that
// wizard-ci did not make (no marker file): a run deletes logs/ and replaces
// its files there, and must never cost anyone a file of theirs.
func checkOutDir(out string, guards ...guarded) error {
	outReal, err := realPath(out)
	if err != nil {
		return outDirError(out, err)
	}
	for _, g := range guards {
		gReal, err := realPath(g.dir)
		if err != nil {
			return configErrorf("%s %q: %v", g.what, g.dir, err)
		}
		var rel string
		switch {
		case outReal == gReal:
			rel = "is"
		case within(outReal, gReal):
			rel = "is inside"
		case within(gReal, outReal):
			rel = "holds"
		default:
			continue
		}
		return configErrorf("the output folder %q %s %s %q: %s", out, rel, g.what, g.dir, g.why)
	}
	st, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return outDirError(out, err)
	case !st.IsDir():
		return configErrorf("the output folder %q is a file. Choose a new or empty folder, or the output folder of an earlier run", out)
	}
	if _, err := os.Stat(filepath.Join(out, results.MarkerFile)); err == nil {
		return nil
	}
	empty, err := isEmptyDir(out)
	if err != nil {
		return outDirError(out, err)
	}
	if !empty {
		return configErrorf("the output folder %q is not empty and was not made by wizard-ci (it has no %s), "+
			"so files of yours in it could be lost. Choose a new or empty folder, or the output folder of an earlier run",
			out, results.MarkerFile)
	}
	return nil
}

// claimOutDir checks out like checkOutDir, then makes it an output folder:
// it creates the folder and its marker file when needed, and empties its
// logs/ folder, whose logs would not match this run's results.json.
func claimOutDir(out string, guards ...guarded) error {
	if err := checkOutDir(out, guards...); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return outDirError(out, err)
	}
	marker := filepath.Join(out, results.MarkerFile)
	if _, err := os.Stat(marker); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(marker, []byte(markerText), 0o644); err != nil {
			return outDirError(out, err)
		}
	}
	logs := filepath.Join(out, results.LogsDir)
	if err := os.RemoveAll(logs); err != nil {
		return outDirError(out, err)
	}
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return outDirError(out, err)
	}
	return nil
}

// outDirError is an output folder that cannot be read, made or written.
func outDirError(out string, err error) error {
	return configErrorf("the output folder %q cannot be used (%v). Choose a folder you can create and write to", out, err)
}

func isEmptyDir(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if _, err := f.Readdirnames(1); errors.Is(err, io.EOF) {
		return true, nil
	} else if err != nil {
		return false, err
	}
	return false, nil
}

// realPath is p made absolute with every symlink resolved. For a path that
// does not exist yet, its longest existing ancestor is resolved and the
// rest appended, so a folder about to be made compares as what it will be.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// within reports whether path is strictly inside dir; both are clean and
// absolute.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}
