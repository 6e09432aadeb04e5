package council_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council"
)

// The fifteen members of December 2014, in the order they sit; Chad presides.
var members2014 = []string{"ARG", "AUS", "TCD", "CHL", "CHN", "FRA", "JOR", "LTU", "LUX", "NGA", "KOR", "RUS", "RWA", "GBR", "USA"}

// agendaVoteOpen and draftVoteOpen open vote v1 in m1, on the agenda (after the objection) or on d1.
func agendaVoteOpen() []council.Command {
	return append(objected(), &council.OpenVote{Meeting: "m1", On: "agenda"})
}

func draftVoteOpen() []council.Command {
	return append(drafted(), &council.OpenVote{Meeting: "m1", On: "d1"})
}

// ballots casts a ballot for each member named.
func ballots(vote, ballot string, by ...string) []council.Command {
	var out []council.Command
	for _, m := range by {
		out = append(out, &council.Ballot{Vote: vote, By: m, Ballot: ballot})
	}
	return out
}

func TestLiveVoteEvents(t *testing.T) {
	tests := []struct {
		name  string
		setup []council.Command
		cmd   council.Command
		want  council.Event
	}{
		{"open a vote on the agenda: the first free vN, procedural", objected(),
			&council.OpenVote{Meeting: "m1", On: "agenda"},
			&council.VoteOpened{Dated: dated("2014-12-22"), ID: "v1", Meeting: "m1", On: "agenda", Matter: "procedural", Parties: []string{}}},
		{"open a vote on a draft by the President, with its id and parties", drafted(),
			&council.OpenVote{Presiding: council.Presiding{By: "TCD"}, ID: "final", Meeting: "m1", On: "d1", Parties: []string{"GBR", "ARG"}},
			&council.VoteOpened{Dated: dated("2014-12-22"), ID: "final", Meeting: "m1", On: "d1", Matter: "substantive", Parties: []string{"GBR", "ARG"}}},
		{"open a vote on a draft as procedural", drafted(),
			&council.OpenVote{Meeting: "m1", On: "d1", Matter: "procedural"},
			&council.VoteOpened{Dated: dated("2014-12-22"), ID: "v1", Meeting: "m1", On: "d1", Matter: "procedural", Parties: []string{}}},
		{"the default id skips one an open vote holds", seq(agendaVoteOpen(),
			&council.Schedule{Meeting: "m2", On: date("2014-12-22"), Agenda: []string{"x"}}, &council.Open{Meeting: "m2"},
			&council.Object{Meeting: "m2", By: []string{"RUS"}}),
			&council.OpenVote{Meeting: "m2", On: "agenda"},
			&council.VoteOpened{Dated: dated("2014-12-22"), ID: "v2", Meeting: "m2", On: "agenda", Matter: "procedural", Parties: []string{}}},
		{"a ballot", agendaVoteOpen(),
			&council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"},
			&council.BallotCast{Dated: dated("2014-12-22"), Vote: "v1", By: "RUS", Ballot: "no"}},
		{"a ballot on a later day", agendaVoteOpen(),
			&council.Ballot{At: on("2014-12-23"), Vote: "v1", By: "TCD", Ballot: "abstain"},
			&council.BallotCast{Dated: dated("2014-12-23"), Vote: "v1", By: "TCD", Ballot: "abstain"}},
		{"a statement while the vote is open", agendaVoteOpen(),
			&council.Statement{Meeting: "m1", By: "CHN"},
			&council.StatementMade{Dated: dated("2014-12-22"), Meeting: "m1", By: "CHN"}},
		{"ask to speak", opened(),
			&council.AskToSpeak{Meeting: "m1", By: "USA"},
			&council.SpeakerInscribed{Dated: dated("2014-12-22"), Meeting: "m1", By: "USA"}},
		{"ask to speak again after speaking", seq(opened(), &council.AskToSpeak{Meeting: "m1", By: "USA"}, &council.Statement{Meeting: "m1", By: "USA"}),
			&council.AskToSpeak{Meeting: "m1", By: "USA"},
			&council.SpeakerInscribed{Dated: dated("2014-12-22"), Meeting: "m1", By: "USA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			MustRun(t, s, tt.setup...)
			before := snapshot(t, s)
			got, err := s.Decide(tt.cmd)
			if err != nil {
				t.Fatalf("Decide: %v (code %s)", err, council.ErrorCode(err))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("event\n got %s\nwant %s", eventsJSON([]council.Event{got}), eventsJSON([]council.Event{tt.want}))
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("Decide changed the state before Apply:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestLiveVoteRefusals(t *testing.T) {
	closed := seq(agendaVoteOpen(), &council.CloseVote{Vote: "v1"})
	tests := []struct {
		name  string
		setup []council.Command
		cmd   council.Command
		code  string
		says  string
	}{
		// open_vote: every check of a vote that needs no ballot
		{"open a vote at a meeting not open", scheduled(), &council.OpenVote{Meeting: "m1", On: "agenda"}, council.EMeetingStatus, "not open"},
		{"open a vote at an unknown meeting", opened(), &council.OpenVote{Meeting: "m9", On: "agenda"}, council.EUnknownMeeting, "m9"},
		{"open a vote on an agenda nobody objected to", opened(), &council.OpenVote{Meeting: "m1", On: "agenda"}, council.ENoObjection, "Rule 9"},
		{"open a vote on an agenda already adopted", drafted(), &council.OpenVote{Meeting: "m1", On: "agenda"}, council.EAgendaAdopted, "already adopted"},
		{"open a vote on a draft before the agenda", seq(objected(), &council.Draft{ID: "d1", By: []string{"USA"}, Title: "t"}),
			&council.OpenVote{Meeting: "m1", On: "d1"}, council.EAgendaPending, "has not adopted its agenda"},
		{"open a vote on an unknown draft", drafted(), &council.OpenVote{Meeting: "m1", On: "d9"}, council.EUnknownDraft, "d9"},
		{"open a vote on a withdrawn draft", seq(drafted(), &council.Withdraw{Draft: "d1"}), &council.OpenVote{Meeting: "m1", On: "d1"}, council.EDraftClosed, "withdrawn"},
		{"open a vote on a draft before its amendment", amended(), &council.OpenVote{Meeting: "m1", On: "d1"}, council.EAmendmentsFirst, "Rule 36"},
		{"open a vote as an unknown matter", drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Matter: "budgetary"}, council.EUnknownMatter, "budgetary"},
		{"open a procedural vote with parties", objected(), &council.OpenVote{Meeting: "m1", On: "agenda", Parties: []string{"RUS"}}, council.EPartyMustAbstain, "substantive"},
		{"open a vote with a party that does not sit", drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Parties: []string{"DEU"}}, council.ENotSitting, "DEU"},
		{"open a vote with a party twice", drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Parties: []string{"GBR", "GBR"}}, council.EListedTwice, "twice"},
		{"open a vote with a used id", drafted(), &council.OpenVote{ID: "d1", Meeting: "m1", On: "d1"}, council.EDuplicateID, "d1"},
		{"open a vote with the id of a vote taken", seq(drafted(), &council.Vote{ID: "v1", Meeting: "m1", On: "d1", Rest: "yes"}, &council.Draft{ID: "d2", By: []string{"JOR"}, Title: "t"}),
			&council.OpenVote{ID: "v1", Meeting: "m1", On: "d2"}, council.EDuplicateID, "v1"},
		{"open a vote without on", objected(), &council.OpenVote{Meeting: "m1"}, council.EINVALID, "on is missing"},
		{"open a vote by a non-President", objected(), &council.OpenVote{Presiding: council.Presiding{By: "USA"}, Meeting: "m1", On: "agenda"}, council.ENotPresident, "TCD is"},

		// while a vote is open
		{"open a second vote while one is open", agendaVoteOpen(), &council.OpenVote{Meeting: "m1", On: "agenda"}, council.EVoteOpen, "vote v1 is open in meeting m1"},
		{"open a vote on another draft while one is open", seq(draftVoteOpen(), &council.Draft{ID: "d2", By: []string{"JOR"}, Title: "t"}),
			&council.OpenVote{Meeting: "m1", On: "d2"}, council.EVoteOpen, "vote v1 is open"},
		{"take a vote while one is open", agendaVoteOpen(), &council.Vote{Meeting: "m1", On: "agenda", Rest: "yes"}, council.EVoteOpen, "vote v1 is open"},
		{"close the meeting while a vote is open", agendaVoteOpen(), &council.Close{Meeting: "m1"}, council.EVoteOpen, "close the vote before the meeting"},
		{"vote on a draft open in another meeting",
			seq(draftVoteOpen(), &council.Schedule{Meeting: "m2", On: date("2014-12-22"), Agenda: []string{"x"}}, &council.Open{Meeting: "m2"}, &council.AdoptAgenda{Meeting: "m2"}),
			&council.Vote{Meeting: "m2", On: "d1", Rest: "yes"}, council.EVoteOpen, "vote v1 on d1 is open in meeting m1"},
		{"open a vote on a draft open in another meeting",
			seq(draftVoteOpen(), &council.Schedule{Meeting: "m2", On: date("2014-12-22"), Agenda: []string{"x"}}, &council.Open{Meeting: "m2"}, &council.AdoptAgenda{Meeting: "m2"}),
			&council.OpenVote{Meeting: "m2", On: "d1"}, council.EVoteOpen, "vote v1 on d1 is open"},
		{"withdraw a draft while it is voted on", draftVoteOpen(), &council.Withdraw{Draft: "d1"}, council.EVoteOpen, "Rule 35"},
		{"amend a draft while it is voted on", draftVoteOpen(), &council.Amend{ID: "a1", Draft: "d1", By: []string{"FRA"}}, council.EVoteOpen, "voting has begun"},

		// ballot
		{"a ballot in no vote", objected(), &council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"}, council.ENoOpenVote, "no open vote v1"},
		{"a ballot in a vote already closed", closed, &council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"}, council.ENoOpenVote, "already closed"},
		{"a ballot in a draft, not a vote", draftVoteOpen(), &council.Ballot{Vote: "d1", By: "RUS", Ballot: "no"}, council.ENoOpenVote, "d1"},
		{"a ballot naming no vote", agendaVoteOpen(), &council.Ballot{By: "RUS", Ballot: "no"}, council.EINVALID, "vote is missing"},
		{"a ballot by a non-member (DEU in 2014)", agendaVoteOpen(), &council.Ballot{Vote: "v1", By: "DEU", Ballot: "yes"}, council.ENotSitting, "DEU does not sit"},
		{"a ballot by an unknown code", agendaVoteOpen(), &council.Ballot{Vote: "v1", By: "XXX", Ballot: "yes"}, council.EUnknownMember, "XXX"},
		{"a ballot by nobody", agendaVoteOpen(), &council.Ballot{Vote: "v1", Ballot: "yes"}, council.EINVALID, "by"},
		{"a ballot by a party (Art. 27(3))", seq(drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Parties: []string{"GBR"}}),
			&council.Ballot{Vote: "v1", By: "GBR", Ballot: "yes"}, council.EPartyMustAbstain, "party to the dispute"},
		{"a party's abstention is no ballot either", seq(drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Parties: []string{"GBR"}}),
			&council.Ballot{Vote: "v1", By: "GBR", Ballot: "abstain"}, council.EPartyMustAbstain, "party to the dispute"},
		{"a ballot twice", seq(agendaVoteOpen(), &council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"}),
			&council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"}, council.EAlreadyVoted, "RUS has already voted no"},
		{"a ballot changed", seq(agendaVoteOpen(), &council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"}),
			&council.Ballot{Vote: "v1", By: "RUS", Ballot: "abstain"}, council.EAlreadyVoted, "cannot be changed"},
		{"a ballot that is not one", agendaVoteOpen(), &council.Ballot{Vote: "v1", By: "RUS", Ballot: "absent"}, council.EINVALID, `ballot: "absent" is not a ballot`},
		{"a ballot without a value", agendaVoteOpen(), &council.Ballot{Vote: "v1", By: "RUS"}, council.EINVALID, "ballot is missing"},

		// close_vote
		{"close a vote never opened", objected(), &council.CloseVote{Vote: "v1"}, council.ENoOpenVote, "no open vote v1"},
		{"close a vote twice", closed, &council.CloseVote{Vote: "v1"}, council.ENoOpenVote, "already closed"},
		{"close a vote naming none", agendaVoteOpen(), &council.CloseVote{}, council.EINVALID, "vote is missing"},
		{"close a vote by a non-President", agendaVoteOpen(), &council.CloseVote{Presiding: council.Presiding{By: "RUS"}, Vote: "v1"}, council.ENotPresident, "TCD is"},

		// ask_to_speak
		{"ask to speak at a meeting not open", scheduled(), &council.AskToSpeak{Meeting: "m1", By: "USA"}, council.EMeetingStatus, "not open"},
		{"ask to speak at an unknown meeting", opened(), &council.AskToSpeak{Meeting: "m9", By: "USA"}, council.EUnknownMeeting, "m9"},
		{"ask to speak by a non-member", opened(), &council.AskToSpeak{Meeting: "m1", By: "DEU"}, council.ENotSitting, "DEU"},
		{"ask to speak twice", seq(opened(), &council.AskToSpeak{Meeting: "m1", By: "USA"}, &council.AskToSpeak{Meeting: "m1", By: "CHN"}),
			&council.AskToSpeak{Meeting: "m1", By: "USA"}, council.EAlreadyInscribed, "USA is already on the speakers list of meeting m1 (speaker 1)"},
		{"ask to speak after the meeting closed", seq(opened(), &council.Close{Meeting: "m1"}), &council.AskToSpeak{Meeting: "m1", By: "USA"}, council.EMeetingStatus, "held"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			MustRun(t, s, tt.setup...)
			e := MustRefuse(t, s, tt.cmd, tt.code)
			if !strings.Contains(e.Message, tt.says) {
				t.Errorf("message %q, want it to say %q", e.Message, tt.says)
			}
		})
	}
}

// closeVote runs the setup and closes the vote, returning its event.
func closeVote(t *testing.T, s *council.State, setup []council.Command, c *council.CloseVote) *council.VoteTaken {
	t.Helper()
	MustRun(t, s, setup...)
	evs := MustRun(t, s, c)
	v, ok := evs[0].(*council.VoteTaken)
	if !ok {
		t.Fatalf("close_vote produced %T, want *council.VoteTaken", evs[0])
	}
	return v
}

func TestCloseVote(t *testing.T) {
	others := func(but ...string) []string {
		return slices.DeleteFunc(slices.Clone(members2014), func(m string) bool { return slices.Contains(but, m) })
	}
	tests := []struct {
		name     string
		setup    []council.Command
		counts   council.Counts
		adopted  bool
		vetoedBy []string
		symbol   string
		status   string // of the draft, or of the meeting for the agenda
	}{
		{name: "nobody voted on the agenda: all absent, not adopted, the meeting ends",
			setup:  agendaVoteOpen(),
			counts: council.Counts{Absent: 15}, vetoedBy: []string{}, status: council.StatusAgendaRejected},
		{name: "nobody voted on a draft: all absent, the draft failed",
			setup:  draftVoteOpen(),
			counts: council.Counts{Absent: 15}, vetoedBy: []string{}, status: council.StatusFailed},
		{name: "the agenda adopted 11-2-2 over two permanent members' no (procedural)",
			setup: seq(seq(seq(agendaVoteOpen(), ballots("v1", "no", "CHN", "RUS")...), ballots("v1", "abstain", "TCD", "NGA")...),
				ballots("v1", "yes", others("CHN", "RUS", "TCD", "NGA")...)...),
			counts: council.Counts{Yes: 11, No: 2, Abstain: 2}, adopted: true, vetoedBy: []string{}, status: council.StatusOpen},
		{name: "a substantive draft vetoed by a permanent member's no",
			setup:  seq(seq(draftVoteOpen(), ballots("v1", "no", "RUS")...), ballots("v1", "yes", others("RUS")...)...),
			counts: council.Counts{Yes: 14, No: 1}, vetoedBy: []string{"RUS"}, status: council.StatusVetoed},
		{name: "a draft adopted with members that cast no ballot absent and a party not participating",
			setup: seq(seq(drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Parties: []string{"ARG"}}),
				ballots("v1", "yes", "USA", "GBR", "FRA", "AUS", "LTU", "LUX", "CHL", "KOR", "JOR")...),
			counts: council.Counts{Yes: 9, Absent: 5, NotParticipating: 1}, adopted: true, vetoedBy: []string{},
			symbol: "S/RES/1 (2014)", status: council.StatusAdopted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			v := closeVote(t, s, tt.setup, &council.CloseVote{Presiding: council.Presiding{By: "TCD"}, Vote: "v1"})
			if v.ID != "v1" || v.Meeting != "m1" || v.Counts != tt.counts || v.Adopted != tt.adopted || v.Symbol != tt.symbol ||
				!reflect.DeepEqual(v.VetoedBy, tt.vetoedBy) || v.Reason == "" {
				t.Errorf("vote %+v\nwant counts %+v adopted %v vetoed by %q symbol %q", v, tt.counts, tt.adopted, tt.vetoedBy, tt.symbol)
			}
			if s.OpenVoteByID("v1") != nil || s.Meeting("m1").OpenVote != nil || s.VoteByID("v1") != v {
				t.Error("the vote is still open after close_vote, or not taken")
			}
			if v.On == "agenda" {
				if m := s.Meeting("m1"); m.Status != tt.status {
					t.Errorf("meeting status %s, want %s", m.Status, tt.status)
				}
				return
			}
			if x := s.DraftByID("d1"); x.Status != tt.status || x.Vote != "v1" {
				t.Errorf("draft %+v, want %s by v1", x, tt.status)
			}
		})
	}
}

// Once closed, the meeting takes votes again and can close.
func TestVoteClosedFreesTheMeeting(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, seq(draftVoteOpen(), ballots("v1", "yes", members2014...)...)...)
	MustRun(t, s, &council.CloseVote{Vote: "v1"},
		&council.Draft{ID: "d2", By: []string{"JOR"}, Title: "t"},
		&council.OpenVote{Meeting: "m1", On: "d2"},
		&council.CloseVote{Vote: "v2"},
		&council.Draft{ID: "d3", By: []string{"JOR"}, Title: "t"},
		&council.Vote{Meeting: "m1", On: "d3", Rest: "yes"},
		&council.Close{Meeting: "m1"})
	if got := s.Meeting("m1").Votes; !slices.Equal(got, []string{"v1", "v2", "v3"}) {
		t.Errorf("votes %q", got)
	}
}

// The state and the record show the open vote with its ballots in the order cast, and the speakers list.
func TestOpenVoteInStateAndRecord(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, seq(drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Parties: []string{"ARG"}},
		&council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"},
		&council.Ballot{Vote: "v1", By: "USA", Ballot: "yes"},
		&council.Ballot{Vote: "v1", By: "CHN", Ballot: "abstain"},
		&council.AskToSpeak{Meeting: "m1", By: "GBR"},
		&council.AskToSpeak{Meeting: "m1", By: "FRA"},
		&council.AskToSpeak{Meeting: "m1", By: "LUX"},
		&council.Statement{Meeting: "m1", By: "FRA"},
		&council.Statement{Meeting: "m1", By: "JOR"})...)
	want := []council.CastBallot{{Member: "RUS", Ballot: "no"}, {Member: "USA", Ballot: "yes"}, {Member: "CHN", Ballot: "abstain"}}
	v := s.OpenVoteByID("v1")
	if v == nil || v.On != "d1" || v.Matter != "substantive" || v.Meeting != "m1" || !slices.Equal(v.Parties, []string{"ARG"}) ||
		!slices.Equal(v.Ballots, want) || v.Opened != date("2014-12-22") {
		t.Fatalf("open vote %+v", v)
	}
	if s.Meeting("m1").OpenVote != v || s.OpenVoteByID("d1") != nil || s.OpenVoteByID("v9") != nil || s.VoteByID("v1") != nil {
		t.Error("the open vote is not the meeting's, or a lookup finds what it should not")
	}
	if got := s.Meeting("m1").Speakers; !slices.Equal(got, []string{"GBR", "LUX"}) {
		t.Errorf("speakers %q, want GBR, LUX: FRA spoke, JOR was never on the list", got)
	}
	b, err := json.Marshal(s.Record("").Meetings[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"speakers":["GBR","LUX"]`,
		`"open_vote":{"id":"v1","on":"d1","matter":"substantive","date":"2014-12-22","parties":["ARG"],"ballots":[{"member":"RUS","ballot":"no"},{"member":"USA","ballot":"yes"},{"member":"CHN","ballot":"abstain"}]}`} {
		if !strings.Contains(string(b), part) {
			t.Errorf("meeting record %s\nwant it to hold %s", b, part)
		}
	}
	// a meeting without either keeps its record as it was
	s2 := MustState(t)
	MustRun(t, s2, opened()...)
	b, _ = json.Marshal(s2.Record("").Meetings[0])
	if strings.Contains(string(b), "speakers") || strings.Contains(string(b), "open_vote") {
		t.Errorf("meeting record %s: speakers and open_vote are left out when empty", b)
	}
	// the stored events rebuild the same state, open vote included
	again := MustState(t)
	evs := MustRun(t, MustState(t), seq(drafted(), &council.OpenVote{Meeting: "m1", On: "d1", Parties: []string{"ARG"}},
		&council.Ballot{Vote: "v1", By: "RUS", Ballot: "no"}, &council.AskToSpeak{Meeting: "m1", By: "GBR"})...)
	for _, e := range evs {
		d, err := council.EncodeEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := council.DecodeEvent(d.Type, d.Data)
		if err != nil {
			t.Fatal(err)
		}
		again.Apply(back)
	}
	if err := firstRefusal(again, &council.Ballot{Vote: "v1", By: "RUS", Ballot: "yes"}); council.ErrorCode(err) != council.EAlreadyVoted {
		t.Errorf("after replaying the stream, RUS votes again: %v", err)
	}
	if got := again.Meeting("m1").Speakers; !slices.Equal(got, []string{"GBR"}) {
		t.Errorf("after replaying the stream, speakers %q", got)
	}
}

func firstRefusal(s *council.State, c council.Command) error {
	_, err := s.Decide(c)
	return err
}

func TestPresidentOn(t *testing.T) {
	s := MustState(t)
	if p, err := s.PresidentOn(0); err == nil || p != "" {
		t.Errorf("PresidentOn(0) of a body that has done nothing: %q %v, want an error", p, err)
	}
	MustRun(t, s, opened()...)
	for _, tt := range []struct {
		day  council.Date
		want string
	}{{0, "TCD"}, {date("2014-12-31"), "TCD"}, {date("2015-01-05"), "CHL"}, {date("2019-12-02"), "USA"}} {
		if p, err := s.PresidentOn(tt.day); err != nil || p != tt.want {
			t.Errorf("PresidentOn(%s) = %q, %v; want %s", tt.day, p, err, tt.want)
		}
	}
	if _, err := s.PresidentOn(date("2999-01-01")); council.ErrorCode(err) != council.ENoData {
		t.Errorf("PresidentOn beyond the roster: %v, want %s", err, council.ENoData)
	}
}

// A vote opened on the last day of 1965 and closed in 1966 counts the eleven members sitting the day it
// opened, under the rules of that day: its ballots were cast by them.
func TestVoteCountsTheDayItOpened(t *testing.T) {
	s := MustState(t)
	MustRun(t, s,
		&council.Schedule{At: on("1965-12-31"), Meeting: "m1", On: date("1965-12-31"), Agenda: []string{"x"}},
		&council.Open{Meeting: "m1"},
		&council.AdoptAgenda{Meeting: "m1"},
		&council.Draft{ID: "d1", By: []string{"USA"}, Title: "t"},
		&council.OpenVote{Meeting: "m1", On: "d1"})
	sit, err := s.SittingOn(date("1965-12-31"))
	if err != nil || len(sit.Members) != 11 {
		t.Fatalf("sitting of 1965: %v %d members", err, len(sit.Members))
	}
	MustRun(t, s, ballots("v1", "yes", sit.Codes()[:7]...)...)
	v := closeVote(t, s, nil, &council.CloseVote{At: on("1966-01-03"), Vote: "v1"})
	if n := len(v.Yes) + len(v.No) + len(v.Abstain) + len(v.Absent) + len(v.NotParticipating); n != 11 || v.Needed != 7 || !v.Adopted {
		t.Errorf("vote %+v: want the 11 members of 1965, 7 needed, adopted", v)
	}
	if v.Date != date("1966-01-03") || v.Symbol != "S/RES/1 (1966)" {
		t.Errorf("vote dated %s symbol %q, want the day it closed", v.Date, v.Symbol)
	}
}

// TestLiveVoteEqualsVote is the property that makes live votes safe: opening a vote, casting ballots in
// any order and closing it gives the very event a vote step with the same lists gives, and the same state.
// Brute force over random questions and ballots.
func TestLiveVoteEqualsVote(t *testing.T) {
	rng := rand.New(rand.NewPCG(2014, 12))
	fixtures := []struct {
		setup []council.Command
		on    string
	}{{objected(), "agenda"}, {drafted(), "d1"}, {amended(), "a1"}}
	ballotNames := []string{"no", "abstain", ""} // besides yes; "" casts no ballot: absent
	outcomes := map[string]int{}
	cases := 400
	if testing.Short() {
		cases = 60
	}
	for i := range cases {
		f := fixtures[rng.IntN(len(fixtures))]
		matter := []string{"", "procedural", "substantive"}[rng.IntN(3)]
		if f.on == "agenda" && matter == "substantive" {
			matter = ""
		}
		var parties []string
		substantive := matter == "substantive" || (matter == "" && f.on != "agenda")
		if substantive {
			for _, k := range rng.Perm(len(members2014))[:rng.IntN(3)] {
				parties = append(parties, members2014[k])
			}
		}
		vote := &council.Vote{Meeting: "m1", On: f.on, Matter: matter, Parties: parties}
		var casts []council.Command
		pYes := rng.Float64() // so that some votes carry and some do not
		for _, m := range members2014 {
			if slices.Contains(parties, m) {
				continue
			}
			b := "yes"
			if rng.Float64() >= pYes {
				b = ballotNames[rng.IntN(len(ballotNames))]
			}
			switch b {
			case "yes":
				vote.Yes = append(vote.Yes, m)
			case "no":
				vote.No = append(vote.No, m)
			case "abstain":
				vote.Abstain = append(vote.Abstain, m)
			default:
				continue
			}
			casts = append(casts, &council.Ballot{Vote: "v1", By: m, Ballot: b})
		}
		rng.Shuffle(len(casts), func(i, j int) { casts[i], casts[j] = casts[j], casts[i] })

		a, b := MustState(t), MustState(t)
		MustRun(t, a, f.setup...)
		want := MustRun(t, a, vote)[0]
		MustRun(t, b, f.setup...)
		MustRun(t, b, &council.OpenVote{Meeting: "m1", On: f.on, Matter: matter, Parties: parties})
		MustRun(t, b, casts...)
		got := MustRun(t, b, &council.CloseVote{Vote: "v1"})[0]
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d (%+v, ballots %s):\nclose_vote %s\nvote       %s", i, vote, eventsJSON(casts2events(casts)), eventsJSON([]council.Event{got}), eventsJSON([]council.Event{want}))
		}
		if sa, sb := snapshot(t, a), snapshot(t, b); sa != sb {
			t.Fatalf("case %d: states differ\nvote       %s\nclose_vote %s", i, sa, sb)
		}
		v := got.(*council.VoteTaken)
		switch {
		case v.Adopted:
			outcomes["adopted"]++
		case len(v.VetoedBy) > 0:
			outcomes["vetoed"]++
		default:
			outcomes["failed"]++
		}
		if len(v.NotParticipating) > 0 {
			outcomes["parties"]++
		}
	}
	for _, o := range []string{"adopted", "vetoed", "failed", "parties"} {
		if outcomes[o] == 0 {
			t.Errorf("no case %s: the random votes do not cover the outcomes (%v)", o, outcomes)
		}
	}
	t.Logf("outcomes: %v", outcomes)
}

// casts2events shows ballots in a failure message.
func casts2events(cs []council.Command) []council.Event {
	var out []council.Event
	for _, c := range cs {
		b := c.(*council.Ballot)
		out = append(out, &council.BallotCast{Vote: b.Vote, By: b.By, Ballot: b.Ballot})
	}
	return out
}
