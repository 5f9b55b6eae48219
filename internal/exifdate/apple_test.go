package exifdate

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestContentIdentifierMedia reads the Live Photo identifier of every file of
// ../shared/media and compares it with ExifTool's (Apple:MediaGroupUUID, as 12.57 names
// tag 0x0011, for stills; Keys:ContentIdentifier for movies): the livephoto-pair's HEIC
// and MOV share one, no other file has any.
func TestContentIdentifierMedia(t *testing.T) {
	rows := sharedtest.Media(t)
	exiftool := sharedtest.Tool(t, "exiftool", "libimage-exiftool-perl")
	args := []string{"-j", "-q", "-q", "-Apple:MediaGroupUUID", "-Apple:ContentIdentifier", "-Keys:ContentIdentifier"}
	for _, r := range rows {
		args = append(args, r.Path())
	}
	// ExifTool's status is 1 when some files (the broken ones) cannot be read.
	out, err := exec.Command(exiftool, args...).Output()
	if _, exit := err.(*exec.ExitError); err != nil && !exit {
		t.Fatalf("exiftool: %v", err)
	}
	var ref []map[string]any
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, m := range ref {
		for _, k := range []string{"MediaGroupUUID", "ContentIdentifier"} {
			if v, ok := m[k].(string); ok {
				want[filepath.Base(m["SourceFile"].(string))] = v
			}
		}
	}
	ctx := context.Background()
	pair := map[string]bool{}
	for _, r := range rows {
		f, err := os.Open(r.Path())
		if err != nil {
			t.Fatal(err)
		}
		got, err := ContentIdentifier(ctx, f, r.Bytes)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", r.File, err)
			continue
		}
		if got != want[r.File] {
			t.Errorf("%s: content identifier %q, ExifTool says %q", r.File, got, want[r.File])
		}
		if r.Category == "livephoto-pair" {
			pair[got] = true
		}
	}
	if len(pair) != 1 || pair[""] {
		t.Errorf("the Live Photo pair's identifiers: %v, want one, the same for both files", pair)
	}
}

// TestContentIdentifierJPEG reads the identifier of JPEGs built here in both byte orders,
// and, when ExifTool is there, checks that it reads them the same way.
func TestContentIdentifierJPEG(t *testing.T) {
	const id = "9B539AB8-A668-4FA6-9207-EB653A5E7E3C"
	for _, order := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		t.Run(order.String(), func(t *testing.T) {
			jpg := appleJPEG(order, id)
			got, err := ContentIdentifier(context.Background(), bytes.NewReader(jpg), int64(len(jpg)))
			if err != nil || got != id {
				t.Fatalf("got %q, %v; want %q", got, err, id)
			}
			if _, err := exec.LookPath("exiftool"); err != nil {
				return
			}
			path := filepath.Join(t.TempDir(), "live.jpg")
			if err := os.WriteFile(path, jpg, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("exiftool", "-s3", "-Apple:MediaGroupUUID", path).Output()
			if err != nil || string(bytes.TrimSpace(out)) != id {
				t.Errorf("exiftool reads %q (%v) from the fixture", out, err)
			}
			// Damaged or missing pieces give no identifier, never a panic.
			for cut := 0; cut < len(jpg); cut += 7 {
				ContentIdentifier(context.Background(), bytes.NewReader(jpg[:cut]), int64(cut))
			}
		})
	}
	plain := []byte("\xff\xd8\xff\xd9")
	if got, err := ContentIdentifier(context.Background(), bytes.NewReader(plain), 4); got != "" || err != nil {
		t.Errorf("a JPEG without EXIF: %q, %v", got, err)
	}
}

// appleJPEG is a small JPEG (SOI, APP1 Exif, EOI: enough for the metadata readers) whose
// ExifIFD holds an Apple maker note with tag 0x0011 = id.
func appleJPEG(bo binary.ByteOrder, id string) []byte {
	var t bytes.Buffer
	mark := "II"
	if bo == binary.BigEndian {
		mark = "MM"
	}
	u16 := func(b *bytes.Buffer, v uint16) { binary.Write(b, bo, v) }
	u32 := func(b *bytes.Buffer, v uint32) { binary.Write(b, bo, v) }
	entry := func(b *bytes.Buffer, tag, typ uint16, count, value uint32) {
		u16(b, tag)
		u16(b, typ)
		u32(b, count)
		u32(b, value)
	}
	// Maker note: header, byte order, one-entry IFD, then the string.
	var mn bytes.Buffer
	mn.WriteString("Apple iOS\x00\x00\x01" + mark)
	u16(&mn, 1)
	entry(&mn, 0x0011, 2, uint32(len(id)+1), uint32(mn.Len()+12+4))
	u32(&mn, 0)
	mn.WriteString(id + "\x00")
	// TIFF: header; IFD0 at 8 with ExifIFD; ExifIFD at 26 with MakerNote at 44.
	t.WriteString(mark)
	u16(&t, 42)
	u32(&t, 8)
	u16(&t, 1)
	entry(&t, 0x8769, 4, 1, 26)
	u32(&t, 0)
	u16(&t, 1)
	entry(&t, 0x927c, 7, uint32(mn.Len()), 44)
	u32(&t, 0)
	t.Write(mn.Bytes())
	app1 := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var j bytes.Buffer
	j.WriteString("\xff\xd8\xff\xe1")
	binary.Write(&j, binary.BigEndian, uint16(len(app1)+2))
	j.Write(app1)
	// A quantisation table and a frame header, so that the marker reader goes on to EOI.
	j.WriteString("\xff\xdb\x00\x43\x00")
	j.Write(bytes.Repeat([]byte{1}, 64))
	j.WriteString("\xff\xd9")
	return j.Bytes()
}

// FuzzContentIdentifier: hostile EXIF, maker notes and movies never make the reader panic
// nor fail on bytes in memory, and an identifier is always short printable ASCII.
func FuzzContentIdentifier(f *testing.F) {
	f.Add(appleJPEG(binary.BigEndian, "9B539AB8-A668-4FA6-9207-EB653A5E7E3C"))
	f.Add(appleJPEG(binary.LittleEndian, "X"))
	f.Add(movie(3_600_000_000, "2019-07-24T11:25:40+0300"))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := ContentIdentifier(context.Background(), bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("error on in-memory input: %v", err)
		}
		if id != printableID(id) {
			t.Fatalf("identifier %q is not printable", id)
		}
	})
}
