package scenario_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/scenario"
)

// dprkEpisode is one December episode of testdata/dprk_human_rights_2014_2019.json, the sourced record of
// the Council's handling of human rights in the DPRK.
type dprkEpisode struct {
	Year             int      `json:"year"`
	RequestLetter    string   `json:"request_letter"`
	LetterDate       string   `json:"letter_date"`
	Meeting          string   `json:"meeting"`
	MeetingDate      string   `json:"meeting_date"`
	PlannedDate      string   `json:"planned_date"`
	Outcome          string   `json:"outcome"`
	Sources          []string `json:"sources"`
	Signatories      []string `json:"signatories"`
	SignatoriesKnown []string `json:"signatories_known"`
	SignatoriesCount int      `json:"signatories_count"`
	SupportersCount  int      `json:"supporters_count"`
	Holdout          []string `json:"holdout"`
	Declined         []string `json:"declined"`
	President        string   `json:"president"`
	ProceduralVote   *struct {
		Tally                    []int    `json:"tally"`
		Yes                      []string `json:"yes"`
		No                       []string `json:"no"`
		Abstain                  []string `json:"abstain"`
		YesDerivedFromMembership bool     `json:"yes_derived_from_membership"`
	} `json:"procedural_vote"`
}

func loadDPRKEpisodes(t *testing.T) map[int]dprkEpisode {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "dprk_human_rights_2014_2019.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list []dprkEpisode
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("testdata/dprk_human_rights_2014_2019.json: %v", err)
	}
	out := map[int]dprkEpisode{}
	for _, e := range list {
		out[e.Year] = e
	}
	return out
}

func dprkScenario(year int) string {
	return filepath.Join("..", "examples", "scenarios", "dprk-"+strconv.Itoa(year)+".yaml")
}

func replayDPRK(t *testing.T, year int) *council.Record {
	t.Helper()
	sc, err := scenario.Load(dprkScenario(year), scenario.Options{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	r, err := sc.Run()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if r.Failed != nil {
		t.Fatalf("replay stopped at step %d (%s): %s: %s", r.Failed.Step, r.Failed.Kind, r.Failed.Code, r.Failed.Message)
	}
	if r.Record.Error != nil {
		t.Fatalf("record error: %+v", r.Record.Error)
	}
	return r.Record
}

// sameSet reports whether two lists hold the same members, whatever the order.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func checkSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !sameSet(got, want) {
		t.Errorf("%s = %v, want %v (as sets)", what, got, want)
	}
}

func TestDPRKScenariosMatchTheRecord(t *testing.T) {
	episodes := loadDPRKEpisodes(t)
	tests := []struct {
		year int
		kind string // "held", "postponed" or "abandoned"
	}{
		{2014, "held"},
		{2015, "held"},
		{2016, "held"},
		{2017, "held"},
		{2018, "postponed"},
		{2019, "abandoned"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.year), func(t *testing.T) {
			ep, ok := episodes[tt.year]
			if !ok {
				t.Fatalf("no episode for %d in the testdata", tt.year)
			}
			rec := replayDPRK(t, tt.year)
			if len(rec.Requests) != 1 {
				t.Fatalf("%d requests, want 1", len(rec.Requests))
			}
			req := rec.Requests[0]
			switch tt.kind {
			case "held":
				checkHeld(t, ep, rec, req)
			case "postponed":
				checkPostponed(t, ep, rec, req)
			case "abandoned":
				checkAbandoned(t, ep, rec, req)
			}
		})
	}
}

