package wizard

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/posthog/wizard-ci/internal/jsonerr"
)

// errNoFramework means the simulator found nothing it knows how to edit; it
// then fails the way the wizard does when detection fails.
var errNoFramework = errors.New("could not auto-detect the framework")

// EventsFile is where the wizard lists the events it planned (SPEC §10).
const EventsFile = ".posthog-events.json"

// ReportFile is the summary the wizard leaves in the app.
const ReportFile = "posthog-setup-report.md"

type editOptions struct {
	// WithSDK false leaves the SDK out of the dependencies, so the checks
	// that follow fail (the checks-failed scenario).
	WithSDK bool
	// NoInit writes the captures but never initialises PostHog
	// (missing-init).
	NoInit bool
	// HardcodedKey, when set, is written into the app (hardcoded-key).
	HardcodedKey string
	// BreakSyntax leaves a file the app's check command validates
	// unparsable (broken-syntax).
	BreakSyntax bool
	// UncapturedEvent plans UncapturedEventName, which nothing captures
	// (uncaptured-event).
	UncapturedEvent bool
	Region          string
	App             string
	Command         string // the wizard sub-command, "" for the default program
}

// UncapturedEventName is the event the uncaptured-event scenario plans
// without capturing it.
const UncapturedEventName = "simulated event never captured"

// plannedEvent is one entry of .posthog-events.json.
type plannedEvent struct {
	Name        string `json:"event_name"`
	Description string `json:"event_description"`
	File        string `json:"file"`
}

// editor edits one app copy the way the wizard would. Every path it takes
// is slash-separated and relative to dir.
type editor struct {
	dir     string
	opt     editOptions
	events  []string
	check   []string // the app's check argv from expect.yml
	steps   []string
	planned []plannedEvent
	sdk     string
	init    string
}

// editApp integrates PostHog into the app at dir by its language and returns
// the progress steps to print. The edits keep every file valid JS, HTML or
// Python, so `node --check` and `python3 -m py_compile` still pass.
func editApp(dir string, opt editOptions) ([]string, error) {
	e := &editor{dir: dir, opt: opt}
	e.events, e.check = readExpect(dir)
	var err error
	switch {
	case e.exists("package.json"):
		err = e.node()
	case e.exists("requirements.txt"), e.exists("pyproject.toml"), e.exists("manage.py"):
		err = e.python()
	case e.htmlPage() != "":
		err = e.static()
	default:
		return nil, errNoFramework
	}
	if err != nil {
		return nil, err
	}
	if err := e.misbehave(); err != nil {
		return nil, err
	}
	if err := e.writeEventsFile(); err != nil {
		return nil, err
	}
	if err := e.writeReport(); err != nil {
		return nil, err
	}
	return e.steps, nil
}

// readExpect reads the events the workbench expects from
// .wizard-ci/expect.yml, so the simulated wizard captures those, and the
// app's check argv, so broken-syntax breaks a file that check validates.
func readExpect(dir string) (events, check []string) {
	b, err := os.ReadFile(filepath.Join(dir, ".wizard-ci", "expect.yml"))
	if err != nil {
		return nil, nil
	}
	var x struct {
		Events []string `yaml:"events"`
		Check  []string `yaml:"check"`
	}
	if yaml.Unmarshal(b, &x) != nil {
		return nil, nil
	}
	for _, ev := range x.Events {
		if ev = strings.TrimSpace(ev); ev != "" {
			events = append(events, ev)
		}
	}
	return events, x.Check
}

func (e *editor) eventsOr(def string) []string {
	if len(e.events) > 0 {
		return e.events
	}
	return []string{def}
}

func (e *editor) host() string {
	if e.opt.Region == "eu" {
		return "https://eu.i.posthog.com"
	}
	return "https://us.i.posthog.com"
}

func (e *editor) assets() string {
	if e.opt.Region == "eu" {
		return "https://eu-assets.i.posthog.com/static/array.js"
	}
	return "https://us-assets.i.posthog.com/static/array.js"
}

func (e *editor) abs(rel string) string { return filepath.Join(e.dir, filepath.FromSlash(rel)) }

