package cli

// usage is the global help: every sub-command on one line or two.
const usage = `wizard-ci runs the PostHog wizard on a workbench of example apps.

Usage:
  wizard-ci run <target>... [--wizard-ref REF | --wizard-command CMD | --wizard=simulate]
                            [--workbench DIR] [--concurrency N] [--out DIR]
                            [--shard i/n] [--fail-on failure|never]
                            [--region us|eu] [--app-timeout 20m] [--retries 2]
                            [--retry-delay 30s] [--provisioning-retries 2]
                            [--provisioning-retry-delay D] [--update-interval 5s]
                            [--wizard-repository OWNER/NAME] [--wizard-build-command CMD]
                            [--program CATEGORY]
  wizard-ci list [<target>...] [--workbench DIR]
                                 resolved apps, one per line (default: all)
  wizard-ci hint [--workbench DIR]
                                 the hint comment's Markdown
  wizard-ci plan <target>... --shards N [--workbench DIR]
                                 matrix JSON for a GitHub Actions matrix
  wizard-ci report <results-dir>... [--out DIR] [--fail-on failure|never]
                                 merge the legs' output folders and report
  wizard-ci action               GitHub Action mode (reads INPUT_* and GITHUB_*)
  wizard-ci version              the version and commit it was built from

"wizard-ci <sub-command> --help" (or "wizard-ci help <sub-command>") explains one.

Targets: "all", a category, or any folder of the workbench down to one app;
every argument is a target. --program CATEGORY runs every selected app with
that category's wizard sub-command instead of its own (a comment's <program>).
The PostHog key is read from POSTHOG_WIZARD_API_KEY.

By default the wizard is built from source: --wizard-repository (PostHog/wizard)
at --wizard-ref (main), cloned through GITHUB_SERVER_URL (https://github.com) and
built with --wizard-build-command ("pnpm install --frozen-lockfile && pnpm build:ci"),
once per commit (kept in <out>/.wizard-cache). It needs git, pnpm and Node.js 22.22+.

Limits: --concurrency 1–64, retries 0–10, --shard i/n with n ≤ 256; durations
are Go durations (300ms, 30s, 2m).

Exit codes:
  0  every app succeeded (or --fail-on never), or nothing needed to run
  1  some app did not succeed
  2  usage or configuration error (a failed preflight included)
`

// exitCodes ends the help of the sub-commands that run apps.
const exitCodes = `
Exit codes: 0 every app succeeded (or --fail-on never), 1 some app did not,
2 usage or configuration error (a failed preflight included).
`

// subUsage is the help of each sub-command: what it does and its flags.
var subUsage = map[string]string{
	"run": `Usage: wizard-ci run <target>... [flags]

Runs the wizard on every app the targets select, with live progress on the
terminal, and prints the results table; the files go to --out. Every argument
is a target: "all", a category, or any folder of the workbench down to one
app. Flags and targets may come in any order; after "--" every argument is a
target. The PostHog key is read from POSTHOG_WIZARD_API_KEY.

The wizard (by default built from source, once per commit):
  --wizard=simulate             the built-in simulator: no key, no network
  --wizard-command CMD          a ready wizard instead, split without a shell
  --wizard-ref REF              git ref to build (default main)
  --wizard-repository OWNER/NAME
                                repository to build (default PostHog/wizard)
  --wizard-build-command CMD    build command, run with sh -c
                                (default "pnpm install --frozen-lockfile && pnpm build:ci")
  --program CATEGORY            run every selected app with this category's wizard
                                sub-command instead of its own

The run:
  --workbench DIR               folder holding wizard-ci.yml (default workbench)
  --out DIR                     output folder (default wizard-ci-out)
  --concurrency N               apps running at once, 1–64 (default 4)
  --shard i/n                   run only shard i of n of the selected apps
  --region us|eu                PostHog region (default us)
  --app-timeout D               time limit of one attempt, more than 0 (default 20m)
  --retries N                   extra attempts when rate-limited or overloaded, 0–10 (default 2)
  --retry-delay D               base of their backoff, 0 or more (default 30s)
  --provisioning-retries N      extra attempts after the billing 403, 0–10 (default 2)
  --provisioning-retry-delay D  wait before those, 0 or more (default: the advised delay, else 2m)
  --update-interval D           at most one report update per interval, 0 or more (default 5s)
  --fail-on failure|never       exit 1 when an app did not succeed (default failure)

Durations are Go durations (300ms, 30s, 2m).
` + exitCodes,

	"list": `Usage: wizard-ci list [<target>...] [--workbench DIR]

Prints the apps the targets select, one bare path per line; with no target,
every app of "all". Every argument is a target: "all", a category, or any
folder of the workbench down to one app. A category CI may not run is left
out of "all" but listed when named.

  --workbench DIR   folder holding wizard-ci.yml (default workbench)
`,

	"hint": `Usage: wizard-ci hint [--workbench DIR]

Prints the Markdown of the hint comment the action posts on a new pull
request: the command grammar and every target CI may run.

  --workbench DIR   folder holding wizard-ci.yml (default workbench)
`,

	"plan": `Usage: wizard-ci plan <target>... --shards N [--workbench DIR]

Prints the matrix JSON that splits the apps the targets select into N shards
({"include":[{"shard":"1/3","apps":[...]},...]}); shards that would be empty
are left out. A leg runs "wizard-ci run --shard i/n <same targets>" or
"wizard-ci run <its apps>". Inside GitHub Actions it also sets the matrix
output.

  --shards N        number of shards, 1–256
  --workbench DIR   folder holding wizard-ci.yml (default: the workbench input
                    inside GitHub Actions, else workbench)
`,

	"report": `Usage: wizard-ci report <results-dir>... [--out DIR] [--fail-on failure|never]

Merges the output folders of a sharded run's legs into one results.json,
junit.xml and comment.md in --out (logs copied), prints the results table and
exits like run. Inside GitHub Actions it also writes the job summary and the
outputs, and posts the report: the results comment of the pull request the
legs ran for, or the tracking issue.

  --out DIR                 output folder (default: the output-dir input inside
                            GitHub Actions, else wizard-ci-out)
  --fail-on failure|never   exit 1 when an app did not succeed (default: the
                            fail-on input inside GitHub Actions, else failure)
` + exitCodes,

	"action": `Usage: wizard-ci action

GitHub Action mode, what the action's image runs: reads the event from
GITHUB_EVENT_NAME and GITHUB_EVENT_PATH and the inputs from INPUT_<NAME> (see
action.yml), then answers a /wizard-ci comment, posts the hint on a new pull
request, or runs the target input on schedule and manual runs. It takes no
arguments or flags; for a local run use "wizard-ci run".

Exit codes: 0 the command ran and fail-on is satisfied, or the event was
ignored or answered with a reply; 1 an app did not succeed with fail-on:
failure, or the run finished but its report could not be posted (whatever
fail-on says: its files are written); 2 configuration error, or GitHub could
not be reached to answer a command.
`,

	"version": `Usage: wizard-ci version

Prints the version and commit wizard-ci was built from (also: wizard-ci --version).
`,
}