// checkHeld: 2014-2017, the agenda adopted by a procedural vote over objections.
func checkHeld(t *testing.T, ep dprkEpisode, rec *council.Record, req council.RequestRecord) {
	t.Helper()
	pv := ep.ProceduralVote
	if pv == nil || len(pv.Tally) != 3 {
		t.Fatalf("testdata %d: no procedural vote with a yes-no-abstain tally", ep.Year)
	}
	checkSet(t, "request signatories", req.Signatories, ep.Signatories)
	if req.Status != council.StatusScheduled {
		t.Errorf("request status = %q, want %q", req.Status, council.StatusScheduled)
	}
	if strings.HasPrefix(ep.RequestLetter, "S/") && req.Symbol != ep.RequestLetter {
		t.Errorf("request symbol = %q, want %q", req.Symbol, ep.RequestLetter)
	}

	if len(rec.Meetings) != 1 {
		t.Fatalf("%d meetings, want 1", len(rec.Meetings))
	}
	m := rec.Meetings[0]
	if m.Symbol != ep.Meeting {
		t.Errorf("meeting symbol = %q, want %q", m.Symbol, ep.Meeting)
	}
	if m.On.String() != ep.MeetingDate {
		t.Errorf("meeting date = %s, want %s", m.On, ep.MeetingDate)
	}
	if ep.President != "" && (m.President == nil || *m.President != ep.President) {
		t.Errorf("meeting president = %v, want %q", m.President, ep.President)
	}
	if !m.AgendaAdopted {
		t.Error("agenda_adopted = false, want true")
	}
	if m.Status != council.StatusHeld {
		t.Errorf("meeting status = %q, want %q", m.Status, council.StatusHeld)
	}
	if len(m.Objections) == 0 {
		t.Error("no objection to the agenda: the procedural vote follows an objection")
	}

	if len(rec.Votes) != 1 {
		t.Fatalf("%d votes, want 1", len(rec.Votes))
	}
	v := rec.Votes[0]
	if v.On != "agenda" || v.Meeting != m.ID {
		t.Errorf("vote on %q at %q, want on the agenda at %q", v.On, v.Meeting, m.ID)
	}
	if v.Date.String() != ep.MeetingDate {
		t.Errorf("vote date = %s, want %s", v.Date, ep.MeetingDate)
	}
	if v.Matter != "procedural" {
		t.Errorf("matter = %q, want procedural", v.Matter)
	}
	got := []int{v.Counts.Yes, v.Counts.No, v.Counts.Abstain}
	if !slices.Equal(got, pv.Tally) || v.Counts.Absent != 0 || v.Counts.NotParticipating != 0 {
		t.Errorf("counts = %+v, want %v-0 absent", v.Counts, pv.Tally)
	}
	checkSet(t, "yes", v.Yes, pv.Yes)
	checkSet(t, "no", v.No, pv.No)
	checkSet(t, "abstain", v.Abstain, pv.Abstain)
	if len(v.Absent) != 0 {
		t.Errorf("absent = %v, want none", v.Absent)
	}
	if v.Needed != 9 {
		t.Errorf("needed = %d, want 9", v.Needed)
	}
	if v.Result != "adopted" {
		t.Errorf("result = %q, want adopted (%s)", v.Result, v.Reason)
	}
	if len(v.VetoedBy) != 0 {
		t.Errorf("vetoed_by = %v, want none: a procedural vote knows no veto", v.VetoedBy)
	}
	if !slices.Equal(m.Votes, []string{v.ID}) {
		t.Errorf("meeting votes = %v, want [%s]", m.Votes, v.ID)
	}
}

// checkPostponed: 2018, eight supporters of nine; the meeting put off without date, none held.
func checkPostponed(t *testing.T, ep dprkEpisode, rec *council.Record, req council.RequestRecord) {
	t.Helper()
	checkShortByOne(t, ep.SupportersCount, req)
	for _, h := range ep.Holdout {
		if !slices.Contains(req.Decisive, h) {
			t.Errorf("holdout %s not in decisive %v", h, req.Decisive)
		}
		if !slices.Contains(req.Undecided, h) {
			t.Errorf("holdout %s not in undecided %v", h, req.Undecided)
		}
		if slices.Contains(req.Signatories, h) {
			t.Errorf("holdout %s among the signatories", h)
		}
	}
	if req.MeetingOn.String() != ep.PlannedDate {
		t.Errorf("request meeting_on = %s, want %s", req.MeetingOn, ep.PlannedDate)
	}
	if len(rec.Meetings) != 1 {
		t.Fatalf("%d meetings, want 1", len(rec.Meetings))
	}
	m := rec.Meetings[0]
	if m.Status != council.StatusPostponed {
		t.Errorf("meeting status = %q, want %q", m.Status, council.StatusPostponed)
	}
	if m.AgendaAdopted || m.Symbol != "" || len(m.Votes) != 0 {
		t.Errorf("meeting %s was held (agenda adopted %v, symbol %q, votes %v); it was not", m.ID, m.AgendaAdopted, m.Symbol, m.Votes)
	}
	if len(m.Changes) != 1 {
		t.Fatalf("meeting changes = %+v, want one postponement", m.Changes)
	}
	c := m.Changes[0]
	if c.Kind != council.StatusPostponed || c.Reason != "lack of support in the Council" || !c.To.IsZero() {
		t.Errorf("change = %+v, want postponed without date for lack of support in the Council", c)
	}
	if c.From.String() != ep.PlannedDate {
		t.Errorf("postponed from %s, want %s", c.From, ep.PlannedDate)
	}
	if len(rec.Votes) != 0 {
		t.Errorf("votes = %+v, want none", rec.Votes)
	}
}

// checkAbandoned: 2019, eight signatures, the ninth declined, the letter never sent.
func checkAbandoned(t *testing.T, ep dprkEpisode, rec *council.Record, req council.RequestRecord) {
	t.Helper()
	checkShortByOne(t, ep.SignatoriesCount, req)
	for _, s := range ep.SignatoriesKnown {
		if !slices.Contains(req.Signatories, s) {
			t.Errorf("%s, a signatory named by the sources, has not signed: %v", s, req.Signatories)
		}
	}
	if req.Status != council.StatusAbandoned {
		t.Errorf("request status = %q, want %q", req.Status, council.StatusAbandoned)
	}
	if req.Reason == "" {
		t.Error("abandoned request without a reason")
	}
	if req.MeetingOn.String() != ep.PlannedDate {
		t.Errorf("request meeting_on = %s, want %s", req.MeetingOn, ep.PlannedDate)
	}
	checkSet(t, "declined", req.Declined, ep.Declined)
	for _, d := range ep.Declined {
		if !slices.Contains(req.Decisive, d) {
			t.Errorf("%s declined but is not in decisive %v", d, req.Decisive)
		}
		if slices.Contains(req.Undecided, d) {
			t.Errorf("%s declined but is still undecided", d)
		}
	}
	if len(rec.Meetings) != 0 || len(rec.Votes) != 0 {
		t.Errorf("meetings %+v, votes %+v: want none", rec.Meetings, rec.Votes)
	}
}

