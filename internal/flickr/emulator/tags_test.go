package emulator

import (
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flickrsync/flickrsync/internal/sharedtest"
)

// TestTagPairs checks normalisation against 189 raw->clean pairs observed on Flickr.
func TestTagPairs(t *testing.T) {
	b, err := os.ReadFile(sharedtest.Path(t, "flickr", "tag_pairs.json"))
	if err != nil {
		t.Skipf("tag_pairs.json: %v", err)
	}
	var pairs map[string][2]string
	if err := json.Unmarshal(b, &pairs); err != nil {
		t.Fatal(err)
	}
	if len(pairs) < 100 {
		t.Fatalf("only %d pairs", len(pairs))
	}
	for raw, want := range pairs {
		t.Run(raw, func(t *testing.T) {
			clean, machine := cleanTag(raw)
			if clean != want[0] || (want[1] == "1") != machine {
				t.Fatalf("cleanTag(%q) = %q,%v; want %q,%s", raw, clean, machine, want[0], want[1])
			}
		})
	}
}

func TestParseTagList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`a b  c`, []string{"a", "b", "c"}},
		{`"New York" sky`, []string{"New York", "sky"}},
		{`flickrsync:signature="abc123"`, []string{"flickrsync:signature=abc123"}},
		{`geo:locality="san francisco" x`, []string{"geo:locality=san francisco", "x"}},
		{"", nil},
		{`""  b`, []string{"b"}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := parseTagList(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q", got)
			}
		})
	}
}

func TestTagMethods(t *testing.T) {
	clk := newTestClock(time.Now())
	srv, base := newTestServer(t, Config{Clock: clk.Now})
	c := newClient(t, base, srv, "write")
	id, _ := srv.AddPhoto(SeedPhoto{Title: "p", Tags: `one "Two Words"`})
	clk.Add(5 * time.Second) // lastupdate becomes the time of the change
	// addTags returns only new tags; duplicates by clean form are ignored
	x := c.ok("flickr.photos.addTags", map[string]string{"photo_id": id, "tags": `ONE three ns:Pred="Some Value"`})
	if got := x.all("tag"); len(got) != 2 || got[0].Text != "three" || got[1].Text != "ns:pred=somevalue" || got[1].attr("machine_tag") != "1" || got[1].attr("raw") != "ns:Pred=Some Value" {
		t.Fatalf("addTags %+v", x)
	}
	p := srv.Photos()[0]
	if strings.Join(p.CleanTags, " ") != "one twowords three ns:pred=somevalue" || p.LastUpdate != clk.Now().Unix() {
		t.Fatalf("photo %+v", p)
	}
	if len(c.ok("flickr.photos.addTags", map[string]string{"photo_id": id, "tags": "one"}).all("tag")) != 0 {
		t.Fatal("existing tag reported as added")
	}
	// tag ids from getInfo remove exactly that tag
	info := c.ok("flickr.photos.getInfo", map[string]string{"photo_id": id})
	tid := info.one("tags").all("tag")[1].attr("id")
	if parts := strings.Split(tid, "-"); len(parts) != 3 || parts[1] != id {
		t.Fatalf("tag id %q", tid)
	}
	c.ok("flickr.photos.removeTag", map[string]string{"tag_id": tid})
	if strings.Join(srv.Photos()[0].CleanTags, " ") != "one three ns:pred=somevalue" {
		t.Fatalf("after removeTag %v", srv.Photos()[0].CleanTags)
	}
	c.fail("flickr.photos.removeTag", map[string]string{"tag_id": tid}, "1")
	// 75 per photo: a request that would exceed is ignored whole
	var many []string
	for i := 0; i < 72; i++ {
		many = append(many, "t"+strconv.Itoa(i))
	}
	c.ok("flickr.photos.addTags", map[string]string{"photo_id": id, "tags": strings.Join(many, " ")})
	if msg := c.fail("flickr.photos.addTags", map[string]string{"photo_id": id, "tags": "x1 x2 x3"}, "2"); msg != "Maximum number of tags reached" {
		t.Fatalf("msg %q", msg)
	}
	if n := len(srv.Photos()[0].Tags); n != 75 {
		t.Fatalf("%d tags", n)
	}
	c.fail("flickr.photos.setTags", map[string]string{"photo_id": id, "tags": strings.Join(append(many, "a", "b", "c", "d"), " ")}, "2")
	c.ok("flickr.photos.setTags", map[string]string{"photo_id": id, "tags": `"only one"`})
	if got := srv.Photos()[0].RawTags; !reflect.DeepEqual(got, []string{"only one"}) {
		t.Fatalf("setTags %q", got)
	}
	c.fail("flickr.photos.addTags", map[string]string{"photo_id": "1", "tags": "a"}, "1")
}

