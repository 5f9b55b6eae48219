// Package sharedtest is test support for the read-only shared material that lives beside
// the repository as ../shared (or wherever $FLICKRSYNC_SHARED points): finding it, and
// reading what it holds (the image corpus of shared/corpus/ and the recorded Flickr
// exchanges of shared/flickr/recorded/).
// Nothing here is ever copied into the repository.
//
// It is imported by _test.go files only and must never be imported by non-test code:
// it calls t.Skipf, reads files relative to the working directory, and its API follows
// what tests need, not what a program needs.
//
// It owns:
//   - shared.go: locating the shared directory (Dir, Lookup, Path);
//   - cassette.go: the recorded exchanges (Interaction, LoadCassette, Recordings) in the
//     three cassette dialects found there (Ruby VCR, vcrpy with requests, vcrpy with httpx);
//   - corpus.go: the image corpus's manifest.tsv, parsed by column name into CorpusRow
//     (Corpus, CorpusIfPresent, CorpusFile, ReadCorpus, ParseManifest);
//   - seeds.go: small fixture and corpus files for fuzz seeds (SmallFiles);
//   - yaml.go: just enough YAML for those cassettes, checked against PyYAML on all of
//     them (TestCassettesMatchPyYAML).
//
// New helpers for other parts of ../shared go in their own file, one concept per file.
package sharedtest
