package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// skipDir names folders that are never copied or compared: dependencies
// the wizard would install again, and version control.
func skipDir(name string) bool { return name == "node_modules" || name == ".git" }

// wizardLog is the wizard's own log file, which does not count as a change.
const wizardLog = "posthog-wizard.log"

// copyApp copies the app folder src to a fresh folder under tempRoot and
// returns that folder (to remove afterwards) and the copy inside it, which
// keeps the app's folder name. Only regular files and folders are copied,
// with their permissions; node_modules and .git are left out. src is only
// read.
func copyApp(src, tempRoot string) (tmp, dst string, err error) {
	st, err := os.Stat(src)
	if err != nil {
		return "", "", err
	}
	if !st.IsDir() {
		return "", "", fmt.Errorf("%s is not a folder", src)
	}
	if err := os.MkdirAll(tempRoot, 0o755); err != nil {
		return "", "", err
	}
	tmp, err = os.MkdirTemp(tempRoot, "attempt-")
	if err != nil {
		return "", "", err
	}
	dst = filepath.Join(tmp, filepath.Base(src))
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			if p != src && skipDir(d.Name()) {
				return fs.SkipDir
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			// Owner write and search stay on, so the wizard can edit the
			// copy and it can be removed afterwards.
			return os.Mkdir(target, info.Mode().Perm()|0o700)
		case d.Type().IsRegular():
			return copyFile(p, target)
		default:
			return nil // symlinks, sockets, devices
		}
	})
	if err != nil {
		return tmp, "", err
	}
	return tmp, dst, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	// The umask may have cleared bits of the original mode.
	return os.Chmod(dst, info.Mode().Perm())
}

// entry is one file or folder of a tree, for comparing two trees.
type entry struct {
	dir  bool
	mode fs.FileMode
	size int64
}

// tree lists the regular files and folders under root as compare sees them.
func tree(root string) (map[string]entry, error) {
	m := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if skipDir(d.Name()) {
				return fs.SkipDir
			}
			m[rel] = entry{dir: true}
			return nil
		}
		if !d.Type().IsRegular() || d.Name() == wizardLog {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		m[rel] = entry{mode: info.Mode().Perm(), size: info.Size()}
		return nil
	})
	return m, err
}

// changed reports whether the copy differs from the original app: a file or
// folder added or removed, or a file whose content or permissions changed.
// node_modules, .git and the wizard's own log are ignored.
func changed(orig, copy string) (bool, error) {
	a, err := tree(orig)
	if err != nil {
		return false, err
	}
	b, err := tree(copy)
	if err != nil {
		return false, err
	}
	if len(a) != len(b) {
		return true, nil
	}
	for rel, ea := range a {
		eb, ok := b[rel]
		if !ok || ea != eb {
			return true, nil
		}
		if ea.dir {
			continue
		}
		same, err := sameContent(filepath.Join(orig, rel), filepath.Join(copy, rel))
		if err != nil || !same {
			return true, err
		}
	}
	return false, nil
}

func sameContent(x, y string) (bool, error) {
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
