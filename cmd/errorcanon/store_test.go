package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/errorcanon/errorcanon/internal/store"
	"github.com/errorcanon/errorcanon/internal/testutil"
	"github.com/errorcanon/errorcanon/internal/testutil/pgtest"
)

// The entries the store tests report on: one of the seed catalog's, which
// the serve subprocesses load (a small catalog starts in a fraction of the
// shipped one's time), and one of the shipped catalog's for the CLI.
const (
	reportID    = testutil.SeedALB
	cliReportID = "python/module-not-found-error"
)

// serveProc is an `errorcanon serve` subprocess (the test binary run as
// errorcanon).
type serveProc struct {
	cmd  *exec.Cmd
	url  string
	logs *lockedBuffer
}

var listenRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startServeProc starts serve on a free port with the seed catalog, the
// store dsn and no report limits, and waits until it listens.
func startServeProc(t *testing.T, dsn string) *serveProc {
	t.Helper()
	bin, env := binary(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--catalog", testutil.SeedDir(t, nil), "--db", dsn, "--report-rate", "0")
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, logs: &lockedBuffer{}}
	t.Cleanup(func() { p.kill() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.logs.Write([]byte(line + "\n"))
			if m := listenRE.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("serve exited before listening:\n%s", p.logs.String())
		}
		p.url = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not listen within 60 s:\n%s", p.logs.String())
	}
	return p
}

// kill ends the process with SIGKILL: no shutdown, no flush.
func (p *serveProc) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

var client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64}}

// postReport posts one report with a reporter token and returns its id,
// or "" when it was not acknowledged.
func postReport(base, reporter string, workaround int, outcome string) (string, error) {
	body := fmt.Sprintf(`{"workaround": %d, "outcome": %q, "reporter": %q}`, workaround, outcome, reporter)
	resp, err := client.Post(base+"/api/v1/errors/"+reportID+"/outcomes", "application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("%d %s", resp.StatusCode, b)
	}
	var rc struct{ ID string }
	if err := json.Unmarshal(b, &rc); err != nil || rc.ID == "" {
		return "", fmt.Errorf("acknowledgement %s: %v", b, err)
	}
	return rc.ID, nil
}

