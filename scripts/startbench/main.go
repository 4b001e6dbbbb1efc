// Command startbench times errorcanon's start-up as a whole process, the
// way a user meets it: `errorcanon match` on a short message from exec to
// exit, and `errorcanon serve` from exec to its first answered /healthz.
// Each figure is taken over -n runs, alternating with a second binary
// (-vs) when one is given, so that both see the same machine; it prints
// the median, minimum and maximum, and the median of the paired ratios.
//
//	go build -buildvcs=true -o /tmp/new ./cmd/errorcanon        # from a clean checkout
//	go run ./scripts/startbench -n 20 -bin /tmp/new -vs /tmp/old
//
// The serve runs use --db none and a free loopback port; /healthz is
// polled every 0.5 ms from this process (no curl start-up in the figure).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 15, "runs of each command")
	bin := flag.String("bin", "errorcanon", "the binary to time (A)")
	vs := flag.String("vs", "", "a second binary to time alternately (B), for ratios")
	page := flag.String("page", "/errors/go/nil-pointer-dereference/", "the entry page asked for once /healthz answers")
	msg := flag.String("msg", "panic: runtime error: invalid memory address or nil pointer dereference\n", "the message piped into match")
	flag.Parse()
	bins := []string{*bin}
	if *vs != "" {
		bins = append(bins, *vs)
	}
	type runs struct{ wall, cpu, serve, page []float64 }
	got := make([]runs, len(bins))
	for i := 0; i < *n; i++ {
		for b, path := range bins {
			wall, cpu, err := matchOnce(path, *msg)
			if err != nil {
				fail(err)
			}
			s, pg, err := serveOnce(path, *page)
			if err != nil {
				fail(err)
			}
			got[b].wall = append(got[b].wall, wall)
			got[b].cpu = append(got[b].cpu, cpu)
			got[b].serve = append(got[b].serve, s)
			got[b].page = append(got[b].page, pg)
		}
	}
	fmt.Printf("%d runs each, alternating; milliseconds: median (min-max)\n\n", *n)
	fmt.Printf("| binary | match, wall | match, CPU (user+sys) | serve, exec to first /healthz | serve, exec to first entry page |\n|---|---|---|---|---|\n")
	for b, path := range bins {
		r := got[b]
		fmt.Printf("| %s | %s | %s | %s | %s |\n", path, stat(r.wall), stat(r.cpu), stat(r.serve), stat(r.page))
	}
	if len(bins) == 2 {
		fmt.Printf("\nA/B, median of paired ratios: match wall %.2f, match CPU %.2f, serve %.2f, first page %.2f\n",
			ratio(got[0].wall, got[1].wall), ratio(got[0].cpu, got[1].cpu), ratio(got[0].serve, got[1].serve), ratio(got[0].page, got[1].page))
	}
}

// matchOnce runs `match --db none` on msg and returns its wall and CPU
// milliseconds; exit 0 or 1 (matched or not) both count.
func matchOnce(bin, msg string) (float64, float64, error) {
	cmd := exec.Command(bin, "match", "--db", "none")
	cmd.Stdin = strings.NewReader(msg)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return 0, 0, fmt.Errorf("%s match: %v\n%s", bin, err, out.Bytes())
	}
	u := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(u.Utime.Nano() + u.Stime.Nano())
	return ms(wall), ms(cpu), nil
}

// serveOnce starts `serve --db none` on a free port and returns the
// milliseconds from exec to the first 200 from /healthz, and from exec
// to the first 200 for page, asked for right after.
func serveOnce(bin, page string) (float64, float64, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--db", "none", "--addr", addr)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	for time.Since(start) < 30*time.Second {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				up := ms(time.Since(start))
				resp, err := client.Get("http://" + addr + page)
				if err != nil {
					return 0, 0, err
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					return 0, 0, fmt.Errorf("%s serve: %s: %s %v", bin, page, resp.Status, err)
				}
				return up, ms(time.Since(start)), nil
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
	return 0, 0, fmt.Errorf("%s serve: no /healthz within 30 s\n%s", bin, out.Bytes())
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func stat(xs []float64) string {
	s := slices.Sorted(slices.Values(xs))
	return fmt.Sprintf("%.0f (%.0f-%.0f)", median(s), s[0], s[len(s)-1])
}

func ratio(a, b []float64) float64 {
	r := make([]float64, len(a))
	for i := range a {
		r[i] = a[i] / b[i]
	}
	slices.Sort(r)
	return median(r)
}

func median(s []float64) float64 {
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "startbench:", err)
	os.Exit(1)
}
