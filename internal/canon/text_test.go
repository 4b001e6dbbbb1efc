package canon

import "testing"

func TestFirstCommand(t *testing.T) {
	tests := []struct{ how, want string }{
		{"Run it:\n\n```sh\n# install\npython3 -m pip install pyyaml\npip list\n```", "python3 -m pip install pyyaml"},
		{"no code here", ""},
		{"```\n```\n```sh\nlate\n```", ""},
		{"  ```go\n  // comment\n  go mod tidy\n  ```", "go mod tidy"},
	}
	for _, tt := range tests {
		if got := FirstCommand(tt.how); got != tt.want {
			t.Errorf("FirstCommand(%q) = %q, want %q", tt.how, got, tt.want)
		}
	}
	if Pick("zh", "a", "") != "a" || Pick("zh", "a", "乙") != "乙" || Pick("en", "a", "乙") != "a" {
		t.Error("Pick")
	}
}
