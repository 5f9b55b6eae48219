package cli

import (
	"encoding/json"
	"io"
)

// writeJSON prints v as the --json output of a command: indented, one document, ending in
// a newline, for scripts and people alike.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
