-- Version 2: indexes for matching by short name and date when a signature is missing.
CREATE INDEX local_pictures_keys ON local_pictures (short_name, date_flat);
CREATE INDEX flickr_photos_keys ON flickr_photos (short_name, date_flat);
