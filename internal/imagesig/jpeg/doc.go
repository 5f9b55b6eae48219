// Package jpeg is a pure-Go JPEG decoder whose output is bit-identical to libjpeg-turbo 2.1's
// default decompression as ImageMagick 6 drives it (the reference of flickrsync's pixel
// signature): ISLOW integer IDCT, fancy upsampling, libjpeg's YCbCr->RGB tables, Huffman and
// arithmetic coding, sequential, progressive and multi-scan images, block smoothing of
// incomplete progressive images, restart markers, and libjpeg's recovery from corrupt and
// truncated data (zero fill, resync, fake EOI), with its warnings. Errors libjpeg or
// ImageMagick raise (12-bit data, lossless, missing tables, files under 107 bytes, ...) are
// errors here too.
//
// Decode writes the pixels of the first image in the byte layout ImageMagick 6 exports for its
// signature: RGB, gray as R=G=B, and CMYK as ImageMagick stores Adobe JPEGs (255 - sample).
//
// Memory: sequential images stream one iMCU row at a time through small sample rings.
// Multi-scan images need all DCT coefficients until the last scan, as in libjpeg; rows are
// allocated as scans fill them, and when an image would need more than coefBudget the input is
// replayed once per band of rows instead (see band.go).
//
// Files: api.go (exported API), decoder.go (setup), markers.go, immarkers.go, restart.go, input.go,
// huffman.go, progressive.go, arith.go, scan.go (decoding drivers), idct.go, smooth.go,
// output.go (upsampling, colour conversion), band.go.
package jpeg
