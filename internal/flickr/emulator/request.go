package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// request holds a call's parameters from wherever Flickr accepts them.
type request struct {
	query   url.Values
	form    url.Values // urlencoded body or multipart fields other than photo
	oauthH  url.Values // oauth_* from the Authorization header
	photo   []byte     // multipart "photo" field
	hasFile bool       // a "photo" part was present
	tooBig  bool       // the photo exceeded the size limit
	fname   string     // its filename
}

// get returns a parameter from the form body, else the query, else the header.
func (q *request) get(k string) string {
	if v, ok := q.form[k]; ok && len(v) > 0 {
		return v[0]
	}
	if v, ok := q.query[k]; ok && len(v) > 0 {
		return v[0]
	}
	return q.oauthH.Get(k)
}

func (q *request) has(k string) bool {
	return q.form.Has(k) || q.query.Has(k) || q.oauthH.Has(k)
}

// signed returns every parameter that takes part in the signature: query, form fields
// (never the photo), and the header's oauth_* values.
func (q *request) signed() url.Values {
	all := url.Values{}
	for _, src := range []url.Values{q.query, q.form, q.oauthH} {
		for k, vs := range src {
			all[k] = append(all[k], vs...)
		}
	}
	return all
}

func (q *request) hasOAuth() bool {
	for _, src := range []url.Values{q.query, q.form, q.oauthH} {
		for k := range src {
			if strings.HasPrefix(k, "oauth_") {
				return true
			}
		}
	}
	return false
}

var errBodyTooLarge = errors.New("request body too large")

// readRequest parses query, Authorization header and body (urlencoded or multipart); a
// multipart photo larger than maxPhoto is drained and flagged rather than kept.
func readRequest(r *http.Request, maxPhoto int64) (*request, error) {
	q := &request{form: url.Values{}, oauthH: url.Values{}}
	var err error
	q.query, err = url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("parse query: %w", err)
	}
	if h := r.Header.Get("Authorization"); len(h) > 6 && strings.EqualFold(h[:6], "OAuth ") {
		for _, part := range strings.Split(h[6:], ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				continue
			}
			v = strings.Trim(v, "\"")
			if dv, err := url.PathUnescape(v); err == nil {
				v = dv
			}
			if k == "realm" {
				continue
			}
			q.oauthH.Add(k, v)
		}
	}
	if r.Body == nil {
		return q, nil
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		b, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
		q.form, err = url.ParseQuery(string(b))
		if err != nil {
			return nil, fmt.Errorf("parse body: %w", err)
		}
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("read multipart: %w", err)
			}
			name := part.FormName()
			if name == "photo" {
				q.hasFile = true
				q.fname = part.FileName()
				var buf bytes.Buffer
				n, err := io.Copy(&buf, io.LimitReader(part, maxPhoto+1))
				if err != nil {
					return nil, fmt.Errorf("read photo: %w", err)
				}
				if n > maxPhoto {
					q.tooBig = true
					if _, err := io.Copy(io.Discard, part); err != nil {
						return nil, fmt.Errorf("read photo: %w", err)
					}
					continue
				}
				q.photo = buf.Bytes()
				continue
			}
			b, err := io.ReadAll(io.LimitReader(part, 1<<20))
			if err != nil {
				return nil, fmt.Errorf("read field %s: %w", name, err)
			}
			q.form.Add(name, string(b))
		}
	}
	return q, nil
}
