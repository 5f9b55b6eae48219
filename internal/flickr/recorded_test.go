package flickr

// Every relevant recorded real exchange in ../shared/flickr/recorded goes through the
// client's own decoding, and its result is compared with an independent generic reading
// of the same body (encoding/json into any, or the XML attributes of each element).

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// gnode is a generic element: attributes (XML) or scalar members (JSON), children by name.
type gnode struct {
	attrs    map[string]string
	children map[string][]*gnode
	text     string
}

func (n *gnode) child(name string) *gnode {
	if n == nil || len(n.children[name]) == 0 {
		return nil
	}
	return n.children[name][0]
}

func (n *gnode) get(name string) string {
	if n == nil {
		return ""
	}
	if v, ok := n.attrs[name]; ok {
		return v
	}
	if c := n.child(name); c != nil {
		return c.text
	}
	return ""
}

func genericXML(body string) (*gnode, error) {
	d := xml.NewDecoder(strings.NewReader(body))
	root := &gnode{children: map[string][]*gnode{}}
	stack := []*gnode{root}
	for {
		tok, err := d.Token()
		if err != nil {
			if len(stack) == 1 {
				return root.child("rsp"), nil
			}
			return nil, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &gnode{attrs: map[string]string{}, children: map[string][]*gnode{}}
			for _, a := range tk.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children[tk.Name.Local] = append(top.children[tk.Name.Local], n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text += string(tk)
		}
	}
}

func genericJSON(body string) (*gnode, error) {
	var v any
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return fromJSON(v), nil
}

func fromJSON(v any) *gnode {
	n := &gnode{attrs: map[string]string{}, children: map[string][]*gnode{}}
	m, ok := v.(map[string]any)
	if !ok {
		return n
	}
	for k, x := range m {
		switch x := x.(type) {
		case map[string]any:
			c := fromJSON(x)
			if t, ok := x["_content"].(string); ok {
				c.text = t
			}
			n.children[k] = []*gnode{c}
		case []any:
			for _, e := range x {
				n.children[k] = append(n.children[k], fromJSON(e))
			}
		case nil:
			n.attrs[k] = ""
		case string:
			if k == "_content" {
				n.text = x
			}
			n.attrs[k] = x
		default:
			n.attrs[k] = jsonScalar(x)
		}
	}
	return n
}

func jsonScalar(x any) string {
	switch x := x.(type) {
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return ""
}

func generic(body string) (*gnode, error) {
	if strings.HasPrefix(strings.TrimSpace(body), "<") {
		return genericXML(body)
	}
	return genericJSON(body)
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

// apiMethod returns the recorded call's method=, or upload/replace/oauth.<step>/download.
func apiMethod(it *sharedtest.Interaction) string {
	u, err := url.Parse(it.URI)
	if err != nil {
		return ""
	}
	if m := u.Query().Get("method"); m != "" {
		return m
	}
	if q, err := url.ParseQuery(it.RequestBody); err == nil && q.Get("method") != "" {
		return q.Get("method")
	}
	p := strings.TrimSuffix(u.Path, "/")
	switch {
	case strings.HasSuffix(p, "/services/upload"):
		return "upload"
	case strings.HasSuffix(p, "/services/replace"):
		return "replace"
	case strings.Contains(p, "/services/oauth/"):
		return "oauth." + p[strings.LastIndex(p, "/")+1:]
	case strings.Contains(u.Host, "staticflickr"):
		return "download"
	}
	return ""
}

func checkPhoto(t *testing.T, got Photo, g *gnode) {
	t.Helper()
	want := Photo{
		ID: g.get("id"), Secret: g.get("secret"), Title: g.get("title"),
		OriginalSecret: g.get("originalsecret"), OriginalFormat: g.get("originalformat"),
		DateUpload: plausible(atoi64(g.get("dateupload")), time.Now()), DateTaken: g.get("datetaken"),
		DateTakenUnknown: g.get("datetakenunknown") == "1", LastUpdate: atoi64(g.get("lastupdate")),
		Tags: strings.Fields(g.get("tags")), MachineTags: strings.Fields(g.get("machine_tags")),
		URLO: g.get("url_o"), Media: g.get("media"), IsPublic: g.get("ispublic") == "1",
	}
	if got.ID == "" {
		t.Errorf("photo without id")
	}
	if got.ID != want.ID || got.Secret != want.Secret || got.Title != want.Title ||
		got.OriginalSecret != want.OriginalSecret || got.OriginalFormat != want.OriginalFormat ||
		got.DateUpload != want.DateUpload || got.DateTaken != want.DateTaken ||
		got.DateTakenUnknown != want.DateTakenUnknown || got.LastUpdate != want.LastUpdate ||
		strings.Join(got.Tags, " ") != strings.Join(want.Tags, " ") ||
		strings.Join(got.MachineTags, " ") != strings.Join(want.MachineTags, " ") ||
		got.URLO != want.URLO || got.Media != want.Media || got.IsPublic != want.IsPublic {
		t.Errorf("photo %s:\n got %+v\nwant %+v", want.ID, got, want)
	}
}

func checkPage(t *testing.T, got PhotoPage, g *gnode) {
	t.Helper()
	if got.Page != int(atoi64(g.get("page"))) || got.Pages != int(atoi64(g.get("pages"))) ||
		got.Total != int(atoi64(g.get("total"))) || got.PerPage != int(atoi64(g.get("perpage"))) {
		t.Errorf("paging: got %d/%d per %d total %d; generic %v", got.Page, got.Pages, got.PerPage, got.Total, g.attrs)
	}
	photos := g.children["photo"]
	if len(got.Photos) != len(photos) {
		t.Fatalf("got %d photos, body has %d", len(got.Photos), len(photos))
	}
	if got.Total > 0 && len(photos) == 0 {
		t.Errorf("total %d but no photos", got.Total)
	}
	for i := range photos {
		checkPhoto(t, got.Photos[i], photos[i])
	}
}

func TestRecordedExchanges(t *testing.T) {
	files := sharedtest.Recordings(t)
	counts := map[string]int{}
	for _, f := range files {
		its, err := sharedtest.LoadCassette(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, it := range its {
			method := apiMethod(&it)
			name := filepath.Base(filepath.Dir(f)) + "/" + strings.TrimSuffix(filepath.Base(f), ".yml") + "#" + strconv.Itoa(k) + "/" + method
			t.Run(name, func(t *testing.T) {
				if checkRecorded(t, method, &it) {
					counts[method]++
				}
			})
		}
	}
	t.Logf("recorded exchanges checked per method: %v", counts)
	if counts["flickr.people.getPhotos"] == 0 || counts["upload"] == 0 || counts["flickr.photos.getInfo"] == 0 {
		t.Errorf("expected recordings missing: %v", counts)
	}
}

// checkRecorded decodes one exchange like the client does and compares; false when the
// exchange is not one the client handles.
func checkRecorded(t *testing.T, method string, it *sharedtest.Interaction) bool {
	if method == "" || method == "download" {
		return false
	}
	if strings.HasPrefix(method, "oauth.") {
		return checkRecordedOAuth(t, method, it)
	}
	// Failures first: stat=fail, oauth_problem, other statuses.
	if it.Status != 200 || strings.Contains(it.Body, `stat="fail"`) || strings.Contains(it.Body, `"stat":"fail"`) {
		err := decodeResponse(t.Context(), method, it.Status, it.Header(), []byte(it.Body), nil, api.DefaultLimits)
		var fe *Error
		var oe *OAuthError
		switch {
		case errors.As(err, &fe):
			g, gerr := generic(it.Body)
			if gerr != nil {
				t.Fatal(gerr)
			}
			code, msg := g.get("code"), g.get("message")
			if e := g.child("err"); e != nil {
				code, msg = e.get("code"), e.get("msg")
			}
			if strconv.Itoa(fe.Code) != code || fe.Message != msg || fe.Method != method {
				t.Errorf("got %#v, body says code %s %q", fe, code, msg)
			}
			if r, _ := classify(err); r != (fe.Code == 105 || fe.Code == 201) {
				t.Errorf("code %d classified retry=%v", fe.Code, r)
			}
		case errors.As(err, &oe):
			q, _ := url.ParseQuery(it.Body)
			if oe.Problem != q.Get("oauth_problem") || oe.Status != it.Status || oe.ParametersAbsent != q.Get("oauth_parameters_absent") {
				t.Errorf("got %#v from %q", oe, it.Body)
			}
			if strings.Contains(err.Error(), "debug_sbs") || strings.Contains(err.Error(), "oauth_token%3D") || strings.Contains(err.Error(), "oauth_nonce") {
				t.Errorf("error text leaks the base string: %v", err)
			}
			if r, _ := classify(err); r {
				t.Errorf("oauth problem classified retryable")
			}
		default:
			t.Errorf("status %d body %.80q: got %v", it.Status, it.Body, err)
		}
		return true
	}
	g, err := generic(it.Body)
	if err != nil {
		t.Fatalf("generic parse: %v", err)
	}
	dec := func(out api.Response) {
		t.Helper()
		if err := decodeResponse(t.Context(), method, it.Status, it.Header(), []byte(it.Body), out, api.DefaultLimits); err != nil {
			t.Fatalf("decode: %v", err)
		}
	}
	switch method {
	case "flickr.people.getPhotos", "flickr.photos.search", "flickr.photos.recentlyUpdated",
		"flickr.people.getPublicPhotos", "flickr.groups.pools.getPhotos", "flickr.galleries.getPhotos":
		var r api.PhotosResponse
		dec(&r)
		page, err := photoPageFromWire(&r.Photos, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		checkPage(t, page, g.child("photos"))
	case "flickr.photosets.getPhotos":
		// The client no longer calls it; its photos still test the photo's checks.
		var r struct {
			api.Envelope
			Photoset struct {
				ID      api.Text    `json:"id" xml:"id,attr"`
				Primary api.Text    `json:"primary" xml:"primary,attr"`
				Total   api.Int     `json:"total" xml:"total,attr"`
				Photo   []api.Photo `json:"photo" xml:"photo"`
			} `json:"photoset" xml:"photoset"`
		}
		dec(&r)
		s := &r.Photoset
		gs := g.child("photoset")
		if string(s.ID) != gs.get("id") || string(s.Primary) != gs.get("primary") || int(s.Total) != int(atoi64(gs.get("total"))) {
			t.Errorf("photoset %+v vs %v", s, gs.attrs)
		}
		if len(s.Photo) != len(gs.children["photo"]) {
			t.Fatalf("%d photos, body has %d", len(s.Photo), len(gs.children["photo"]))
		}
		for i := range s.Photo {
			p, err := photoFromWire(&s.Photo[i], time.Now())
			if err != nil {
				t.Fatal(err)
			}
			checkPhoto(t, p, gs.children["photo"][i])
		}
	case "flickr.photos.getInfo":
		var r api.PhotoInfoResponse
		dec(&r)
		info, err := photoInfoFromWire(&r.Photo, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		gp := g.child("photo")
		dates := gp.child("dates")
		u, _ := url.Parse(it.URI)
		if info.ID != u.Query().Get("photo_id") || info.ID != gp.get("id") || info.OriginalFormat != gp.get("originalformat") ||
			info.DateUpload != plausible(atoi64(dates.get("posted")), time.Now()) || info.DateTaken != dates.get("taken") ||
			info.DateTakenUnknown != (dates.get("takenunknown") == "1") || info.Title != gp.child("title").text ||
			info.OwnerNSID != gp.child("owner").get("nsid") || info.Media != gp.get("media") {
			t.Errorf("getInfo: got %+v", info)
		}
		gtags := gp.child("tags")
		var want []*gnode
		if gtags != nil {
			want = gtags.children["tag"]
		}
		if len(info.TagDetails) != len(want) {
			t.Fatalf("%d tags, body has %d", len(info.TagDetails), len(want))
		}
		for i, tag := range info.TagDetails {
			w := want[i]
			if tag.Raw != w.get("raw") || tag.Clean != strings.TrimSpace(w.text) || tag.MachineTag != (w.get("machine_tag") == "1") || tag.ID != w.get("id") {
				t.Errorf("tag %d: got %+v, body %v %q", i, tag, w.attrs, w.text)
			}
		}
	case "flickr.test.login":
		var r api.LoginResponse
		dec(&r)
		gu := g.child("user")
		if string(r.User.ID) != gu.get("id") || string(r.User.Username) != gu.child("username").text || r.User.ID == "" || r.User.Username == "" {
			t.Errorf("login: got %+v", r.User)
		}
	case "flickr.photosets.getList":
		var r api.PhotosetsResponse
		dec(&r)
		gs := g.child("photosets").children["photoset"]
		if len(r.Photosets.Photoset) != len(gs) || len(gs) == 0 {
			t.Fatalf("sets %+v", r)
		}
		for i, s := range r.Photosets.Photoset {
			if string(s.ID) != gs[i].get("id") || string(s.Title) != gs[i].child("title").text || strconv.Itoa(int(s.Photos)) != gs[i].get("photos") {
				t.Errorf("set %+v vs %v", s, gs[i].attrs)
			}
		}
	case "flickr.photosets.create":
		var r api.PhotosetCreateResponse
		dec(&r)
		if r.Photoset.ID == "" || string(r.Photoset.ID) != g.child("photoset").get("id") || string(r.Photoset.URL) != g.child("photoset").get("url") {
			t.Errorf("create: %+v", r)
		}
	case "upload", "replace":
		var r api.UploadResponse
		dec(&r)
		id, ticket := g.child("photoid"), g.get("ticketid")
		switch {
		case id != nil:
			if string(r.PhotoID.ID) != strings.TrimSpace(id.text) || r.PhotoID.ID == "" || string(r.PhotoID.Secret) != id.get("secret") || string(r.PhotoID.OriginalSecret) != id.get("originalsecret") {
				t.Errorf("photoid: %+v vs %v %q", r, id.attrs, id.text)
			}
		case ticket != "":
			if string(r.TicketID) != ticket {
				t.Errorf("ticket: %+v vs %q", r, ticket)
			}
		default:
			t.Errorf("upload answer with neither photoid nor ticketid: %q", it.Body)
		}
	default:
		// Any other successful call: the envelope must decode as stat=ok.
		dec(nil)
		if !bytes.Contains([]byte(it.Body), []byte("ok")) {
			t.Errorf("decoded a body without stat ok")
		}
	}
	return true
}

func checkRecordedOAuth(t *testing.T, method string, it *sharedtest.Interaction) bool {
	if it.Status != 200 {
		err := decodeResponse(t.Context(), method, it.Status, it.Header(), []byte(it.Body), nil, api.DefaultLimits)
		var oe *OAuthError
		if !errors.As(err, &oe) {
			t.Errorf("got %v", err)
		}
		return true
	}
	srv := replayServer(t, it)
	c := mustNew(t, Config{BaseURL: srv.URL, APIKey: "k", APISecret: "s", MinBackoff: 1, MaxBackoff: 1})
	q, _ := url.ParseQuery(it.Body)
	switch method {
	case "oauth.request_token":
		rt, err := c.GetRequestToken(t.Context(), "oob")
		if err != nil {
			t.Fatal(err)
		}
		if rt.Token != q.Get("oauth_token") || rt.Secret != q.Get("oauth_token_secret") || !rt.CallbackConfirmed {
			t.Errorf("got %+v from %q", rt, it.Body)
		}
	case "oauth.access_token":
		at, err := c.GetAccessToken(t.Context(), RequestToken{Token: "rt", Secret: "rs"}, "123-456-789")
		if err != nil {
			t.Fatal(err)
		}
		if at.Token != q.Get("oauth_token") || at.Secret != q.Get("oauth_token_secret") || at.UserNSID != q.Get("user_nsid") ||
			at.Username != q.Get("username") || at.Fullname != q.Get("fullname") || at.UserNSID == "" {
			t.Errorf("got %+v from %q", at, it.Body)
		}
	default:
		return false
	}
	return true
}
