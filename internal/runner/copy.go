package runner

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// skipDir names folders that are never copied or compared: dependencies
// the wizard would install again, and version control.
func skipDir(name string) bool { return name == "node_modules" || name == ".git" }

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
