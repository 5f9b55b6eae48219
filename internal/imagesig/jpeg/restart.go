package jpeg

// Restart markers (jdhuff.c process_restart, jdmarker.c read_restart_marker and
// jpeg_resync_to_restart).

// processRestart is process_restart (Huffman): discard buffered bits, read RSTn (resyncing as
// jpeg_resync_to_restart does), and reset the DC predictions.
func (d *decoder) processRestart() {
	d.discardedBytes += d.brN / 8
	d.brAcc, d.brN, d.brPad, d.brFake = 0, 0, 0, false
	d.readRestartMarker()
	for i := range d.lastDC {
		d.lastDC[i] = 0
	}
	d.eobrun = 0
	d.restartsToGo = d.restartInterval
	if d.unreadMarker == 0 {
		d.insufficient = false
	}
}

func (d *decoder) readRestartMarker() {
	if d.unreadMarker == 0 {
		d.nextMarker()
	}
	if d.unreadMarker == mRST0+d.nextRestartNum {
		d.unreadMarker = 0
	} else {
		d.resyncToRestart(d.nextRestartNum)
	}
	d.nextRestartNum = (d.nextRestartNum + 1) & 7
}

func (d *decoder) resyncToRestart(desired int) {
	marker := d.unreadMarker
	d.warn("Corrupt JPEG data: found marker 0x%02x instead of RST%d", marker, desired)
	for {
		action := 1
		switch {
		case marker < mSOF0:
			action = 2
		case marker < mRST0 || marker > mRST7:
			action = 3
		case marker == mRST0+((desired+1)&7) || marker == mRST0+((desired+2)&7):
			action = 3
		case marker == mRST0+((desired-1)&7) || marker == mRST0+((desired-2)&7):
			action = 2
		}
		switch action {
		case 1:
			d.unreadMarker = 0
			return
		case 2:
			d.nextMarker()
			marker = d.unreadMarker
		case 3:
			return
		}
	}
}
