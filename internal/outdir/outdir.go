// Package outdir writes a directory of generated files atomically: the
// files are made in a temporary directory beside the target, which is then
// renamed into place. A failure at any step leaves the target as it was,
// so `errorcanon build` and `errorcanon import` never leave half an output.
package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Marker is the file every output holds, naming the command that made it.
// An existing target without it (and not empty) is refused rather than
// replaced, so a mistyped --out never deletes someone's files.
const Marker = ".errorcanon-output"

// Write calls fill with a fresh temporary directory, then puts that
// directory in place of dir. kind names the command ("build", "import")
// and is written into the marker.
func Write(dir, kind string, fill func(tmp string) error) (err error) {
	dir = filepath.Clean(dir)
	if err := replaceable(dir); err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(kind+"\n"), 0o644); err != nil {
		return err
	}
	return swap(tmp, dir)
}

// replaceable returns an error unless dir is absent, empty or an earlier
// output.
func replaceable(dir string) error {
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, Marker)); err == nil {
		return nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s exists, is not empty and was not written by errorcanon (no %s file in it); choose another directory or empty it", dir, Marker)
	}
	return nil
}

// swap renames tmp to dir; an existing dir is moved aside first and
// removed once the new one is in place (or moved back if that failed).
func swap(tmp, dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	old := strings.Replace(tmp, ".tmp-", ".old-", 1)
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("%v; the previous output is in %s", err, old)
		}
		return err
	}
	return os.RemoveAll(old)
}
