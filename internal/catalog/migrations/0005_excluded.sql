-- Version 5: rows of paths the ignore rules now exclude. Such a row is also flagged
-- deleted (it is out of the library, so never uploaded nor put in a photoset), but the
-- file may still be on the disk (it is not even looked at): its signature stays held
-- by the library, so that sync2 leaves the Flickr photo alone instead of downloading it.
ALTER TABLE local_pictures ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;
