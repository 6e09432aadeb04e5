package roster

import (
	"bytes"
	"embed"
	"fmt"
	"sync"
)

//go:embed data/*.csv
var data embed.FS

var (
	defaultOnce   sync.Once
	defaultRoster *Roster
)

// Default returns the Roster of the embedded data: the Council's real
// membership 1946 onwards, parsed once. It panics if the embedded data does
// not parse, which the package's tests rule out.
func Default() *Roster {
	defaultOnce.Do(func() {
		r, err := parseEmbedded()
		if err != nil {
			panic(fmt.Sprintf("roster: embedded data: %v", err))
		}
		defaultRoster = r
	})
	return defaultRoster
}

func parseEmbedded() (*Roster, error) {
	var files [4][]byte
	for i, name := range []string{membershipFile, sortNamesFile, overridesFile, countriesFile} {
		b, err := data.ReadFile("data/" + name)
		if err != nil {
			return nil, err
		}
		files[i] = b
	}
	return Parse(bytes.NewReader(files[0]), bytes.NewReader(files[1]),
		bytes.NewReader(files[2]), bytes.NewReader(files[3]))
}
