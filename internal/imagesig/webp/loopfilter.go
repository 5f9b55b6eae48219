package webp

// The in-loop deblocking filters of VP8 (libwebp 1.2.4's dsp/dec.c). p is the index of
// the first pixel past the edge, step crosses the edge, stride moves along it.

func abs0(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// sclip1 clamps to [-128, 127], sclip2 to [-16, 15], clip1 to [0, 255] (libwebp's tables).
func sclip1(v int) int { return max(-128, min(127, v)) }
func sclip2(v int) int { return max(-16, min(15, v)) }
func clip1(v int) uint8 {
	return uint8(max(0, min(255, v)))
}

func doFilter2(b []uint8, p, step int) {
	p1, p0, q0, q1 := int(b[p-2*step]), int(b[p-step]), int(b[p]), int(b[p+step])
	a := 3*(q0-p0) + sclip1(p1-q1)
	a1 := sclip2((a + 4) >> 3)
	a2 := sclip2((a + 3) >> 3)
	b[p-step] = clip1(p0 + a2)
	b[p] = clip1(q0 - a1)
}

func doFilter4(b []uint8, p, step int) {
	p1, p0, q0, q1 := int(b[p-2*step]), int(b[p-step]), int(b[p]), int(b[p+step])
	a := 3 * (q0 - p0)
	a1 := sclip2((a + 4) >> 3)
	a2 := sclip2((a + 3) >> 3)
	a3 := (a1 + 1) >> 1
	b[p-2*step] = clip1(p1 + a3)
	b[p-step] = clip1(p0 + a2)
	b[p] = clip1(q0 - a1)
	b[p+step] = clip1(q1 - a3)
}

func doFilter6(b []uint8, p, step int) {
	p2, p1, p0 := int(b[p-3*step]), int(b[p-2*step]), int(b[p-step])
	q0, q1, q2 := int(b[p]), int(b[p+step]), int(b[p+2*step])
	a := sclip1(3*(q0-p0) + sclip1(p1-q1))
	a1 := (27*a + 63) >> 7
	a2 := (18*a + 63) >> 7
	a3 := (9*a + 63) >> 7
	b[p-3*step] = clip1(p2 + a3)
	b[p-2*step] = clip1(p1 + a2)
	b[p-step] = clip1(p0 + a1)
	b[p] = clip1(q0 - a1)
	b[p+step] = clip1(q1 - a2)
	b[p+2*step] = clip1(q2 - a3)
}

func hev(b []uint8, p, step, thresh int) bool {
	p1, p0, q0, q1 := int(b[p-2*step]), int(b[p-step]), int(b[p]), int(b[p+step])
	return abs0(p1-p0) > thresh || abs0(q1-q0) > thresh
}

func needsFilter(b []uint8, p, step, t int) bool {
	p1, p0, q0, q1 := int(b[p-2*step]), int(b[p-step]), int(b[p]), int(b[p+step])
	return 4*abs0(p0-q0)+abs0(p1-q1) <= t
}

func needsFilter2(b []uint8, p, step, t, it int) bool {
	p3, p2, p1 := int(b[p-4*step]), int(b[p-3*step]), int(b[p-2*step])
	p0, q0 := int(b[p-step]), int(b[p])
	q1, q2, q3 := int(b[p+step]), int(b[p+2*step]), int(b[p+3*step])
	if 4*abs0(p0-q0)+abs0(p1-q1) > t {
		return false
	}
	return abs0(p3-p2) <= it && abs0(p2-p1) <= it && abs0(p1-p0) <= it &&
		abs0(q3-q2) <= it && abs0(q2-q1) <= it && abs0(q1-q0) <= it
}

// simpleFilter16 filters 16 pixels across an edge with the simple filter.
func simpleFilter16(b []uint8, p, step, stride, thresh int) {
	thresh2 := 2*thresh + 1
	for i := 0; i < 16; i++ {
		if needsFilter(b, p+i*stride, step, thresh2) {
			doFilter2(b, p+i*stride, step)
		}
	}
}

// filterLoop26 filters size pixels across a macroblock edge.
func filterLoop26(b []uint8, p, hstride, vstride, size, thresh, ithresh, hevThresh int) {
	thresh2 := 2*thresh + 1
	for ; size > 0; size-- {
		if needsFilter2(b, p, hstride, thresh2, ithresh) {
			if hev(b, p, hstride, hevThresh) {
				doFilter2(b, p, hstride)
			} else {
				doFilter6(b, p, hstride)
			}
		}
		p += vstride
	}
}

// filterLoop24 filters size pixels across an inner edge.
func filterLoop24(b []uint8, p, hstride, vstride, size, thresh, ithresh, hevThresh int) {
	thresh2 := 2*thresh + 1
	for ; size > 0; size-- {
		if needsFilter2(b, p, hstride, thresh2, ithresh) {
			if hev(b, p, hstride, hevThresh) {
				doFilter2(b, p, hstride)
			} else {
				doFilter4(b, p, hstride)
			}
		}
		p += vstride
	}
}
