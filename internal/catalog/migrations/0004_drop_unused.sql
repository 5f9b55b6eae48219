-- Version 4: what no flickrsync reads goes. The sync matches pictures and photos in memory
-- (package syncer) from the paths, dates, titles and tags, so the match keys derived
-- from them here (and their indexes) were written and never read; the account's photosets
-- are read from Flickr at every sync; no version ever queued an upload (pending), used an
-- async ticket, or recorded an outcome as ambiguous (a lost answer stays 'uploading' until
-- a search settles it).
DROP INDEX local_pictures_keys;
DROP INDEX flickr_photos_keys;
DROP INDEX local_pictures_flickr_id;
ALTER TABLE local_pictures DROP COLUMN short_name;
ALTER TABLE local_pictures DROP COLUMN date_flat;
ALTER TABLE local_pictures DROP COLUMN flickr_id;
ALTER TABLE local_pictures DROP COLUMN flickr_secret;
ALTER TABLE flickr_photos DROP COLUMN short_name;
ALTER TABLE flickr_photos DROP COLUMN date_flat;
DROP TABLE photosets;
-- Should a row be in a state no version wrote: queued is nothing sent, ambiguous is
-- an upload to look for on Flickr before sending it again.
DELETE FROM uploads WHERE state = 'pending';
UPDATE uploads SET state = 'uploading' WHERE state = 'ambiguous';
ALTER TABLE uploads DROP COLUMN ticket_id;
