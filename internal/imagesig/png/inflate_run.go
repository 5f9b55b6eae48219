package png

// This file drives the inflater the way libpng drives zlib: one call per row (readFull),
// the end of the last row's call (settle), and the checking read after the image (drain);
// plus the output ring, the fast symbol loop and the Adler-32.

// copyMatch appends n bytes copied from dist bytes back.
func (z *inflater) copyMatch(dist, n int) {
	mask := len(z.ring) - 1
	p := z.wpos & mask
	if p >= dist && p+n <= len(z.ring) {
		// No wrap: copy in growing chunks (the pattern repeats every dist bytes).
		for w := 0; w < n; {
			w += copy(z.ring[p+w:p+n], z.ring[p-dist:p+w])
		}
		z.wpos += n
		return
	}
	for i := 0; i < n; i++ {
		z.ring[z.wpos&mask] = z.ring[(z.wpos-dist)&mask]
		z.wpos++
	}
}

// fast decodes literal/length and distance symbols in a tight loop while there is room
// for the longest match and input for the longest symbol pair in the current piece, as
// zlib's inflate_fast does; it gives back the whole bytes it read ahead.
func (z *inflater) fast(space int) error {
	buf, pos := z.r.buf, z.r.pos
	hold, nbits := z.hold, z.nbits
	lit, dist := z.litTab.table, z.distTab.table
	lmask, dmask := uint64(len(lit)-1), uint64(len(dist)-1)
	mask := len(z.ring) - 1
	var err error
	for space >= 258 && len(buf)-pos >= 8 {
		for nbits <= 56 {
			hold |= uint64(buf[pos]) << nbits
			pos++
			nbits += 8
		}
		e := lit[hold&lmask]
		hold >>= e.len
		nbits -= uint(e.len)
		if e.sym < 256 {
			z.ring[z.wpos&mask] = byte(e.sym)
			z.wpos++
			z.callOut++
			space--
			continue
		}
		if e.sym == 256 {
			z.mode = modeType
			break
		}
		if e.sym >= 286 {
			err = zlibError("invalid literal/length code")
			break
		}
		x := uint(lengthExtra[e.sym-257])
		length := int(lengthBase[e.sym-257]) + int(hold&(1<<x-1))
		hold >>= x
		nbits -= x
		de := dist[hold&dmask]
		hold >>= de.len
		nbits -= uint(de.len)
		if de.sym >= 30 {
			err = zlibError("invalid distance code")
			break
		}
		x = uint(distExtra[de.sym])
		d := int(distBase[de.sym]) + int(hold&(1<<x-1))
		hold >>= x
		nbits -= x
		if d > z.callOut+z.whave {
			err = zlibError("invalid distance too far back")
			break
		}
		z.copyMatch(d, length)
		z.callOut += length
		space -= length
	}
	// Give back the whole bytes read ahead.
	back := nbits / 8
	pos -= int(back)
	nbits -= back * 8
	hold &= 1<<nbits - 1
	z.r.pos, z.hold, z.nbits = pos, hold, nbits
	return err
}

// sum returns the Adler-32 of everything output so far.
func (z *inflater) sum() uint32 {
	z.updateAdler()
	return z.adler.Sum32()
}

// updateAdler folds the output not yet checksummed into the Adler-32 (each step outputs
// at most 32 KiB, so the ring still holds it).
func (z *inflater) updateAdler() {
	mask := len(z.ring) - 1
	for z.adlerAt < z.wpos {
		start := z.adlerAt & mask
		end := min(start+(z.wpos-z.adlerAt), len(z.ring))
		z.adler.Write(z.ring[start:end])
		z.adlerAt += end - start
	}
}

// readFull fills p with the next output bytes, as libpng's png_read_IDAT_data for one row.
// The stream ending first is "not enough image data".
func (z *inflater) readFull(p []byte) error {
	z.newCall()
	return z.readMore(p)
}

// readMore fills p within the current inflate call (a row read in pieces).
func (z *inflater) readMore(p []byte) error {
	got := 0
	for got < len(p) {
		if z.mode == modeDone {
			return FormatError("not enough image data (the zlib stream ends before the image)")
		}
		before := z.wpos
		if _, err := z.step(min(len(p)-got, 1<<15), true); err != nil {
			return err
		}
		n := z.wpos - before
		if n > 0 {
			z.copyOut(p[got:got+n], before)
			got += n
		}
	}
	return nil
}

// copyOut copies output bytes from the ring, starting at total position from.
func (z *inflater) copyOut(dst []byte, from int) {
	z.updateAdler()
	mask := len(z.ring) - 1
	for len(dst) > 0 {
		start := from & mask
		n := copy(dst, z.ring[start:])
		dst = dst[n:]
		from += n
	}
}

// settle finishes zlib's inflate call for the last row: the zero-output steps and one more
// symbol, with no new input. Errors met here are fatal for libpng.
func (z *inflater) settle() error {
	for z.mode != modeDone {
		progress, err := z.step(0, false)
		if err == errNeedInput || (err == nil && !progress) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// drain reads the rest of the stream as libpng's checking mode does, after the image:
// extra counts output beyond the image. A zlibError here is only a warning for libpng; the
// IDAT data running out is fatal.
func (z *inflater) drain() (extra int64, err error) {
	const bufSize = 1024 // PNG_INFLATE_BUF_SIZE: libpng's output buffer when checking
	z.newCall()
	for z.mode != modeDone {
		if z.callOut >= bufSize {
			z.newCall()
		}
		before := z.wpos
		if _, err := z.step(bufSize-z.callOut, true); err != nil {
			return extra, err
		}
		extra += int64(z.wpos - before)
		z.updateAdler()
	}
	return extra, nil
}
