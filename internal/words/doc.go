// Package words is how flickrsync says counts and suggestions in English: one home for
// plurals ("1 picture", "2 copies"), for pixel limits ("1 gigapixel") and for "did you
// mean" (the known word nearest to a mistyped one), used by the engine's questions, the
// command line, the config reader and the decoders' errors.
package words
