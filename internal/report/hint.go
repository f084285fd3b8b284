package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// HintCategory is one category of the workbench as the hint shows it.
type HintCategory struct {
	Name  string // the category folder, also its <program> name
	Label string // shown next to its command
	// Targets are the folders and apps below the category that a command
	// may name; the category itself may be left out.
	Targets []string
}

// Hint renders the hint comment (SPEC §1): the commands that can be run,
// taken from the workbench, every one in inline code so the hint itself is
// never a command. Sub-targets are collapsed per category; if they do not
// fit the size limit they are left out with a sentence saying so.
func Hint(cats []HintCategory) string {
	body := defuse(hint(cats, true))
	if utf8.RuneCountInString(body) <= DefaultMaxChars && len(body) <= MaxBytes {
		return body
	}
	body = defuse(hint(cats, false))
	if utf8.RuneCountInString(body) <= DefaultMaxChars && len(body) <= MaxBytes {
		return body
	}
	return cutLines(body, DefaultMaxChars, MaxBytes, "_The rest of the list did not fit the size limit._")
}

func hint(cats []HintCategory, subTargets bool) string {
	var b strings.Builder
	b.WriteString(HintMarker + "\n### 🧙 wizard-ci\n\n")
	b.WriteString("Comment a command on this pull request to run the PostHog wizard on apps of the workbench. " +
		"Several command lines in one comment run together as one run.\n\n")
	b.WriteString("| Command | Runs |\n|---|---|\n")
	b.WriteString("| " + cellCode(Command+" all", maxAppChars) + " | every app of the categories below |\n")
	for _, c := range cats {
		label := c.Label
		if label == "" {
			label = c.Name
		}
		fmt.Fprintf(&b, "| %s | %s |\n", cellCode(Command+" "+c.Name, maxAppChars), EscapeCell(label))
	}
	if len(cats) == 0 {
		b.WriteString("\nThe workbench has no category that CI may run.\n")
	}

	total := 0
	for _, c := range cats {
		for _, t := range c.Targets {
			if t != c.Name {
				total++
			}
		}
	}
	if total > 0 && !subTargets {
		fmt.Fprintf(&b, "\nAny folder or app below a category is a target too (%d in all, too many to list here).\n", total)
	}
	for _, c := range cats {
		if !subTargets {
			break
		}
		var ts []string
		for _, t := range c.Targets {
			if t != c.Name {
				ts = append(ts, t)
			}
		}
		if len(ts) == 0 {
			continue
		}
		label := c.Label
		if label == "" {
			label = c.Name
		}
		noun := "more targets"
		if len(ts) == 1 {
			noun = "more target"
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: %d %s</summary>\n\n", escapeHTML(label), len(ts), noun)
		for _, t := range ts {
			b.WriteString("- " + codeSpan(Command+" "+t, maxAppChars) + "\n")
		}
		b.WriteString("\n</details>\n")
	}

	b.WriteString("\n**More commands**\n\n")
	example := "all"
	if len(cats) > 0 {
		example = cats[0].Name
	}
	fmt.Fprintf(&b, "- %s runs the wizard built from %s (a branch, tag or commit of the wizard repository), e.g. %s.\n",
		Code(Command+" <target> wizard:<ref>"), Code("<ref>"), codeSpan(Command+" "+example+" wizard:main", maxAppChars))
	if len(cats) > 1 {
		var names []string
		for _, c := range cats {
			names = append(names, Code(c.Name))
		}
		fmt.Fprintf(&b, "- %s runs the targets with the wizard program of category %s instead of their own, e.g. %s. Programs: %s.\n",
			Code(Command+" <program> <target>…"), Code("<program>"),
			codeSpan(Command+" "+cats[1].Name+" "+cats[0].Name, maxAppChars), strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "- %s reruns the apps that did not succeed in the newest results comment of this pull request.\n", Code(Command+" rerun-failed"))
	fmt.Fprintf(&b, "- %s shows this list.\n", Code(Command+" help"))
	return b.String()
}
