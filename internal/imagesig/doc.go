// Package imagesig computes flickrsync's identity of a media file, the value of the
// flickrsync:signature machine tag, of one of three kinds (Kind): the pixel signature of a
// picture (the SHA-256 of its decoded pixels exactly as ImageMagick 6 exports them, its
// SignatureImage, which the Python flickrsync read through Wand), ExifTool's
// ImageDataHash of a HEIF still or a movie (its coded data, package isobmff), or the
// SHA-256 of the whole file.
//
// It owns the one entry point (Sign, SignFile), format detection from the bytes (Sniff:
// never the extension, which only tells a RAW file in a TIFF container), the rule of each
// format in one table (rules.go: photo or video, which kind of signature, RAW files
// refused as not uploadable), the pixel limit, the process's memory budget (Budget:
// decodes running at once share it; its Reserve is every decoder's Reserve option) and the
// errors callers test: verdicts on the bytes (Refused: the decoders' and isobmff's format
// errors, ErrUnknownFormat, ErrRAW, ErrTooLarge) apart from failed attempts (ErrRead,
// ErrOverBudget, and ErrInternal for a decoder bug, which Sign recovers and reports with
// where it happened instead of crashing the caller). The decoders (jpeg, png, gif, tiff,
// webp subpackages) and isobmff are leaves that know one format each; callers learn a
// format only from a Result. It never prints.
package imagesig
