package wizard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// nodeFake answers `<node> --version` with nodeVersion and `<wizard>
// --version` with exit code versionExit (output "0.0.0").
func nodeFake(nodeVersion string, versionExit int, versionErr error) *fakeRunner {
	return &fakeRunner{handle: func(c Cmd) *answer {
		last := c.Argv[len(c.Argv)-1]
		if len(c.Argv) == 2 && last == "--version" && filepath.Base(c.Argv[0]) == "node" {
			return &answer{res: Result{Stdout: nodeVersion + "\n", Output: nodeVersion + "\n"}}
		}
		if last == "--version" {
			out := "0.0.0\n"
			if versionExit != 0 {
				out = "TypeError: webidl.util.markAsUncloneable is not a function\n    at new CacheStorage (undici/lib/web/cache/cachestorage.js:20:17)\n"
			}
			return &answer{res: Result{ExitCode: versionExit, Stdout: "0.0.0\n", Output: out}, err: versionErr}
		}
		return &answer{err: fmt.Errorf("unexpected command %q", c.Argv)}
	}}
}

// lookIn finds programs in a fixed table.
func lookIn(paths map[string]string) func(string) (string, error) {
	return func(name string) (string, error) {
		if p, ok := paths[name]; ok {
			return p, nil
		}
		if filepath.IsAbs(name) {
			if _, err := os.Stat(name); err == nil {
				return name, nil
			}
		}
		return "", fmt.Errorf("exec: %q: executable file not found in $PATH", name)
	}
}

// wizardPackage writes a published-looking wizard package and returns its
// dist/bin.js.
func wizardPackage(t *testing.T, engines string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "node_modules", "@posthog", "wizard")
	pkg := `{"name":"@posthog/wizard","version":"2.77.0","bin":{"wizard":"dist/bin.js"}`
	if engines != "" {
		pkg += `,"engines":{"node":"` + engines + `"}`
	}
	writeFiles(t, dir, map[string]string{"package.json": pkg + "}", "dist/bin.js": "#!/usr/bin/env node\nconsole.log('0.0.0')\n"})
	return filepath.Join(dir, "dist", "bin.js")
}

