-- Version 3: plain indexes instead of partial ones (WHERE x <> ''): SQLite's planner only
-- uses a partial index when the query repeats its condition, so lookups by signature or
-- by Flickr id scanned the whole table.
DROP INDEX local_pictures_signature;
DROP INDEX local_pictures_flickr_id;
DROP INDEX flickr_photos_signature;
CREATE INDEX local_pictures_signature ON local_pictures (signature, deleted);
CREATE INDEX local_pictures_flickr_id ON local_pictures (flickr_id);
CREATE INDEX flickr_photos_signature ON flickr_photos (signature);
