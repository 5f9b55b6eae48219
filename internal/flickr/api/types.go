package api

// Response is every response type: its payload and the Envelope, embedded, so that one
// pass decodes both.
type Response interface {
	Env() *Envelope
}

// Envelope is what every response carries besides its payload: stat "ok" or "fail" and,
// on failure, the error code and message (JSON members code and message; XML <err code msg>).
type Envelope struct {
	Stat    Text `json:"stat" xml:"stat,attr"`
	Code    Int  `json:"code" xml:"-"`
	Message Text `json:"message" xml:"-"`
	Err     struct {
		Code Int  `xml:"code,attr"`
		Msg  Text `xml:"msg,attr"`
	} `json:"-" xml:"err"`
}

// Env returns e (and, promoted, the Envelope of every response type).
func (e *Envelope) Env() *Envelope { return e }

// ErrCode returns the failure's code and message in either format.
func (e *Envelope) ErrCode() (int, string) {
	if e.Err.Code != 0 || e.Err.Msg != "" {
		return int(e.Err.Code), string(e.Err.Msg)
	}
	return int(e.Code), string(e.Message)
}

// Photo is one photo of a list (people.getPhotos, photos.search, photos.recentlyUpdated)
// with the extras the client reads.
type Photo struct {
	ID                   Text `json:"id" xml:"id,attr"`
	Secret               Text `json:"secret" xml:"secret,attr"`
	Title                Text `json:"title" xml:"title,attr"`
	IsPublic             Int  `json:"ispublic" xml:"ispublic,attr"`
	IsFriend             Int  `json:"isfriend" xml:"isfriend,attr"`
	IsFamily             Int  `json:"isfamily" xml:"isfamily,attr"`
	DateUpload           Int  `json:"dateupload" xml:"dateupload,attr"`
	DateTaken            Text `json:"datetaken" xml:"datetaken,attr"`
	DateTakenGranularity Int  `json:"datetakengranularity" xml:"datetakengranularity,attr"`
	DateTakenUnknown     Int  `json:"datetakenunknown" xml:"datetakenunknown,attr"`
	LastUpdate           Int  `json:"lastupdate" xml:"lastupdate,attr"`
	OriginalSecret       Text `json:"originalsecret" xml:"originalsecret,attr"`
	OriginalFormat       Text `json:"originalformat" xml:"originalformat,attr"`
	Tags                 Text `json:"tags" xml:"tags,attr"`
	MachineTags          Text `json:"machine_tags" xml:"machine_tags,attr"`
	URLO                 Text `json:"url_o" xml:"url_o,attr"`
	Media                Text `json:"media" xml:"media,attr"`
}

// PhotoList is the paged <photos> of people.getPhotos, photos.search and
// photos.recentlyUpdated.
type PhotoList struct {
	Page    Int     `json:"page" xml:"page,attr"`
	Pages   Int     `json:"pages" xml:"pages,attr"`
	PerPage Int     `json:"perpage" xml:"perpage,attr"`
	Total   Int     `json:"total" xml:"total,attr"`
	Photo   []Photo `json:"photo" xml:"photo"`
}

// PhotosResponse is {"photos": ...}.
type PhotosResponse struct {
	Envelope
	Photos PhotoList `json:"photos" xml:"photos"`
}

// Tag is one tag of photos.getInfo: raw is as typed, Content the clean form.
type Tag struct {
	ID         Text `json:"id" xml:"id,attr"`
	Raw        Text `json:"raw" xml:"raw,attr"`
	MachineTag Int  `json:"machine_tag" xml:"machine_tag,attr"`
	Content    Text `json:"_content" xml:",chardata"`
}

// PhotoInfo is photos.getInfo's <photo>.
type PhotoInfo struct {
	ID             Text `json:"id" xml:"id,attr"`
	Secret         Text `json:"secret" xml:"secret,attr"`
	DateUploaded   Int  `json:"dateuploaded" xml:"dateuploaded,attr"`
	OriginalSecret Text `json:"originalsecret" xml:"originalsecret,attr"`
	OriginalFormat Text `json:"originalformat" xml:"originalformat,attr"`
	Media          Text `json:"media" xml:"media,attr"`
	Owner          struct {
		NSID Text `json:"nsid" xml:"nsid,attr"`
	} `json:"owner" xml:"owner"`
	Title      Text `json:"title" xml:"title"`
	Visibility struct {
		IsPublic Int `json:"ispublic" xml:"ispublic,attr"`
		IsFriend Int `json:"isfriend" xml:"isfriend,attr"`
		IsFamily Int `json:"isfamily" xml:"isfamily,attr"`
	} `json:"visibility" xml:"visibility"`
	Dates struct {
		Posted           Int  `json:"posted" xml:"posted,attr"`
		Taken            Text `json:"taken" xml:"taken,attr"`
		TakenGranularity Int  `json:"takengranularity" xml:"takengranularity,attr"`
		TakenUnknown     Int  `json:"takenunknown" xml:"takenunknown,attr"`
		LastUpdate       Int  `json:"lastupdate" xml:"lastupdate,attr"`
	} `json:"dates" xml:"dates"`
	Tags struct {
		Tag []Tag `json:"tag" xml:"tag"`
	} `json:"tags" xml:"tags"`
}

