package isobmff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"strings"
)

// exiftoolArgs are the ExifTool options the differential test and the fixtures' expected
// values use: media/README.md's hash, and the first ImageWidth/ImageHeight/Duration and the
// QuickTime dates as the manifest's columns were made.
var exiftoolArgs = []string{"-j", "-a", "-G1", "-api", "ImageHashType=SHA256", "-api", "QuickTimeUTC=0",
	"-ImageDataHash", "-ImageWidth#", "-ImageHeight#", "-Duration#", "-QuickTime:CreationDate",
	"-QuickTime:CreateDate", "-QuickTime:ContentIdentifier"}

// reference is what ExifTool reported for one file ("" where it reported nothing).
type reference struct {
	Hash, Width, Height, Duration, CreateDate, CreationDate, ContentID string
}

// fields are a reference's columns in the fixtures' expected.tsv, "-" for nothing.
func (r reference) fields() []string {
	out := []string{r.Hash, r.Width, r.Height, r.Duration, r.CreateDate, r.CreationDate, r.ContentID}
	for i, v := range out {
		if v == "" {
			out[i] = "-"
		}
	}
	return out
}

func referenceFromFields(f []string) reference {
	for i, v := range f {
		if v == "-" {
			f[i] = ""
		}
	}
	return reference{f[0], f[1], f[2], f[3], f[4], f[5], f[6]}
}

// runExifTool runs ExifTool 13.58 (the script at path) on file. A Perl death (ExifTool
// stops on some malformed tables) is a reference with nothing, as it prints nothing.
func runExifTool(ctx context.Context, script, file string) (reference, error) {
	cmd := exec.CommandContext(ctx, "perl", append(append([]string{script}, exiftoolArgs...), file)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if len(bytes.TrimSpace(out)) == 0 {
		if err != nil {
			return reference{}, nil // died: nothing printed
		}
		return reference{}, fmt.Errorf("exiftool printed nothing for %s: %s", file, stderr.String())
	}
	return parseReference(out)
}

// parseReference reads ExifTool's JSON keeping the order of its keys: the first
// "*:ImageWidth" is the first value, as in the manifest.
func parseReference(out []byte) (reference, error) {
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var ref reference
	depth := 0
	var key string
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				depth++
				expectKey = true
			case '}':
				depth--
			}
			continue
		}
		if depth != 1 {
			continue
		}
		if expectKey {
			key, _ = tok.(string)
			expectKey = false
			continue
		}
		expectKey = true
		val := fmt.Sprint(tok)
		name := key
		if i := strings.IndexByte(key, ':'); i >= 0 {
			name = key[i+1:]
		}
		set := func(dst *string) {
			if *dst == "" {
				*dst = val
			}
		}
		switch name {
		case "ImageDataHash":
			set(&ref.Hash)
		case "ImageWidth":
			set(&ref.Width)
		case "ImageHeight":
			set(&ref.Height)
		case "Duration":
			set(&ref.Duration)
		case "CreateDate":
			set(&ref.CreateDate)
		case "CreationDate":
			set(&ref.CreationDate)
		case "ContentIdentifier":
			set(&ref.ContentID)
		}
	}
	return ref, nil
}

// compareReference lists how res (and err) differ from ExifTool's reference.
func compareReference(res Result, err error, ref reference) []string {
	var why []string
	switch {
	case ref.Hash != "":
		if err != nil {
			why = append(why, fmt.Sprintf("error %v, ExifTool hashed %s", err, ref.Hash))
		} else if res.Kind != KindCodedData || res.Signature != ref.Hash {
			why = append(why, fmt.Sprintf("signature %s (%s, %d bytes), ExifTool %s", res.Signature, res.Kind, res.HashedBytes, ref.Hash))
		}
	case err == nil && res.Kind == KindCodedData:
		why = append(why, fmt.Sprintf("hashed %d bytes (%s), ExifTool hashed nothing", res.HashedBytes, res.Signature))
	}
	num := func(s string) int64 {
		v, _ := strconv.ParseInt(s, 10, 64)
		return v
	}
	if res.Width != num(ref.Width) || res.Height != num(ref.Height) {
		why = append(why, fmt.Sprintf("size %dx%d, ExifTool %sx%s", res.Width, res.Height, ref.Width, ref.Height))
	}
	if ref.Duration != "" || res.HasDuration {
		want, _ := strconv.ParseFloat(ref.Duration, 64)
		if !res.HasDuration || ref.Duration == "" || math.Abs(res.Duration-want) > 1e-9*math.Max(1, math.Abs(want)) {
			why = append(why, fmt.Sprintf("duration %v (%v), ExifTool %q", res.Duration, res.HasDuration, ref.Duration))
		}
	}
	if res.CreateDate != ref.CreateDate {
		why = append(why, fmt.Sprintf("CreateDate %q, ExifTool %q", res.CreateDate, ref.CreateDate))
	}
	if res.CreationDate != ref.CreationDate {
		why = append(why, fmt.Sprintf("CreationDate %q, ExifTool %q", res.CreationDate, ref.CreationDate))
	}
	if res.ContentIdentifier != ref.ContentID {
		why = append(why, fmt.Sprintf("ContentIdentifier %q, ExifTool %q", res.ContentIdentifier, ref.ContentID))
	}
	return why
}
