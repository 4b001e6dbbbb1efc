package verify

// This file holds the sandbox: bubblewrap (Debian's bubblewrap package)
// with new user, pid, network, ipc, uts and cgroup namespaces.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// ReproDir is where a script's empty directory appears inside the
// sandbox, and its HOME: a fixed path, so that what tools print about
// their working directory is the same on every run and machine.
const ReproDir = "/tmp/repro"

// Sandbox runs scripts with bubblewrap:
//   - the environment holds only PATH, HOME, LANG, TZ, a few settings
//     that keep tools from colouring or reaching out, and the locations of
//     toolchains installed under the caller's home (rustup, cargo, pyenv);
//   - the file system is read-only except /tmp (a new tmpfs) and ReproDir;
//   - the network namespace has only a loopback interface;
//   - the script runs as uid and gid 1000 of a new user namespace, so it
//     holds no capability over the machine's files;
//   - it is pid 2 of a new pid namespace: when it ends, is killed or
//     times out, everything it started dies with the namespace.
type Sandbox struct {
	Bwrap string   // path of bwrap
	Env   []string // the whole environment of a script
	// Cache is a directory that every script of this sandbox sees at
	// /tmp/cache, writable: compilers' caches (GOCACHE) live there, so
	// that the Go runtime is compiled once per verify run, not once per
	// script. Close removes it.
	Cache string
}

// Close removes the shared cache.
func (s *Sandbox) Close() error { return os.RemoveAll(s.Cache) }

// NewSandbox finds bwrap and checks that it can create its namespaces
// here (a container may forbid user namespaces).
func NewSandbox(ctx context.Context) (*Sandbox, error) {
	bwrap, err := exec.LookPath("bwrap")
	if err != nil {
		return nil, errors.New("bwrap not found: install Debian's bubblewrap package")
	}
	cache, err := os.MkdirTemp("", "errorcanon-cache-")
	if err != nil {
		return nil, err
	}
	s := &Sandbox{Bwrap: bwrap, Env: scriptEnv(os.Getenv), Cache: cache}
	out, timedOut, err := s.Run(ctx, "true", 10*time.Second)
	if err != nil || timedOut || out != "" {
		s.Close()
		return nil, fmt.Errorf("bwrap cannot create its namespaces here: %v %s", err, out)
	}
	return s, nil
}

// scriptEnv is the environment scripts see. Nothing of the caller's
// passes except PATH and where toolchains live.
func scriptEnv(getenv func(string) string) []string {
	env := []string{
		"PATH=" + getenv("PATH"),
		"HOME=" + ReproDir,
		"LANG=C.UTF-8",
		"TZ=UTC",
		"TERM=dumb",
		"NO_COLOR=1",
		"GIT_CONFIG_NOSYSTEM=1",
		"GOTOOLCHAIN=local", // never download a Go toolchain
		"GOPROXY=off",       // nor modules: there is no network
		"GOCACHE=/tmp/cache/go-build",
	}
	home := getenv("HOME")
	for _, t := range []struct{ name, under string }{
		{"RUSTUP_HOME", ".rustup"}, {"CARGO_HOME", ".cargo"}, {"PYENV_ROOT", ".pyenv"},
	} {
		v := getenv(t.name)
		if v == "" && home != "" {
			if _, err := os.Stat(filepath.Join(home, t.under)); err == nil {
				v = filepath.Join(home, t.under)
			}
		}
		if v != "" {
			env = append(env, t.name+"="+v)
		}
	}
	if v := getenv("JAVA_HOME"); v != "" {
		env = append(env, "JAVA_HOME="+v)
	}
	return env
}

// Run runs script with sh in a new empty directory and returns what it
// printed (standard output and error together, at most MaxOutput bytes).
// err reports a failure to run the sandbox itself, not the script's exit
// status, which reproductions expect to be non-zero.
func (s *Sandbox) Run(ctx context.Context, script string, timeout time.Duration) (out string, timedOut bool, err error) {
	dir, err := os.MkdirTemp("", "errorcanon-verify-")
	if err != nil {
		return "", false, err
	}
	defer os.RemoveAll(dir)
	// The directory belongs to the caller, who is uid 1000 inside.
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", false, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := []string{
		"--unshare-all", "--uid", "1000", "--gid", "1000",
		"--die-with-parent", "--new-session",
		"--ro-bind", "/", "/",
		"--dev", "/dev", "--proc", "/proc",
		"--tmpfs", "/tmp",
		"--bind", dir, ReproDir,
		"--bind", s.Cache, "/tmp/cache",
		"--chdir", ReproDir,
		"--clearenv",
	}
	for _, kv := range s.Env {
		k, v, _ := strings.Cut(kv, "=")
		args = append(args, "--setenv", k, v)
	}
	args = append(args, "sh", "-c", script)
	cmd := exec.CommandContext(ctx, s.Bwrap, args...)
	cmd.Env = []string{}
	buf := &capped{max: MaxOutput}
	cmd.Stdout, cmd.Stderr = buf, buf
	// bwrap is the namespace's init; killing its process group ends the
	// namespace and everything in it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	before := devModes()
	runErr := cmd.Run()
	if err := restoreDevModes(before); err != nil {
		return buf.String(), false, err
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return buf.String(), true, nil
	}
	var ee *exec.ExitError
	if runErr != nil && !errors.As(runErr, &ee) {
		return buf.String(), false, runErr
	}
	return buf.String(), false, nil
}

// devNodes are the machine's device nodes that bwrap's --dev binds into
// the sandbox writable. The user namespace maps the script's uid to the
// caller's, so when verify runs as root (as CI does) a script owns them
// and could chmod them for the whole machine; a read-only bind would
// also forbid using them (bwrap adds nodev). So their modes are checked
// around every script: a change is undone and fails the script (under
// verify -j, possibly a script running beside the culprit: the point is
// that the machine is put right and the run fails).
var devNodes = []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"}

func devModes() map[string]os.FileMode {
	m := map[string]os.FileMode{}
	for _, p := range devNodes {
		if fi, err := os.Stat(p); err == nil {
			m[p] = fi.Mode()
		}
	}
	return m
}

// restoreDevModes puts back the modes of before that changed, and says
// which did.
func restoreDevModes(before map[string]os.FileMode) error {
	var changed []string
	for p, mode := range before {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode() == mode {
			continue
		}
		changed = append(changed, fmt.Sprintf("%s %v -> %v", p, mode, fi.Mode()))
		_ = os.Chmod(p, mode.Perm())
	}
	if changed == nil {
		return nil
	}
	slices.Sort(changed)
	return fmt.Errorf("the script changed the machine's device nodes through the sandbox (%s); restored: a reproduction must not touch anything outside %s", strings.Join(changed, ", "), ReproDir)
}
