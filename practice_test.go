package council_test

import (
	"slices"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/scenario"
)

// TestCouncilPractice covers rules of practice: each case runs the fixtures, then a command that must be
// accepted (code "") or refused with the code.
func TestCouncilPractice(t *testing.T) {
	tests := []struct {
		name  string
		setup []council.Command
		cmd   council.Command
		code  string
	}{
		{"the agenda goes to a vote only after an objection", opened(),
			&council.Vote{Meeting: "m1", On: "agenda", Rest: "yes"}, council.ENoObjection},
		{"after an objection it does", objected(),
			&council.Vote{Meeting: "m1", On: "agenda", Rest: "yes", No: []string{"CHN", "RUS"}}, ""},
		{"parties abstain on substantive votes only", objected(),
			&council.Vote{Meeting: "m1", On: "agenda", Rest: "yes", Parties: []string{"RUS"}}, council.EPartyMustAbstain},
		{"parties on a substantive vote", drafted(),
			&council.Vote{Meeting: "m1", On: "d1", Rest: "yes", Parties: []string{"GBR"}}, ""},
		{"a cancelled meeting's request can be scheduled again (Rule 2)",
			append(scheduled(), &council.Cancel{Meeting: "m1", Reason: "a clash"}),
			&council.Schedule{Meeting: "m2", On: date("2014-12-23"), Agenda: []string{dprk}, Request: "r1"}, ""},
		{"a postponed meeting's request is still scheduled",
			append(scheduled(), &council.Postpone{Meeting: "m1", Reason: "a clash"}),
			&council.Schedule{Meeting: "m2", On: date("2014-12-23"), Agenda: []string{dprk}, Request: "r1"}, council.ERequestClosed},
		{"requested_by must sit", scheduled(),
			&council.Postpone{Meeting: "m1", Reason: "x", RequestedBy: "DEU"}, council.ENotSitting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			MustRun(t, s, tt.setup...)
			if tt.code != "" {
				MustRefuse(t, s, tt.cmd, tt.code)
				return
			}
			MustRun(t, s, tt.cmd)
		})
	}
}

// TestPostponementRecordsWhoAsked keeps both the President who postponed and the member who asked.
func TestPostponementRecordsWhoAsked(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, scheduled()...)
	MustRun(t, s, &council.Postpone{At: on("2014-12-19"), Meeting: "m1", Reason: "lack of support", RequestedBy: "USA"})
	c := s.Record("").Meetings[0].Changes
	if len(c) != 1 || c[0].By != "TCD" || c[0].RequestedBy != "USA" {
		t.Fatalf("changes %+v, want postponed by TCD at the request of USA", c)
	}
}

// TestSupportCountsSittingMembers: a signatory whose term ended no longer supports the letter.
func TestSupportCountsSittingMembers(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, &council.Request{At: on("2014-12-29"), ID: "r1", By: "FRA", Subject: "x"},
		&council.Sign{Request: "r1", By: []string{"GBR", "USA", "AUS", "LUX", "KOR", "RWA"}}) // AUS LUX KOR RWA left in 2015
	if r := s.Record("").Requests[0]; r.Support != 7 {
		t.Fatalf("support in December %d, want 7", r.Support)
	}
	MustRun(t, s, &council.Sign{At: on("2015-01-05"), Request: "r1", By: []string{"ESP"}})
	r := s.Record("").Requests[0]
	if r.Support != 4 || r.Missing != 5 || len(r.Signatories) != 8 {
		t.Fatalf("support %d, missing %d, signatories %v; want 4 sitting of 8 signatories, 5 missing", r.Support, r.Missing, r.Signatories)
	}
}

// TestStatementsNeedConsensusInEveryBody: a board that decides by majority still issues a presidential
// statement only without objection.
func TestStatementsNeedConsensusInEveryBody(t *testing.T) {
	sc, err := scenario.Parse([]byte(`body: examples/bodies/board.yaml
as_of: 2026-03-02
steps:
  - schedule: {meeting: m1, on: 2026-03-02, agenda: [Budget]}
  - open: {meeting: m1}
  - adopt_agenda: {meeting: m1}
  - prst: {meeting: m1, objections: [ALICE]}
  - prst: {meeting: m1}
`), "board.yaml", scenario.Options{Dir: "."})
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Run()
	if err != nil || r.Failed != nil {
		t.Fatal(err, r.Failed)
	}
	st := r.Record.Statements
	if len(st) != 2 || st[0].Issued || !slices.Equal(st[0].Decisive, []string{"ALICE"}) || !st[1].Issued || st[1].Symbol != "BOARD/PRST/2026/1" {
		t.Fatalf("statements %+v: want the first blocked by ALICE alone, the second issued as BOARD/PRST/2026/1", st)
	}
	if want := "not issued: ALICE objected, and it needs consensus"; st[0].Reason != want {
		t.Errorf("reason %q, want %q", st[0].Reason, want)
	}
}