func checkShortByOne(t *testing.T, count int, req council.RequestRecord) {
	t.Helper()
	if count != 8 {
		t.Fatalf("testdata counts %d supporters, the test expects 8", count)
	}
	if req.Support != count || len(req.Signatories) != count {
		t.Errorf("support = %d (%d signatories), want %d", req.Support, len(req.Signatories), count)
	}
	if req.Needed != 9 || req.Missing != 1 {
		t.Errorf("needed %d, missing %d; want 9 and 1", req.Needed, req.Missing)
	}
}

// contractFields are the record's fields fixed by the public contract (docs/scenario.md).
var contractFields = struct {
	top, requests, meetings, votes []string
}{
	top:      []string{"title", "body", "requests", "meetings", "votes", "error"},
	requests: []string{"id", "by", "subject", "status", "signatories", "declined", "undecided", "support", "needed", "missing", "decisive"},
	meetings: []string{"id", "on", "president", "status", "agenda", "agenda_adopted"},
	votes:    []string{"id", "meeting", "on", "date", "matter", "yes", "no", "abstain", "absent", "counts", "needed", "result", "vetoed_by", "decisive", "reason"},
}

// contractLists are the contract's fields that hold lists: an empty one must encode as [], never null.
var contractLists = map[string]bool{"requests": true, "meetings": true, "votes": true, "signatories": true,
	"declined": true, "undecided": true, "decisive": true, "agenda": true, "yes": true, "no": true,
	"abstain": true, "absent": true, "vetoed_by": true}

// knownEngineGaps are contract fields the engine is known to leave out, keyed "YEAR path.field". Each is
// logged, not failed, and reported to the engine's owners; when the engine is fixed the entry must go.
var knownEngineGaps = map[string]string{}

func TestDPRKRecordsKeepTheContract(t *testing.T) {
	for year := 2014; year <= 2019; year++ {
		t.Run(strconv.Itoa(year), func(t *testing.T) {
			rec := replayDPRK(t, year)
			data, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			missing := map[string]bool{}
			need := func(obj map[string]any, path string, fields []string, lists bool) {
				for _, f := range fields {
					v, ok := obj[f]
					if !ok {
						missing[fmt.Sprintf("%d %s%s", year, path, f)] = true
						continue
					}
					if v == nil && !nullable(path, f) {
						t.Errorf("%s%s is null", path, f)
					}
					if lists && contractLists[f] {
						if _, isList := v.([]any); !isList {
							t.Errorf("%s%s = %s, want a list ([] when empty)", path, f, jsonOf(v))
						}
					}
				}
			}
			need(doc, "", contractFields.top, true)
			if doc["error"] != nil {
				t.Errorf("error = %s, want null", jsonOf(doc["error"]))
			}
			for _, sec := range []struct {
				name   string
				fields []string
			}{{"requests", contractFields.requests}, {"meetings", contractFields.meetings}, {"votes", contractFields.votes}} {
				list, _ := doc[sec.name].([]any)
				for i, x := range list {
					obj, ok := x.(map[string]any)
					if !ok {
						t.Errorf("%s[%d] = %s, want an object", sec.name, i, jsonOf(x))
						continue
					}
					need(obj, fmt.Sprintf("%s[%d].", sec.name, i), sec.fields, true)
					if sec.name == "votes" {
						counts, _ := obj["counts"].(map[string]any)
						need(counts, fmt.Sprintf("votes[%d].counts.", i), []string{"yes", "no", "abstain", "absent"}, false)
					}
				}
			}
			noNulls(t, "", doc)
			for key := range missing {
				if why, known := knownEngineGaps[key]; known {
					t.Logf("KNOWN ENGINE GAP: %s is missing from the record: %s", key, why)
					continue
				}
				t.Errorf("contract field %s is missing from the record", key)
			}
			for key := range knownEngineGaps {
				if strings.HasPrefix(key, strconv.Itoa(year)+" ") && !missing[key] {
					t.Errorf("%s is now in the record: remove it from knownEngineGaps", key)
				}
			}
		})
	}
}

// noNulls fails on any null in the record but the top-level error: lists encode as [], never null.
func noNulls(t *testing.T, path string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil && !nullable(path, k) {
				t.Errorf("%s%s is null", path, k)
			}
			noNulls(t, path+k+".", x)
		}
	case []any:
		for i, x := range v {
			noNulls(t, fmt.Sprintf("%s[%d].", strings.TrimSuffix(path, "."), i), x)
		}
	}
}

// nullable reports the contract fields that may read null: the top-level error, and the date of a meeting
// postponed without date.
func nullable(path, field string) bool {
	// a meeting postponed without date has no date, and so no President
	return path == "" && field == "error" || strings.HasPrefix(path, "meetings[") && (field == "on" || field == "president")
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
