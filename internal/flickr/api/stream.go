package api

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

// decodeJSON unmarshals data into v (addressable) as json.Unmarshal does, but on the
// caller's goroutine, looking at ctx between the members of objects and the values of
// arrays: a cancelled decode stops within one value. The arrays, and the objects that hold
// one, are walked here; every other value (a photo of a page, this package's scalars) is
// left whole to encoding/json, so that a value means what json.Unmarshal makes of it
// (FuzzDecodeLikeUnmarshal).
func decodeJSON(ctx context.Context, data []byte, v reflect.Value) error {
	d := &jsonStream{ctx: ctx, dec: json.NewDecoder(bytes.NewReader(data))}
	if err := d.value(v); err != nil {
		return err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return fmt.Errorf("invalid JSON after the top-level value")
	}
	return nil
}

type jsonStream struct {
	ctx context.Context
	dec *json.Decoder
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func (d *jsonStream) value(v reflect.Value) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	t := v.Type()
	if !holdsArrays(t) {
		return d.dec.Decode(v.Addr().Interface())
	}
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	switch {
	case tok == nil: // null leaves a struct alone and empties a slice
		if t.Kind() == reflect.Slice {
			v.SetZero()
		}
		return nil
	case t.Kind() == reflect.Struct && tok == json.Delim('{'):
		return d.object(v)
	case t.Kind() == reflect.Slice && tok == json.Delim('['):
		return d.array(v)
	}
	return &json.UnmarshalTypeError{Value: fmt.Sprint(tok), Type: t, Offset: d.dec.InputOffset()}
}

// holdsArrays says whether values of t are walked here: slices, and the structs that hold
// one (the others, a photo of a page, are one value, at most Limits.MaxItemBytes).
func holdsArrays(t reflect.Type) bool {
	if v, ok := walkedTypes.Load(t); ok {
		return v.(bool)
	}
	walk := false
	if !reflect.PointerTo(t).Implements(unmarshalerType) {
		switch t.Kind() {
		case reflect.Slice:
			walk = t.Elem().Kind() != reflect.Uint8
		case reflect.Struct:
			for i := 0; i < t.NumField() && !walk; i++ {
				walk = holdsArrays(t.Field(i).Type)
			}
		}
	}
	walkedTypes.Store(t, walk)
	return walk
}

var walkedTypes sync.Map // reflect.Type -> bool

// object decodes the members of an object, its '{' read, into the struct v.
func (d *jsonStream) object(v reflect.Value) error {
	fields := jsonFields(v.Type())
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		f, ok := fields.lookup(key)
		if !ok {
			var skip json.RawMessage
			if err := d.dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if err := d.value(v.FieldByIndex(f)); err != nil {
			return err
		}
	}
	_, err := d.dec.Token() // '}'
	return err
}

// array decodes the values of an array, its '[' read, into the slice v, reusing its
// elements as json.Unmarshal does.
func (d *jsonStream) array(v reflect.Value) error {
	i := 0
	for ; d.dec.More(); i++ {
		if i >= v.Cap() {
			v.Grow(1)
		}
		if i >= v.Len() {
			v.SetLen(i + 1)
		}
		if err := d.value(v.Index(i)); err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil { // ']'
		return err
	}
	if i < v.Len() {
		v.SetLen(i)
	}
	if i == 0 {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	}
	return nil
}

// fieldSet maps JSON member names to struct fields as encoding/json does: the tag's name,
// else the field's; fields of embedded structs promoted unless a shallower one has the
// name; a member matches its name exactly, else case-insensitively.
type fieldSet struct {
	names []string
	index [][]int
}

func (fs fieldSet) lookup(key string) ([]int, bool) {
	for i, n := range fs.names {
		if n == key {
			return fs.index[i], true
		}
	}
	for i, n := range fs.names {
		if strings.EqualFold(n, key) {
			return fs.index[i], true
		}
	}
	return nil, false
}

var fieldSets sync.Map // reflect.Type -> fieldSet

func jsonFields(t reflect.Type) fieldSet {
	if fs, ok := fieldSets.Load(t); ok {
		return fs.(fieldSet)
	}
	type field struct {
		name   string
		index  []int
		tagged bool
	}
	var all []field
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, idx)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			all = append(all, field{name: name, index: idx, tagged: tag != ""})
		}
	}
	walk(t, nil)
	var fs fieldSet
	for i, f := range all {
		// The dominant field of a name: the shallowest, then the tagged one; ambiguous
		// names are dropped.
		dominant := true
		for j, g := range all {
			if j == i || g.name != f.name || len(g.index) > len(f.index) {
				continue
			}
			if len(g.index) < len(f.index) || g.tagged == f.tagged || g.tagged {
				dominant = false
			}
		}
		if dominant {
			fs.names = append(fs.names, f.name)
			fs.index = append(fs.index, f.index)
		}
	}
	fieldSets.Store(t, fs)
	return fs
}

// ctxReader reads r until ctx ends, a few KB at a time, for a decoder that reads as it
// goes (XML).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p[:min(len(p), 4<<10)])
}

// decodeXML is xml.Unmarshal, stopping with ctx's error when ctx ends.
func decodeXML(ctx context.Context, data []byte, v any) error {
	return xml.NewDecoder(ctxReader{ctx, bytes.NewReader(data)}).Decode(v)
}
