package scenario_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/scenario"
)

// replayExample plays one file of examples/scenarios and fails on any error or refused step.
func replayExample(t *testing.T, name string) *council.Record {
	t.Helper()
	sc, err := scenario.Load(filepath.Join("..", "examples", "scenarios", name), scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Run()
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed != nil {
		t.Fatalf("%s: step %d (%s) refused: %s", name, r.Failed.Step, r.Failed.Kind, r.Failed.Message)
	}
	return r.Record
}

func TestEveryExampleReplays(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "examples", "scenarios", "*.yaml"))
	if err != nil || len(files) < 10 {
		t.Fatalf("examples: %v, %d files", err, len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { replayExample(t, filepath.Base(f)) })
	}
}

// vote is what a test expects of one vote in an example.
type vote struct {
	id, result, matter, symbol string
	needed                     int
	vetoedBy, decisive         []string
}

func TestExampleVotes(t *testing.T) {
	tests := []struct {
		file  string
		votes []vote
	}{
		{"ukraine-2022.yaml", []vote{
			{id: "v155", result: "failed", matter: "substantive", needed: 9, vetoedBy: []string{"RUS"}, decisive: []string{"RUS"}},
			{id: "v160", result: "adopted", matter: "procedural", needed: 9, symbol: "S/RES/2623 (2022)", vetoedBy: []string{}, decisive: []string{}},
		}},
		{"ukraine-2022-without-veto.yaml", []vote{
			{id: "v155", result: "adopted", matter: "substantive", needed: 9, symbol: "S/RES/1 (2022)", vetoedBy: []string{}, decisive: []string{}},
		}},
		{"korea-1950.yaml", []vote{
			{id: "v1", result: "adopted", matter: "substantive", needed: 7, symbol: "S/RES/82 (1950)", vetoedBy: []string{}, decisive: []string{"CHN", "FRA", "SUN", "GBR", "USA"}},
			{id: "v2", result: "adopted", matter: "substantive", needed: 7, symbol: "S/RES/83 (1950)", vetoedBy: []string{}, decisive: []string{"CHN", "CUB", "ECU", "FRA", "NOR", "SUN", "GBR", "USA"}},
			{id: "v3", result: "adopted", matter: "substantive", needed: 7, symbol: "S/RES/84 (1950)", vetoedBy: []string{}, decisive: []string{"CHN", "CUB", "ECU", "FRA", "NOR", "SUN", "GBR", "USA"}},
		}},
		{"board-bylaws.yaml", []vote{
			{id: "v1", result: "adopted", matter: "ordinary", needed: 4, vetoedBy: []string{}},
			{id: "v2", result: "adopted", matter: "special", needed: 5, symbol: "BOARD/RES/1 (2026)", vetoedBy: []string{}},
			{id: "v3", result: "failed", matter: "ordinary", vetoedBy: []string{}},
		}},
		{"general-assembly.yaml", []vote{
			{id: "v1", result: "failed", matter: "important", needed: 102, vetoedBy: []string{}},
			{id: "v2", result: "adopted", matter: "other", needed: 77, symbol: "A/RES/1 (2026)", vetoedBy: []string{}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec := replayExample(t, tt.file)
			if len(rec.Votes) != len(tt.votes) {
				t.Fatalf("%d votes, want %d", len(rec.Votes), len(tt.votes))
			}
			for i, want := range tt.votes {
				got := rec.Votes[i]
				if got.ID != want.id || got.Result != want.result || got.Matter != want.matter || got.Symbol != want.symbol ||
					(want.needed != 0 && got.Needed != want.needed) || !slices.Equal(got.VetoedBy, want.vetoedBy) ||
					(want.decisive != nil && !slices.Equal(got.Decisive, want.decisive)) {
					t.Errorf("vote %d: got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}

// TestBoardQuorumReason checks that a vote without a quorum says so.
func TestBoardQuorumReason(t *testing.T) {
	rec := replayExample(t, "board-bylaws.yaml")
	if r := rec.Votes[2].Reason; r != "not adopted: no quorum: 4 of 9 members present, 5 needed" {
		t.Errorf("reason %q", r)
	}
}

func TestExamplesAreDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "examples", "scenarios", "*.yaml"))
	for _, f := range files {
		if !strings.Contains(string(readme), filepath.Base(f)) {
			t.Errorf("README.md does not mention examples/scenarios/%s", filepath.Base(f))
		}
	}
}
