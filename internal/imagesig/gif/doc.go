// Package gif decodes GIF files the way ImageMagick 6 reads them, so that the pixels it
// exports are bit-identical to ImageMagick's for flickrsync's pixel signature.
//
// It owns nothing but decoding. Every frame is decoded in turn with ImageMagick's own LZW
// decoder semantics (not giflib's, not the standard library's): its handling of clear and
// end codes, of codes beyond the table, of data after a frame (scanned byte by byte for the
// next block), of truncated and corrupt data. Decode then writes the LAST frame, as its
// own rectangle (the image descriptor's width x height, not the logical screen), with its
// palette: RGB, or RGBA when the frame's graphic control extension names a transparent
// index that ImageMagick keeps. A pixel index past the colour table is entry 0, with a
// warning, as ImageMagick's ConstrainColormapIndex makes it. One frame is held at a time,
// its memory reserved first through Options.Reserve; Decode checks its ctx between rows.
package gif
