// Package flickr is flickrsync's Flickr API client: the REST calls the sync makes,
// uploads, original downloads and the OAuth 1.0a token flow.
//
// Construct one Client per run and share it between goroutines:
//
//	c, err := flickr.New(flickr.Config{
//		BaseURL:   s.FlickrURL, // "" = real Flickr; "http://127.0.0.1:8383" = an emulator
//		APIKey:    s.APIKey, APISecret: s.APISecret,
//		Token:     tok.Token, TokenSecret: tok.Secret,
//		Debug:     debugWriter, // nil unless --debug
//	})
//
// New refuses a BaseURL that is not http(s)://host[:port][/path] (ErrBadBaseURL).
// Config's other fields (HTTPClient, RateLimit, RateBurst, MaxAttempts, MinBackoff,
// MaxBackoff, Timeout, UploadIdleTimeout) default to sane values: 3600 calls per hour with a
// burst of 10, 5 attempts with 1s..1m exponential backoff and jitter, 2 minutes per
// attempt, 2 minutes without progress for transfers. BandwidthLimit (bytes per second,
// ParseRate reads rclone's "10M", "512k") caps all upload and download bodies together
// with one token bucket (bwlimit.go); 0 is no limit.
//
// The methods: TestLogin, CheckToken, PeopleGetLimits, WalkPeoplePhotos,
// WalkRecentlyUpdated, SearchBySignature, PhotosGetInfo, PhotosGetSizes (VideoOriginal),
// PhotosAddTags, PhotosSetTags, PhotosSetDateTaken, UploadFrom (photos and videos alike),
// PhotosetsGetList, PhotosetsGetPhotos, PhotosetsCreate, PhotosetsEditPhotos,
// PhotosetsDelete, Download and DownloadVideo (a video original, named with the extension
// of the file the redirect leads to); the token flow GetRequestToken, AuthorizeURL,
// GetAccessToken with a loopback CallbackServer.
//
// # Wire
//
// REST goes as POST form with format=json&nojsoncallback=1 and OAuth in the
// Authorization header; numbers are decoded leniently (1, "1", null); answers are
// sniffed, so XML (upload answers, format=rest) decodes into the same structs (package
// api).
//
// # Flickr is not trusted
//
// Everything a server sends is bounded and checked, so that a hostile server or a broken
// proxy costs bounded memory, time and disk, and its text reaches no terminal raw:
//
//   - An answer is at most 64 MiB (refused by its Content-Length unread), checked in one
//     linear pass before it is decoded (api.Check): at most the page size asked for of
//     photos in a page (500), 64 KiB a photo, 16 levels of nesting, 1 MiB of XML. A
//     checked answer decodes in time linear in its size into at most a few times its
//     size, and decoding ends with the call's context (Timeout, or the caller's cancel).
//   - A listing ends at the page count Flickr gives, believed up to the first page's plus
//     one; at page 10,000, past which Flickr answers nothing new (it clamps the page
//     number, API.md §3.5); at a page numbered other than asked; and at a page that
//     brings no photo not already seen in this listing.
//   - Ids are decimal digits, secrets hex, user ids NSIDs, formats short words, url_o
//     printable ASCII: an answer holding anything else is refused whole (ErrBadResponse).
//     Upload and change dates outside PlausibleTime (2004-01-01 to now + 1 day) are
//     returned as 0, never as a time; a Date header as absurd gives no AsOf; a datetaken
//     that is not "YYYY-MM-DD HH:MM:SS" is "". Titles and descriptions are returned as
//     Flickr has them: callers escape them before printing.
//   - Error messages carry one short printable line of what the server said: Flickr's
//     message, a plain-text status line, never an HTML page, never a control character.
//
// # Transfers
//
// Downloads are asked only of Flickr's photo hosts (*.staticflickr.com, farmN.static.
// flickr.com, www.flickr.com for a video original's /play/orig/ URL) or the BaseURL's
// host, and follow redirects only among them; any other host is refused, named. With
// BaseURL set, Flickr's hosts are fetched from the base, same path. A download:
//
//   - lands through a temporary file beside the destination named
//     .flickrsync-<16 hex>.part (IsPartName), renamed into place only when complete;
//   - is at most DownloadOptions.MaxBytes (the caller passes the account's photo upload
//     limit from PeopleGetLimits; DefaultMaxDownload, 1 GiB, Flickr's largest upload,
//     when unknown), refused by its Content-Length before anything is written;
//   - leaves at least 64 MiB (a 64th of a smaller disk) free at its destination,
//     checked before and every 16 MiB while it is written;
//   - must average 16 KiB/s once it has had a minute (time spent in BandwidthLimit not
//     counted): 200 MB may take 3.5 hours, a byte every 30 seconds ends at the minute;
//   - is refused (and retried) when the body is neither an image nor a video (ErrNotImage:
//     an error page served with HTTP 200) or cut short where HTTP tells (Content-Length, chunked
//     encoding, HTTP/2). A body HTTP gives no length for (an HTTP/1 answer ended by
//     closing the connection) must end as a JPEG, PNG or GIF ends; in other formats
//     such a truncation cannot be told here, and is left to the caller's decoding.
//
// Uploads stream the source and send the request's end only after the source reached its
// end cleanly: a source that checks its bytes and fails at its end aborts the request
// before Flickr can create a photo, and is not retried.
//
// # Errors
//
// *Error is Flickr's stat="fail" (Code, Message, Method; see IsCode); *OAuthError an
// HTTP 400/401 oauth_problem; *HTTPError any other unexpected status (429, 5xx, 404);
// ErrBadResponse an answer that is not Flickr's. Each error is in at most one class a
// caller maps to an outcome (errors.Is, or the predicates):
//
//   - ErrAuth (IsAuthError): the credentials are refused: an OAuth refusal (but a
//     reused nonce, which the retry cures), or codes 96-100. AuthAdvice says what to do:
//     "re-authorise with `flickrsync auth`" for a refused, revoked or expired token or
//     missing permissions (98, 99, token_rejected...), the key pair to check for an
//     unknown key (100, consumer_key_*), either for a refused signature (96, 97).
//   - ErrUnreachable (IsUnreachable): Flickr or the network did not answer usefully
//     after every attempt: DNS, refused or dropped connections, timeouts, HTTP 5xx and
//     429, codes 105 and 201, a Retry-After over 10 minutes, a download below its floor
//     rate.
//   - ErrBadBaseURL: New's refusal of the configured URL.
//
// An upload whose request was sent but whose answer was lost or is not Flickr's returns
// an error wrapping ErrUploadAmbiguous and is not retried: search by the signature
// machine tag (SearchBySignature) before uploading again. photosets.create likewise
// returns ErrOutcomeUnknown. No error text or log line carries a token, secret or
// signature.
//
// Pacing and retries (pacer.go) wrap every call in one place: a token bucket, then
// attempts with backoff for transport errors, timeouts, HTTP 5xx and 429 (Retry-After
// honoured), and Flickr codes 105 and 201; never for auth, signature or argument errors.
//
// The emulator (package flickr/emulator) is the other side and shares no code with this
// package except internal/oauth1.
package flickr
