-- Version 1: the local library, the Flickr account, the upload journal, key-value meta.

-- One row per picture path ever seen under the library root. A file that disappears is
-- flagged deleted, never forgotten: its signature lets a moved or restored copy be
-- recognised without decoding it again.
CREATE TABLE local_pictures (
    id           INTEGER PRIMARY KEY,
    dir          TEXT    NOT NULL,          -- relative to the library root, '/' separated, '' = root
    name         TEXT    NOT NULL,          -- file name (raw bytes kept when not UTF-8)
    size         INTEGER NOT NULL,
    mtime_ns     INTEGER NOT NULL,          -- modification time, ns since the Unix epoch
    content_hash TEXT    NOT NULL DEFAULT '', -- SHA-256 of the file's bytes, hex; '' when unread
    signature    TEXT    NOT NULL DEFAULT '', -- ImageMagick-6 pixel signature, hex; '' when none
    format       TEXT    NOT NULL DEFAULT '', -- jpeg, png, gif
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    date_taken   TEXT    NOT NULL DEFAULT '', -- EXIF DateTimeOriginal as ImageMagick 6 reports it
    short_name   TEXT    NOT NULL DEFAULT '', -- match key: name without extension, lower case
    date_flat    TEXT    NOT NULL DEFAULT '', -- match key: digits of date_taken
    flickr_id    TEXT    NOT NULL DEFAULT '', -- from flickrsync_<id>_<secret>_<title>.<ext>
    flickr_secret TEXT   NOT NULL DEFAULT '',
    error        TEXT    NOT NULL DEFAULT '', -- why the picture could not be read or decoded
    error_kind   TEXT    NOT NULL DEFAULT '', -- '' | 'read' (retried every scan) | 'decode'
    deleted      INTEGER NOT NULL DEFAULT 0,
    first_seen   INTEGER NOT NULL,            -- unix seconds
    last_seen    INTEGER NOT NULL,            -- unix seconds; live rows: see meta last_index
    UNIQUE (dir, name)
);
CREATE INDEX local_pictures_signature ON local_pictures (signature) WHERE signature <> '';
CREATE INDEX local_pictures_hash ON local_pictures (size, content_hash);
CREATE INDEX local_pictures_flickr_id ON local_pictures (flickr_id) WHERE flickr_id <> '';

-- The account's photos as last listed.
CREATE TABLE flickr_photos (
    id                 TEXT PRIMARY KEY,
    title              TEXT    NOT NULL DEFAULT '',
    secret             TEXT    NOT NULL DEFAULT '',
    original_secret    TEXT    NOT NULL DEFAULT '',
    original_format    TEXT    NOT NULL DEFAULT '',
    date_upload        INTEGER NOT NULL DEFAULT 0,
    date_taken         TEXT    NOT NULL DEFAULT '',
    date_taken_unknown INTEGER NOT NULL DEFAULT 0,
    last_update        INTEGER NOT NULL DEFAULT 0,
    tags               TEXT    NOT NULL DEFAULT '',
    machine_tags       TEXT    NOT NULL DEFAULT '',
    signature          TEXT    NOT NULL DEFAULT '', -- from the flickrsync:signature machine tag
    url_o              TEXT    NOT NULL DEFAULT '',
    media              TEXT    NOT NULL DEFAULT '',
    short_name         TEXT    NOT NULL DEFAULT '',
    date_flat          TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX flickr_photos_signature ON flickr_photos (signature) WHERE signature <> '';
CREATE INDEX flickr_photos_date_upload ON flickr_photos (date_upload);

CREATE TABLE photosets (
    id          TEXT PRIMARY KEY,
    title       TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    primary_id  TEXT    NOT NULL DEFAULT '',
    photos      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Exactly-once uploads: a row is written before an upload starts, and settled after.
CREATE TABLE uploads (
    signature  TEXT PRIMARY KEY,
    state      TEXT    NOT NULL,  -- pending, uploading, done, ambiguous, failed
    file       TEXT    NOT NULL DEFAULT '', -- library-relative path of the picture sent
    started_at INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL DEFAULT 0,
    photo_id   TEXT    NOT NULL DEFAULT '',
    ticket_id  TEXT    NOT NULL DEFAULT '',
    error      TEXT    NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX uploads_state ON uploads (state);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
