// Package cli is flickrsync's command line: it parses the global options and the command
// (both `flickrsync sync` and the Python tool's `flickrsync --sync` spellings), resolves the
// configuration profile, runs the command and maps its error to an exit status.
//
// Each command lives in its own file, cmd_<name>.go, and registers itself from init with
// Register. Output rules, for every command:
//   - results a script may read go to standard output; progress, prompts, warnings and
//     the run summary go to standard error;
//   - errors are printed once, by Main, as "flickrsync: <error>";
//   - exit status: 0 all done, 1 some files failed (ErrPartial), 2 usage or configuration
//     error, 130 interrupted.
package cli
