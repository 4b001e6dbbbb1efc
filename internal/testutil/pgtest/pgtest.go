// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb
// and pg_ctl in a temporary directory, listening only on a unix socket
// there (no port to collide with), run as the postgres (or nobody) user
// when the tests run as root, since PostgreSQL refuses to run as root.
//
// One cluster serves a test binary; each URL call gets a fresh database.
// A package that calls URL stops the cluster from TestMain:
//
//	func TestMain(m *testing.M) { code := m.Run(); pgtest.Stop(); os.Exit(code) }
//
// Without PostgreSQL's binaries the tests skip with a message, except
// under CI=true, where they fail: CI installs PostgreSQL.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

type cluster struct {
	dir, bin string
	as       []string // runuser prefix, when root
	dbs      atomic.Int64
}

var (
	once     sync.Once
	cl       *cluster
	startErr error
	missing  bool
)

// BinDir finds the directory of initdb and pg_ctl: on PATH, else the
// newest /usr/lib/postgresql/*/bin (Debian keeps them there). "" when
// PostgreSQL is not installed.
func BinDir() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// URL returns the URL of a new, empty database in the test binary's
// cluster, starting the cluster on first use.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(start)
	if missing {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin); CI must install it")
		}
		t.Skip("skipping: PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin); install postgresql to run these tests")
	}
	if startErr != nil {
		t.Fatalf("starting a throwaway PostgreSQL cluster: %v", startErr)
	}
	name := fmt.Sprintf("t%d", cl.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, cl.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return cl.url(name)
}

func (c *cluster) url(db string) string {
	return "postgres://postgres@/" + db + "?host=" + c.dir + "&sslmode=disable"
}

func start() {
	bin := BinDir()
	if bin == "" {
		missing = true
		return
	}
	c := &cluster{bin: bin}
	dir, err := os.MkdirTemp("", "ecpg")
	if err != nil {
		startErr = err
		return
	}
	c.dir = dir
	if os.Geteuid() == 0 {
		name := "postgres"
		u, err := user.Lookup(name)
		if err != nil {
			name = "nobody"
			u, err = user.Lookup(name)
		}
		if err != nil {
			startErr = fmt.Errorf("running as root and no postgres or nobody user: %v", err)
			return
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			startErr = err
			return
		}
		c.as = []string{"runuser", "-u", name, "--"}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		startErr = err
		return
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		startErr = fmt.Errorf("initdb: %v\n%s", err, out)
		return
	}
	// Only a unix socket in dir; no fsync (the cluster dies with the
	// tests; what the tests check is that the server acknowledges only
	// what PostgreSQL committed).
	if out, err := c.run("pg_ctl", "-D", data, "-o", c.opts(), "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		startErr = fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
		return
	}
	cl = c
}

func (c *cluster) opts() string {
	return "-k " + c.dir + " -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=200"
}

func (c *cluster) run(name string, args ...string) ([]byte, error) {
	argv := append(append([]string{}, c.as...), filepath.Join(c.bin, name))
	argv = append(argv, args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// Stop stops the cluster, if one was started, and removes its files.
func Stop() {
	if cl == nil {
		return
	}
	_, _ = cl.run("pg_ctl", "-D", filepath.Join(cl.dir, "data"), "-m", "immediate", "-w", "stop")
	_ = os.RemoveAll(cl.dir)
	cl = nil
}

// ServerStop stops the cluster's server (its data kept), for tests of a
// database that goes away; ServerStart brings it back.
func ServerStop(t testing.TB) {
	t.Helper()
	if out, err := cl.run("pg_ctl", "-D", filepath.Join(cl.dir, "data"), "-m", "fast", "-w", "stop"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// ServerStart starts the server ServerStop stopped.
func ServerStart(t testing.TB) {
	t.Helper()
	if out, err := cl.run("pg_ctl", "-D", filepath.Join(cl.dir, "data"), "-o", cl.opts(), "-l", filepath.Join(cl.dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		t.Fatalf("pg_ctl start: %v\n%s", err, out)
	}
}
