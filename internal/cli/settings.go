package cli

import "github.com/flickrsync/flickrsync/internal/config"

// Settings resolves the profile named on the command line (or DEFAULT) against the config file
// and the global options. A missing config file is an error only for a -c or -p that names it;
// commands that talk to Flickr must also call RequireCredentials.
func (inv *Invocation) Settings() (*config.Settings, error) {
	s, err := config.Load(config.Options{
		ConfigPath: inv.Global.Config,
		Profile:    inv.Global.Profile,
		Username:   inv.Global.Username,
		Database:   inv.Global.Database,
		Directory:  inv.Global.Directory,
		Getenv:     inv.Getenv,
	})
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	return s, nil
}

// FlickrSettings is Settings for commands that talk to Flickr: it also requires the profile's
// api_key and api_secret. Both failures are configuration errors (exit status 2).
func (inv *Invocation) FlickrSettings() (*config.Settings, error) {
	s, err := inv.Settings()
	if err != nil {
		return nil, err
	}
	if err := s.RequireCredentials(); err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	return s, nil
}
