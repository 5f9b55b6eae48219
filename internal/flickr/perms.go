package flickr

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// Who may see a photo and how it is classed, as the owner's app sets them after the
// upload (the upload's own arguments are UploadParams'). Each call is a write whose
// repetition is harmless: it is retried like a read.

// PhotosSetPerms sets who may see a photo (flickr.photos.setPerms): everyone when public,
// else the owner's friends and family as said. The comment and add-meta permissions are
// left as they are.
func (c *Client) PhotosSetPerms(ctx context.Context, photoID string, public, friend, family bool) error {
	if !isID(photoID) {
		return fmt.Errorf("flickr.photos.setPerms: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	return c.call(ctx, "flickr.photos.setPerms", url.Values{"photo_id": {photoID},
		"is_public": {boolString(public)}, "is_friend": {boolString(friend)}, "is_family": {boolString(family)}}, nil)
}

// PhotosSetSafetyLevel sets a photo's safety level (1 safe, 2 moderate, 3 restricted;
// 0 leaves it) and whether it is hidden from public searches (hidden nil leaves it)
// (flickr.photos.setSafetyLevel). A free account may only be safe (Flickr's error 4).
func (c *Client) PhotosSetSafetyLevel(ctx context.Context, photoID string, level int, hidden *bool) error {
	if !isID(photoID) {
		return fmt.Errorf("flickr.photos.setSafetyLevel: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	if (level < 1 || level > 3) && hidden == nil {
		return fmt.Errorf("flickr.photos.setSafetyLevel: nothing to set")
	}
	p := url.Values{"photo_id": {photoID}}
	if level >= 1 && level <= 3 {
		p.Set("safety_level", strconv.Itoa(level))
	}
	if hidden != nil {
		p.Set("hidden", boolString(*hidden))
	}
	return c.call(ctx, "flickr.photos.setSafetyLevel", p, nil)
}

// PhotosSetContentType sets a photo's content type: 1 photo, 2 screenshot, 3 other
// (flickr.photos.setContentType).
func (c *Client) PhotosSetContentType(ctx context.Context, photoID string, contentType int) error {
	if !isID(photoID) {
		return fmt.Errorf("flickr.photos.setContentType: photo id %q is not a Flickr id", cleanText(photoID, 40))
	}
	if contentType < 1 || contentType > 3 {
		return fmt.Errorf("flickr.photos.setContentType: content type %d is not 1, 2 or 3", contentType)
	}
	return c.call(ctx, "flickr.photos.setContentType", url.Values{"photo_id": {photoID},
		"content_type": {strconv.Itoa(contentType)}}, nil)
}

// CodeAlreadyInSet is photosets.addPhoto's error 3, "Photo already in set".
const CodeAlreadyInSet = 3

// PhotosetsAddPhoto adds a photo at the end of a set (flickr.photosets.addPhoto). A
// photo the set already holds is no error.
func (c *Client) PhotosetsAddPhoto(ctx context.Context, setID, photoID string) error {
	err := c.callRepeatable(ctx, "flickr.photosets.addPhoto", url.Values{"photoset_id": {setID}, "photo_id": {photoID}}, nil, CodeAlreadyInSet)
	if IsCode(err, CodeAlreadyInSet) {
		return nil
	}
	return err
}
