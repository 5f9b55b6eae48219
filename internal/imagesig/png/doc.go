// Package png is a streaming PNG decoder that reproduces, byte for byte, the pixels
// ImageMagick 6 (with libpng 1.6 and zlib 1.2) exports for its pixel signature, and fails
// exactly where ImageMagick fails.
//
// It owns nothing but decoding. Decode parses the chunk stream with libpng's rules (which
// damage is fatal, which only a warning), inflates the IDAT data with its own zlib
// inflater (inflate.go) that follows zlib's state machine as libpng drives it, because the
// point where zlib meets damage decides whether libpng refuses the file, and unfilters the
// image row by row with two row buffers. Each row goes to w in ImageMagick's export layout:
// RGB, or RGBA when the image has alpha (alpha colour types, or a tRNS chunk ImageMagick
// accepts); grayscale as R=G=B; one byte per sample for bit depths up to 8 (1/2/4-bit
// samples scaled to 8 bits), two bytes big-endian for 16-bit images; a palette index past
// the PLTE is entry 0, with a warning, as ImageMagick's ConstrainColormapIndex makes it.
// Interlaced (Adam7) images are assembled in memory first: their memory, like the row
// buffers of the others, is reserved first through Options.Reserve (the process's memory
// budget), and one that needs more than it allows fails alone. Decode checks its ctx
// between rows. APNG files decode as their default image (IDAT).
package png
