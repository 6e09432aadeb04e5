package history

import (
	"embed"
	"fmt"
	"sync"

	"github.com/opencouncil/council/roster"
)

//go:embed data/*.csv data/*.json
var data embed.FS

// History is the Council's record as parsed: its meetings in date order, the veto list, the sources
// and every problem found. It is read-only once built and safe for concurrent use.
type History struct {
	Meetings []Meeting `json:"meetings"`
	Vetoes   []Veto    `json:"vetoes"`
	Problems []Problem `json:"problems"`
	Sources  []Source  `json:"sources"`
	Stats    Stats     `json:"stats"`

	roster *roster.Roster
	idx    index

	checkOnce sync.Once
	check     *Report
}

var (
	defaultOnce sync.Once
	defaultHist *History
	defaultErr  error
)

// EmbeddedFiles returns the record's tables embedded in the binary.
func EmbeddedFiles() (Files, error) {
	var f Files
	for _, x := range []struct {
		name string
		dst  *[]byte
	}{{MeetingsFile, &f.Meetings}, {VetoesFile, &f.Vetoes}, {DPRKFile, &f.DPRK}, {MembershipFile, &f.Membership}} {
		b, err := data.ReadFile("data/" + x.name)
		if err != nil {
			return Files{}, err
		}
		*x.dst = b
	}
	return f, nil
}

// Default returns the record parsed from the embedded tables, with the embedded roster, parsed once.
func Default() (*History, error) {
	defaultOnce.Do(func() {
		f, err := EmbeddedFiles()
		if err != nil {
			defaultErr = fmt.Errorf("history: embedded data: %w", err)
			return
		}
		defaultHist, defaultErr = Parse(f, roster.Default())
	})
	return defaultHist, defaultErr
}

// Roster is the membership the record is read against.
func (h *History) Roster() *roster.Roster { return h.roster }
