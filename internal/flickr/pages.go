package flickr

import "context"

// maxPages is the last page Flickr serves: it answers a larger page number as page
// 10,000 (API.md §3.5, from alexis-mignon/python-flickr-api#54), so no listing goes
// further, whatever its pages says: at 500 a page, 5 million photos.
const maxPages = 10000

// pager decides, page after page, when a listing ends. A listing reads page 1, 2, ...
// and ends after:
//   - the last page: the page count the answers give (Flickr repeats photos past the
//     last page rather than answering an empty one, so "until empty" never ends),
//     believed up to one more than the first page's (photos uploaded while listing push
//     the last ones a page on; a server that keeps raising it is not believed);
//   - page maxPages (pager.max);
//
// and it ends before handing over:
//   - a page numbered other than asked (Flickr's clamp, or not Flickr);
//   - a page after the first that brings no item not already handed over by this
//     listing (a repeated page: past the end, or a server going round in circles).
type pager struct {
	max   int                 // the last page asked for: maxPages (tests lower it)
	first int                 // the first page's page count
	seen  map[uint64]struct{} // the ids handed over
}

// step reads the answer to page (its number answered, its page count, its items' ids,
// checked by isID) and says whether to hand it over and whether to ask for the next.
func (p *pager) step(page, answered, pages int, ids []string) (handOver, more bool) {
	if answered != 0 && answered != page {
		return false, false
	}
	if p.seen == nil {
		p.seen = make(map[uint64]struct{}, len(ids))
		p.first = pages
	}
	fresh := false
	for _, id := range ids {
		n := idNumber(id)
		if _, ok := p.seen[n]; !ok {
			p.seen[n] = struct{}{}
			fresh = true
		}
	}
	if !fresh && page > 1 {
		return false, false
	}
	last := min(pages, p.first+1, p.max)
	return true, page < last
}

// walkPages fetches the pages of a photo list and hands them to fn until the pager says
// the listing ended; an error from fetch or fn ends it and is returned.
func (c *Client) walkPages(ctx context.Context, fetch func(ctx context.Context, page int) (PhotoPage, error), fn func(PhotoPage) error) error {
	pg := pager{max: c.maxPages}
	for page := 1; ; page++ {
		p, err := fetch(ctx, page)
		if err != nil {
			return err
		}
		ids := make([]string, len(p.Photos))
		for i := range p.Photos {
			ids[i] = p.Photos[i].ID
		}
		handOver, more := pg.step(page, p.Page, p.Pages, ids)
		if !handOver {
			c.debugf("listing ends at page %d: Flickr answered page %d of %d with nothing new", page, p.Page, p.Pages)
			return nil
		}
		if err := fn(p); err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}
