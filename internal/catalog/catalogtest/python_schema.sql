-- The Python flickrsync's tables, as its flickrsync/database.py (danchal/flickrsync,
-- release 0.1.1) creates them: create_local_photos_table and create_flickr_photos_table.
CREATE TABLE LocalPhotos(
                                            Directory TEXT,
                                            FileName TEXT,
                                            DateTimeOriginal TEXT,
                                            Signature TEXT,
                                            FlickrId INTEGER,
                                            FlickrSecret TEXT,
                                            FlickrTitle TEXT,
                                            FlickrExtension TEXT,
                                            ImageError TEXT,
                                            ShortName TEXT,
                                            DateFlat INTEGER,
                                            Deleted INTEGER,
                                            Timestamp INTEGER);
CREATE INDEX idx_lp1 ON LocalPhotos(Signature, DateFlat, ShortName);
CREATE INDEX idx_lp2 ON LocalPhotos(Signature);
CREATE INDEX idx_lp3 ON LocalPhotos(DateFlat);
CREATE INDEX idx_lp4 ON LocalPhotos(ShortName);
CREATE INDEX idx_lp5 ON LocalPhotos(Directory);
CREATE INDEX idx_lp6 ON LocalPhotos(Directory, FileName);
CREATE INDEX idx_lp7 ON LocalPhotos(FlickrId, FlickrSecret);
CREATE TABLE FlickrPhotos(
                                            Id INTEGER PRIMARY KEY,
                                            Title TEXT,
                                            OriginalFormat TEXT,
                                            DateUpload INTEGER,
                                            DateTaken TEXT,
                                            DateTakenUnknown INTEGER,
                                            DateTakenGranularity INTEGER,
                                            Url_o TEXT,
                                            OriginalSecret TEXT,
                                            Farm INTEGER,
                                            Server INTEGER,
                                            Tags TEXT,
                                            Machine_Tags TEXT,
                                            Signature TEXT,
                                            ShortName TEXT,
                                            DateFlat INTEGER);
CREATE INDEX idx_fp1 ON FlickrPhotos(Signature, DateFlat, ShortName);
CREATE INDEX idx_fp2 ON FlickrPhotos(Signature);
CREATE INDEX idx_fp3 ON FlickrPhotos(DateFlat);
CREATE INDEX idx_fp4 ON FlickrPhotos(ShortName);
CREATE INDEX idx_fp5 ON FlickrPhotos(Id, OriginalSecret);