// storeEventually posts a report to base until it is stored, retrying
// while the server answers 503 (its store not connected yet), for up to
// 30 s.
func storeEventually(t *testing.T, base, reporter string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := postReport(base, reporter, 1, "worked")
		if err == nil {
			return
		}
		if !strings.HasPrefix(err.Error(), "503 ") || time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// entryStats reads the live figures of reportID from a server.
func entryStats(t *testing.T, base string) (reports int, firstRate float64) {
	t.Helper()
	resp, err := client.Get(base + "/errors/" + reportID + "/index.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Stats struct {
			Reports     int `json:"reports"`
			Workarounds []struct {
				Rate float64 `json:"rate"`
			} `json:"workarounds"`
		} `json:"stats"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.Stats.Reports, doc.Stats.Workarounds[0].Rate
}

// TestKillDuringReports posts 1,000 reports concurrently and kills serve
// with SIGKILL while they are in flight: after a restart on the same
// database, every report that was acknowledged is there.
func TestKillDuringReports(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts serve twice per back end")
	}
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); killDuringReports(t, filepath.Join(t.TempDir(), "kill.db")) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); killDuringReports(t, pgtest.URL(t)) })
}

func killDuringReports(t *testing.T, dsn string) {
	p := startServeProc(t, dsn)
	const total = 1000
	var (
		mu    sync.Mutex
		acked []string
		n     atomic.Int64
		wg    sync.WaitGroup
	)
	killed := make(chan struct{})
	var once sync.Once
	for i := range total {
		wg.Go(func() {
			id, err := postReport(p.url, fmt.Sprintf("reporter-%d", i), 1+i%3, "worked")
			if err != nil {
				return // not acknowledged: the server died first
			}
			mu.Lock()
			acked = append(acked, id)
			mu.Unlock()
			// Kill once a third are acknowledged, with the rest in flight.
			if n.Add(1) == total/3 {
				once.Do(func() { p.kill(); close(killed) })
			}
		})
	}
	wg.Wait()
	once.Do(func() { p.kill(); close(killed) })
	<-killed
	if len(acked) < total/3 || len(acked) == total {
		t.Logf("acknowledged %d of %d before the kill", len(acked), total)
	}

	// Restart on the same database: it opens (WAL recovery on SQLite),
	// and every acknowledged report is stored and counted.
	p2 := startServeProc(t, dsn)
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := store.CountIDs(context.Background(), st, acked)
	if err != nil {
		t.Fatal(err)
	}
	if got != len(acked) {
		t.Errorf("after SIGKILL and restart, %d of %d acknowledged reports are stored", got, len(acked))
	}
	if reports, _ := entryStats(t, p2.url); reports < len(acked) {
		t.Errorf("the restarted server counts %d reports, fewer than the %d acknowledged", reports, len(acked))
	}
	// A report to the restarted server shows in its metrics.
	if _, err := postReport(p2.url, "after-restart", 1, "worked"); err != nil {
		t.Fatal(err)
	}
	resp, err := client.Get(p2.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(m), `errorcanon_reports_total{kind="workaround",outcome="worked",result="stored"} 1`) || !strings.Contains(string(m), "errorcanon_store_write_seconds_count 1") {
		t.Errorf("/metrics after one report:\n%s", m)
	}
	t.Logf("%s: %d acknowledged before SIGKILL, all %d found after restart", filepath.Base(strings.SplitN(dsn, "?", 2)[0]), len(acked), got)
}

// TestReplicasSeeEachOthersReports: two serve processes on one
// PostgreSQL database; a report posted to one changes the figure the
// other serves within 2 s.
func TestReplicasSeeEachOthersReports(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts two serve processes")
	}
	dsn := pgtest.URL(t)
	var a, b *serveProc
	var wg sync.WaitGroup
	wg.Go(func() { a = startServeProc(t, dsn) })
	wg.Go(func() { b = startServeProc(t, dsn) })
	wg.Wait()
	if a == nil || b == nil {
		t.FailNow()
	}
	// A replica whose database did not answer within its start's 5 s
	// (a loaded machine: two servers migrating one fresh cluster) serves
	// pages and answers writes 503 until it connects in the background:
	// each replica stores a report of its own first, retried while 503.
	for i, p := range []*serveProc{a, b} {
		storeEventually(t, p.url, fmt.Sprintf("replica-warmup-%d", i))
	}
	// b counts both before the report whose arrival is timed.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if n, _ := entryStats(t, b.url); n == 2 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("replica b counts %d reports 30 s after one to each replica", n)
		}
	}
	before, rate0 := entryStats(t, b.url)
	// Warm b's page cache, so the figure must come from an invalidation.
	entryStats(t, b.url)
	posted := time.Now()
	if _, err := postReport(a.url, "replica-test", 1, "did_not_work"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		n, rate := entryStats(t, b.url)
		if n == before+1 && rate < rate0 {
			t.Logf("replica b served the report %v after it was posted to a", time.Since(posted).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica b still serves %d reports (rate %v) 2 s after a report to a; logs:\n%s", n, rate, b.logs.String())
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not synchronisation
	}
}

func runMatchJSON(t *testing.T, db, text string) string {
	t.Helper()
	var out, errb lockedBuffer
	e := &env{stdin: strings.NewReader(text), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, []string{"match", "--json", "--db", db}); code != 0 {
		t.Fatalf("match: exit %d: %s", code, errb.String())
	}
	return out.String()
}

// TestReportCommand: errorcanon report writes to --db and prints the
// figure; show then shows the same figure; bad input exits 2.
func TestReportCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	code, out, errOut := runCmd(context.Background(), nil, "report", cliReportID, "--workaround", "1", "--outcome", "worked_with_changes", "--db", db, "--reporter", "me")
	if code != 0 || !strings.Contains(out, "(n=1, 90% interval") {
		t.Fatalf("report: %d %q %q", code, out, errOut)
	}
	fig := strings.TrimSpace(out[strings.Index(out, "\n"):])
	code, show, _ := runCmd(context.Background(), nil, "show", cliReportID, "--db", db)
	if code != 0 || !strings.Contains(show, fig) {
		t.Errorf("show does not print the figure %q:\n%s", fig, show)
	}
	// match --json gives the same live rate for the workaround.
	var m struct {
		Results []struct {
			ID          string
			Workarounds []struct {
				SuccessRate float64 `json:"success_rate"`
			}
		}
	}
	if err := json.Unmarshal([]byte(runMatchJSON(t, db, "ModuleNotFoundError: No module named 'torch'")), &m); err != nil || len(m.Results) == 0 || m.Results[0].ID != cliReportID {
		t.Fatalf("match --json: %v %+v", err, m)
	}
	if got := m.Results[0].Workarounds[0].SuccessRate; !strings.HasPrefix(fig, fmt.Sprintf("%.0f%%", got*100)) {
		t.Errorf("match --json gives rate %v, the figure is %q", got, fig)
	}
	for _, args := range [][]string{
		{"report", "python/nope", "--workaround", "1", "--outcome", "worked", "--db", db},
		{"report", cliReportID, "--workaround", "99", "--outcome", "worked", "--db", db},
		{"report", cliReportID, "--dead-end", "1", "--outcome", "fixed", "--db", db},
		{"report", cliReportID, "--outcome", "worked", "--db", db},
	} {
		if code, _, _ := runCmd(context.Background(), nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestMissesRecorded: inputs that match nothing, from the API and the
// paste box, are stored redacted and grouped; errorcanon misses lists them.
func TestMissesRecorded(t *testing.T) {
	db := filepath.Join(t.TempDir(), "misses.db")
	addr, stop, logs := startServe(t, nil, "--catalog", testutil.SeedDir(t, nil), "--db", db)
	for _, ip := range []string{"10.1.1.1", "192.168.7.9"} {
		resp, err := client.Post("http://"+addr+"/api/v1/match", "text/plain", strings.NewReader("step 1\nzorp: lost contact with "+ip+" after 3 tries\n"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := client.PostForm("http://"+addr+"/match", map[string][]string{"q": {"glorb failed for jane@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := stop(); code != 0 { // stores what is queued, then closes
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	}
	code, out, errOut := runCmd(context.Background(), nil, "misses", "--json", "--db", db)
	var ms []store.Miss
	if code != 0 || json.Unmarshal([]byte(out), &ms) != nil {
		t.Fatalf("misses: %d %q %q", code, out, errOut)
	}
	if len(ms) != 2 || ms[0].Template != "zorp: lost contact with <ip> after <n> tries" || ms[0].Count != 2 {
		t.Errorf("misses %+v", ms)
	}
	if strings.Contains(out, "10.1.1.1") || strings.Contains(out, "jane") {
		t.Errorf("unredacted input stored:\n%s", out)
	}
	if code, text, _ := runCmd(context.Background(), nil, "misses", "--db", db); code != 0 || !strings.Contains(text, "      2  ") {
		t.Errorf("misses table: %d\n%s", code, text)
	}
}

// TestModerationCommands: token create/list/revoke and submissions
// list/export against a SQLite store.
func TestModerationCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "mod.db")
	code, tok, errOut := runCmd(ctx, nil, "token", "create", "--role", "moderator", "--note", "ci", "--db", db)
	tok = strings.TrimSpace(tok)
	if code != 0 || !strings.HasPrefix(tok, "ecm_") || !strings.Contains(errOut, "shown only now") {
		t.Fatalf("token create: %d %q %q", code, tok, errOut)
	}
	if code, _, _ := runCmd(ctx, nil, "token", "create", "--role", "admin", "--db", db); code != 2 {
		t.Errorf("role admin: exit %d", code)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.TokenRole(ctx, tok); err != nil {
		t.Errorf("created token does not work: %v", err)
	}
	sid, err := st.AddSubmission(ctx, store.Submission{Text: "zorp: cannot frob the widget\n  at line 3", Domain: "python", Solution: "Restart the frobber.", Reporter: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Decide(ctx, sid, "accepted", "t"); err != nil {
		t.Fatal(err)
	}
	ts, _ := st.Tokens(ctx)
	st.Close()
	code, out, _ := runCmd(ctx, nil, "submissions", "list", "--status", "accepted", "--db", db)
	if code != 0 || !strings.Contains(out, sid) || !strings.Contains(out, "zorp: cannot frob the widget") {
		t.Errorf("submissions list: %d %q", code, out)
	}
	out2 := filepath.Join(dir, "export")
	if code, out, errOut := runCmd(ctx, nil, "submissions", "export", out2, "--db", db); code != 0 || !strings.Contains(out, "wrote 1") {
		t.Fatalf("export: %d %q %q", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(out2, "python", "zorp-cannot-frob-the-widget-*.yaml"))
	if len(files) != 1 {
		t.Fatalf("exported files %v", files)
	}
	b, _ := os.ReadFile(files[0])
	for _, want := range []string{"domain: python", "signature: 'zorp: cannot frob the widget'", "action: Restart the frobber."} {
		if !strings.Contains(string(b), want) {
			t.Errorf("exported file lacks %q:\n%s", want, b)
		}
	}
	if code, out, _ := runCmd(ctx, nil, "token", "revoke", ts[0].ID, "--db", db); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("revoke: %d %q", code, out)
	}
	if code, out, _ := runCmd(ctx, nil, "token", "list", "--db", db); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("token list: %d %q", code, out)
	}
}

// TestServePostgresDownAtStart: a replica whose PostgreSQL does not answer
// at start serves pages; writes answer 503 with a problem body.
func TestServePostgresDownAtStart(t *testing.T) {
	// Nothing listens on port 1 of the loopback address.
	addr, stop, logs := startServe(t, nil, "--catalog", testutil.SeedDir(t, nil), "--db", "postgres://errorcanon@127.0.0.1:1/errorcanon?connect_timeout=1")
	resp, err := client.Get("http://" + addr + "/errors/" + reportID + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("entry page with the database down: %d", resp.StatusCode)
	}
	_, err = postReport("http://"+addr, "r1", 1, "worked")
	if err == nil || !strings.HasPrefix(err.Error(), "503 ") || !strings.Contains(err.Error(), "store") {
		t.Errorf("report with the database down: %v, want 503 with a problem", err)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	}
	if !strings.Contains(logs.String(), "report store unavailable at start") {
		t.Errorf("no warning logged:\n%s", logs.String())
	}
}
