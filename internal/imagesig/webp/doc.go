// Package webp decodes WebP files the way ImageMagick 6.9.11 reads them through libwebp
// 1.2.4, so that the pixels it exports are bit-identical to ImageMagick's for
// flickrsync's pixel signature, and it fails where ImageMagick fails.
//
// It owns nothing but decoding, in pure Go, ported from libwebp's decoder rather than
// taken from golang.org/x/image/webp (whose colour conversion differs, and which decodes
// whole frames at once): the RIFF container and its chunk rules (WebPGetFeatures,
// WebPParseHeaders), VP8 lossy frames with libwebp's boolean decoder, intra prediction,
// inverse transforms and loop filter, emitted one row of macroblocks at a time through
// libwebp's "fancy" chroma upsampling and its limited-range YUV to RGB conversion; VP8L
// lossless frames with libwebp's bit reader, Huffman tables, colour cache, LZ77 and
// inverse transforms; ALPH chunks (raw or lossless, unfiltered); and animations through a
// port of libwebp's demuxer. ImageMagick decodes every frame of an animation alone, fails
// if any fails, and keeps the last one in its own rectangle (the first, when it is the
// only one, on the canvas at its offset); it never blends nor disposes. The pixels are
// written as RGB, or RGBA when libwebp reports alpha (the VP8X flag, an ALPH chunk, or the
// VP8L header's bit), 8 bits per sample, unpremultiplied. ICCP, EXIF and XMP chunks do
// not touch the pixels.
//
// The file is read whole, as ImageMagick does (a file shorter than its RIFF size is an
// error, bytes after it are never read), and decoded in memory bounded by
// Options.MaxPixels and announced to Options.Reserve before it is allocated: a lossy
// frame needs a few rows (and its alpha plane), a lossless frame its pixels, an animation
// one frame at a time. DecodeStrip decodes one still image into RGB or RGBA rows as
// libtiff's WebP codec asks libwebp to (package tiff's compression 50001). DecodeContext stops within a row of macroblocks (16 rows of
// pixels) once its context is done. Errors are FormatError (corrupt or truncated data,
// what ImageMagick refuses), UnsupportedError (a VP8 frame libwebp does not decode), or
// match ErrTooLarge.
package webp
