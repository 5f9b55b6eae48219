// Package ignore decides which paths of the library are excluded, with gitignore's
// syntax and precedence (gitignore(5), checked against `git check-ignore`):
//
//   - A pattern without a '/' (a trailing one aside) matches a name at any depth below
//     the folder of its file; one with a '/' at the start or in the middle is anchored to
//     that folder. A trailing '/' matches folders only (a symbolic link is not one).
//   - '*' and '?' match within a name, "[...]" a byte of a class; "**/" at the start
//     matches in every folder, "/**" at the end everything inside, "/**/" any number of
//     folders. '\' escapes the next byte ("\#", "\!", "\ " at the end of a line).
//   - '!' re-includes what an earlier pattern excluded, but nothing under an excluded
//     folder: the scanner does not descend into one.
//   - Lines starting with '#' are comments; trailing spaces are ignored; matching is
//     byte-wise and case-sensitive (git's default on Linux).
//
// Rules come in three groups, and the first group, from the highest, with a pattern
// matching a path decides, by the last matching pattern in it:
//  1. Excludes: the config's exclude key and the command line's --exclude and
//     --exclude-from, anchored at the library root (git's command-line patterns);
//  2. the .flickrsyncignore files of the path's folders, the deepest first (a folder's
//     file applies to it and everything below);
//  3. Defaults (DefaultPatterns), which config default_excludes = no turns off.
package ignore
