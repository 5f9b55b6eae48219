package emulator

import (
	"net/http"
	"strconv"
	"time"
)

// apiErr is a Flickr API failure: HTTP 200 with stat="fail".
type apiErr struct {
	code  int
	msg   string
	extra []*node // elements after <err> (upload error 9's duplicate_photo_id...)
}

func fail(code int, msg string) *apiErr { return &apiErr{code: code, msg: msg} }

// call is one REST invocation being served.
type call struct {
	srv  *Server
	q    *request
	tok  *token // nil when the call carries no OAuth token
	base string // scheme://host the client used, for url_o
}

func (c *call) arg(k string) string { return c.q.get(k) }

// authed reports whether the caller holds an access token of the account owner.
func (c *call) authed() bool { return c.tok != nil }

type methodDef struct {
	perms  string // "" (none), read, write, delete
	write  bool   // a state-changing call (eligible for the lost-answer fault)
	signed bool   // needs a signed call even without perms (code 97 otherwise)
	fn     func(c *call) ([]*node, *apiErr)
}

var methods map[string]methodDef

func init() {
	methods = map[string]methodDef{
		"flickr.test.login":                 {perms: "read", fn: (*call).testLogin},
		"flickr.test.echo":                  {fn: (*call).testEcho},
		"flickr.test.null":                  {perms: "read", fn: func(*call) ([]*node, *apiErr) { return nil, nil }},
		"flickr.auth.oauth.checkToken":      {signed: true, fn: (*call).checkToken},
		"flickr.people.getLimits":           {perms: "read", fn: (*call).peopleGetLimits},
		"flickr.people.getPhotos":           {fn: (*call).peopleGetPhotos},
		"flickr.people.getPublicPhotos":     {fn: (*call).peopleGetPublicPhotos},
		"flickr.photos.getSizes":            {fn: (*call).photosGetSizes},
		"flickr.photos.search":              {fn: (*call).photosSearch},
		"flickr.photos.recentlyUpdated":     {perms: "read", fn: (*call).recentlyUpdated},
		"flickr.photos.getInfo":             {fn: (*call).photosGetInfo},
		"flickr.photos.addTags":             {perms: "write", write: true, fn: (*call).addTags},
		"flickr.photos.setTags":             {perms: "write", write: true, fn: (*call).setTags},
		"flickr.photos.removeTag":           {perms: "write", write: true, fn: (*call).removeTag},
		"flickr.photos.setMeta":             {perms: "write", write: true, fn: (*call).setMeta},
		"flickr.photos.setDates":            {perms: "write", write: true, fn: (*call).setDates},
		"flickr.photos.setPerms":            {perms: "write", write: true, fn: (*call).setPerms},
		"flickr.photos.setSafetyLevel":      {perms: "write", write: true, fn: (*call).setSafetyLevel},
		"flickr.photos.setContentType":      {perms: "write", write: true, fn: (*call).setContentType},
		"flickr.photos.delete":              {perms: "delete", write: true, fn: (*call).photosDelete},
		"flickr.photos.upload.checkTickets": {fn: (*call).checkTickets},
		"flickr.photosets.getList":          {fn: (*call).setsGetList},
		"flickr.photosets.getPhotos":        {fn: (*call).setsGetPhotos},
		"flickr.photosets.getInfo":          {fn: (*call).setsGetInfo},
		"flickr.photosets.create":           {perms: "write", write: true, fn: (*call).setsCreate},
		"flickr.photosets.editPhotos":       {perms: "write", write: true, fn: (*call).setsEditPhotos},
		"flickr.photosets.editMeta":         {perms: "write", write: true, fn: (*call).setsEditMeta},
		"flickr.photosets.addPhoto":         {perms: "write", write: true, fn: (*call).setsAddPhoto},
		"flickr.photosets.removePhoto":      {perms: "write", write: true, fn: (*call).setsRemovePhoto},
		"flickr.photosets.removePhotos":     {perms: "write", write: true, fn: (*call).setsRemovePhotos},
		"flickr.photosets.delete":           {perms: "write", write: true, fn: (*call).setsDelete},
		"flickr.photosets.orderSets":        {perms: "write", write: true, fn: (*call).setsOrder},
		"flickr.photosets.setPrimaryPhoto":  {perms: "write", write: true, fn: (*call).setsSetPrimary},
		"flickr.photosets.reorderPhotos":    {perms: "write", write: true, fn: (*call).setsReorderPhotos},
	}
}

// responder writes in the format the call asked for.
type responder struct {
	json     bool
	callback string // JSONP function name, "" for raw JSON
}

func newResponder(q *request) responder {
	if q.get("format") != "json" {
		return responder{}
	}
	if q.get("nojsoncallback") == "1" {
		return responder{json: true}
	}
	cb := q.get("jsoncallback")
	if cb == "" {
		cb = "jsonFlickrApi"
	}
	return responder{json: true, callback: cb}
}

