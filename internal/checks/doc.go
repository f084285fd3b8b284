// Package checks decides whether the wizard integrated PostHog into an app
// copy: it compares the copy with the original app and judges it against the
// app's .wizard-ci/expect.yml (SPEC §10); it never modifies the app.
//
// Run performs these checks, in this order, each counted once in
// results.Checks.Total:
//
//   - changed: the copy differs from the original (when it does not, the
//     other checks are not run: there is nothing to judge);
//   - sdk: the PostHog SDK for the app's language is a dependency in one of
//     its manifests (package.json, requirements*.txt, pyproject.toml, Pipfile,
//     setup.py, Gemfile, *.gemspec, composer.json, go.mod, Gradle files and
//     version catalogs, Package.swift, Podfile, pubspec.yaml, Cargo.toml);
//   - init: initialisation code (posthog.init(…), new PostHog(…),
//     Posthog(…), PostHog::init(…), posthog.NewWithConfig(…), …) exists in a
//     file matching the expect.yml init globs, or in any source file;
//   - events: every event the wizard planned in .posthog-events.json is
//     captured in the file the entry names (anywhere when it names none), and
//     every event expect.yml lists is captured somewhere;
//   - secrets: no personal API key (phx_), GitHub token, Anthropic key, AWS
//     access key or configured secret value — and no project token (phc_)
//     unless allow-project-token, or in a local .env file — was written into a file;
//   - command: the app's check argv still passes (only when expect.yml
//     declares one).
//
// "Captured" means a capture call (capture(…), Capture{…} in Go,
// Event::new(…) in Rust) whose arguments hold the event name as a string
// literal, not on a commented-out line.
//
// Scanning skips folders the wizard does not write sources into: installed
// dependencies (node_modules, vendor, venv, .venv, Pods, …), version control
// (.git) and build output or caches (dist, build, .next, __pycache__, …). A
// key inside node_modules is therefore not reported: that folder holds
// third-party code the package manager wrote, whose docs and tests are full of
// example keys, and scanning it would cost more than the whole check. Only
// the first MaxFileBytes of a file are read, files holding a NUL byte are
// treated as binary and skipped, and at most MaxFiles files are looked at.
// A secret counts only when the original app's file at the same path did not
// already hold it, so the checks judge what the wizard wrote.
package checks
