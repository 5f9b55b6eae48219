// Command flickr-emulator serves a fake Flickr (REST, OAuth, upload, photo files) on one
// address, for the demo and for manual tests of flickrsync.
//
//	flickr-emulator --listen 127.0.0.1:8383 --api-key KEY --api-secret SECRET --user NAME \
//	    [--auto-approve] [--state DIR] [--control] [account, media and fault flags]
//
// The first line of stdout is "listening on http://HOST:PORT"; SIGINT/SIGTERM stop it.
//
// With --control (off by default: it is not part of Flickr) it also serves, for benchmarks:
//
//	GET  /emulator/calls        {"flickr.people.getPhotos": 3, "upload": 10, ...} (JSON)
//	POST /emulator/calls/reset  zeroes the counters (204 No Content)
//
// The counters are per REST method plus "upload", "replace", "download" and "oauth".
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
)

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, sig))
}

// run serves until stop delivers; it returns the exit code (2 usage, 1 failure).
func run(args []string, stdout, stderr io.Writer, stop <-chan os.Signal) int {
	fs := flag.NewFlagSet("flickr-emulator", flag.ContinueOnError)
	var cfg emulator.Config
	var fc emulator.FaultConfig
	listen := fs.String("listen", "127.0.0.1:8383", "address to listen on (port 0 picks one)")
	fs.StringVar(&cfg.APIKey, "api-key", "", "consumer key clients must use")
	fs.StringVar(&cfg.APISecret, "api-secret", "", "consumer secret")
	fs.StringVar(&cfg.Username, "user", "", "account username")
	fs.StringVar(&cfg.Fullname, "fullname", "", "account full name (default: --user)")
	fs.StringVar(&cfg.UserNSID, "nsid", "", "account NSID (default 12345678@N00)")
	fs.BoolVar(&cfg.AutoApprove, "auto-approve", false, "approve authorization requests at once")
	fs.StringVar(&cfg.StateDir, "state", "", "directory keeping photos, sets and tokens between runs")
	fs.BoolVar(&cfg.Control, "control", false, "serve the call counters: GET /emulator/calls (JSON), POST /emulator/calls/reset")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed for ids, secrets and faults")
	fs.Int64Var(&cfg.MaxUploadBytes, "max-upload", 200<<20, "photo upload size limit in bytes (error 8), people.getLimits' photos maxupload")
	fs.Int64Var(&cfg.VideoMaxUploadBytes, "max-video-upload", 1<<30, "video upload size limit in bytes (error 8), people.getLimits' videos maxupload")
	fs.DurationVar(&cfg.VideoMaxDuration, "max-video-duration", 180*time.Second, "video duration limit (error 8, see --video-too-long-fails), people.getLimits' videos maxduration")
	fs.DurationVar(&cfg.TicketDelay, "ticket-delay", 200*time.Millisecond, "time before an async upload completes")
	fs.IntVar(&cfg.SearchCap, "search-cap", 4000, "results photos.search can reach")
	fs.IntVar(&cfg.MaxPhotos, "max-photos", 0, "photos the account may hold (0 = unlimited; free accounts: 1000)")
	fs.IntVar(&cfg.MaxSets, "max-sets", 0, "photosets allowed (0 = unlimited)")
	fs.IntVar(&cfg.MaxSetPhotos, "max-set-photos", 0, "photos per set allowed (0 = unlimited)")
	fs.BoolVar(&cfg.Free, "free", false, "make --user's account a free one (1,000 items, Safe only, no originals, no replace)")
	fs.Var((*accountsFlag)(&cfg.Users), "account", "add an account `NAME[:NSID][:free]` with its own tokens, photos and sets (repeatable)")
	loginAs := fs.String("login-as", "", "account whose browser session approves authorize requests (default --user)")
	fs.BoolVar(&cfg.FreeOriginals, "free-originals", false, "free accounts still get originals (as before the 2022 change)")
	fs.BoolVar(&cfg.FreeNonPublicRefused, "free-nonpublic-refused", false, "refuse (error 6) a free account's non-public upload past 50 non-public items")
	refuse := fs.String("refuse-formats", "", "comma list of formats answering upload error 5 instead of being stored, e.g. heic,heif,avif,webp")
	fs.DurationVar(&cfg.VideoProcessing, "video-processing", 0, "time an uploaded video stays pending before it is ready")
	fs.BoolVar(&cfg.VideoUploadsDisabled, "video-uploads-disabled", false, "answer every video upload with error 0")
	fs.IntVar(&cfg.MaxVideos, "max-videos", 0, "videos an account may hold (error 7; 0 = unlimited)")
	fs.BoolVar(&cfg.VideoTooLongFails, "video-too-long-fails", false, "accept a video over --max-video-duration and fail its processing instead of error 8")
	fs.BoolVar(&cfg.VideoOriginalRefused, "video-original-refused", false, "answer the Video Original URL (/play/orig/) with 403")
	tz := fs.String("tz", "UTC", "owner's time zone (IANA name or Local) for datetaken of photos without EXIF")
	fs.Float64Var(&fc.HTTPErrorRate, "fault-http", 0, "share of calls failing with HTTP 500/502/503/504")
	fs.Float64Var(&fc.FlickrErrorRate, "fault-flickr", 0, "share of API calls failing with Flickr code 105/201 (photo files fail at HTTP level only)")
	fs.Float64Var(&fc.ThrottleRate, "fault-429", 0, "share of calls answered 429 with Retry-After")
	fs.IntVar(&fc.RetryAfter, "retry-after", 1, "Retry-After seconds of injected 429s")
	fs.DurationVar(&fc.Latency, "latency", 0, "latency added to every call")
	fs.Int64Var(&fc.BandwidthBps, "bandwidth", 0, "upload/download cap in bytes per second (0 = none)")
	fs.IntVar(&fc.RateLimitPerHour, "rate-limit", 0, "calls per hour before 429 (0 = none; Flickr: 3600)")
	fs.Float64Var(&fc.LostUploadRate, "fault-lost-upload", 0, "share of uploads committed but answered by a dropped connection")
	fs.Float64Var(&fc.LostWriteRate, "fault-lost-write", 0, "share of write calls committed but answered by a dropped connection")
	fs.Float64Var(&fc.TicketFailRate, "fault-ticket", 0, "share of async uploads ending complete=2")
	// --help is a question answered on stdout (exit 0); a bad flag is a usage error.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "flickr-emulator: %v (see flickr-emulator --help)\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "flickr-emulator: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		fmt.Fprintf(stderr, "flickr-emulator: --tz: %v\n", err)
		return 2
	}
	cfg.Location = loc
	cfg.Faults = fc
	if *refuse != "" {
		cfg.RefusedFormats = strings.Split(*refuse, ",")
	}
	srv, err := emulator.Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "flickr-emulator: %v\n", err)
		return 1
	}
	if *loginAs != "" {
		if err := srv.LogIn(*loginAs); err != nil {
			srv.Close()
			fmt.Fprintf(stderr, "flickr-emulator: --login-as: %v\n", err)
			return 2
		}
	}
	base, err := srv.Start(*listen)
	if err != nil {
		fmt.Fprintf(stderr, "flickr-emulator: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "listening on %s\n", base)
	if f, ok := stdout.(*os.File); ok {
		f.Sync()
	}
	<-stop
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "flickr-emulator: %v\n", err)
		return 1
	}
	return 0
}