func (o responder) write(w http.ResponseWriter, payload []*node, e *apiErr) {
	var body []byte
	ct := "text/xml; charset=utf-8"
	switch {
	case o.json && e != nil:
		body = renderJSONFail(e.code, e.msg)
	case o.json:
		body = renderJSONOK(payload)
	case e != nil:
		body = renderXMLFail(e.code, e.msg, e.extra...)
	default:
		body = renderXMLOK(payload)
	}
	if o.json {
		ct = "application/json"
		if o.callback != "" {
			ct = "text/javascript; charset=utf-8"
			body = append(append([]byte(o.callback+"("), body...), ')')
		}
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func (srv *Server) handleREST(w http.ResponseWriter, r *http.Request) {
	q, err := readRequest(r, 0)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	method := q.get("method")
	srv.count(method)
	if srv.injectFault(w, r, method, newResponder(q)) {
		return
	}
	out := newResponder(q)
	if f := q.get("format"); f != "" && f != "rest" && f != "json" {
		responder{}.write(w, nil, fail(111, "Format \""+f+"\" not found"))
		return
	}
	var tok *token
	if q.hasOAuth() {
		var f *oauthFail
		tok, f = srv.verifyOAuth(r, q, accessToken)
		if f != nil {
			writeOAuthFail(w, f)
			return
		}
	}
	if k := q.get("api_key"); (tok == nil || k != "") && k != srv.cfg.APIKey {
		msg := "Invalid API Key (Key not found)"
		if !validKeyFormat(k) {
			msg = "Invalid API Key (Key has invalid format)"
		}
		out.write(w, nil, fail(100, msg))
		return
	}
	def, ok := methods[method]
	if !ok {
		out.write(w, nil, fail(112, "Method \""+method+"\" not found"))
		return
	}
	// the pre-OAuth auth scheme (api_sig, auth_token) is gone: such calls fail as Flickr's
	// common codes say
	if tok == nil {
		switch {
		case q.has("api_sig"):
			out.write(w, nil, fail(96, "Invalid signature"))
			return
		case q.has("auth_token"):
			out.write(w, nil, fail(98, "Invalid auth token"))
			return
		case def.signed:
			out.write(w, nil, fail(97, "Missing signature"))
			return
		}
	}
	if def.perms != "" {
		have := "none"
		if tok != nil {
			have = tok.Perms
		}
		if levels[have] < levels[def.perms] {
			out.write(w, nil, fail(99, "Insufficient permissions. Method requires "+def.perms+" privileges; "+have+" granted."))
			return
		}
	}
	payload, e := def.fn(&call{srv: srv, q: q, tok: tok, base: hostURL(r)})
	if e == nil && def.write && srv.loseAnswer(w, method, false) {
		return
	}
	out.write(w, payload, e)
}

func validKeyFormat(k string) bool {
	if len(k) != 32 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// testLogin answers the token's own account (perms read ensured a token).
func (c *call) testLogin() ([]*node, *apiErr) {
	me := c.caller()
	return []*node{el("user", s("id", me.NSID), s("path_alias", "")).add(textEl("username", me.Username))}, nil
}

// peopleGetLimits tells the caller's upload limits (MEDIA.md: photos/@maxupload and
// videos/@maxupload in bytes, videos/@maxduration in seconds).
func (c *call) peopleGetLimits() ([]*node, *apiErr) {
	cfg := &c.srv.cfg
	nsid := cfg.UserNSID
	if a := c.caller(); a != nil {
		nsid = a.NSID // the calling member's limits (one set of limits for every member)
	}
	return []*node{el("person", s("nsid", nsid)).add(
		el("photos", s("maxupload", strconv.FormatInt(cfg.MaxUploadBytes, 10))),
		el("videos", s("maxduration", strconv.FormatInt(int64(cfg.VideoMaxDuration/time.Second), 10)),
			s("maxupload", strconv.FormatInt(cfg.VideoMaxUploadBytes, 10))),
	)}, nil
}

// testEcho echoes every argument as an element, as flickr.test.echo does.
func (c *call) testEcho() ([]*node, *apiErr) {
	var out []*node
	seen := map[string]bool{}
	for _, src := range []map[string][]string{c.q.query, c.q.form} {
		for k, vs := range src {
			if seen[k] || len(vs) == 0 || len(k) > 6 && k[:6] == "oauth_" {
				continue
			}
			seen[k] = true
			out = append(out, textEl(k, vs[0]))
		}
	}
	sortNodes(out)
	return out, nil
}

func (c *call) checkToken() ([]*node, *apiErr) {
	t := c.tok // unsigned calls were refused with 97
	if t == nil || !t.Access {
		return nil, fail(98, "Invalid token")
	}
	return []*node{el("oauth").add(
		textEl("token", t.Token),
		textEl("perms", t.Perms),
		el("user", s("nsid", c.caller().NSID), s("username", c.caller().Username), s("fullname", c.caller().Fullname)),
	)}, nil
}
