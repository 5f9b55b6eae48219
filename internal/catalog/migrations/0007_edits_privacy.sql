-- Version 7: what the catalog remembers beyond the files present and the photos listed.

-- Edited pictures: a live row whose signature changes (the file at the same path now
-- holds other pixels) keeps its earlier signature here, written by the trigger in the
-- scanner's own transaction, so that no kill loses it. The sync reads the edits to tell an
-- earlier version's Flickr photo (superseded: never downloaded back) from a picture deleted
-- locally (downloaded back by sync2), and to replace that photo in place with --replace.
CREATE TABLE picture_edits (
    seq            INTEGER PRIMARY KEY,
    dir            TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    old_signature  TEXT    NOT NULL,
    new_signature  TEXT    NOT NULL,
    old_date_taken TEXT    NOT NULL DEFAULT '',
    new_date_taken TEXT    NOT NULL DEFAULT '',
    at             INTEGER NOT NULL              -- unix seconds
);
CREATE TRIGGER local_pictures_edited AFTER UPDATE OF signature ON local_pictures
WHEN old.deleted = 0 AND old.excluded = 0 AND old.error = '' AND new.error = ''
    AND old.signature <> '' AND new.signature <> '' AND new.signature <> old.signature
BEGIN
    INSERT INTO picture_edits (dir, name, old_signature, new_signature, old_date_taken, new_date_taken, at)
    VALUES (new.dir, new.name, old.signature, new.signature, old.date_taken, new.date_taken,
            CAST(strftime('%s', 'now') AS INTEGER));
END;

-- The Flickr photos the sync marked superseded: the earlier version of an edited picture
-- (path dir/name, now by_signature), left on Flickr and never downloaded back.
CREATE TABLE superseded_photos (
    photo_id     TEXT PRIMARY KEY,
    dir          TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    signature    TEXT    NOT NULL,
    by_signature TEXT    NOT NULL,
    at           INTEGER NOT NULL
) WITHOUT ROWID;

-- What flickrsync last gave each photo a privacy rule covers (visibility, safety level,
-- content type, hidden; package privacy's text form), so that a rule changed later is
-- applied to the photos it covers, and a photo changed by hand on Flickr is left alone
-- while its rule stays.
CREATE TABLE photo_privacy (
    photo_id TEXT PRIMARY KEY,
    setting  TEXT NOT NULL
) WITHOUT ROWID;
