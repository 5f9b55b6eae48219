package api

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// Limits bound what one answer may cost to decode. Without them a small answer can cost
// hundreds of times its size: 8 MB of empty photo objects ("photo":[{},{},...]) decode
// into millions of structs (3 GB).
type Limits struct {
	MaxDepth     int // nesting of JSON objects and arrays, or of XML elements
	MaxItems     int // values in one JSON array, or child elements of one XML element
	MaxItemBytes int // bytes of one value of a JSON array (one photo of a page)
}

// DefaultLimits suit every answer the client reads; a photo list lowers MaxItems to the
// page size it asked for. Flickr's deepest answer nests 6 levels, its longest array holds
// 500 values (a page), and a photo with every extra the client asks for is about 2 KB.
var DefaultLimits = Limits{MaxDepth: 16, MaxItems: 1000, MaxItemBytes: 64 << 10}

// MaxXMLBytes caps an XML answer: the client asks XML of nobody (upload and replace
// answer it whatever is asked, in a few hundred bytes), so a large one is not Flickr's.
const MaxXMLBytes = 1 << 20

// ErrLimit is what Check's refusals wrap: the answer is beyond the Limits.
var ErrLimit = errors.New("answer beyond the client's limits")

// ErrFormat is what Check wraps for a body that is neither a JSON object nor XML.
var ErrFormat = errors.New("answer is neither JSON nor XML")

// Answer is a body Check accepted, ready to Decode.
type Answer struct {
	data []byte
	xml  bool
}

// checkEvery is how many bytes (JSON) or tokens (XML) Check reads between two looks at
// its context.
const checkEvery = 64 << 10

// Check sniffs body (a JSON object, or an XML document) and walks it once, in time
// linear in its size and without allocating per value, refusing what is beyond lim (an
// error wrapping ErrLimit) before anything is decoded. It stops with ctx's error when
// ctx ends. A body Check accepts decodes in linear time and in memory proportional to
// its size. Syntax errors are left to Decode.
func Check(ctx context.Context, body []byte, lim Limits) (*Answer, error) {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) > 0 && body[0] == '{':
		if err := checkJSON(ctx, body, lim); err != nil {
			return nil, err
		}
		return &Answer{data: body}, nil
	case len(body) > 0 && body[0] == '<':
		if len(body) > MaxXMLBytes {
			return nil, fmt.Errorf("an XML answer of %d bytes (at most %d): %w", len(body), MaxXMLBytes, ErrLimit)
		}
		if err := checkXML(ctx, body, lim); err != nil {
			return nil, err
		}
		return &Answer{data: body, xml: true}, nil
	}
	return nil, ErrFormat
}

// Decode unmarshals the answer into out, a pointer to one of this package's response
// types, on the caller's goroutine, and stops with ctx's error when ctx ends: a JSON
// answer between two of its values (decodeJSON), an XML one every few KB. The work goes
// on a copy of out, copied into out only on success, so that out is left as it was
// after a failure or a cancel.
func (a *Answer) Decode(ctx context.Context, out Response) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dst := reflect.ValueOf(out)
	if dst.Kind() != reflect.Pointer || dst.IsNil() {
		return fmt.Errorf("flickr api: decode into %T", out)
	}
	fresh := reflect.New(dst.Type().Elem())
	var err error
	if a.xml {
		err = decodeXML(ctx, a.data, fresh.Interface())
	} else {
		err = decodeJSON(ctx, a.data, fresh.Elem())
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if err != nil {
		return err
	}
	dst.Elem().Set(fresh.Elem())
	return nil
}

// checkJSON walks a JSON text tracking only strings and brackets: enough to measure
// nesting, array lengths and array values' sizes exactly when the text is valid JSON,
// and to end in linear time when it is not (json.Unmarshal then refuses it).
func checkJSON(ctx context.Context, b []byte, lim Limits) error {
	type frame struct {
		array     bool
		items     int
		itemStart int // offset of the current value of an array; -1 between values
	}
	stack := make([]frame, 0, lim.MaxDepth)
	endItem := func(f *frame, end int) error {
		if f.itemStart >= 0 && end-f.itemStart > lim.MaxItemBytes {
			return fmt.Errorf("an array value of %d bytes (at most %d): %w", end-f.itemStart, lim.MaxItemBytes, ErrLimit)
		}
		f.itemStart = -1
		return nil
	}
	next := checkEvery
	for i := 0; i < len(b); i++ {
		if i >= next {
			if err := ctx.Err(); err != nil {
				return err
			}
			next = i + checkEvery
		}
		c := b[i]
		if n := len(stack); n > 0 && stack[n-1].array && stack[n-1].itemStart < 0 {
			switch c {
			case ' ', '\t', '\n', '\r', ',', ']':
			default:
				top := &stack[n-1]
				if top.items++; top.items > lim.MaxItems {
					return fmt.Errorf("an array of more than %d values: %w", lim.MaxItems, ErrLimit)
				}
				top.itemStart = i
			}
		}
		switch c {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			if len(stack) >= lim.MaxDepth {
				return fmt.Errorf("nesting deeper than %d levels: %w", lim.MaxDepth, ErrLimit)
			}
			stack = append(stack, frame{array: c == '[', itemStart: -1})
		case '}', ']':
			if n := len(stack); n > 0 {
				if stack[n-1].array {
					if err := endItem(&stack[n-1], i); err != nil {
						return err
					}
				}
				stack = stack[:n-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].array {
				if err := endItem(&stack[n-1], i); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkXML walks the XML tokens, counting nesting and each element's children.
func checkXML(ctx context.Context, b []byte, lim Limits) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	children := make([]int, 0, lim.MaxDepth)
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return nil // a syntax error: Decode reports it
		}
		switch tok.(type) {
		case xml.StartElement:
			if k := len(children); k > 0 {
				if children[k-1]++; children[k-1] > lim.MaxItems {
					return fmt.Errorf("an element with more than %d children: %w", lim.MaxItems, ErrLimit)
				}
			}
			if len(children) >= lim.MaxDepth {
				return fmt.Errorf("nesting deeper than %d levels: %w", lim.MaxDepth, ErrLimit)
			}
			children = append(children, 0)
		case xml.EndElement:
			if k := len(children); k > 0 {
				children = children[:k-1]
			}
		}
	}
}
