package main

import (
	"os"
	"testing"

	"github.com/errorcanon/errorcanon/internal/testutil/pgtest"
)

// asBinaryEnv makes the test binary behave as errorcanon itself, so tests
// can run it as a subprocess (as MCP clients do) without `go build`.
const asBinaryEnv = "ERRORCANON_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asBinaryEnv) == "1" {
		main()
	}
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// binary returns the path and environment that run this test binary as
// errorcanon.
func binary(t *testing.T) (path string, env []string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// No report store unless a test names one: a subprocess must not
	// write to the data directory of the user running the tests.
	return exe, append(os.Environ(), asBinaryEnv+"=1", "ERRORCANON_DB=none")
}
