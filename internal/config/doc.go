// Package config reads the Python flickrsync's configuration file, ~/.flickrsync/config.ini,
// as it is: INI sections are profiles holding api_key, api_secret, username, directory and
// database (plus flickrsync's own optional keys flickr_url, is_public, is_friend, is_family,
// transfers, exclude, default_excludes and follow_symlinks), read with Python configparser's rules. It
// resolves one profile against the command line's overrides (the --exclude-from files are
// read here), and stores each profile's OAuth access token atomically with mode 0600.
package config