func TestPreflight(t *testing.T) {
	t.Parallel()
	published := wizardPackage(t, ">=22.22.0")
	noEngines := wizardPackage(t, "")
	old := wizardPackage(t, ">=18")
	binDir := t.TempDir()
	goBinary := filepath.Join(binDir, "wizard-bin")
	writeFiles(t, binDir, map[string]string{"wizard-bin": "\x7fELF\x02\x01\x01\x00 not a script"})
	linked := filepath.Join(binDir, "wizard")
	if err := os.Symlink(published, linked); err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{"node": "/usr/bin/node", "npx": "/usr/bin/npx", "/opt/node22/bin/node": "/opt/node22/bin/node",
		"wizard-bin": goBinary, "wizard": linked}

	cases := []struct {
		name        string
		argv        []string
		simulated   bool
		key         string
		nodeVersion string
		versionExit int
		versionErr  error
		noNode      bool
		want        Info
		wantErr     []string // substrings; nil: no error
		wantCalls   []string
	}{
		{name: "published wizard on Node 22", argv: []string{"/opt/node22/bin/node", published}, nodeVersion: "v22.23.5",
			want:      Info{Version: "2.77.0", Node: "/opt/node22/bin/node", NodeVersion: "v22.23.5", Engines: ">=22.22.0", PackageDir: filepath.Dir(filepath.Dir(published))},
			wantCalls: []string{"/opt/node22/bin/node --version", "/opt/node22/bin/node " + published + " --version"}},
		{name: "published wizard on Node 20", argv: []string{"node", published}, nodeVersion: "v20.20.2",
			wantErr:   []string{"the wizard needs Node.js >=22.22.0, but node (/usr/bin/node) is v20.20.2. Install Node.js 22.22 or newer"},
			wantCalls: []string{"/usr/bin/node --version"}},
		{name: "no engines: Node 22.22 is the minimum", argv: []string{"node", noEngines}, nodeVersion: "v22.21.1",
			wantErr: []string{"needs Node.js >=22.22.0", "is v22.21.1", "Install Node.js 22.22 or newer"}, wantCalls: []string{"/usr/bin/node --version"}},
		{name: "engines allow Node 20", argv: []string{"node", "--enable-source-maps", old}, nodeVersion: "v20.20.2",
			want:      Info{Version: "2.77.0", Node: "/usr/bin/node", NodeVersion: "v20.20.2", Engines: ">=18", PackageDir: filepath.Dir(filepath.Dir(old))},
			wantCalls: []string{"/usr/bin/node --version", "node --enable-source-maps " + old + " --version"}},
		{name: "npx with a pinned version uses node on PATH", argv: []string{"npx", "-y", "@posthog/wizard@2.77.0"}, nodeVersion: "v22.22.0",
			want:      Info{Version: "2.77.0", Node: "/usr/bin/node", NodeVersion: "v22.22.0", Engines: ">=22.22.0"},
			wantCalls: []string{"/usr/bin/node --version", "npx -y @posthog/wizard@2.77.0 --version"}},
		{name: "npx without node", argv: []string{"npx", "-y", "@posthog/wizard@2.77.0"}, noNode: true,
			wantErr: []string{"npx runs the wizard on Node.js, but node was not found on PATH", "Install Node.js 22.22 or newer"}},
		{name: "a bin link to a node script", argv: []string{"wizard"}, nodeVersion: "v20.20.2",
			wantErr: []string{"needs Node.js >=22.22.0", "v20.20.2"}, wantCalls: []string{"/usr/bin/node --version"}},
		{name: "a program that is not Node.js", argv: []string{"wizard-bin"},
			want: Info{}, wantCalls: []string{"wizard-bin --version"}},
		{name: "wizard crashes on --version", argv: []string{"wizard-bin"}, versionExit: 1,
			wantErr: []string{"the wizard did not start: `wizard-bin --version` exited 1:", "markAsUncloneable", "Check wizard-command"}},
		{name: "wizard hangs on --version", argv: []string{"wizard-bin"}, versionErr: fmt.Errorf("%w after 2m0s", ErrTimeout),
			wantErr: []string{"did not finish within 2m0s"}},
		{name: "program not found", argv: []string{"no-such-wizard", "x"},
			wantErr: []string{`the wizard did not start: "no-such-wizard" was not found`, "Install it on the runner or fix wizard-command"}},
		{name: "no key", argv: []string{"node", published}, key: "-",
			wantErr: []string{"no PostHog key", "POSTHOG_WIZARD_API_KEY"}},
		{name: "simulator", argv: []string{"/bin/wizard-ci", "__simulate-wizard"}, simulated: true, key: "-"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := nodeFake(tc.nodeVersion, tc.versionExit, tc.versionErr)
			look := map[string]string{}
			for k, v := range paths {
				if !(tc.noNode && k == "node") {
					look[k] = v
				}
			}
			key := "phx_fake"
			if tc.key == "-" {
				key = ""
			}
			p := &Preflight{Argv: tc.argv, Simulated: tc.simulated, APIKey: key, Runner: f, LookPath: lookIn(look)}
			info, err := p.Run(context.Background())
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("preflight failed: %v", err)
				}
				if diff := cmp.Diff(tc.want, info); diff != "" {
					t.Errorf("info (-want +got):\n%s", diff)
				}
			} else {
				var pe *PreflightError
				if !errors.As(err, &pe) {
					t.Fatalf("error = %v (%T), want *PreflightError", err, err)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
			}
			if tc.wantCalls != nil {
				if diff := cmp.Diff(tc.wantCalls, f.argvs()); diff != "" {
					t.Errorf("commands (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestCheckNode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		engines, node string
		wantErr       string
	}{
		{">=22.22.0", "v22.22.0", ""},
		{">=22.22.0", "v20.20.2", "the wizard needs Node.js >=22.22.0, but node (/n/node) is v20.20.2. Install Node.js 22.22 or newer"},
		{"^22.22.0 || >=24", "v23.1.0", "needs Node.js ^22.22.0 || >=24, but node (/n/node) is v23.1.0. Install Node.js 22.22 or newer"},
		{"^22.22.0 || >=24", "v24.0.0", ""},
		{">=18", "v20.20.2", ""},
		{"not a range", "v20.20.2", "needs Node.js >=22.22.0"},
		{">=18", "garbage", `printed "garbage", not a version`},
	}
	for _, tc := range cases {
		t.Run(tc.engines+"/"+tc.node, func(t *testing.T) {
			t.Parallel()
			f := nodeFake(tc.node, 0, nil)
			_, err := CheckNode(context.Background(), f, "/n/node", tc.engines, nil)
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("CheckNode: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("CheckNode error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestReportedVersion(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"0.0.0\n": "", "unknown\n": "", "v2.80.1\n": "2.80.1", "2.77.0": "2.77.0", "": "", "Usage: wizard": ""} {
		if got := reportedVersion(in); got != want {
			t.Errorf("reportedVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShebang(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	i := 0
	for body, want := range map[string]string{
		"#!/usr/bin/env node\nx":                 "node",
		"#!/usr/bin/env -S node --no-warnings\n": "node",
		"#!/opt/node22/bin/node\n":               "/opt/node22/bin/node",
		"#!/bin/sh\nexec node x":                 "",
		"\x7fELF....":                            "",
		"":                                       "",
	} {
		i++
		p := filepath.Join(dir, fmt.Sprintf("f%d", i))
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		if got := shebang(p); got != want {
			t.Errorf("shebang(%q) = %q, want %q", body, got, want)
		}
	}
}