// PhotoInfoResponse is {"photo": ...} of photos.getInfo.
type PhotoInfoResponse struct {
	Envelope
	Photo PhotoInfo `json:"photo" xml:"photo"`
}

// LoginResponse is flickr.test.login's {"user":{"id", "username":{"_content"}}}.
type LoginResponse struct {
	Envelope
	User struct {
		ID       Text `json:"id" xml:"id,attr"`
		Username Text `json:"username" xml:"username"`
	} `json:"user" xml:"user"`
}

// CheckTokenResponse is flickr.auth.oauth.checkToken's <oauth>.
type CheckTokenResponse struct {
	Envelope
	OAuth struct {
		Token Text `json:"token" xml:"token"`
		Perms Text `json:"perms" xml:"perms"`
		User  struct {
			NSID     Text `json:"nsid" xml:"nsid,attr"`
			Username Text `json:"username" xml:"username,attr"`
			Fullname Text `json:"fullname" xml:"fullname,attr"`
		} `json:"user" xml:"user"`
	} `json:"oauth" xml:"oauth"`
}

// Photoset is one set of photosets.getList.
type Photoset struct {
	ID          Text `json:"id" xml:"id,attr"`
	Primary     Text `json:"primary" xml:"primary,attr"`
	Photos      Int  `json:"photos" xml:"photos,attr"`
	Videos      Int  `json:"videos" xml:"videos,attr"`
	DateUpdate  Int  `json:"date_update" xml:"date_update,attr"`
	Title       Text `json:"title" xml:"title"`
	Description Text `json:"description" xml:"description"`
}

// PhotosetPhotosResponse is photosets.getPhotos' {"photoset":{id, primary, page...,
// "photo":[...]}}; a photo carries its isprimary.
type PhotosetPhotosResponse struct {
	Envelope
	Photoset struct {
		ID      Text    `json:"id" xml:"id,attr"`
		Primary Text    `json:"primary" xml:"primary,attr"`
		Page    Int     `json:"page" xml:"page,attr"`
		Pages   Int     `json:"pages" xml:"pages,attr"`
		Total   Int     `json:"total" xml:"total,attr"`
		Photo   []Photo `json:"photo" xml:"photo"`
	} `json:"photoset" xml:"photoset"`
}

// PhotosetsResponse is {"photosets":{page..., "photoset":[...]}}.
type PhotosetsResponse struct {
	Envelope
	Photosets struct {
		Page     Int        `json:"page" xml:"page,attr"`
		Pages    Int        `json:"pages" xml:"pages,attr"`
		PerPage  Int        `json:"perpage" xml:"perpage,attr"`
		Total    Int        `json:"total" xml:"total,attr"`
		Photoset []Photoset `json:"photoset" xml:"photoset"`
	} `json:"photosets" xml:"photosets"`
}

// PhotosetCreateResponse is photosets.create's {"photoset":{"id","url"}}.
type PhotosetCreateResponse struct {
	Envelope
	Photoset struct {
		ID  Text `json:"id" xml:"id,attr"`
		URL Text `json:"url" xml:"url,attr"`
	} `json:"photoset" xml:"photoset"`
}

// UploadResponse is the answer of upload and replace (always XML):
// <photoid>ID</photoid>, <photoid secret=".." originalsecret="..">ID</photoid>, or
// <ticketid>ID</ticketid> when async=1.
type UploadResponse struct {
	Envelope
	PhotoID struct {
		ID             Text `json:"-" xml:",chardata"`
		Secret         Text `xml:"secret,attr"`
		OriginalSecret Text `xml:"originalsecret,attr"`
	} `json:"photoid" xml:"photoid"`
	TicketID Text `json:"ticketid" xml:"ticketid"`
}

// LimitsResponse is people.getLimits' {"person":{"nsid", "photos":{"maxupload"},
// "videos":{"maxduration","maxupload"}}}, sizes in bytes, duration in seconds.
type LimitsResponse struct {
	Envelope
	Person struct {
		NSID   Text `json:"nsid" xml:"nsid,attr"`
		Photos struct {
			MaxUpload Int `json:"maxupload" xml:"maxupload,attr"`
		} `json:"photos" xml:"photos"`
		Videos struct {
			MaxDuration Int `json:"maxduration" xml:"maxduration,attr"`
			MaxUpload   Int `json:"maxupload" xml:"maxupload,attr"`
		} `json:"videos" xml:"videos"`
	} `json:"person" xml:"person"`
}

// Size is one entry of photos.getSizes: a label ("Square", "Original", "Video Original"),
// its dimensions, the file's URL (source) and media ("photo", "video").
type Size struct {
	Label  Text `json:"label" xml:"label,attr"`
	Width  Int  `json:"width" xml:"width,attr"`
	Height Int  `json:"height" xml:"height,attr"`
	Source Text `json:"source" xml:"source,attr"`
	Media  Text `json:"media" xml:"media,attr"`
}

// SizesResponse is photos.getSizes' {"sizes":{"size":[...]}}.
type SizesResponse struct {
	Envelope
	Sizes struct {
		Size []Size `json:"size" xml:"size"`
	} `json:"sizes" xml:"sizes"`
}
