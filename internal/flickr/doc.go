// Package flickr is flickrsync's Flickr API client: REST calls, upload and replace,
// original downloads, the OAuth 1.0a token flow, and Flickr's tag rules.
//
// Construct one Client per run and share it between goroutines:
//
//	c := flickr.New(flickr.Config{
//		BaseURL:   s.FlickrURL, // "" = real Flickr; "http://127.0.0.1:8383" = an emulator
//		APIKey:    s.APIKey, APISecret: s.APISecret,
//		Token:     tok.Token, TokenSecret: tok.Secret,
//		Debug:     debugWriter, // nil unless --debug
//	})
//
// Config's other fields (HTTPClient, RateLimit, RateBurst, MaxAttempts, MinBackoff,
// MaxBackoff, Timeout, UploadIdleTimeout) default to sane values: 3600 calls per hour with a
// burst of 10, 5 attempts with 1s..1m exponential backoff and jitter, 2 minutes per
// attempt, 2 minutes without progress for transfers. BandwidthLimit (bytes per second,
// ParseRate reads rclone's "10M", "512k") caps all upload and download bodies together
// with one token bucket (bwlimit.go); 0 is no limit.
//
// Transfers: downloads land through a temporary file beside the destination named
// .flickrsync-<16 hex>.part (names.IsPartName), and a body that is not an image (an error page
// served with HTTP 200) is refused and retried (ErrNotImage). Uploads stream the file and
// send the request's end only after the source reached its end cleanly: a file that
// changes while it is sent (ErrSourceChanged), or a source given to UploadFrom that checks
// its bytes and fails at its end, aborts the request before Flickr can create a photo,
// and is not retried.
//
// Wire facts: REST goes as POST form with format=json&nojsoncallback=1 and OAuth in the
// Authorization header; numbers are decoded leniently (1, "1", null); answers are sniffed,
// so XML (format=rest, upload, replace) decodes into the same structs (package api).
//
// Errors: *Error is Flickr's stat="fail" (Code, Message, Method; see IsCode); *OAuthError
// is an HTTP 400/401 oauth_problem; *HTTPError any other unexpected status (429, 5xx,
// 404); IsAuthError tells the ones a retry cannot cure. An upload whose request was sent but whose answer was lost returns an error
// wrapping ErrUploadAmbiguous and is not retried: search by the signature machine tag
// (SearchBySignature) before uploading again. photosets.create likewise returns
// ErrOutcomeUnknown. No error text or log line carries a token, secret or signature.
//
// Pacing and retries (pacer.go) wrap every call in one place: a token bucket, then
// attempts with backoff for transport errors, timeouts, HTTP 5xx and 429 (Retry-After
// honoured), and Flickr codes 105 and 201; never for auth, signature or argument errors.
// Stats counts calls, retries and failures per method.
//
// The methods the sync uses: TestLogin, CheckToken, PeopleGetPhotos/WalkPeoplePhotos,
// PhotosSearch/SearchBySignature, PhotosRecentlyUpdated, PhotosGetInfo, PhotosAddTags,
// PhotosSetTags, UploadFile/UploadFrom/Upload/ReplaceFile, CheckTickets, PhotosetsGetList,
// PhotosetsGetPhotos, PhotosetsCreate, PhotosetsEditPhotos, PhotosetsAddPhoto,
// PhotosetsRemovePhotos, PhotosetsDelete, Download; the token flow GetRequestToken,
// AuthorizeURL, GetAccessToken with a loopback CallbackServer; and the tag helpers
// NormalizeTag and JoinTags (the signature tag's syntax is internal/names').
//
// The emulator (package flickr/emulator) is the other side and shares no code with this
// package except internal/oauth1.
package flickr
