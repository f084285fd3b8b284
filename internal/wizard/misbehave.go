package wizard

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// misbehave applies the misbehaviours editOptions asks for, after the
// integration itself (see Misbehaviours).
func (e *editor) misbehave() error {
	if e.opt.UncapturedEvent {
		e.planned = append(e.planned, plannedEvent{
			Name:        UncapturedEventName,
			Description: "planned by the simulated wizard, which then forgot to capture it",
			File:        e.mainFile(),
		})
	}
	if e.opt.HardcodedKey != "" {
		if err := e.hardcodeKey(e.opt.HardcodedKey); err != nil {
			return err
		}
	}
	if e.opt.BreakSyntax {
		return e.breakSyntax()
	}
	return nil
}

// mainFile is the file the integration is centred on: where PostHog is
// initialised, else where the first event is captured, else "".
func (e *editor) mainFile() string {
	if e.init != "" {
		return e.init
	}
	if len(e.planned) > 0 {
		return e.planned[0].File
	}
	return ""
}

var jsExts = []string{".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"}

// hardcodeKey writes key into the main file, the way a careless agent
// pastes the key it was given next to the client.
func (e *editor) hardcodeKey(key string) error {
	file := e.mainFile()
	if file == "" {
		file = "posthog.config.js"
		if err := e.write(file, ""); err != nil {
			return err
		}
	}
	err := e.edit(file, func(s string) string {
		switch ext := path.Ext(file); {
		case ext == ".py":
			return appendBlock(s, fmt.Sprintf("POSTHOG_PERSONAL_API_KEY = %q\n", key))
		case slices.Contains(jsExts, ext):
			return appendBlock(s, fmt.Sprintf("const POSTHOG_PERSONAL_API_KEY = %q;\n", key))
		case ext == ".html" || ext == ".htm":
			return insertHTML(s, fmt.Sprintf("    <meta name=\"posthog-personal-api-key\" content=%q />\n", key))
		case path.Base(file) == "package.json":
			return addToObject(s, "config", "posthogPersonalApiKey", key)
		default:
			return appendBlock(s, fmt.Sprintf("POSTHOG_PERSONAL_API_KEY=%s\n", key))
		}
	})
	if err != nil {
		return err
	}
	e.step("Configuring the PostHog client in %s", file)
	return nil
}

// breakSyntax leaves a file unparsable: one the app's check command
// validates when expect.yml declares one (preferring the main file), else
// the main file, else a new posthog-init.js. Only JavaScript and Python
// files are broken, so the manifests stay readable and the other checks
// keep passing.
func (e *editor) breakSyntax() error {
	breakable := func(f string) bool {
		return f != "" && e.exists(f) && (path.Ext(f) == ".py" || slices.Contains(jsExts, path.Ext(f)))
	}
	var checked []string
	if len(e.check) > 1 {
		for _, a := range e.check[1:] {
			if a = path.Clean(strings.TrimPrefix(a, "./")); breakable(a) {
				checked = append(checked, a)
			}
		}
	}
	target := ""
	switch main := e.mainFile(); {
	case slices.Contains(checked, main):
		target = main
	case len(checked) > 0:
		target = checked[0]
	case breakable(main):
		target = main
	default:
		for _, p := range e.planned {
			if breakable(p.File) {
				target = p.File
				break
			}
		}
	}
	if target == "" {
		// Nothing to break (an HTML-only site): leave a broken helper.
		target = "posthog-init.js"
		if err := e.write(target, "// PostHog helpers written by the simulated wizard.\n"); err != nil {
			return err
		}
	}
	err := e.edit(target, func(s string) string {
		if path.Ext(target) == ".py" {
			return appendBlock(s, "def posthog_shutdown(:\n    posthog.shutdown()\n")
		}
		return appendBlock(s, "const posthogOptions = {;\n")
	})
	if err != nil {
		return err
	}
	e.step("Flushing PostHog on shutdown in %s", target)
	return nil
}
