// Package config reads the Python flickrsync's configuration file, ~/.flickrsync/config.ini,
// as it is: INI sections are profiles holding api_key, api_secret, username, directory and
// database (plus flickrsync's own optional keys flickr_url, pacing, is_public, is_friend,
// is_family, transfers, exclude, default_excludes, follow_symlinks, full_listing_after and
// memory: Keys), read with Python configparser's rules. It resolves one profile against the
// environment (FLICKRSYNC_FLICKR_URL, FLICKRSYNC_PACING) and the command line's overrides
// (the --exclude-from files are read here), checking each value by one rule wherever it comes
// from and naming that source in its errors (Settings.From); keys it does not know are
// warned about, with the nearest known key. It stores each profile's OAuth access token
// atomically with mode 0600.
package config
