package cli

import (
	"flag"
	"fmt"

	"github.com/posthog/wizard-ci/internal/report"
)

// listCmd prints the resolved apps, one bare path per line.
func listCmd(args []string, d Deps) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	dir := fs.String("workbench", "workbench", "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	wb, err := loadWorkbench(*dir, false, d.warnf)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		pos = []string{"all"}
	}
	targets, err := cliTargets(pos, argTargets("list"))
	if err != nil {
		return err
	}
	apps, err := wb.Select(targets, false)
	if err != nil {
		return configErrorf("%s", describeSelectError(err, "terminal"))
	}
	for _, a := range apps {
		fmt.Fprintln(d.Stdout, a.Path)
	}
	return nil
}

// hintCmd prints the hint comment's Markdown.
func hintCmd(args []string, d Deps) error {
	fs := flag.NewFlagSet("hint", flag.ContinueOnError)
	dir := fs.String("workbench", "workbench", "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &usageError{"hint takes no arguments", "hint"}
	}
	wb, err := loadWorkbench(*dir, false, d.warnf)
	if err != nil {
		return err
	}
	fmt.Fprint(d.Stdout, report.Hint(hintCategories(wb)))
	return nil
}
