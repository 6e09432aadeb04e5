package history

import (
	"errors"
	"strings"
	"testing"

	"github.com/opencouncil/council/bodies"
)

// changed finds a vote's change in a what-if; nil when it did not change.
func changed(w *WhatIf, document string) *Change {
	for i := range w.Outcomes {
		if w.Outcomes[i].Document == document {
			return &w.Outcomes[i]
		}
	}
	return nil
}

func TestWhatIf(t *testing.T) {
	h := mustDefault(t)
	noVetoFile, err := bodies.Load("../examples/bodies/unsc-no-veto.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		s         Scenario
		changes   map[string]string // document: the outcome after
		unchanged []string          // documents whose outcome must not change
		note      bool              // the what-if notes that a member's votes are unknown
	}{
		{name: "without the veto", s: Scenario{NoVeto: true},
			changes:   map[string]string{"S/2022/155": "adopted", "S/PV.23": "adopted", "S/2017/1060": "adopted"},
			unchanged: []string{"S/RES/82 (1950)", "S/10768"}},
		{name: "the body file without the veto", s: Scenario{Body: noVetoFile},
			changes: map[string]string{"S/2022/155": "adopted", "S/2017/1060": "adopted"}},
		{name: "the 1946 threshold: seven of fifteen", s: Scenario{Threshold: "1946"},
			changes:   map[string]string{"S/2014/916": "adopted", "S/2013/660": "adopted"},
			unchanged: []string{"S/RES/218 (1965)", "S/2022/155", "S/7285/Add.1"}},
		{name: "the 1966 threshold: nine of eleven", s: Scenario{Threshold: "1966", Year: 1965},
			changes: map[string]string{"S/RES/218 (1965)": "not adopted"}},
		{name: "the 1946 proportion: ten of fifteen", s: Scenario{Threshold: "7/11", Year: 2015},
			changes:   map[string]string{"S/RES/2220 (2015)": "not adopted", "S/PV.7575": "not adopted"},
			unchanged: []string{"S/RES/2207 (2015)"}},
		{name: "the United States abstains instead of vetoing", s: Scenario{Abstain: []string{"usa"}},
			changes:   map[string]string{"S/2017/1060": "adopted", "S/2020/852": "adopted"},
			unchanged: []string{"S/11543", "S/2022/155"}},
		{name: "China and Russia abstain on the DPRK agenda", s: Scenario{Abstain: []string{"CHN", "RUS"}, Year: 2014},
			unchanged: []string{"S/PV.7353"}},
		{name: "an elected member's votes are not known", s: Scenario{Abstain: []string{"DEU"}}, note: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := h.WhatIf(tc.s)
			if err != nil {
				t.Fatal(err)
			}
			if w.Votes == 0 || w.Changed != len(w.Outcomes) || w.Rule == "" {
				t.Errorf("%d votes, %d changed, %d listed, rule %q", w.Votes, w.Changed, len(w.Outcomes), w.Rule)
			}
			for doc, after := range tc.changes {
				c := changed(w, doc)
				if c == nil || c.After != after || !c.Changed || c.Before == c.After {
					t.Errorf("%s: %+v, want it to change to %s", doc, c, after)
				}
			}
			for _, doc := range tc.unchanged {
				if c := changed(w, doc); c != nil {
					t.Errorf("%s changed: %+v", doc, c)
				}
			}
			if (len(w.Notes) > 0) != tc.note {
				t.Errorf("notes %q", w.Notes)
			}
			t.Logf("%s: %d of %d votes change", w.Rule, w.Changed, w.Votes)
		})
	}
}

func TestWhatIfOneVote(t *testing.T) {
	h := mustDefault(t)
	w, err := h.WhatIf(Scenario{NoVeto: true, Meeting: "S/PV.8979", All: true})
	if err != nil {
		t.Fatal(err)
	}
	if w.Votes != 1 || len(w.Outcomes) != 1 || w.Outcomes[0].Before != "vetoed by RUS" || w.Outcomes[0].After != "adopted" ||
		!strings.Contains(w.Outcomes[0].Reason, "11 in favour") {
		t.Errorf("%+v", w)
	}
	w, err = h.WhatIf(Scenario{Threshold: "1946", Document: "S/RES/82 (1950)", All: true})
	if err != nil || w.Votes != 1 || w.Changed != 0 || len(w.Outcomes) != 1 {
		t.Errorf("%+v %v", w, err)
	}
	for _, s := range []Scenario{
		{},
		{Threshold: "seven"},
		{Threshold: "12"}, // more than the eleven seats before 1966
		{Threshold: "8/7"},
		{NoVeto: true, Meeting: "S/PV.0"},
	} {
		if _, err := h.WhatIf(s); !errors.Is(err, ErrBadQuery) {
			t.Errorf("%+v: %v, want a bad query", s, err)
		}
	}
}