func (e *editor) exists(rel string) bool {
	st, err := os.Stat(e.abs(rel))
	return err == nil && st.Mode().IsRegular()
}

func (e *editor) isDir(rel string) bool {
	st, err := os.Stat(e.abs(rel))
	return err == nil && st.IsDir()
}

func (e *editor) firstExisting(names ...string) string {
	for _, n := range names {
		if n != "" && e.exists(path.Clean(n)) {
			return path.Clean(n)
		}
	}
	return ""
}

func (e *editor) read(rel string) (string, error) {
	b, err := os.ReadFile(e.abs(rel))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", rel, err)
	}
	return string(b), nil
}

func (e *editor) write(rel, content string) error {
	p := e.abs(rel)
	mode := os.FileMode(0o644)
	if st, err := os.Stat(p); err == nil {
		mode = st.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

func (e *editor) edit(rel string, f func(string) string) error {
	src, err := e.read(rel)
	if err != nil {
		return err
	}
	return e.write(rel, f(src))
}

func (e *editor) step(format string, a ...any) { e.steps = append(e.steps, fmt.Sprintf(format, a...)) }

func (e *editor) plan(file string, events []string) {
	for _, ev := range events {
		e.planned = append(e.planned, plannedEvent{
			Name:        ev,
			Description: fmt.Sprintf("%s (captured by the simulated wizard)", ev),
			File:        file,
		})
	}
	e.step("Capturing %s in %s", strings.Join(events, ", "), file)
}

// htmlPage is the app's main HTML page, if it has one.
func (e *editor) htmlPage() string {
	if p := e.firstExisting("index.html", "public/index.html", "src/index.html"); p != "" {
		return p
	}
	m, _ := filepath.Glob(filepath.Join(e.dir, "*.html"))
	sort.Strings(m)
	if len(m) > 0 {
		return filepath.Base(m[0])
	}
	return ""
}

// ---- Node ----

type packageJSON struct {
	Main            string            `json:"main"`
	Type            string            `json:"type"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

func (p packageJSON) has(name string) bool {
	_, a := p.Dependencies[name]
	_, b := p.DevDependencies[name]
	return a || b
}

func (e *editor) node() error {
	raw, err := e.read("package.json")
	if err != nil {
		return err
	}
	var pkg packageJSON
	if err := json.Unmarshal([]byte(raw), &pkg); err != nil {
		return fmt.Errorf("package.json: %w", jsonerr.Doc{What: "a package.json", Writer: "npm expects"}.Describe([]byte(raw), err))
	}
	browser := false
	for _, d := range []string{"react", "vue", "svelte", "@angular/core", "vite", "preact", "solid-js"} {
		browser = browser || pkg.has(d)
	}
	if e.opt.Command == "upload-source-maps" || e.opt.Command == "upload-sourcemaps" {
		e.sdk = "@posthog/cli"
		if e.opt.WithSDK {
			if err := e.edit("package.json", func(s string) string { return addDependency(s, e.sdk, "^0.5.0") }); err != nil {
				return err
			}
			e.step("Installing %s", e.sdk)
		}
		return e.sourceMaps()
	}
	e.sdk = "posthog-node"
	// A root index.html makes a static site; public/index.html is usually
	// served by a Node server, which gets the server SDK.
	if pkg.has("next") || browser || e.exists("index.html") {
		e.sdk = "posthog-js"
	}
	if e.opt.WithSDK {
		version := "^5.9.0"
		if e.sdk == "posthog-js" {
			version = "^1.260.0"
		}
		if err := e.edit("package.json", func(s string) string { return addDependency(s, e.sdk, version) }); err != nil {
			return err
		}
		e.step("Installing %s", e.sdk)
	}
	switch {
	case pkg.has("next"):
		return e.next()
	case e.sdk == "posthog-js":
		return e.browser(pkg)
	default:
		return e.server(pkg)
	}
}

var (
	lineIndent = regexp.MustCompile(`^[ \t]*\r?\n([ \t]*)\S`)
	moduleLine = regexp.MustCompile(`(?m)^\s*(import|export)[\s{*]`)
)

// addDependency adds name@version to package.json's dependencies.
func addDependency(src, name, version string) string {
	return addToObject(src, "dependencies", name, version)
}

// addToObject sets package.json's object key (dependencies, scripts…) to
// hold name: value, editing the text so the file keeps its order and layout;
// if that does not give valid JSON it falls back to re-encoding.
func addToObject(src, key, name, value string) string {
	entry := fmt.Sprintf("%q: %q", name, value)
	var out string
	if loc := regexp.MustCompile(`"` + regexp.QuoteMeta(key) + `"\s*:\s*\{`).FindStringIndex(src); loc != nil {
		at := loc[1]
		rest := src[at:]
		switch m := lineIndent.FindStringSubmatch(rest); {
		case strings.HasPrefix(strings.TrimSpace(rest), "}"):
			out = src[:at] + "\n    " + entry + "\n  " + strings.TrimLeft(rest, " \t\r\n")
		case m != nil:
			out = src[:at] + "\n" + m[1] + entry + "," + rest
		default:
			out = src[:at] + entry + ", " + strings.TrimLeft(rest, " \t")
		}
	} else if i := strings.IndexByte(src, '{'); i >= 0 {
		rest := src[i+1:]
		sep := ","
		if strings.HasPrefix(strings.TrimSpace(rest), "}") {
			sep = ""
		}
		if strings.Contains(strings.TrimSpace(src), "\n") {
			out = src[:i+1] + fmt.Sprintf("\n  %q: {\n    ", key) + entry + "\n  }" + sep + rest
		} else {
			// A package.json on one line stays on one line.
			out = src[:i+1] + fmt.Sprintf("%q:{%q:%q}", key, name, value) + sep + rest
		}
	}
	var check map[string]json.RawMessage
	var obj map[string]string
	if json.Unmarshal([]byte(out), &check) == nil && json.Unmarshal(check[key], &obj) == nil && obj[name] == value {
		return out
	}
	var m map[string]any
	if json.Unmarshal([]byte(src), &m) != nil {
		return src
	}
	o, _ := m[key].(map[string]any)
	if o == nil {
		o = map[string]any{}
	}
	o[name] = value
	m[key] = o
	b, _ := json.MarshalIndent(m, "", "  ")
	return string(b) + "\n"
}

var directive = regexp.MustCompile(`^\s*["']use [a-z ]+["'];?\s*$`)

// insertTop puts block after a shebang and any leading directives ("use
// client", "use strict"), which must stay first.
func insertTop(src, block string) string {
	lines := strings.SplitAfter(src, "\n")
	i := 0
	if len(lines) > 0 && strings.HasPrefix(lines[0], "#!") {
		i = 1
	}
	for j := i; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		switch {
		case directive.MatchString(lines[j]):
			i = j + 1
			continue
		case t == "" || strings.HasPrefix(t, "//"):
			continue
		}
		break
	}
	head := strings.Join(lines[:i], "")
	if head != "" && !strings.HasSuffix(head, "\n") {
		head += "\n"
	}
	if head != "" {
		head += "\n"
	}
	rest := strings.TrimLeft(strings.Join(lines[i:], ""), "\r\n")
	block = strings.TrimRight(block, "\n") + "\n"
	if rest != "" {
		block += "\n"
	}
	return head + block + rest
}

// appendBlock adds block at the end of src, after a blank line.
func appendBlock(src, block string) string {
	if src != "" && !strings.HasSuffix(src, "\n") {
		src += "\n"
	}
	if src != "" {
		src += "\n"
	}
	return src + block
}

func isModule(file, pkgType, src string) bool {
	switch path.Ext(file) {
	case ".mjs", ".mts", ".ts", ".tsx", ".jsx":
		return true
	case ".cjs", ".cts":
		return false
	}
	return pkgType == "module" || moduleLine.MatchString(src)
}

func (e *editor) server(pkg packageJSON) error {
	entry := e.firstExisting(pkg.Main, "index.js", "app.js", "server.js", "main.js",
		"src/index.js", "src/app.js", "src/server.js", "src/main.js",
		"index.mjs", "server.mjs", "app.mjs", "index.cjs", "server.cjs",
		"index.ts", "src/index.ts", "src/server.ts", "src/app.ts", "src/main.ts")
	src := ""
	if entry == "" {
		entry = "posthog.js"
	} else {
		var err error
		if src, err = e.read(entry); err != nil {
			return err
		}
	}
	imp := `const { PostHog } = require("posthog-node");`
	if isModule(entry, pkg.Type, src) {
		imp = `import { PostHog } from "posthog-node";`
	}
	initBlock := imp + "\n\n" +
		"// PostHog: the key comes from the environment, never from the source.\n" +
		"const posthog = new PostHog(process.env.POSTHOG_API_KEY || \"\", {\n" +
		"  host: process.env.POSTHOG_HOST || \"" + e.host() + "\",\n" +
		"});\n"
	var captures strings.Builder
	captures.WriteString("// Events planned by the PostHog wizard.\n")
	events := e.eventsOr("server started")
	for _, ev := range events {
		fmt.Fprintf(&captures, "posthog.capture({ distinctId: \"server\", event: %q });\n", ev)
	}
	captures.WriteString("\nprocess.on(\"beforeExit\", () => posthog.shutdown());\n")
	if !e.opt.NoInit {
		src = insertTop(src, initBlock)
	}
	src = appendBlock(src, captures.String())
	return e.finishEntry(entry, src, events)
}

func (e *editor) next() error {
	base := ""
	if e.isDir("src/app") || e.isDir("src/pages") {
		base = "src/"
	}
	ext := "js"
	if e.exists("tsconfig.json") {
		ext = "ts"
	}
	initFile := base + "instrumentation-client." + ext
	initSrc := "import posthog from \"posthog-js\";\n\n" +
		"// PostHog: the project token comes from the environment, never from the source.\n" +
		"posthog.init(process.env.NEXT_PUBLIC_POSTHOG_KEY || \"\", {\n" +
		"  api_host: process.env.NEXT_PUBLIC_POSTHOG_HOST || \"" + e.host() + "\",\n" +
		"  defaults: \"2025-05-24\",\n" +
		"});\n"
	entry := e.firstExisting(
		"app/page.tsx", "app/page.jsx", "app/page.js", "src/app/page.tsx", "src/app/page.jsx", "src/app/page.js",
		"pages/index.tsx", "pages/index.jsx", "pages/index.js", "src/pages/index.tsx", "src/pages/index.jsx", "src/pages/index.js")
	events := e.eventsOr("page viewed")
	var captures strings.Builder
	captures.WriteString("// Events planned by the PostHog wizard.\nif (typeof window !== \"undefined\") {\n")
	for _, ev := range events {
		fmt.Fprintf(&captures, "  posthog.capture(%q);\n", ev)
	}
	captures.WriteString("}\n")
	if e.opt.NoInit {
		initSrc = "import posthog from \"posthog-js\";\n"
	}
	if entry == "" {
		initSrc = appendBlock(initSrc, captures.String())
	}
	if !e.opt.NoInit || entry == "" {
		if err := e.write(initFile, initSrc); err != nil {
			return err
		}
	}
	if !e.opt.NoInit {
		e.init = initFile
	}
	e.step("Initialising posthog-js in %s", initFile)
	if entry == "" {
		e.plan(initFile, events)
		return nil
	}
	if err := e.edit(entry, func(s string) string {
		return appendBlock(insertTop(s, "import posthog from \"posthog-js\";"), captures.String())
	}); err != nil {
		return err
	}
	e.plan(entry, events)
	return nil
}

// sourceMaps is the upload-source-maps program: a package.json script that
// injects and uploads the source maps the build writes.
func (e *editor) sourceMaps() error {
	const script = "posthog-cli sourcemap inject --directory dist && posthog-cli sourcemap upload --directory dist"
	if e.opt.NoInit {
		return nil
	}
	if err := e.edit("package.json", func(s string) string { return addToObject(s, "scripts", "sourcemaps:upload", script) }); err != nil {
		return err
	}
	e.init = "package.json"
	e.step("Adding the sourcemaps:upload script to package.json")
	return nil
}

var scriptSrc = regexp.MustCompile(`(?i)<script[^>]*\ssrc\s*=\s*["']([^"':]+)["']`)

func (e *editor) browser(pkg packageJSON) error {
	html := e.htmlPage()
	entry := ""
	if strings.HasSuffix(pkg.Main, "js") || strings.HasSuffix(pkg.Main, "ts") || strings.HasSuffix(pkg.Main, "x") {
		entry = e.firstExisting(pkg.Main)
	}
	if entry == "" && html != "" {
		entry = e.localScript(html)
	}
	if entry == "" {
		entry = e.firstExisting("src/main.tsx", "src/main.jsx", "src/main.ts", "src/main.js",
			"src/index.tsx", "src/index.jsx", "src/index.ts", "src/index.js", "app.js", "main.js", "index.js")
	}
	src := ""
	if entry != "" {
		var err error
		if src, err = e.read(entry); err != nil {
			return err
		}
	}
	events := e.eventsOr("page viewed")
	if entry != "" && isModule(entry, pkg.Type, src) || html == "" {
		// A bundled app: initialise the SDK in its entry module.
		if entry == "" {
			entry = "posthog.js"
		}
		token := `process.env.POSTHOG_KEY || ""`
		if pkg.has("vite") {
			token = `import.meta.env.VITE_POSTHOG_KEY || ""`
		}
		block := "import posthog from \"posthog-js\";\n\n" +
			"// PostHog: the project token comes from the build environment, never from the source.\n" +
			"posthog.init(" + token + ", { api_host: \"" + e.host() + "\", defaults: \"2025-05-24\" });\n"
		if e.opt.NoInit {
			block = "import posthog from \"posthog-js\";\n"
		}
		var captures strings.Builder
		captures.WriteString("// Events planned by the PostHog wizard.\n")
		for _, ev := range events {
			fmt.Fprintf(&captures, "posthog.capture(%q);\n", ev)
		}
		if err := e.write(entry, appendBlock(insertTop(src, block), captures.String())); err != nil {
			return err
		}
		if !e.opt.NoInit {
			e.init = entry
		}
		e.step("Initialising posthog-js in %s", entry)
		e.plan(entry, events)
		return nil
	}
	// A page with classic scripts: the snippet goes into the HTML, the
	// captures into the page's script.
	return e.snippet(html, entry, src, events)
}

// localScript is the first script of page that is a file of the app.
func (e *editor) localScript(page string) string {
	src, err := e.read(page)
	if err != nil {
		return ""
	}
	for _, m := range scriptSrc.FindAllStringSubmatch(src, -1) {
		p := path.Join(path.Dir(page), strings.TrimPrefix(m[1], "/"))
		if e.exists(p) {
			return p
		}
	}
	return ""
}

func (e *editor) static() error {
	html := e.htmlPage()
	entry := e.localScript(html)
	src := ""
	if entry != "" {
		var err error
		if src, err = e.read(entry); err != nil {
			return err
		}
		if isModule(entry, "", src) {
			entry, src = "", ""
		}
	}
	return e.snippet(html, entry, src, e.eventsOr("page viewed"))
}

// snippet adds the posthog-js loader to html; the project token is read at
// run time from a meta tag or window.POSTHOG_PROJECT_TOKEN, so no token is
// written into the source. The events are captured in script (a classic
// script of the page) when there is one, else in the snippet.
func (e *editor) snippet(html, script, scriptSrc string, events []string) error {
	var inline strings.Builder
	if script == "" {
		for _, ev := range events {
			fmt.Fprintf(&inline, "          posthog.capture(%q);\n", ev)
		}
	}
	snip := `    <!-- PostHog: set the project token in this meta tag or in window.POSTHOG_PROJECT_TOKEN. -->
    <meta name="posthog-project-token" content="" />
    <script>
      !(function (w, d) {
        if (w.posthog) return;
        var ph = (w.posthog = []);
        ["init", "capture", "identify", "reset"].forEach(function (m) {
          ph[m] = function () {
            ph.push([m].concat(Array.prototype.slice.call(arguments)));
          };
        });
        var s = d.createElement("script");
        s.async = true;
        s.src = "` + e.assets() + `";
        d.head.appendChild(s);
      })(window, document);
      (function () {
        var meta = document.querySelector('meta[name="posthog-project-token"]');
        var token = window.POSTHOG_PROJECT_TOKEN || (meta && meta.content) || "";
        if (token) {
          posthog.init(token, { api_host: "` + e.host() + `", defaults: "2025-05-24" });
` + inline.String() + `        }
      })();
    </script>
`
	if e.opt.NoInit {
		snip = initCall.ReplaceAllString(snip, "")
	}
	if err := e.edit(html, func(s string) string { return insertHTML(s, snip) }); err != nil {
		return err
	}
	if !e.opt.NoInit {
		e.init = html
	}
	e.step("Adding the PostHog snippet to %s", html)
	if script == "" {
		e.plan(html, events)
		return nil
	}
	var captures strings.Builder
	captures.WriteString("// Events planned by the PostHog wizard.\n")
	for _, ev := range events {
		fmt.Fprintf(&captures, "if (window.posthog) {\n  window.posthog.capture(%q);\n}\n", ev)
	}
	if err := e.write(script, appendBlock(scriptSrc, captures.String())); err != nil {
		return err
	}
	e.plan(script, events)
	return nil
}

// initCall is the snippet's line that initialises posthog-js.
var initCall = regexp.MustCompile(`(?m)^[ \t]*posthog\.init\(.*\n`)

var (
	headEnd   = regexp.MustCompile(`(?i)</head\s*>`)
	bodyStart = regexp.MustCompile(`(?i)<body[\s>]`)
)

func insertHTML(src, snip string) string {
	if loc := headEnd.FindStringIndex(src); loc != nil {
		// Keep the closing tag's own indentation on its line.
		at := strings.LastIndexByte(src[:loc[0]], '\n') + 1
		if strings.TrimSpace(src[at:loc[0]]) != "" {
			at = loc[0]
			snip = "\n" + snip
		}
		return src[:at] + snip + src[at:]
	}
	if loc := bodyStart.FindStringIndex(src); loc != nil {
		return src[:loc[0]] + snip + src[loc[0]:]
	}
	return snip + src
}

// ---- Python ----

var (
	pyMain       = regexp.MustCompile(`(?m)^if\s+__name__\s*==`)
	pyDeps       = regexp.MustCompile(`(?m)^dependencies\s*=\s*\[`)
	poetryDepsHd = regexp.MustCompile(`(?m)^\[tool\.poetry\.dependencies\][ \t]*\r?\n`)
)

func (e *editor) python() error {
	e.sdk = "posthog"
	if e.opt.WithSDK {
		if err := e.addPythonDependency(); err != nil {
			return err
		}
		e.step("Installing posthog")
	}
	entry := e.firstExisting("app.py", "main.py", "server.py", "wsgi.py", "run.py", "src/app.py", "src/main.py")
	for _, pattern := range []string{
		"*/views.py", // Django: the app's views, next to manage.py's project
		"src/*/cli.py", "src/*/main.py", "src/*/app.py", "src/*/__main__.py", "src/*/__init__.py",
		"*/cli.py", "*/main.py", "*/app.py",
	} {
		if entry != "" {
			break
		}
		m, _ := filepath.Glob(filepath.Join(e.dir, filepath.FromSlash(pattern)))
		sort.Strings(m)
		for _, p := range m {
			if rel, err := filepath.Rel(e.dir, p); err == nil && e.exists(filepath.ToSlash(rel)) {
				entry = filepath.ToSlash(rel)
				break
			}
		}
	}
	if entry == "" {
		m, _ := filepath.Glob(filepath.Join(e.dir, "*.py"))
		sort.Strings(m)
		for _, p := range m {
			if b := filepath.Base(p); b != "manage.py" && b != "setup.py" && !strings.HasPrefix(b, "test") {
				entry = b
				break
			}
		}
	}
	src := ""
	if entry == "" {
		entry = "posthog_client.py"
	} else {
		var err error
		if src, err = e.read(entry); err != nil {
			return err
		}
	}
	events := e.eventsOr("app started")
	var b strings.Builder
	if e.opt.NoInit {
		b.WriteString("import posthog\n\n")
	} else {
		b.WriteString("# PostHog: the key comes from the environment, never from the source.\n")
		b.WriteString("import os\n\nfrom posthog import Posthog\n\n")
		fmt.Fprintf(&b, "posthog = Posthog(\n    os.environ.get(\"POSTHOG_API_KEY\", \"\"),\n    host=os.environ.get(\"POSTHOG_HOST\", %q),\n)\n\n", e.host())
	}
	b.WriteString("# Events planned by the PostHog wizard.\n")
	for _, ev := range events {
		fmt.Fprintf(&b, "posthog.capture(distinct_id=\"server\", event=%q)\n", ev)
	}
	block := b.String()
	if loc := pyMain.FindStringIndex(src); loc != nil {
		src = src[:loc[0]] + block + "\n\n" + src[loc[0]:]
	} else {
		src = appendBlock(src, block)
	}
	return e.finishEntry(entry, src, events)
}

func (e *editor) addPythonDependency() error {
	const req = "posthog>=6.0.0"
	if e.exists("pyproject.toml") {
		src, err := e.read("pyproject.toml")
		if err != nil {
			return err
		}
		if loc := pyDeps.FindStringIndex(src); loc != nil {
			rest := src[loc[1]:]
			entry := fmt.Sprintf("%q, ", req)
			switch t := strings.TrimLeft(rest, " \t"); {
			case strings.HasPrefix(t, "]"):
				entry = fmt.Sprintf("%q", req)
			case strings.HasPrefix(t, "\n"), strings.HasPrefix(t, "\r"):
				entry = fmt.Sprintf("\n    %q,", req)
			}
			return e.write("pyproject.toml", src[:loc[1]]+entry+rest)
		}
		if loc := poetryDepsHd.FindStringIndex(src); loc != nil {
			return e.write("pyproject.toml", src[:loc[1]]+"posthog = \"^6.0.0\"\n"+src[loc[1]:])
		}
	}
	src := ""
	if e.exists("requirements.txt") {
		var err error
		if src, err = e.read("requirements.txt"); err != nil {
			return err
		}
	}
	if src != "" && !strings.HasSuffix(src, "\n") {
		src += "\n"
	}
	return e.write("requirements.txt", src+req+"\n")
}

// ---- what the wizard leaves behind ----

func (e *editor) writeEventsFile() error {
	planned := e.planned
	if planned == nil {
		planned = []plannedEvent{}
	}
	b, err := json.MarshalIndent(planned, "", "  ")
	if err != nil {
		return err
	}
	e.step("Writing %s and %s", EventsFile, ReportFile)
	return e.write(EventsFile, string(b)+"\n")
}

func (e *editor) writeReport() error {
	var b strings.Builder
	b.WriteString("# PostHog setup report\n\nWritten by the wizard simulator of wizard-ci; no model was called.\n\n")
	if e.sdk != "" && e.opt.WithSDK {
		fmt.Fprintf(&b, "- SDK: `%s`\n", e.sdk)
	}
	fmt.Fprintf(&b, "- Initialisation: `%s`\n- Events:\n", e.init)
	for _, p := range e.planned {
		fmt.Fprintf(&b, "  - `%s` in `%s`\n", p.Name, p.File)
	}
	return e.write(ReportFile, b.String())
}

// finishEntry writes the edited entry file and records what the wizard
// would report: where it initialised PostHog and the events it planned.
func (e *editor) finishEntry(entry, src string, events []string) error {
	if err := e.write(entry, src); err != nil {
		return err
	}
	if !e.opt.NoInit {
		e.init = entry
	}
	e.step("Adding the PostHog client to %s", entry)
	e.plan(entry, events)
	return nil
}