const usageText = `usage: flickr-emulator [flags]

Serves a fake Flickr (REST, OAuth, upload, photo and video files) until SIGINT/SIGTERM; the
first line of stdout is "listening on http://HOST:PORT".

Accounts: --user is a Pro account unless --free; --account adds more (bob, bob:23456789@N01,
bob::free), each with its own tokens, photos and sets; --login-as picks whose browser session
approves authorize requests. Uploads take JPEG, PNG, GIF, HEIC/HEIF, AVIF, WebP (stored as
uploaded), TIFF (stored as JPEG) and videos (MP4, MOV, M4V, 3GP, AVI, MPEG, WMV); RAW files
answer error 5, and so do the formats given to --refuse-formats.

With --control (off by default: not part of Flickr) it also serves the call counters:
  GET  /emulator/calls        JSON object {"<REST method>": count, "upload": n, "replace": n,
                              "download": n, "oauth": n}
  POST /emulator/calls/reset  zeroes them (204 No Content)

Flags:
`

// accountsFlag reads repeated --account NAME[:NSID][:free] values.
type accountsFlag []emulator.Account

func (f *accountsFlag) String() string { return "" }

func (f *accountsFlag) Set(v string) error {
	parts := strings.Split(v, ":")
	a := emulator.Account{Username: parts[0]}
	if a.Username == "" || len(parts) > 3 {
		return fmt.Errorf("want NAME[:NSID][:free], got %q", v)
	}
	if len(parts) > 1 {
		a.NSID = parts[1]
	}
	if len(parts) > 2 {
		if parts[2] != "free" {
			return fmt.Errorf("want NAME[:NSID][:free], got %q", v)
		}
		a.Free = true
	}
	*f = append(*f, a)
	return nil
}
