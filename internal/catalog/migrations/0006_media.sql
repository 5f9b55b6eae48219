-- Version 6: media beyond JPEG, PNG and GIF. What a file's identity is made of (kind:
-- pixels, coded data or whole file), what Flickr makes of it (media: photo, video, or raw,
-- a camera RAW file Flickr refuses, recorded with error_kind 'raw' and counted apart from
-- failures), a movie's duration, and Apple's Live Photo identifier (live_id) that pairs a
-- still with its motion video. Rows written before were JPEG, PNG and GIF pictures.
ALTER TABLE local_pictures ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE local_pictures ADD COLUMN media TEXT NOT NULL DEFAULT '';
ALTER TABLE local_pictures ADD COLUMN duration REAL NOT NULL DEFAULT 0;
ALTER TABLE local_pictures ADD COLUMN live_id TEXT NOT NULL DEFAULT '';
UPDATE local_pictures SET kind = 'pixels', media = 'photo' WHERE signature <> '';
-- An upload Flickr refused for good (its file type, its size): the bytes it refused, so
-- that the picture is not sent again until the file changes (state 'refused').
ALTER TABLE uploads ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
