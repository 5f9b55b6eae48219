package flickr

import (
	"context"
	"fmt"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/api"
)

// UploadLimits are the calling account's upload limits (flickr.people.getLimits): what Flickr
// accepts, hence the largest original a download can bring. 0 means Flickr did not say.
type UploadLimits struct {
	PhotoMaxBytes    int64
	VideoMaxBytes    int64
	VideoMaxDuration time.Duration
}

// maxLimit bounds a believable upload limit: Flickr's are 200 MB and 1 GB (MEDIA.md).
const maxLimit = 64 << 30

// PeopleGetLimits calls flickr.people.getLimits. A size beyond 64 GiB or below 1 is not
// believed (0).
func (c *Client) PeopleGetLimits(ctx context.Context) (UploadLimits, error) {
	var r api.LimitsResponse
	if err := c.call(ctx, "flickr.people.getLimits", nil, &r); err != nil {
		return UploadLimits{}, err
	}
	p := &r.Person
	if id := string(p.NSID); id != "" && !isNSID(id) {
		return UploadLimits{}, fmt.Errorf("flickr.people.getLimits: %w", badValue("user id", id))
	}
	size := func(n api.Int) int64 {
		if n < 1 || n > maxLimit {
			return 0
		}
		return int64(n)
	}
	l := UploadLimits{PhotoMaxBytes: size(p.Photos.MaxUpload), VideoMaxBytes: size(p.Videos.MaxUpload)}
	if d := int64(p.Videos.MaxDuration); d > 0 && d < 1e6 {
		l.VideoMaxDuration = time.Duration(d) * time.Second
	}
	return l, nil
}
