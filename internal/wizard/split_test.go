package wizard

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "node", in: "node /opt/wizard/dist/bin.js", want: []string{"node", "/opt/wizard/dist/bin.js"}},
		{name: "npx", in: "npx -y @posthog/wizard@2.77.0", want: []string{"npx", "-y", "@posthog/wizard@2.77.0"}},
		{name: "extra spaces", in: "  node\t bin.js  ", want: []string{"node", "bin.js"}},
		{name: "double quotes", in: `node "/opt/my wizard/bin.js"`, want: []string{"node", "/opt/my wizard/bin.js"}},
		{name: "single quotes", in: `node '/opt/my wizard/bin.js'`, want: []string{"node", "/opt/my wizard/bin.js"}},
		{name: "escaped space", in: `node /opt/my\ wizard/bin.js`, want: []string{"node", "/opt/my wizard/bin.js"}},
		{name: "dollar in single quotes is literal", in: `node bin.js '$HOME'`, want: []string{"node", "bin.js", "$HOME"}},
		{name: "escaped dollar is literal", in: `node bin.js \$HOME`, want: []string{"node", "bin.js", "$HOME"}},
		{name: "quoted semicolon is literal", in: `node "a;b.js"`, want: []string{"node", "a;b.js"}},
		{name: "lone dollar", in: `node bin.js $`, want: []string{"node", "bin.js", "$"}},
		{name: "empty string arg", in: `node bin.js ""`, want: []string{"node", "bin.js", ""}},
		{name: "empty", in: "", wantErr: true},
		{name: "blank", in: "   ", wantErr: true},
		{name: "variable", in: "node $WIZARD/bin.js", wantErr: true},
		{name: "braced variable", in: "node ${WIZARD}/bin.js", wantErr: true},
		{name: "variable in double quotes", in: `node "$HOME/bin.js"`, wantErr: true},
		{name: "command substitution", in: "node $(which wizard)", wantErr: true},
		{name: "substitution in double quotes", in: `node "$(which wizard)"`, wantErr: true},
		{name: "backticks", in: "node `which wizard`", wantErr: true},
		{name: "semicolon", in: "node bin.js; rm -rf /", wantErr: true},
		{name: "pipe", in: "node bin.js | tee log", wantErr: true},
		{name: "and", in: "pnpm build && node bin.js", wantErr: true},
		{name: "or", in: "node bin.js || true", wantErr: true},
		{name: "background", in: "node bin.js &", wantErr: true},
		{name: "redirect out", in: "node bin.js > log", wantErr: true},
		{name: "redirect fd", in: "node bin.js 2>&1", wantErr: true},
		{name: "redirect in", in: "node bin.js < input", wantErr: true},
		{name: "subshell", in: "(node bin.js)", wantErr: true},
		{name: "unbalanced quote", in: `node "bin.js`, wantErr: true},
		{name: "newline", in: "node bin.js\nrm x", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Split(tc.in)
			if tc.wantErr {
				var se *SplitError
				if !errors.As(err, &se) {
					t.Fatalf("Split(%q) = %q, %v; want a *SplitError", tc.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Split(%q): %v", tc.in, err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Split(%q) (-want +got):\n%s", tc.in, d)
			}
		})
	}
}
