package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// One chromium serves every browser test of the package, each test and
// subtest in its own tab: starting it costs seconds of CPU, and two
// tests that started their own made the package the suite's longest.
var shared struct {
	once  sync.Once
	ctx   context.Context // the browser's
	err   error
	close func()
}

// startBrowser starts the package's chromium on its first call and
// returns it (or why it did not start); safe to call from any goroutine,
// so a test can build its site meanwhile. useBrowser turns the error
// into the test's skip or failure.
func startBrowser(exe string) (context.Context, error) {
	shared.once.Do(func() {
		profile, err := os.MkdirTemp("", "errorcanon-e2e-chromium-*")
		if err != nil {
			shared.err = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(exe),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("lang", "en-US"),
			// Tabs run side by side: none may be throttled as a background tab.
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.UserDataDir(profile),
		}
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		shared.ctx = ctx
		shared.close = func() { cancel(); cancelAlloc(); os.RemoveAll(profile) }
		shared.err = chromedp.Do(ctx)
	})
	return shared.ctx, shared.err
}

// useBrowser skips the test when chromium is missing and fails it when
// chromium is there but does not start.
func useBrowser(t *testing.T, exe string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if _, lerr := exec.LookPath(exe); lerr != nil || errors.Is(err, exec.ErrNotFound) {
		t.Skipf("chromium does not start: %v", err)
	}
	t.Fatalf("start chromium: %v", err)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.close != nil {
		shared.close()
	}
	os.Exit(code)
}
