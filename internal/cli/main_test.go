package cli

import (
	"fmt"
	"os"
	"testing"

	"github.com/posthog/wizard-ci/internal/wizard"
)

// TestMain lets the test binary stand in for a wizard: with
// WIZARD_CI_TEST_WIZARD set to a file, it records that it started (so tests
// can prove no wizard ran), prints WIZARD_CI_TEST_PRINT, and then behaves as
// the simulator. The preflight's `--version` is answered without counting as
// a start.
//
// When a test runs the simulator through Deps.Self (SystemDeps), Self is
// this test binary: it must play the simulator, not run every test again,
// which would start itself without end.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "__simulate-wizard" {
		os.Exit(wizard.Simulate(os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
	}
	if trace := os.Getenv("WIZARD_CI_TEST_WIZARD"); trace != "" {
		if len(os.Args) == 2 && os.Args[1] == "--version" {
			fmt.Println(wizard.Version)
			os.Exit(0)
		}
		f, err := os.OpenFile(trace, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "started %q\npid %d\n", os.Args[1:], os.Getpid())
			f.Close()
		}
		if p := os.Getenv("WIZARD_CI_TEST_PRINT"); p != "" {
			fmt.Println(p)
			fmt.Fprintln(os.Stderr, p)
		}
		os.Exit(wizard.Simulate(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
	}
	code := m.Run()
	removeBinaries()
	os.Exit(code)
}
