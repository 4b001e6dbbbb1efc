package misses

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errorcanon/errorcanon/internal/store"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"connect to 10.0.12.7:5432 failed", "connect to <ip>:5432 failed"},
		{"dial tcp [2001:db8::1]:443: refused", "dial tcp [<ip>]:443: refused"},
		{"mail to jane.doe@example.com bounced", "mail to <email> bounced"},
		{"open /home/alice/project/x.py: permission denied", "open /home/<user>/project/x.py: permission denied"},
		{`C:\Users\bob\AppData\x.dll not found`, `C:\Users\<user>\AppData\x.dll not found`},
		{"commit 3f9a2c1d4e not found", "commit <hex> not found"},
		{"request 123e4567-e89b-12d3-a456-426614174000 failed", "request <uuid> failed"},
		{"Authorization: Bearer abcdefghijklmnop123", "Authorization: Bearer <secret>"},
		{"password=hunter2 rejected", "password=<secret> rejected"},
		{`DB_PASSWORD: "s3cr3t pass"`, `DB_PASSWORD: <secret>`},
		{"postgres://app:pw123@db.internal/x refused", "<scheme>://<user>:<secret>@db.internal/x refused"},
		{"key AKIAIOSFODNN7EXAMPLE invalid", "key <aws-key> invalid"},
		{"token ghp_abcdefghijklmnopqrstuvwxyz0123456789 expired", "token <secret> expired"},
		{"bad jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-x", "bad jwt <jwt>"},
		{"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "<private-key>"},
		{"defaced cafe 1234567 stays", "defaced cafe 1234567 stays"},
		{"at 12:34:56 std::vector failed", "at 12:34:56 std::vector failed"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTemplate(t *testing.T) {
	a, exA := Template("building...\nstep 3 of 9\nfrobnicate: cannot open '/home/alice/a.conf' (errno 13)\ndone in 2.5s")
	b, _ := Template("frobnicate: cannot open '/home/bob/other.conf' (errno 2)")
	if a != b || a != "frobnicate: cannot open '<v>' (errno <n>)" {
		t.Errorf("templates %q and %q, want one", a, b)
	}
	if exA != "frobnicate: cannot open '/home/<user>/a.conf' (errno 13)" {
		t.Errorf("example %q", exA)
	}
	if tpl, _ := Template(" \n\t\n"); tpl != "" {
		t.Errorf("blank input gave %q", tpl)
	}
	long, _ := Template(strings.Repeat("é", 1000))
	if len(long) > 300 || !strings.HasPrefix(long, "é") {
		t.Errorf("long line cut to %d bytes", len(long))
	}
}

func TestRecorderGroups(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := NewRecorder(st, nil)
	for _, text := range []string{
		"zorp: lost contact with 10.1.1.1 after 3 tries",
		"zorp: lost contact with 10.9.9.9 after 7 tries",
		"glorb failed: user jane@example.org",
	} {
		r.Record(text)
	}
	r.WaitProcessed(3)
	r.Close()
	got, err := st.Misses(context.Background(), 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("misses %+v, %v", got, err)
	}
	if got[0].Template != "zorp: lost contact with <ip> after <n> tries" || got[0].Count != 2 || strings.Contains(got[0].Example, "10.") {
		t.Errorf("top miss %+v", got[0])
	}
	if strings.Contains(got[1].Example, "jane") {
		t.Errorf("an e-mail address was stored: %+v", got[1])
	}
}
