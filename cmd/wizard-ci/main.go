// Command wizard-ci runs the PostHog wizard on a workbench of example apps
// and reports the results, as a GitHub Action or from a terminal.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/posthog/wizard-ci/internal/cli"
)

func main() {
	// SPEC §4: the first SIGINT or SIGTERM cancels the run; cli marks
	// unfinished apps cancelled and still writes files and the final comment.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.SystemDeps())
	stop()
	os.Exit(code)
}
