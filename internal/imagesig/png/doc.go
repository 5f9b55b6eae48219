// Package png is a streaming PNG decoder that reproduces, byte for byte, the pixels
// ImageMagick 6 (with libpng 1.6) exports for its pixel signature.
//
// It owns nothing but decoding: Decode parses the chunk stream with libpng's rules (which
// errors are fatal, which are only warnings), inflates the IDAT data and unfilters it row by
// row with two row buffers, and writes each row to w in ImageMagick's export layout: RGB, or
// RGBA when the image has alpha (alpha colour types or a tRNS chunk); grayscale as R=G=B;
// one byte per sample for bit depths up to 8 (1/2/4-bit samples scaled to 8 bits), two
// bytes big-endian for 16-bit images. Interlaced (Adam7) images are assembled in memory
// first, bounded by Options.MaxPixels. APNG files decode as their default image (IDAT).
package png
