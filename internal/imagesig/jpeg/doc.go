// Package jpeg is a pure-Go JPEG decoder whose output is bit-identical to libjpeg-turbo 2.1's
// default decompression as ImageMagick 6 drives it: ISLOW integer IDCT, fancy upsampling,
// libjpeg's YCbCr->RGB tables, Huffman and arithmetic coding, sequential and progressive
// (with block smoothing), and libjpeg's recovery from corrupt and truncated data.
//
// It owns nothing but decoding: Decode streams the pixels of the first image, row by row, in
// the byte layout ImageMagick 6 exports for its pixel signature (RGB, gray as R=G=B, CMYK).
// Sequential images are decoded one MCU row at a time; progressive images keep the
// coefficient buffer, as libjpeg does.
package jpeg
