package council_test

import (
	"testing"

	"github.com/opencouncil/council"
)

// fullStory is December 2014 told through every kind of step, with a draft vetoed after its amendment.
func fullStory() []council.Command {
	return seq(amended(),
		&council.Cosponsor{Draft: "d1", By: []string{"AUS"}},
		&council.Statement{Meeting: "m1", By: "RUS", Text: "We object."},
		&council.Vote{Meeting: "m1", On: "a1", Rest: "yes"},
		&council.Vote{ID: "final", Meeting: "m1", On: "d1", No: []string{"RUS"}, Rest: "yes"},
		&council.PRST{Meeting: "m1", Objections: []string{"RUS"}},
		&council.PRST{Meeting: "m1", Text: "The Council welcomes ..."},
		&council.Close{Meeting: "m1"},
		&council.Request{At: on("2014-12-29"), ID: "r2", By: "JOR", Subject: "Palestine"},
		&council.Decline{Request: "r2", By: "USA"},
		&council.Abandon{Request: "r2", Reason: "no support"},
		&council.Schedule{Meeting: "m2", On: date("2014-12-30"), Agenda: []string{"Palestine"}},
		&council.Postpone{Meeting: "m2", Reason: "consultations"},
		&council.Cancel{Meeting: "m2", Reason: "dropped"},
	)
}

// Applying the stored events to a new state gives the same state: Apply needs no rule and no command.
func TestApplyReplaysEvents(t *testing.T) {
	s := MustState(t)
	evs := MustRun(t, s, fullStory()...)
	again := MustState(t)
	for _, e := range evs {
		again.Apply(e)
	}
	if got, want := snapshot(t, again), snapshot(t, s); got != want {
		t.Errorf("replayed events give\n%s\nwant\n%s", got, want)
	}
	rec := s.Record("")
	if len(rec.Requests) != 2 || len(rec.Meetings) != 2 || len(rec.Votes) != 2 || len(rec.Drafts) != 2 || len(rec.Statements) != 2 {
		t.Errorf("record %d requests %d meetings %d votes %d drafts %d statements", len(rec.Requests), len(rec.Meetings),
			len(rec.Votes), len(rec.Drafts), len(rec.Statements))
	}
	if d := s.DraftByID("d1"); d.Status != council.StatusVetoed || d.Vote != "final" || len(d.Sponsors) != 3 {
		t.Errorf("d1 %+v, want vetoed by the vote final, three sponsors", d)
	}
	if m := s.Meeting("m2"); m.Status != council.StatusCancelled || len(m.Changes) != 2 {
		t.Errorf("m2 %+v, want cancelled after a postponement", m)
	}
	if r := s.Request("r2"); r.Status != council.StatusAbandoned || r.Reason != "no support" {
		t.Errorf("r2 %+v", r)
	}
}

// Once applied, the state owns what it keeps: a caller that reuses its command's lists afterwards does
// not rewrite history.
func TestApplyDoesNotAliasCommands(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, agendaAdopted()...)
	sched := &council.Schedule{Meeting: "m2", On: date("2014-12-30"), Agenda: []string{"Palestine"}}
	sign := &council.Sign{Request: "r9", By: []string{"JOR"}}
	prst := &council.PRST{Meeting: "m1", Objections: []string{"RUS"}}
	draft := &council.Draft{ID: "d1", By: []string{"USA"}, Title: "t"}
	MustRun(t, s, &council.Request{ID: "r9", By: "AUS", Subject: "s"}, sign, sched, prst, draft)
	before := snapshot(t, s)
	sched.Agenda[0], sign.By[0], prst.Objections[0], draft.By[0] = "rewritten", "XXX", "XXX", "XXX"
	if after := snapshot(t, s); after != before {
		t.Fatal("the state keeps the command's slices: decide.go schedule() passes c.Agenda into MeetingScheduled and " +
			"apply.go stores it as the meeting's agenda; vote.go prst() passes c.Objections into the PresidentialStatement that " +
			"apply.go appends to s.Statements. Changing a command after Apply rewrites the record; clone them " +
			"(slices.Clone) in Decide, as Apply already clones DraftCirculated.Sponsors")
	}
}
