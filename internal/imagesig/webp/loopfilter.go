package webp

// The in-loop deblocking filters of VP8 (libwebp 1.2.4's dsp/dec.c: NeedsFilter,
// NeedsFilter2, Hev, DoFilter2/4/6), each loop with its pixels loaded once. p is the index
// of the first pixel past the edge, step crosses the edge, stride moves along it.

func abs0(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// sclip1 clamps to [-128, 127], sclip2 to [-16, 15], clip1 to [0, 255] (libwebp's tables).
func sclip1(v int) int  { return max(-128, min(127, v)) }
func sclip2(v int) int  { return max(-16, min(15, v)) }
func clip1(v int) uint8 { return uint8(max(0, min(255, v))) }

// simpleFilter16 filters 16 pixels across an edge with the simple filter.
func simpleFilter16(b []uint8, p, step, stride, thresh int) {
	thresh2 := 2*thresh + 1
	for i := 0; i < 16; i, p = i+1, p+stride {
		p1, p0, q0, q1 := int(b[p-2*step]), int(b[p-step]), int(b[p]), int(b[p+step])
		if 4*abs0(p0-q0)+abs0(p1-q1) > thresh2 {
			continue
		}
		a := 3*(q0-p0) + sclip1(p1-q1)
		b[p-step] = clip1(p0 + sclip2((a+3)>>3))
		b[p] = clip1(q0 - sclip2((a+4)>>3))
	}
}

// filterLoop filters size pixels across a macroblock edge (FilterLoop26: DoFilter6) or,
// with inner set, an edge inside a macroblock (FilterLoop24: DoFilter4); DoFilter2 where
// the edge variance is high.
func filterLoop(b []uint8, p, hstride, vstride, size, thresh, ithresh, hevThresh int, inner bool) {
	thresh2 := 2*thresh + 1
	for ; size > 0; size, p = size-1, p+vstride {
		p3, p2, p1, p0 := int(b[p-4*hstride]), int(b[p-3*hstride]), int(b[p-2*hstride]), int(b[p-hstride])
		q0, q1, q2, q3 := int(b[p]), int(b[p+hstride]), int(b[p+2*hstride]), int(b[p+3*hstride])
		if 4*abs0(p0-q0)+abs0(p1-q1) > thresh2 ||
			abs0(p3-p2) > ithresh || abs0(p2-p1) > ithresh || abs0(p1-p0) > ithresh ||
			abs0(q3-q2) > ithresh || abs0(q2-q1) > ithresh || abs0(q1-q0) > ithresh {
			continue
		}
		switch {
		case abs0(p1-p0) > hevThresh || abs0(q1-q0) > hevThresh:
			a := 3*(q0-p0) + sclip1(p1-q1)
			b[p-hstride] = clip1(p0 + sclip2((a+3)>>3))
			b[p] = clip1(q0 - sclip2((a+4)>>3))
		case inner:
			a := 3 * (q0 - p0)
			a1 := sclip2((a + 4) >> 3)
			a2 := sclip2((a + 3) >> 3)
			a3 := (a1 + 1) >> 1
			b[p-2*hstride] = clip1(p1 + a3)
			b[p-hstride] = clip1(p0 + a2)
			b[p] = clip1(q0 - a1)
			b[p+hstride] = clip1(q1 - a3)
		default:
			a := sclip1(3*(q0-p0) + sclip1(p1-q1))
			a1 := (27*a + 63) >> 7
			a2 := (18*a + 63) >> 7
			a3 := (9*a + 63) >> 7
			b[p-3*hstride] = clip1(p2 + a3)
			b[p-2*hstride] = clip1(p1 + a2)
			b[p-hstride] = clip1(p0 + a1)
			b[p] = clip1(q0 - a1)
			b[p+hstride] = clip1(q1 - a2)
			b[p+2*hstride] = clip1(q2 - a3)
		}
	}
}
