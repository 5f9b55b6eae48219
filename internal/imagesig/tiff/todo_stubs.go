package tiff

func (sd *strileDecoder) fax(raw, out []byte, rows int, tile bool) error {
	return UnsupportedError("CCITT fax")
}