func TestMachineTagSearch(t *testing.T) {
	srv, base := newTestServer(t, Config{})
	c := newClient(t, base, srv, "read")
	a, _ := srv.AddPhoto(SeedPhoto{Title: "a", Tags: `flickrsync:signature="abc123" holiday`, Private: true})
	b, _ := srv.AddPhoto(SeedPhoto{Title: "b", Tags: `flickrsync:signature=def456 geo:locality="San Francisco"`})
	_, _ = srv.AddPhoto(SeedPhoto{Title: "c", Tags: "holiday beach"})
	ids := func(x xnode) string {
		var out []string
		for _, p := range x.all("photo") {
			out = append(out, p.attr("title"))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		args map[string]string
		want string
	}{
		{map[string]string{"machine_tags": `flickrsync:signature="abc123"`, "user_id": "me"}, "a"},
		{map[string]string{"machine_tags": `flickrsync:signature=abc123`, "user_id": "me"}, "a"},
		// private photos are found only in the caller's own stream (user_id=me or NSID)
		{map[string]string{"machine_tags": `flickrsync:signature=abc123`}, ""},
		{map[string]string{"machine_tags": `flickrsync:`, "user_id": "12345678@N00"}, "b,a"},
		{map[string]string{"machine_tags": `flickrsync:signature=`, "user_id": "me"}, "b,a"},
		{map[string]string{"machine_tags": `*:locality="san francisco"`}, "b"},
		{map[string]string{"machine_tags": `flickrsync:signature=abc123,geo:`, "machine_tag_mode": "all"}, ""},
		{map[string]string{"machine_tags": `flickrsync:signature=def456,geo:`, "machine_tag_mode": "all"}, "b"},
		{map[string]string{"tags": "holiday", "user_id": "me"}, "c,a"},
		{map[string]string{"tags": "holiday,-beach", "user_id": "me"}, "a"},
		{map[string]string{"tags": "holiday,beach", "tag_mode": "all"}, "c"},
		{map[string]string{"tags": "holiday", "user_id": "me", "sort": "date-posted-asc"}, "a,c"},
	} {
		t.Run(tc.args["machine_tags"]+tc.args["tags"]+tc.args["user_id"], func(t *testing.T) {
			if got := ids(c.ok("flickr.photos.search", tc.args)); got != tc.want {
				t.Fatalf("got %q want %q", got, tc.want)
			}
		})
	}
	// without auth only public photos
	anon := &tclient{t: t, base: base}
	if got := ids(anon.ok("flickr.photos.search", map[string]string{"api_key": testKey, "tags": "holiday"})); got != "c" {
		t.Fatalf("anonymous search %q", got)
	}
	c.fail("flickr.photos.search", map[string]string{"machine_tags": "nocolon"}, "11")
	c.fail("flickr.photos.search", map[string]string{"extras": "tags"}, "3")
	c.fail("flickr.photos.search", map[string]string{"user_id": "1@N01", "tags": "x"}, "2")
	_ = a
	_ = b
}
