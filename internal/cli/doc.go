// Package cli is flickrsync's command line: it parses the global options and the command
// (both `flickrsync sync` and the Python tool's `flickrsync --sync` spellings), resolves the
// configuration profile, runs the command and maps its error to an exit status.
//
// Each command lives in its own file, cmd_<name>.go, and registers a constructor from init:
// a command and its options are built afresh for every run, so nothing of a run lives in a
// package variable and Main may run again, in parallel, or inside itself (the demo). The
// outside world comes in through Env (standard streams, the environment, the terminal, the
// browser, the wait for a held catalog), which tests replace.
//
// Output rules, for every command:
//   - results a script may read go to standard output (a dry run's plan, --json, --events -);
//     progress, prompts, warnings, failures and the run summary go to standard error;
//   - every human line goes through the invocation's console (ui.Console): names from the disk
//     or from Flickr are escaped, -q keeps only errors, -v adds a line per file, --debug every
//     call, --log-file keeps the -v lines with their time;
//   - errors are printed once, by Main, as "flickrsync: <cause>", one line;
//   - exit status (classify, the one place that decides it): 0 all done, 1 some files failed
//     (ErrPartial) or the run failed, 2 usage or configuration error (what to check is
//     named), 3 Flickr unreachable after retries, 130 SIGINT, 143 SIGTERM (Process: a second
//     signal quits at once).
package cli
