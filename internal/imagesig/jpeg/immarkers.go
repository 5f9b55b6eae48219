package jpeg

// ImageMagick installs its own handlers for COM, APP1..APP13 and APP15 (coders/jpeg.c
// ReadComment, ReadICCProfile, ReadIPTCProfile, ReadProfile): they read the payload through
// GetCharacter and fail on EOF, and the IPTC one may leave part of a short payload unread.
// Their effect on the pixels is only which bytes they consume and when they fail.

// imReadProfile mirrors ImageMagick's ReadProfile/ReadICCProfile/ReadComment marker handlers:
// they read the whole payload byte by byte and fail on EOF.
func (d *decoder) imReadProfile() {
	length := d.imProfileLength()
	if length <= 2 {
		return
	}
	d.imConsume(length - 2)
}

// imReadIPTC mirrors ImageMagick's ReadIPTCProfile, including the early returns that leave
// part of a short APP13 payload unread (to be skipped later as extraneous bytes).
func (d *decoder) imReadIPTC() {
	length := d.imProfileLength()
	if length <= 2 {
		return
	}
	length -= 2
	if length <= 14 {
		d.imSkipTolerant(length)
		return
	}
	var magic [10]byte
	for i := range magic {
		c, ok := d.imGetCharacter()
		if !ok {
			magic[i] = 0xFF
			continue
		}
		magic[i] = c
	}
	length -= 10
	if length <= 10 {
		return
	}
	if string(magic[:]) != "Photoshop " && !equalFoldASCII(string(magic[:]), "Photoshop ") {
		d.imSkipTolerant(length)
		return
	}
	for i := 0; i < 4; i++ {
		if _, ok := d.imGetCharacter(); !ok {
			break
		}
	}
	if length <= 11 {
		return
	}
	length -= 4
	d.imConsume(length)
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// imProfileLength is ImageMagick's GetProfileLength: 0 when EOF hits.
func (d *decoder) imProfileLength() int {
	c0, ok0 := d.imGetCharacter()
	c1, ok1 := d.imGetCharacter()
	if !ok0 || !ok1 {
		return 0
	}
	return int(c0)<<8 | int(c1)
}

// imGetCharacter is ImageMagick's GetCharacter: a refill that yields the fake EOI is EOF.
func (d *decoder) imGetCharacter() (byte, bool) {
	s := d.src
	if s.pos >= s.end {
		s.fill()
		if s.fake {
			return 0, false
		}
	}
	c := s.buf[s.pos]
	s.pos++
	return c, true
}

// imConsume reads n payload bytes as ImageMagick's handlers do; EOF is an error.
func (d *decoder) imConsume(n int) {
	if !d.imSkip(n) {
		d.fail("insufficient image data in file")
	}
}

// imSkipTolerant reads n bytes, stopping quietly at EOF.
func (d *decoder) imSkipTolerant(n int) { d.imSkip(n) }

// imSkip reads n bytes with GetCharacter's EOF rule, a buffer at a time; false at EOF.
func (d *decoder) imSkip(n int) bool {
	s := d.src
	for n > 0 {
		if s.pos >= s.end {
			s.fill()
			if s.fake {
				return false
			}
		}
		k := min(n, s.end-s.pos)
		s.pos += k
		n -= k
	}
	return true
}

// imReadICC mirrors ImageMagick's ReadICCProfile (APP2): a payload that is not an ICC
// profile is skipped up to EOF without error; only a truncated ICC profile is an error.
func (d *decoder) imReadICC() {
	length := d.imProfileLength()
	if length <= 2 {
		return
	}
	length -= 2
	if length <= 14 {
		d.imSkipTolerant(length)
		return
	}
	var magic [12]byte
	for i := range magic {
		if c, ok := d.imGetCharacter(); ok {
			magic[i] = c
		} else {
			magic[i] = 0xFF // (char) EOF
		}
	}
	if !isICCMagic(magic[:]) {
		d.imSkipTolerant(length - 12)
		return
	}
	d.imGetCharacter() // id
	d.imGetCharacter() // markers
	d.imConsume(length - 14)
}

// isICCMagic is LocaleCompare(magick, "ICC_PROFILE") == 0 on the NUL-terminated bytes.
func isICCMagic(m []byte) bool {
	n := 0
	for n < len(m) && m[n] != 0 {
		n++
	}
	return equalFoldASCII(string(m[:n]), "ICC_PROFILE")
}
