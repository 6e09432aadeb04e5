package scenario_test

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/scenario"
)

// votesOf replays an example and returns the votes it took.
func votesOf(t *testing.T, name string) []*council.VoteTaken {
	t.Helper()
	sc, err := scenario.Load(filepath.Join("..", "examples", "scenarios", name), scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Run()
	if err != nil || r.Failed != nil {
		t.Fatalf("%s: %v %+v", name, err, r.Failed)
	}
	var out []*council.VoteTaken
	for _, e := range r.Events {
		if v, ok := e.(*council.VoteTaken); ok {
			out = append(out, v)
		}
	}
	return out
}

// The vote of December 2014 taken live, ballot by ballot, is the vote dprk-2014.yaml takes in one step.
func TestLiveVoteExampleEqualsDPRK2014(t *testing.T) {
	live, one := votesOf(t, "live-vote.yaml"), votesOf(t, "dprk-2014.yaml")
	if len(live) != 1 || len(one) != 1 {
		t.Fatalf("%d and %d votes, want one each", len(live), len(one))
	}
	got, want := live[0], one[0]
	if got.Counts != want.Counts || !reflect.DeepEqual(got.Yes, want.Yes) || !reflect.DeepEqual(got.No, want.No) ||
		!reflect.DeepEqual(got.Abstain, want.Abstain) || !reflect.DeepEqual(got.Absent, want.Absent) ||
		got.Adopted != want.Adopted || !reflect.DeepEqual(got.Decisive, want.Decisive) || got.Reason != want.Reason {
		t.Errorf("live vote\n %+v\nwant\n %+v", got, want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the live vote's event differs from the vote step's:\n %+v\n %+v", got, want)
	}
	if got.Counts != (council.Counts{Yes: 11, No: 2, Abstain: 2}) || !got.Adopted {
		t.Errorf("counts %+v adopted %v, want adopted 11-2-2", got.Counts, got.Adopted)
	}
}

func TestLiveVoteText(t *testing.T) {
	sc, err := scenario.Load(filepath.Join("..", "examples", "scenarios", "live-vote.yaml"), scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Run()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := scenario.WriteText(&b, sc, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"  7              CHN asks to speak at m1: speaker 1 on the list",
		"  8              RUS asks to speak at m1: speaker 2 on the list",
		" 11              vote agenda-2014 on the agenda (procedural) opens at m1",
		" 12              ARG votes in favour in vote agenda-2014",
		" 14              TCD abstains in vote agenda-2014",
		" 16              CHN votes against in vote agenda-2014",
		" 27              vote agenda-2014 on the agenda (procedural): ADOPTED, 11-2-2",
		"against (2):       CHN, RUS",
		" 28              USA asks to speak at m1: speaker 1 on the list",
	} {
		if !strings.Contains(b.String(), line+"\n") {
			t.Errorf("text without the line %q:\n%s", line, b.String())
		}
	}
}

// A replay stopped with a vote open shows it, and the speakers waiting, in the record and the text.
func TestReplayWithVoteOpen(t *testing.T) {
	r := MustReplay(t, `title: t
body: unsc
as_of: 2014-12-22
steps:
  - schedule: {meeting: m1, on: 2014-12-22, agenda: [x]}
  - open: {meeting: m1}
  - object: {meeting: m1, by: RUS}
  - ask_to_speak: {meeting: m1, by: USA}
  - ask_to_speak: {meeting: m1, by: FRA}
  - open_vote: {meeting: m1, on: agenda}
  - ballot: {vote: v1, by: RUS, ballot: no}
  - ballot: {vote: v1, by: USA, ballot: "yes"}
  - close: {meeting: m1}
`)
	if r.Failed == nil || r.Failed.Step != 9 || r.Failed.Code != council.EVoteOpen || r.Failed.Line != 13 {
		t.Fatalf("failed %+v, want step 9 (line 13) refused with %s", r.Failed, council.EVoteOpen)
	}
	m := r.Record.Meetings[0]
	want := &council.OpenVoteRecord{ID: "v1", On: "agenda", Matter: "procedural", Date: mustDate(t, "2014-12-22"),
		Ballots: []council.CastBallot{{Member: "RUS", Ballot: "no"}, {Member: "USA", Ballot: "yes"}}}
	if !reflect.DeepEqual(m.OpenVote, want) || !reflect.DeepEqual(m.Speakers, []string{"USA", "FRA"}) {
		t.Errorf("meeting open vote %+v speakers %q", m.OpenVote, m.Speakers)
	}
	var b bytes.Buffer
	sc := MustParse(t, "title: t\nbody: unsc\nas_of: 2014-12-22\nsteps:\n  - submit: {request: r}\n")
	if err := scenario.WriteText(&b, sc, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"    vote v1 on the agenda, opened 2014-12-22, is still open: 2 of 15 ballots cast\n",
		"    to speak (2):      USA, FRA\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("text without %q:\n%s", line, b.String())
		}
	}
}
