package slash

import "fmt"

// Merge turns the command lines of one comment into one run (SPEC §2). A
// line names a program when its first token is a program (isProgram, e.g. a
// category of the workbench config) and at least one more token follows; a
// single token is always a target. Every line must agree on the program
// (naming none counts as a choice too). Targets are the union of all lines,
// in first-seen order, without duplicates. Problems carry the 1-based index
// of the line in lines; Result.Merge reports body line numbers instead.
// A nil isProgram knows no programs.
func Merge(lines [][]string, isProgram func(string) bool) (program string, targets []string, errs []*ParseError) {
	nos := make([]int, len(lines))
	for i := range nos {
		nos[i] = i + 1
	}
	return merge(lines, nos, isProgram)
}

func merge(lines [][]string, nos []int, isProgram func(string) bool) (program string, targets []string, errs []*ParseError) {
	seen := map[string]bool{}
	firstLine := 0
	for i, line := range lines {
		if len(line) == 0 {
			continue
		}
		prog, rest := "", line
		if len(line) >= 2 && isProgram != nil && isProgram(line[0]) {
			prog, rest = line[0], line[1:]
		}
		n := i + 1
		if i < len(nos) {
			n = nos[i]
		}
		if firstLine == 0 {
			firstLine, program = n, prog
		} else if prog != program {
			errs = append(errs, programConflict(n, line[0], prog, firstLine, program))
			continue
		}
		for _, t := range rest {
			if !seen[t] {
				seen[t] = true
				targets = append(targets, t)
			}
		}
	}
	if len(errs) > 0 {
		return "", nil, errs
	}
	return program, targets, nil
}

func programConflict(line int, first, prog string, firstLine int, want string) *ParseError {
	var msg string
	token := prog
	switch {
	case prog == "":
		token = first
		msg = fmt.Sprintf("names no program, but line %d runs program `%s`", firstLine, shown(want))
	case want == "":
		msg = fmt.Sprintf("runs program `%s`, but line %d names no program", shown(prog), firstLine)
	default:
		msg = fmt.Sprintf("runs program `%s`, but line %d runs program `%s`", shown(prog), firstLine, shown(want))
	}
	return &ParseError{
		Line:  line,
		Token: shown(token),
		Msg:   msg,
		Hint:  "One comment runs one program: start every command line with the same program, or post one comment per program.",
	}
}
