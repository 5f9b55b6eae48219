package cli

import (
	"github.com/flickrsync/flickrsync/internal/config"
	"github.com/flickrsync/flickrsync/internal/imagesig"
)

// Settings resolves the profile named on the command line (or DEFAULT) against the config file,
// the environment and the global options, and warns about what the profile holds that
// flickrsync does not read. A missing config file is an error only for a -c or -p that names
// it; commands that talk to Flickr call FlickrSettings.
func (inv *Invocation) Settings() (*config.Settings, error) {
	return inv.settingsWith("")
}

// settingsWith is Settings with sync's --transfers ("" when not given).
func (inv *Invocation) settingsWith(transfers string) (*config.Settings, error) {
	g := inv.Global
	s, err := config.Load(config.Options{
		ConfigPath: g.Config,
		Profile:    g.Profile,
		Username:   g.Username,
		Database:   g.Database,
		Directory:  g.Directory,
		Transfers:  transfers,
		Memory:     g.Memory,
		EnvSources: g.fromEnv,
		Getenv:     inv.Getenv,
	})
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	if inv.settings == nil {
		for _, w := range s.Warnings {
			inv.Out.Errorf("flickrsync: warning: %s", w)
		}
	}
	inv.settings = s
	return s, nil
}

// budget is the memory budget the decodes of this run share: the profile's (memory, --memory,
// FLICKRSYNC_MEMORY), else nil, the process's default (imagesig.DefaultMemoryBudget).
// Made once per run, so that every decode of the run draws on the same one.
func (inv *Invocation) budget(s *config.Settings) *imagesig.Budget {
	if inv.decodeBudget == nil && s.Memory > 0 {
		inv.decodeBudget = imagesig.NewBudget(s.Memory)
	}
	return inv.decodeBudget
}

// FlickrSettings is Settings for commands that talk to Flickr: it also requires the profile's
// api_key and api_secret. Both failures are configuration errors (exit status 2).
func (inv *Invocation) FlickrSettings() (*config.Settings, error) {
	return inv.flickrSettingsWith("")
}

func (inv *Invocation) flickrSettingsWith(transfers string) (*config.Settings, error) {
	s, err := inv.settingsWith(transfers)
	if err != nil {
		return nil, err
	}
	if err := s.RequireCredentials(); err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	return s, nil
}
