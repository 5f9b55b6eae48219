"""Drive python3-flickrapi 2.x, unchanged except for its endpoint URLs, against the emulator.

usage: python3 flickrapi_conformance.py BASE_URL API_KEY API_SECRET PHOTO_FILE

Prints one "ok <step> ..." line per step; any failure raises (non-zero exit).
"""
import hashlib
import re
import sys
import urllib.request

import flickrapi
import flickrapi.auth
import flickrapi.core

base, key, secret, photo_path = sys.argv[1:5]

# Point the library's module-level endpoint URLs at the emulator.
flickrapi.auth.OAuthFlickrInterface.REQUEST_TOKEN_URL = base + "/services/oauth/request_token"
flickrapi.auth.OAuthFlickrInterface.AUTHORIZE_URL = base + "/services/oauth/authorize"
flickrapi.auth.OAuthFlickrInterface.ACCESS_TOKEN_URL = base + "/services/oauth/access_token"
flickrapi.core.FlickrAPI.REST_URL = base + "/services/rest/"
flickrapi.core.FlickrAPI.UPLOAD_URL = base + "/services/upload/"
flickrapi.core.FlickrAPI.REPLACE_URL = base + "/services/replace/"


def data_walker(self, method, searchstring="*/photo", **params):
    """FlickrAPI.data_walker with list(rsp)[0] instead of the removed getchildren()."""
    page = 1
    total = 1
    while page <= total:
        rsp = method(page=page, **params)
        photoset = list(rsp)[0]
        total = int(photoset.get("pages"))
        for photo in rsp.findall(searchstring):
            yield photo
        page += 1


flickrapi.core.FlickrAPI.data_walker = data_walker


def ok(step, *details):
    print("ok", step, *details)
    sys.stdout.flush()


f = flickrapi.FlickrAPI(key, secret, format="etree", store_token=False)

# OAuth, out-of-band: fetch the authorize page ourselves (auto-approve) and read the code.
f.get_request_token(oauth_callback="oob")
url = f.auth_url(perms="delete")
page = urllib.request.urlopen(url).read().decode("utf-8")
m = re.search(r"\b(\d{3}-\d{3}-\d{3})\b", page)
assert m, "no verifier on the authorize page"
f.get_access_token(m.group(1))
token = f.token_cache.token
assert token.access_level == "delete"
ok("oauth", token.username, token.user_nsid)

assert f.token_valid(perms="delete"), "checkToken did not confirm the token"
ok("checkToken")

rsp = f.test.login()
user = rsp.find("user")
ok("test.login", user.get("id"), user.findtext("username"))

with open(photo_path, "rb") as fh:
    original = fh.read()
digest = hashlib.sha256(original).hexdigest()

rsp = f.upload(photo_path, title="conformance sync", tags='flickrsync:signature="abc123" "two words"',
               is_public="0", is_friend="0", is_family="0")
sync_id = rsp.findtext("photoid")
assert sync_id
ok("upload.sync")

rsp = f.upload(photo_path, title="conformance async", is_public="0", is_friend="0", is_family="0", **{"async": "1"})
ticket = rsp.findtext("ticketid")
assert ticket
async_id = None
for _ in range(200):
    rsp = f.photos.upload.checkTickets(tickets=ticket)
    t = rsp.find("uploader/ticket")
    if t.get("complete") == "1":
        async_id = t.get("photoid")
        break
    assert t.get("complete") == "0", "ticket failed"
    import time
    time.sleep(0.05)
assert async_id, "ticket never completed"
ok("upload.async+checkTickets")

f.photos.addTags(photo_id=async_id, tags="added Second-Tag")
ok("addTags")

extras = "date_upload,date_taken,original_format,tags,machine_tags,url_o,media,last_update,o_dims"
seen = {}
for p in f.walk_user(user_id="me", per_page=1, extras=extras):
    seen[p.get("id")] = p
assert set(seen) == {sync_id, async_id}, seen.keys()
ps = seen[sync_id]
assert ps.get("machine_tags") == "flickrsync:signature=abc123", ps.get("machine_tags")
assert ps.get("tags") == "flickrsync:signature=abc123 twowords", ps.get("tags")
assert seen[async_id].get("tags") == "added secondtag", seen[async_id].get("tags")
assert ps.get("media") == "photo" and ps.get("originalformat") in ("jpg", "png", "gif")
# dateupload is the upload's second (shared within a second); newest first, ties by id desc
assert int(seen[async_id].get("dateupload")) >= int(ps.get("dateupload"))
assert list(seen) == [async_id, sync_id], list(seen)
ok("walk_user", len(seen))

rsp = f.photosets.create(title="conformance set", description="[created by flickrsync]", primary_photo_id=sync_id)
set_id = rsp.find("photoset").get("id")
f.photosets.editPhotos(photoset_id=set_id, primary_photo_id=sync_id, photo_ids=sync_id + "," + async_id)
sets = list(f.walk_photosets())
assert [s.get("id") for s in sets] == [set_id]
assert sets[0].findtext("title") == "conformance set"
rsp = f.photosets.getList()
assert rsp.find("photosets/photoset").get("photos") == "2"
in_set = [p.get("id") for p in f.walk_set(set_id, per_page=1)]
assert in_set == [sync_id, async_id], in_set
rsp = f.photosets.getPhotos(photoset_id=set_id)
assert [p.get("isprimary") for p in rsp.findall("photoset/photo")] == ["1", "0"]
f.photosets.delete(photoset_id=set_id)
assert len(f.photosets.getList().findall("photosets/photoset")) == 0
ok("photosets")

for pid in (sync_id, async_id):
    got = urllib.request.urlopen(seen[pid].get("url_o")).read()
    assert hashlib.sha256(got).hexdigest() == digest, "downloaded bytes differ"
ok("download", digest[:12])

rsp = f.photos.search(user_id="me", machine_tags='flickrsync:signature="abc123"', extras="machine_tags")
assert [p.get("id") for p in rsp.findall("photos/photo")] == [sync_id]
rsp = f.photos.search(user_id="me", tags="secondtag")
assert [p.get("id") for p in rsp.findall("photos/photo")] == [async_id]
ok("search")

rsp = f.replace(photo_path, photo_id=sync_id)
el = rsp.find("photoid")
assert el.text == sync_id and el.get("originalsecret") and el.get("secret")
info = f.photos.getInfo(photo_id=sync_id).find("photo")
assert info.get("originalsecret") == el.get("originalsecret")
assert [t.get("raw") for t in info.findall("tags/tag")] == ["flickrsync:signature=abc123", "two words"]
ok("replace+getInfo")

f.photos.delete(photo_id=async_id)
assert int(f.people.getPhotos(user_id="me").find("photos").get("total")) == 1
ok("delete")

try:
    f.photos.getInfo(photo_id="1")
    raise AssertionError("getInfo of a missing photo succeeded")
except flickrapi.FlickrError as e:
    assert e.code == 1 or str(e.code) == "1", e
ok("error")
print("done")
