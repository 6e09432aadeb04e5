package council_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/roster"
)

var (
	seatingOnce sync.Once
	seating     *councils.RosterSeating
	seatingErr  error
)

// MustState returns the state of the Security Council as it really sat (the embedded roster), having done
// nothing yet. opts may change the configuration, such as where numbering starts.
func MustState(tb testing.TB, opts ...func(*council.Config)) *council.State {
	tb.Helper()
	body, err := bodies.Builtin("unsc")
	if err != nil {
		tb.Fatalf("body unsc: %v", err)
	}
	seatingOnce.Do(func() { seating, seatingErr = councils.NewRosterSeating(roster.Default()) })
	if seatingErr != nil {
		tb.Fatalf("roster seating: %v", seatingErr)
	}
	cfg := council.Config{Body: body, Seating: seating, Known: roster.Default().Known}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := council.NewState(cfg)
	if err != nil {
		tb.Fatalf("new state: %v", err)
	}
	return s
}

// numbering starts the meeting records and resolutions at these numbers.
func numbering(meeting, resolution int) func(*council.Config) {
	return func(c *council.Config) { c.NextMeeting, c.NextResolution = meeting, resolution }
}

// MustDate reads a YYYY-MM-DD date.
func MustDate(tb testing.TB, s string) council.Date {
	tb.Helper()
	d, err := council.ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// date reads a date the tests know to be valid.
func date(s string) council.Date {
	d, err := council.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// on dates a command.
func on(s string) council.At { return council.At{At: date(s)} }

// dated dates an event.
func dated(s string) council.Dated { return council.Dated{Date: date(s)} }

// decideAll decides a command and returns its event as a list, empty when refused.
func decideAll(s *council.State, c council.Command) ([]council.Event, error) {
	e, err := s.Decide(c)
	if err != nil {
		return nil, err
	}
	return []council.Event{e}, nil
}

// MustRun decides and applies the commands in order, failing the test at the first refusal.
func MustRun(tb testing.TB, s *council.State, cmds ...council.Command) []council.Event {
	tb.Helper()
	var all []council.Event
	for i, c := range cmds {
		evs, err := decideAll(s, c)
		if err != nil {
			tb.Fatalf("setup step %d (%s): %v (code %s)", i+1, c.Kind(), err, council.ErrorCode(err))
		}
		for _, e := range evs {
			s.Apply(e)
		}
		all = append(all, evs...)
	}
	return all
}

// snapshot is the state as the record shows it, with the day it has reached.
func snapshot(tb testing.TB, s *council.State) string {
	tb.Helper()
	b, err := json.Marshal(s.Record(""))
	if err != nil {
		tb.Fatalf("marshal record: %v", err)
	}
	return s.Today.String() + " " + string(b)
}

// MustRefuse decides a command that the rules must refuse with the code, and checks the state is unchanged.
func MustRefuse(tb testing.TB, s *council.State, c council.Command, code string) *council.Error {
	tb.Helper()
	before := snapshot(tb, s)
	evs, err := decideAll(s, c)
	if err == nil {
		tb.Fatalf("%s was accepted with events %s, want refused with %s", c.Kind(), eventsJSON(evs), code)
	}
	var ce *council.Error
	if !errors.As(err, &ce) {
		tb.Fatalf("%s: error %v (%T) is not a *council.Error", c.Kind(), err, err)
	}
	if got := council.ErrorCode(err); got != code {
		tb.Errorf("%s: code %q (%s), want %q", c.Kind(), got, err, code)
	}
	if evs != nil {
		tb.Errorf("%s: refused but returned events %s", c.Kind(), eventsJSON(evs))
	}
	if ce.Message == "" {
		tb.Errorf("%s: refused with an empty message", c.Kind())
	}
	if after := snapshot(tb, s); after != before {
		tb.Errorf("%s: a refused command changed the state:\nbefore %s\nafter  %s", c.Kind(), before, after)
	}
	return ce
}

func eventsJSON(evs []council.Event) string {
	var b strings.Builder
	for _, e := range evs {
		j, _ := json.Marshal(e)
		b.WriteString(e.EventType())
		b.Write(j)
		b.WriteByte(' ')
	}
	return b.String()
}

// The fixtures tell December 2014 (Chad presiding; the DPRK item) one step further each.

var signers2014 = []string{"CHL", "FRA", "JOR", "LTU", "LUX", "KOR", "RWA", "GBR", "USA"}

const dprk = "The situation in the Democratic People's Republic of Korea"

func requested() []council.Command {
	return []council.Command{&council.Request{At: on("2014-12-05"), ID: "r1", By: "AUS", Subject: dprk, MeetingOn: date("2014-12-22")}}
}

func signed() []council.Command {
	return append(requested(), &council.Sign{Request: "r1", By: slices.Clone(signers2014)})
}

func submitted() []council.Command { return append(signed(), &council.Submit{Request: "r1"}) }

func scheduled() []council.Command {
	return append(submitted(), &council.Schedule{At: on("2014-12-08"), Meeting: "m1", On: date("2014-12-22"),
		Agenda: []string{dprk}, Request: "r1", Format: "briefing"})
}

func opened() []council.Command {
	return append(scheduled(), &council.Open{At: on("2014-12-22"), Meeting: "m1"})
}

func objected() []council.Command {
	return append(opened(), &council.Object{Meeting: "m1", By: []string{"CHN", "RUS"}})
}

func agendaAdopted() []council.Command {
	return append(opened(), &council.AdoptAgenda{Meeting: "m1"})
}

func drafted() []council.Command {
	return append(agendaAdopted(), &council.Draft{ID: "d1", By: []string{"USA", "GBR"}, Title: "Human rights in the DPRK", Meeting: "m1"})
}

func amended() []council.Command {
	return append(drafted(), &council.Amend{ID: "a1", Draft: "d1", By: []string{"FRA"}, Title: "a softer preamble"})
}

// seq joins fixtures and further commands.
func seq(base []council.Command, more ...council.Command) []council.Command {
	return append(base, more...)
}

func TestDecideEvents(t *testing.T) {
	tests := []struct {
		name  string
		setup []council.Command
		cmd   council.Command
		want  []council.Event
	}{
		{"request", nil,
			&council.Request{At: on("2014-12-05"), ID: "r1", By: "AUS", Subject: dprk, MeetingOn: date("2014-12-22")},
			[]council.Event{&council.RequestDrafted{Dated: dated("2014-12-05"), ID: "r1", By: "AUS", Subject: dprk, MeetingOn: date("2014-12-22")}}},
		{"request with its symbol", nil,
			&council.Request{At: on("2014-12-05"), ID: "r1", By: "AUS", Subject: dprk, Symbol: "S/2014/872"},
			[]council.Event{&council.RequestDrafted{Dated: dated("2014-12-05"), ID: "r1", By: "AUS", Subject: dprk, Symbol: "S/2014/872"}}},
		{"sign on the day of the step before", requested(),
			&council.Sign{Request: "r1", By: []string{"CHL", "FRA"}},
			[]council.Event{&council.RequestSigned{Dated: dated("2014-12-05"), Request: "r1", By: []string{"CHL", "FRA"}}}},
		{"sign later", requested(),
			&council.Sign{At: on("2014-12-06"), Request: "r1", By: []string{"GBR"}},
			[]council.Event{&council.RequestSigned{Dated: dated("2014-12-06"), Request: "r1", By: []string{"GBR"}}}},
		{"sign after declining", seq(requested(), &council.Decline{Request: "r1", By: "CHN"}),
			&council.Sign{Request: "r1", By: []string{"CHN"}},
			[]council.Event{&council.RequestSigned{Dated: dated("2014-12-05"), Request: "r1", By: []string{"CHN"}}}},
		{"unsign", signed(),
			&council.Unsign{Request: "r1", By: "USA"},
			[]council.Event{&council.SignatureWithdrawn{Dated: dated("2014-12-05"), Request: "r1", By: "USA"}}},
		{"decline", requested(),
			&council.Decline{At: on("2014-12-06"), Request: "r1", By: "RUS"},
			[]council.Event{&council.RequestDeclined{Dated: dated("2014-12-06"), Request: "r1", By: "RUS"}}},
		{"submit invents no symbol for the letter", signed(),
			&council.Submit{Request: "r1"},
			[]council.Event{&council.RequestSubmitted{Dated: dated("2014-12-05"), Request: "r1"}}},
		{"submit keeps a known symbol",
			[]council.Command{&council.Request{At: on("2014-12-05"), ID: "r1", By: "AUS", Subject: dprk, Symbol: "S/2014/872"}},
			&council.Submit{Request: "r1"},
			[]council.Event{&council.RequestSubmitted{Dated: dated("2014-12-05"), Request: "r1", Symbol: "S/2014/872"}}},
		{"abandon", signed(),
			&council.Abandon{Request: "r1", Reason: "eight of the nine supporters needed"},
			[]council.Event{&council.RequestAbandoned{Dated: dated("2014-12-05"), Request: "r1", Reason: "eight of the nine supporters needed"}}},
		{"abandon a submitted request", submitted(),
			&council.Abandon{Request: "r1", Reason: "dropped"},
			[]council.Event{&council.RequestAbandoned{Dated: dated("2014-12-05"), Request: "r1", Reason: "dropped"}}},
		{"schedule on a request, by the President", submitted(),
			&council.Schedule{At: on("2014-12-08"), Presiding: council.Presiding{By: "TCD"}, Meeting: "m1", On: date("2014-12-22"),
				Agenda: []string{dprk}, Request: "r1", Format: "briefing"},
			[]council.Event{&council.MeetingScheduled{Dated: dated("2014-12-08"), Meeting: "m1", On: date("2014-12-22"),
				Agenda: []string{dprk}, Request: "r1", Format: "briefing", By: "TCD"}}},
		{"schedule without a request: the President of the day acts", nil,
			&council.Schedule{At: on("2014-12-08"), Meeting: "m1", On: date("2014-12-08"), Agenda: []string{"Non-proliferation"}},
			[]council.Event{&council.MeetingScheduled{Dated: dated("2014-12-08"), Meeting: "m1", On: date("2014-12-08"), Agenda: []string{"Non-proliferation"}, By: "TCD"}}},
		{"postpone to a date", scheduled(),
			&council.Postpone{At: on("2014-12-20"), Meeting: "m1", To: date("2014-12-23"), Reason: "consultations"},
			[]council.Event{&council.MeetingPostponed{Dated: dated("2014-12-20"), Meeting: "m1", To: date("2014-12-23"), Reason: "consultations", By: "TCD"}}},
		{"postpone without date", scheduled(),
			&council.Postpone{At: on("2014-12-20"), Presiding: council.Presiding{By: "TCD"}, Meeting: "m1", Reason: "lack of support in the Council"},
			[]council.Event{&council.MeetingPostponed{Dated: dated("2014-12-20"), Meeting: "m1", Reason: "lack of support in the Council", By: "TCD"}}},
		{"cancel", scheduled(),
			&council.Cancel{Meeting: "m1", Reason: "overtaken by events"},
			[]council.Event{&council.MeetingCancelled{Dated: dated("2014-12-08"), Meeting: "m1", Reason: "overtaken by events", By: "TCD"}}},
		{"open", scheduled(),
			&council.Open{At: on("2014-12-22"), Presiding: council.Presiding{By: "TCD"}, Meeting: "m1"},
			[]council.Event{&council.MeetingOpened{Dated: dated("2014-12-22"), Meeting: "m1", Symbol: "S/PV.1", President: "TCD"}}},
		{"object", opened(),
			&council.Object{Meeting: "m1", By: []string{"CHN", "RUS"}},
			[]council.Event{&council.AgendaObjected{Dated: dated("2014-12-22"), Meeting: "m1", By: []string{"CHN", "RUS"}}}},
		{"object again by another", objected(),
			&council.Object{Meeting: "m1", By: []string{"NGA"}},
			[]council.Event{&council.AgendaObjected{Dated: dated("2014-12-22"), Meeting: "m1", By: []string{"NGA"}}}},
		{"adopt the agenda", opened(),
			&council.AdoptAgenda{Presiding: council.Presiding{By: "TCD"}, Meeting: "m1"},
			[]council.Event{&council.AgendaAdopted{Dated: dated("2014-12-22"), Meeting: "m1"}}},
		{"draft, numbered in the year's documents", agendaAdopted(),
			&council.Draft{ID: "d1", By: []string{"USA", "GBR"}, Title: "Human rights in the DPRK", Meeting: "m1"},
			[]council.Event{&council.DraftCirculated{Dated: dated("2014-12-22"), ID: "d1", Sponsors: []string{"USA", "GBR"},
				Title: "Human rights in the DPRK", Meeting: "m1", Symbol: "S/2014/1"}}},
		{"draft with its symbol and no meeting", nil,
			&council.Draft{At: on("2014-12-18"), ID: "d1", By: []string{"JOR"}, Title: "Palestine", Symbol: "S/2014/916"},
			[]council.Event{&council.DraftCirculated{Dated: dated("2014-12-18"), ID: "d1", Sponsors: []string{"JOR"},
				Title: "Palestine", Symbol: "S/2014/916"}}},
		{"cosponsor", drafted(),
			&council.Cosponsor{Draft: "d1", By: []string{"FRA", "AUS"}},
			[]council.Event{&council.DraftCosponsored{Dated: dated("2014-12-22"), Draft: "d1", By: []string{"FRA", "AUS"}}}},
		{"amend", drafted(),
			&council.Amend{ID: "a1", Draft: "d1", By: []string{"FRA"}, Title: "a softer preamble"},
			[]council.Event{&council.AmendmentProposed{Dated: dated("2014-12-22"), ID: "a1", Draft: "d1", Sponsors: []string{"FRA"},
				Title: "a softer preamble", Symbol: "S/2014/2"}}},
		{"withdraw a draft", drafted(),
			&council.Withdraw{Draft: "d1"},
			[]council.Event{&council.DraftWithdrawn{Dated: dated("2014-12-22"), Draft: "d1"}}},
		{"withdraw an amendment", amended(),
			&council.Withdraw{Draft: "a1"},
			[]council.Event{&council.DraftWithdrawn{Dated: dated("2014-12-22"), Draft: "a1"}}},
		{"statement", opened(),
			&council.Statement{Meeting: "m1", By: "USA", Text: "We regret the objection."},
			[]council.Event{&council.StatementMade{Dated: dated("2014-12-22"), Meeting: "m1", By: "USA", Text: "We regret the objection."}}},
		{"close", agendaAdopted(),
			&council.Close{Presiding: council.Presiding{By: "TCD"}, Meeting: "m1"},
			[]council.Event{&council.MeetingClosed{Dated: dated("2014-12-22"), Meeting: "m1"}}},
		{"close before the agenda", opened(),
			&council.Close{Meeting: "m1"},
			[]council.Event{&council.MeetingClosed{Dated: dated("2014-12-22"), Meeting: "m1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			MustRun(t, s, tt.setup...)
			before := snapshot(t, s)
			got, err := decideAll(s, tt.cmd)
			if err != nil {
				t.Fatalf("Decide: %v (code %s)", err, council.ErrorCode(err))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("events\n got %s\nwant %s", eventsJSON(got), eventsJSON(tt.want))
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("Decide changed the state before Apply:\nbefore %s\nafter  %s", before, after)
			}
			for _, e := range got {
				s.Apply(e)
			}
			if want := tt.want[len(tt.want)-1].EventDate(); s.Today != want {
				t.Errorf("Today = %s after Apply, want %s", s.Today, want)
			}
		})
	}
}

func TestDecideRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup []council.Command
		cmd   council.Command
		code  string
	}{
		// dates and members
		{"first step without a date", nil, &council.Request{ID: "r1", By: "AUS", Subject: dprk}, council.EINVALID},
		{"date before the body existed", nil, &council.Request{At: on("1945-10-24"), ID: "r1", By: "USA", Subject: "x"}, council.EINVALID},
		{"date beyond the roster", nil, &council.Request{At: on("2999-01-01"), ID: "r1", By: "USA", Subject: "x"}, council.ENoData},
		{"date going backwards", requested(), &council.Sign{At: on("2014-12-04"), Request: "r1", By: []string{"FRA"}}, council.EDateBackwards},
		{"a member not sitting that day (DEU in 2014)", requested(), &council.Sign{Request: "r1", By: []string{"FRA", "DEU"}}, council.ENotSitting},
		{"a member that left (DEU in 2012, asked in 2014)", nil, &council.Request{At: on("2014-12-05"), ID: "r1", By: "DEU", Subject: "x"}, council.ENotSitting},
		{"an unknown member code", requested(), &council.Sign{Request: "r1", By: []string{"XXX"}}, council.EUnknownMember},
		{"no member named", requested(), &council.Sign{Request: "r1"}, council.EINVALID},
		{"an empty member code", requested(), &council.Decline{Request: "r1"}, council.EINVALID},

		// requests
		{"request with a used id", scheduled(), &council.Request{ID: "m1", By: "AUS", Subject: "x"}, council.EDuplicateID},
		{"request twice", requested(), &council.Request{ID: "r1", By: "AUS", Subject: "x"}, council.EDuplicateID},
		{"request without subject", nil, &council.Request{At: on("2014-12-05"), ID: "r1", By: "AUS", Subject: " "}, council.EINVALID},
		{"request without id", nil, &council.Request{At: on("2014-12-05"), By: "AUS", Subject: "x"}, council.EINVALID},
		{"request for a meeting already past", nil, &council.Request{At: on("2014-12-05"), ID: "r1", By: "AUS", Subject: "x", MeetingOn: date("2014-12-04")}, council.EINVALID},
		{"sign an unknown request", requested(), &council.Sign{Request: "r9", By: []string{"FRA"}}, council.EUnknownRequest},
		{"the author signs again", requested(), &council.Sign{Request: "r1", By: []string{"AUS"}}, council.EAlreadySigned},
		{"sign twice", signed(), &council.Sign{Request: "r1", By: []string{"ARG", "GBR"}}, council.EAlreadySigned},
		{"named twice in one signing", requested(), &council.Sign{Request: "r1", By: []string{"FRA", "FRA"}}, council.EAlreadySigned},
		{"sign an abandoned request", seq(requested(), &council.Abandon{Request: "r1", Reason: "no"}), &council.Sign{Request: "r1", By: []string{"FRA"}}, council.ERequestClosed},
		{"sign a request already scheduled", scheduled(), &council.Sign{Request: "r1", By: []string{"ARG"}}, council.ERequestClosed},
		{"unsign never signed", requested(), &council.Unsign{Request: "r1", By: "FRA"}, council.ENotSigned},
		{"the author unsigns", signed(), &council.Unsign{Request: "r1", By: "AUS"}, council.EAuthor},
		{"unsign after submission", submitted(), &council.Unsign{Request: "r1", By: "FRA"}, council.ERequestClosed},
		{"unsign an unknown request", nil, &council.Unsign{At: on("2014-12-05"), Request: "r1", By: "FRA"}, council.EUnknownRequest},
		{"decline after signing", signed(), &council.Decline{Request: "r1", By: "USA"}, council.EAlreadySigned},
		{"the author declines", requested(), &council.Decline{Request: "r1", By: "AUS"}, council.EAlreadySigned},
		{"decline twice", seq(requested(), &council.Decline{Request: "r1", By: "RUS"}), &council.Decline{Request: "r1", By: "RUS"}, council.EAlreadyDeclined},
		{"submit twice", submitted(), &council.Submit{Request: "r1"}, council.ERequestClosed},
		{"submit an abandoned request", seq(signed(), &council.Abandon{Request: "r1", Reason: "no"}), &council.Submit{Request: "r1"}, council.ERequestClosed},
		{"submit an unknown request", nil, &council.Submit{At: on("2014-12-05"), Request: "r1"}, council.EUnknownRequest},
		{"abandon twice", seq(requested(), &council.Abandon{Request: "r1", Reason: "no"}), &council.Abandon{Request: "r1", Reason: "no"}, council.ERequestClosed},
		{"abandon without a reason", requested(), &council.Abandon{Request: "r1"}, council.EINVALID},

		// the programme of work
		{"schedule by a non-President", submitted(), &council.Schedule{Presiding: council.Presiding{By: "USA"}, Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk}}, council.ENotPresident},
		{"schedule by a non-member", submitted(), &council.Schedule{Presiding: council.Presiding{By: "DEU"}, Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk}}, council.ENotSitting},
		{"schedule on a request not submitted", signed(), &council.Schedule{Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk}, Request: "r1"}, council.ENotSubmitted},
		{"schedule on an unknown request", nil, &council.Schedule{At: on("2014-12-08"), Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk}, Request: "r1"}, council.EUnknownRequest},
		{"schedule on an abandoned request", seq(submitted(), &council.Abandon{Request: "r1", Reason: "no"}), &council.Schedule{Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk}, Request: "r1"}, council.ERequestClosed},
		{"schedule twice on one request", scheduled(), &council.Schedule{Meeting: "m2", On: date("2014-12-22"), Agenda: []string{dprk}, Request: "r1"}, council.ERequestClosed},
		{"schedule a used id", scheduled(), &council.Schedule{Meeting: "r1", On: date("2014-12-22"), Agenda: []string{dprk}}, council.EDuplicateID},
		{"schedule a meeting twice", scheduled(), &council.Schedule{Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk}}, council.EDuplicateID},
		{"schedule without a date", nil, &council.Schedule{At: on("2014-12-08"), Meeting: "m1", Agenda: []string{dprk}}, council.EINVALID},
		{"schedule in the past", nil, &council.Schedule{At: on("2014-12-08"), Meeting: "m1", On: date("2014-12-07"), Agenda: []string{dprk}}, council.EINVALID},
		{"schedule without an agenda", nil, &council.Schedule{At: on("2014-12-08"), Meeting: "m1", On: date("2014-12-22")}, council.EINVALID},
		{"schedule with an empty agenda item", nil, &council.Schedule{At: on("2014-12-08"), Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk, ""}}, council.EINVALID},
		{"postpone by a non-President", scheduled(), &council.Postpone{Presiding: council.Presiding{By: "RUS"}, Meeting: "m1", Reason: "x"}, council.ENotPresident},
		{"postpone an unknown meeting", scheduled(), &council.Postpone{Meeting: "m9", Reason: "x"}, council.EUnknownMeeting},
		{"postpone without a reason", scheduled(), &council.Postpone{Meeting: "m1"}, council.EINVALID},
		{"postpone to a day past", scheduled(), &council.Postpone{Meeting: "m1", To: date("2014-12-07"), Reason: "x"}, council.EINVALID},
		{"postpone an open meeting", opened(), &council.Postpone{Meeting: "m1", Reason: "x"}, council.EMeetingStatus},
		{"cancel by a non-President", scheduled(), &council.Cancel{Presiding: council.Presiding{By: "CHN"}, Meeting: "m1", Reason: "x"}, council.ENotPresident},
		{"cancel twice", seq(scheduled(), &council.Cancel{Meeting: "m1", Reason: "x"}), &council.Cancel{Meeting: "m1", Reason: "x"}, council.EMeetingStatus},
		{"cancel without a reason", scheduled(), &council.Cancel{Meeting: "m1"}, council.EINVALID},
		{"cancel an unknown meeting", nil, &council.Cancel{At: on("2014-12-08"), Meeting: "m1", Reason: "x"}, council.EUnknownMeeting},

		// meetings and the agenda
		{"open an unknown meeting", scheduled(), &council.Open{At: on("2014-12-22"), Meeting: "m9"}, council.EUnknownMeeting},
		{"open on another day", scheduled(), &council.Open{At: on("2014-12-20"), Meeting: "m1"}, council.EWrongDay},
		{"open on the old day after postponement", seq(scheduled(), &council.Postpone{At: on("2014-12-20"), Meeting: "m1", To: date("2014-12-23"), Reason: "x"}),
			&council.Open{At: on("2014-12-22"), Meeting: "m1"}, council.EWrongDay},
		{"open by a non-President", scheduled(), &council.Open{At: on("2014-12-22"), Presiding: council.Presiding{By: "USA"}, Meeting: "m1"}, council.ENotPresident},
		{"open a cancelled meeting", seq(scheduled(), &council.Cancel{Meeting: "m1", Reason: "x"}), &council.Open{At: on("2014-12-22"), Meeting: "m1"}, council.EMeetingStatus},
		{"open twice", opened(), &council.Open{Meeting: "m1"}, council.EMeetingStatus},
		{"open a held meeting", seq(opened(), &council.Close{Meeting: "m1"}), &council.Open{Meeting: "m1"}, council.EMeetingStatus},
		{"open a meeting postponed without date", seq(scheduled(), &council.Postpone{At: on("2014-12-20"), Meeting: "m1", Reason: "lack of support"}),
			&council.Open{At: on("2014-12-22"), Meeting: "m1"}, council.EMeetingStatus},
		{"object before the meeting opens", scheduled(), &council.Object{Meeting: "m1", By: []string{"CHN"}}, council.EMeetingStatus},
		{"object at an unknown meeting", opened(), &council.Object{Meeting: "m9", By: []string{"CHN"}}, council.EUnknownMeeting},
		{"object twice", objected(), &council.Object{Meeting: "m1", By: []string{"NGA", "RUS"}}, council.EAlreadyObjected},
		{"object twice in one step", opened(), &council.Object{Meeting: "m1", By: []string{"RUS", "RUS"}}, council.EAlreadyObjected},
		{"object after adoption", agendaAdopted(), &council.Object{Meeting: "m1", By: []string{"CHN"}}, council.EAgendaAdopted},
		{"object by a non-member", opened(), &council.Object{Meeting: "m1", By: []string{"PRK"}}, council.ENotSitting},
		{"adopt the agenda after an objection", objected(), &council.AdoptAgenda{Meeting: "m1"}, council.EObjection},
		{"adopt the agenda twice", agendaAdopted(), &council.AdoptAgenda{Meeting: "m1"}, council.EAgendaAdopted},
		{"adopt the agenda by a non-President", opened(), &council.AdoptAgenda{Presiding: council.Presiding{By: "GBR"}, Meeting: "m1"}, council.ENotPresident},
		{"adopt the agenda before opening", scheduled(), &council.AdoptAgenda{Meeting: "m1"}, council.EMeetingStatus},
		{"adopt an agenda rejected", seq(objected(), &council.Vote{Meeting: "m1", On: "agenda", Yes: []string{"AUS"}, Rest: "no"}),
			&council.AdoptAgenda{Meeting: "m1"}, council.EMeetingStatus},
		{"statement at a meeting not open", scheduled(), &council.Statement{Meeting: "m1", By: "USA"}, council.EMeetingStatus},
		{"statement by a non-member", opened(), &council.Statement{Meeting: "m1", By: "PRK"}, council.ENotSitting},
		{"close twice", seq(opened(), &council.Close{Meeting: "m1"}), &council.Close{Meeting: "m1"}, council.EMeetingStatus},
		{"close by a non-President", opened(), &council.Close{Presiding: council.Presiding{By: "AUS"}, Meeting: "m1"}, council.ENotPresident},
		{"close an unknown meeting", opened(), &council.Close{Meeting: "m9"}, council.EUnknownMeeting},

		// drafts and amendments
		{"draft with a used id", drafted(), &council.Draft{ID: "m1", By: []string{"USA"}, Title: "x"}, council.EDuplicateID},
		{"draft twice", drafted(), &council.Draft{ID: "d1", By: []string{"USA"}, Title: "x"}, council.EDuplicateID},
		{"draft for an unknown meeting", agendaAdopted(), &council.Draft{ID: "d1", By: []string{"USA"}, Title: "x", Meeting: "m9"}, council.EUnknownMeeting},
		{"draft without a title", agendaAdopted(), &council.Draft{ID: "d1", By: []string{"USA"}}, council.EINVALID},
		{"draft without sponsors", agendaAdopted(), &council.Draft{ID: "d1", Title: "x"}, council.EINVALID},
		{"draft sponsored twice by one", agendaAdopted(), &council.Draft{ID: "d1", By: []string{"USA", "USA"}, Title: "x"}, council.EAlreadySponsor},
		{"cosponsor an unknown draft", drafted(), &council.Cosponsor{Draft: "d9", By: []string{"FRA"}}, council.EUnknownDraft},
		{"cosponsor twice", drafted(), &council.Cosponsor{Draft: "d1", By: []string{"GBR"}}, council.EAlreadySponsor},
		{"cosponsor a withdrawn draft", seq(drafted(), &council.Withdraw{Draft: "d1"}), &council.Cosponsor{Draft: "d1", By: []string{"FRA"}}, council.EDraftClosed},
		{"amend an unknown draft", drafted(), &council.Amend{ID: "a1", Draft: "d9", By: []string{"FRA"}}, council.EUnknownDraft},
		{"amend an amendment", amended(), &council.Amend{ID: "a2", Draft: "a1", By: []string{"FRA"}}, council.EUnknownDraft},
		{"amend with a used id", amended(), &council.Amend{ID: "d1", Draft: "d1", By: []string{"FRA"}}, council.EDuplicateID},
		{"amend a withdrawn draft", seq(drafted(), &council.Withdraw{Draft: "d1"}), &council.Amend{ID: "a1", Draft: "d1", By: []string{"FRA"}}, council.EDraftClosed},
		{"withdraw an unknown draft", drafted(), &council.Withdraw{Draft: "d9"}, council.EUnknownDraft},
		{"withdraw twice", seq(drafted(), &council.Withdraw{Draft: "d1"}), &council.Withdraw{Draft: "d1"}, council.EDraftClosed},
		{"withdraw after the vote (Rule 35)", seq(drafted(), &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"}), &council.Withdraw{Draft: "d1"}, council.EDraftClosed},

		// votes
		{"vote at an unknown meeting", drafted(), &council.Vote{Meeting: "m9", On: "d1", Rest: "yes"}, council.EUnknownMeeting},
		{"vote at a meeting not open", scheduled(), &council.Vote{Meeting: "m1", On: "agenda", Rest: "yes"}, council.EMeetingStatus},
		{"vote on nothing", drafted(), &council.Vote{Meeting: "m1", Rest: "yes"}, council.EINVALID},
		{"vote on an unknown draft", drafted(), &council.Vote{Meeting: "m1", On: "d9", Rest: "yes"}, council.EUnknownDraft},
		{"vote on a draft before the agenda is adopted", seq(opened(), &council.Draft{ID: "d1", By: []string{"USA"}, Title: "x"}),
			&council.Vote{Meeting: "m1", On: "d1", Rest: "yes"}, council.EAgendaPending},
		{"vote on the agenda once adopted", agendaAdopted(), &council.Vote{Meeting: "m1", On: "agenda", Rest: "yes"}, council.EAgendaAdopted},
		{"vote on the agenda once adopted by a vote", seq(objected(), &council.Vote{Meeting: "m1", On: "agenda", No: []string{"CHN", "RUS"}, Rest: "yes"}),
			&council.Vote{Meeting: "m1", On: "agenda", Rest: "yes"}, council.EAgendaAdopted},
		{"vote twice on a draft", seq(drafted(), &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"}), &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"}, council.EDraftClosed},
		{"vote on a withdrawn draft", seq(drafted(), &council.Withdraw{Draft: "d1"}), &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"}, council.EDraftClosed},
		{"vote on the draft before its amendment (Rule 36)", amended(), &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"}, council.EAmendmentsFirst},
		{"vote with a used id", drafted(), &council.Vote{ID: "d1", Meeting: "m1", On: "d1", Rest: "yes"}, council.EDuplicateID},
		{"listed twice", drafted(), &council.Vote{Meeting: "m1", On: "d1", Yes: []string{"USA"}, No: []string{"USA"}, Rest: "abstain"}, council.EListedTwice},
		{"listed twice in one list", drafted(), &council.Vote{Meeting: "m1", On: "d1", Yes: []string{"USA", "USA"}}, council.EListedTwice},
		{"a party votes yes (Art. 27(3))", drafted(), &council.Vote{Meeting: "m1", On: "d1", Parties: []string{"GBR"}, Yes: []string{"GBR"}, Rest: "yes"}, council.EPartyMustAbstain},
		{"a party votes no (Art. 27(3))", drafted(), &council.Vote{Meeting: "m1", On: "d1", Parties: []string{"RUS"}, No: []string{"RUS"}, Rest: "yes"}, council.EPartyMustAbstain},
		{"an unknown matter", drafted(), &council.Vote{Meeting: "m1", On: "d1", Matter: "budgetary", Rest: "yes"}, council.EUnknownMatter},
		{"a ballot by a non-member", drafted(), &council.Vote{Meeting: "m1", On: "d1", No: []string{"DEU"}, Rest: "yes"}, council.ENotSitting},
		{"a ballot by an unknown code", drafted(), &council.Vote{Meeting: "m1", On: "d1", No: []string{"ZZZ"}, Rest: "yes"}, council.EUnknownMember},
		{"rest that is not a ballot", drafted(), &council.Vote{Meeting: "m1", On: "d1", Rest: "maybe"}, council.EINVALID},

		// presidential statements
		{"prst before the agenda is adopted", opened(), &council.PRST{Meeting: "m1", Text: "x"}, council.EAgendaPending},
		{"prst at a meeting not open", scheduled(), &council.PRST{Meeting: "m1", Text: "x"}, council.EMeetingStatus},
		{"prst by a non-President", agendaAdopted(), &council.PRST{Presiding: council.Presiding{By: "USA"}, Meeting: "m1"}, council.ENotPresident},
		{"prst with an objection by a non-member", agendaAdopted(), &council.PRST{Meeting: "m1", Objections: []string{"DEU"}}, council.ENotSitting},
		{"prst with one objection twice", agendaAdopted(), &council.PRST{Meeting: "m1", Objections: []string{"RUS", "RUS"}}, council.EAlreadyObjected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			MustRun(t, s, tt.setup...)
			MustRefuse(t, s, tt.cmd, tt.code)
		})
	}
}

// TestDecideRefusalMessage checks that a refusal says what is wrong in words a chair can act on.
func TestDecideRefusalMessage(t *testing.T) {
	tests := []struct {
		setup []council.Command
		cmd   council.Command
		code  string
		want  string
	}{
		{signed(), &council.Sign{Request: "r1", By: []string{"GBR"}}, council.EAlreadySigned, "GBR has already signed request r1"},
		{requested(), &council.Sign{Request: "r1", By: []string{"DEU"}}, council.ENotSitting, "DEU does not sit on the unsc on 2014-12-05"},
		{submitted(), &council.Schedule{Presiding: council.Presiding{By: "USA"}, Meeting: "m1", On: date("2014-12-22"), Agenda: []string{dprk}},
			council.ENotPresident, "USA is not the President on 2014-12-05; TCD is"},
		{scheduled(), &council.Open{At: on("2014-12-20"), Meeting: "m1"}, council.EWrongDay, "meeting m1 is set for 2014-12-22, not 2014-12-20"},
		{objected(), &council.AdoptAgenda{Meeting: "m1"}, council.EObjection, "CHN, RUS objected to the agenda of meeting m1"},
		{amended(), &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"}, council.EAmendmentsFirst, "amendment a1 to d1 has not been voted on"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			s := MustState(t)
			MustRun(t, s, tt.setup...)
			e := MustRefuse(t, s, tt.cmd, tt.code)
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("message %q, want it to say %q", e.Message, tt.want)
			}
		})
	}
}

// voteOn runs the fixture and one vote, returning the state and the vote's event.
func voteOn(t *testing.T, s *council.State, setup []council.Command, v *council.Vote) *council.VoteTaken {
	t.Helper()
	MustRun(t, s, setup...)
	evs := MustRun(t, s, v)
	if len(evs) != 1 {
		t.Fatalf("vote produced %d events, want 1: %s", len(evs), eventsJSON(evs))
	}
	e, ok := evs[0].(*council.VoteTaken)
	if !ok {
		t.Fatalf("vote produced %T, want *council.VoteTaken", evs[0])
	}
	return e
}

func TestVotes(t *testing.T) {
	tests := []struct {
		name     string
		setup    []council.Command
		vote     *council.Vote
		matter   string
		counts   council.Counts
		needed   int
		adopted  bool
		vetoedBy []string
		symbol   string
		on       string // the id voted on
		status   string // the draft's or the meeting's status after the vote
	}{
		{name: "the agenda adopted by a procedural vote over two negative votes of permanent members (2014, 11-2-2)",
			setup: objected(), vote: &council.Vote{ID: "agenda-2014", Meeting: "m1", On: "agenda", No: []string{"CHN", "RUS"}, Abstain: []string{"TCD", "NGA"}, Rest: "yes"},
			matter: "procedural", counts: council.Counts{Yes: 11, No: 2, Abstain: 2}, needed: 9, adopted: true, vetoedBy: []string{},
			on: "m1", status: council.StatusOpen},
		{name: "the agenda rejected with 8 in favour (2018)",
			setup: objected(), vote: &council.Vote{Meeting: "m1", On: "agenda", Yes: []string{"AUS", "CHL", "FRA", "JOR", "LTU", "LUX", "GBR", "USA"},
				No: []string{"CHN", "RUS"}, Rest: "abstain"},
			matter: "procedural", counts: council.Counts{Yes: 8, No: 2, Abstain: 5}, needed: 9, adopted: false, vetoedBy: []string{},
			on: "m1", status: council.StatusAgendaRejected},
		{name: "a draft adopted unanimously",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"},
			matter: "substantive", counts: council.Counts{Yes: 15}, needed: 9, adopted: true, vetoedBy: []string{},
			symbol: "S/RES/1 (2014)", on: "d1", status: council.StatusAdopted},
		{name: "a draft adopted with a permanent member abstaining",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", Abstain: []string{"CHN"}, Absent: []string{"RUS"}, Rest: "yes"},
			matter: "substantive", counts: council.Counts{Yes: 13, Abstain: 1, Absent: 1}, needed: 9, adopted: true, vetoedBy: []string{},
			symbol: "S/RES/1 (2014)", on: "d1", status: council.StatusAdopted},
		{name: "a draft vetoed",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", No: []string{"RUS"}, Abstain: []string{"CHN"}, Rest: "yes"},
			matter: "substantive", counts: council.Counts{Yes: 13, No: 1, Abstain: 1}, needed: 9, adopted: false, vetoedBy: []string{"RUS"},
			on: "d1", status: council.StatusVetoed},
		{name: "a draft vetoed by two",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", No: []string{"CHN", "RUS"}, Rest: "yes"},
			matter: "substantive", counts: council.Counts{Yes: 13, No: 2}, needed: 9, adopted: false, vetoedBy: []string{"CHN", "RUS"},
			on: "d1", status: council.StatusVetoed},
		{name: "a draft without the votes is not vetoed, whatever the permanent members did",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", Yes: []string{"USA", "GBR", "FRA", "AUS", "LTU", "LUX", "CHL", "KOR"}, No: []string{"RUS", "CHN"}, Rest: "abstain"},
			matter: "substantive", counts: council.Counts{Yes: 8, No: 2, Abstain: 5}, needed: 9, adopted: false, vetoedBy: []string{},
			on: "d1", status: council.StatusFailed},
		{name: "a draft voted as procedural is not vetoed",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", Matter: "procedural", No: []string{"RUS"}, Rest: "yes"},
			matter: "procedural", counts: council.Counts{Yes: 14, No: 1}, needed: 9, adopted: true, vetoedBy: []string{},
			symbol: "S/RES/1 (2014)", on: "d1", status: council.StatusAdopted},
		{name: "an amendment adopted takes no resolution number",
			setup: amended(), vote: &council.Vote{Meeting: "m1", On: "a1", Rest: "yes"},
			matter: "substantive", counts: council.Counts{Yes: 15}, needed: 9, adopted: true, vetoedBy: []string{},
			on: "a1", status: council.StatusAdopted},
		{name: "an amendment vetoed",
			setup: amended(), vote: &council.Vote{Meeting: "m1", On: "a1", No: []string{"USA"}, Rest: "yes"},
			matter: "substantive", counts: council.Counts{Yes: 14, No: 1}, needed: 9, adopted: false, vetoedBy: []string{"USA"},
			on: "a1", status: council.StatusVetoed},
		{name: "parties to a dispute listed as abstaining do not participate (Art. 27(3))",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", Parties: []string{"GBR", "ARG"}, Abstain: []string{"GBR"}, Rest: "yes"},
			matter: "substantive", counts: council.Counts{Yes: 13, NotParticipating: 2}, needed: 9, adopted: true, vetoedBy: []string{},
			symbol: "S/RES/1 (2014)", on: "d1", status: council.StatusAdopted},
		{name: "members listed nowhere are absent",
			setup: drafted(), vote: &council.Vote{Meeting: "m1", On: "d1", Yes: []string{"USA", "GBR", "FRA", "AUS", "LTU", "LUX", "CHL", "KOR", "JOR"}},
			matter: "substantive", counts: council.Counts{Yes: 9, Absent: 6}, needed: 9, adopted: true, vetoedBy: []string{},
			symbol: "S/RES/1 (2014)", on: "d1", status: council.StatusAdopted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			v := voteOn(t, s, tt.setup, tt.vote)
			if v.Matter != tt.matter || v.Counts != tt.counts || v.Needed != tt.needed || v.Adopted != tt.adopted {
				t.Errorf("matter %s counts %+v needed %d adopted %v; want %s %+v %d %v (reason %q)",
					v.Matter, v.Counts, v.Needed, v.Adopted, tt.matter, tt.counts, tt.needed, tt.adopted, v.Reason)
			}
			if !reflect.DeepEqual(v.VetoedBy, tt.vetoedBy) {
				t.Errorf("vetoed_by %q, want %q", v.VetoedBy, tt.vetoedBy)
			}
			if v.Symbol != tt.symbol {
				t.Errorf("symbol %q, want %q", v.Symbol, tt.symbol)
			}
			if n := len(v.Yes) + len(v.No) + len(v.Abstain) + len(v.Absent) + len(v.NotParticipating); n != 15 {
				t.Errorf("%d ballots, want one for each of the 15 members", n)
			}
			if v.Reason == "" {
				t.Error("the vote gives no reason")
			}
			if tt.vote.ID != "" && v.ID != tt.vote.ID {
				t.Errorf("id %q, want %q", v.ID, tt.vote.ID)
			}
			if s.VoteByID(v.ID) != v {
				t.Errorf("the vote %q is not in the state", v.ID)
			}
			if tt.vote.On == "agenda" {
				m := s.Meeting(tt.on)
				if m.Status != tt.status || m.AgendaAdopted != tt.adopted {
					t.Errorf("meeting %s status %s agenda adopted %v, want %s %v", m.ID, m.Status, m.AgendaAdopted, tt.status, tt.adopted)
				}
				return
			}
			x := s.DraftByID(tt.on)
			if x.Status != tt.status || x.Resolution != tt.symbol || x.Vote != v.ID {
				t.Errorf("draft %s status %s resolution %q vote %q, want %s %q %q", x.ID, x.Status, x.Resolution, x.Vote, tt.status, tt.symbol, v.ID)
			}
		})
	}
}

func TestVoteDecisive(t *testing.T) {
	s := MustState(t)
	// 9 in favour exactly: each of the nine is decisive; a permanent member's no would veto, so the
	// permanent members abstaining are decisive too.
	v := voteOn(t, s, drafted(), &council.Vote{Meeting: "m1", On: "d1",
		Yes: []string{"USA", "GBR", "FRA", "AUS", "LTU", "LUX", "CHL", "KOR", "JOR"}, Abstain: []string{"CHN", "RUS"}, Rest: "absent"})
	if !v.Adopted {
		t.Fatalf("not adopted: %s", v.Reason)
	}
	for _, m := range []string{"USA", "JOR", "CHN", "RUS"} {
		if !slices.Contains(v.Decisive, m) {
			t.Errorf("decisive %q, want it to include %s", v.Decisive, m)
		}
	}
	for _, m := range []string{"ARG", "NGA"} {
		if slices.Contains(v.Decisive, m) {
			t.Errorf("decisive %q: %s, absent, could not change the result alone", v.Decisive, m)
		}
	}
}

// A failed agenda vote ends the meeting there: nothing else is taken up.
func TestAgendaRejectedEndsMeeting(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, seq(objected(), &council.Vote{Meeting: "m1", On: "agenda", Yes: []string{"AUS", "FRA", "GBR", "USA"}, Rest: "no"})...)
	if st := s.Meeting("m1").Status; st != council.StatusAgendaRejected {
		t.Fatalf("status %s, want %s", st, council.StatusAgendaRejected)
	}
	rec := s.Record("")
	if rec.Meetings[0].Status != "agenda-rejected" || rec.Meetings[0].AgendaAdopted {
		t.Errorf("record meeting %+v, want agenda-rejected and not adopted", rec.Meetings[0])
	}
	if rec.Votes[0].Result != "failed" || rec.Votes[0].Matter != "procedural" {
		t.Errorf("record vote %+v, want a failed procedural vote", rec.Votes[0])
	}
	MustRefuse(t, s, &council.Statement{Meeting: "m1", By: "USA"}, council.EMeetingStatus)
	MustRefuse(t, s, &council.Vote{Meeting: "m1", On: "agenda", Rest: "yes"}, council.EMeetingStatus)
	MustRefuse(t, s, &council.Close{Meeting: "m1"}, council.EMeetingStatus)
}

// Resolutions are numbered in sequence across years: S/RES/N (YEAR), then S/RES/N+1 (YEAR+1).
func TestResolutionNumbering(t *testing.T) {
	s := MustState(t, numbering(7353, 2202))
	first := voteOn(t, s, drafted(), &council.Vote{Meeting: "m1", On: "d1", Rest: "yes"})
	if first.Symbol != "S/RES/2202 (2014)" {
		t.Errorf("December 2014: %q, want S/RES/2202 (2014)", first.Symbol)
	}
	// a failed draft takes no number
	MustRun(t, s, &council.Draft{ID: "d2", By: []string{"JOR"}, Title: "Palestine", Meeting: "m1"})
	failed := voteOn(t, s, nil, &council.Vote{Meeting: "m1", On: "d2", Yes: []string{"JOR"}, No: []string{"USA", "AUS"}, Rest: "abstain"})
	if failed.Adopted || failed.Symbol != "" {
		t.Errorf("a failed draft got adopted %v symbol %q", failed.Adopted, failed.Symbol)
	}
	MustRun(t, s, &council.Close{Meeting: "m1"},
		// January 2015: Chile presides over the new members
		&council.Schedule{At: on("2015-01-05"), Presiding: council.Presiding{By: "CHL"}, Meeting: "m2", On: date("2015-01-06"), Agenda: []string{"Non-proliferation"}},
		&council.Open{At: on("2015-01-06"), Meeting: "m2"},
		&council.AdoptAgenda{Meeting: "m2"},
		&council.Draft{ID: "d3", By: []string{"NZL", "ESP"}, Title: "Non-proliferation", Meeting: "m2"})
	next := voteOn(t, s, nil, &council.Vote{Meeting: "m2", On: "d3", Rest: "yes"})
	if next.Symbol != "S/RES/2203 (2015)" {
		t.Errorf("January 2015: %q, want S/RES/2203 (2015)", next.Symbol)
	}
	if got := s.DraftByID("d1").Resolution; got != "S/RES/2202 (2014)" {
		t.Errorf("d1 resolution %q", got)
	}
	if got := s.DraftByID("d3").Resolution; got != "S/RES/2203 (2015)" {
		t.Errorf("d3 resolution %q", got)
	}
	if got := s.Meeting("m2").Symbol; got != "S/PV.7354" {
		t.Errorf("the second meeting's record %q, want S/PV.7354", got)
	}
	// the documents of 2015 start again at 1
	if got := s.DraftByID("d3").Symbol; got != "S/2015/1" {
		t.Errorf("d3 symbol %q, want S/2015/1", got)
	}
}

func TestPresidentialStatements(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, agendaAdopted()...)
	blocked := MustRun(t, s, &council.PRST{Meeting: "m1", Text: "The Council condemns ...", Objections: []string{"RUS"}})
	p := blocked[0].(*council.PresidentialStatement)
	if p.Issued || p.Symbol != "" {
		t.Errorf("with one objection: issued %v symbol %q, want not issued", p.Issued, p.Symbol)
	}
	if !reflect.DeepEqual(p.Decisive, []string{"RUS"}) {
		t.Errorf("decisive %q, want the objector alone [RUS]", p.Decisive)
	}
	if !reflect.DeepEqual(p.Objections, []string{"RUS"}) {
		t.Errorf("objections %q", p.Objections)
	}
	if !strings.HasPrefix(p.Reason, "not issued") {
		t.Errorf("reason %q, want it to start with \"not issued\"", p.Reason)
	}
	issued := MustRun(t, s, &council.PRST{Presiding: council.Presiding{By: "TCD"}, Meeting: "m1", Text: "The Council welcomes ..."})
	p = issued[0].(*council.PresidentialStatement)
	if !p.Issued || p.Symbol != "S/PRST/2014/1" {
		t.Errorf("without objection: issued %v symbol %q, want S/PRST/2014/1", p.Issued, p.Symbol)
	}
	if !strings.HasPrefix(p.Reason, "issued") || p.Objections == nil {
		t.Errorf("reason %q objections %v", p.Reason, p.Objections)
	}
	again := MustRun(t, s, &council.PRST{Meeting: "m1"})
	if p := again[0].(*council.PresidentialStatement); p.Symbol != "S/PRST/2014/2" {
		t.Errorf("the second statement %q, want S/PRST/2014/2", p.Symbol)
	}
	rec := s.Record("")
	if len(rec.Statements) != 3 || rec.Statements[0].Issued || !rec.Statements[1].Issued {
		t.Errorf("record statements %+v", rec.Statements)
	}
}

func TestPostponement(t *testing.T) {
	t.Run("to a date, then open on the new date", func(t *testing.T) {
		s := MustState(t)
		MustRun(t, s, scheduled()...)
		MustRun(t, s, &council.Postpone{At: on("2014-12-20"), Meeting: "m1", To: date("2014-12-29"), Reason: "consultations"})
		m := s.Meeting("m1")
		if m.Status != council.StatusPostponed || m.On != date("2014-12-29") || len(m.Changes) != 1 || m.Changes[0].From != date("2014-12-22") {
			t.Errorf("after postponing: status %s on %s changes %+v", m.Status, m.On, m.Changes)
		}
		MustRefuse(t, s, &council.Open{At: on("2014-12-22"), Meeting: "m1"}, council.EWrongDay)
		evs := MustRun(t, s, &council.Open{At: on("2014-12-29"), Meeting: "m1"})
		want := &council.MeetingOpened{Dated: dated("2014-12-29"), Meeting: "m1", Symbol: "S/PV.1", President: "TCD"}
		if !reflect.DeepEqual(evs[0], want) {
			t.Errorf("open: %s", eventsJSON(evs))
		}
	})
	t.Run("into the next month, the new month's President", func(t *testing.T) {
		s := MustState(t)
		MustRun(t, s, scheduled()...)
		MustRun(t, s, &council.Postpone{At: on("2014-12-20"), Meeting: "m1", To: date("2015-01-06"), Reason: "holidays"})
		if got := s.Record("").Meetings[0].President; got == nil || *got != "CHL" {
			t.Errorf("record president %v, want CHL (January 2015)", got)
		}
		evs := MustRun(t, s, &council.Open{At: on("2015-01-06"), Meeting: "m1"})
		if got := evs[0].(*council.MeetingOpened).President; got != "CHL" {
			t.Errorf("opened under %q, want CHL", got)
		}
	})
	t.Run("without date cannot be opened until given one", func(t *testing.T) {
		s := MustState(t)
		MustRun(t, s, scheduled()...)
		MustRun(t, s, &council.Postpone{At: on("2014-12-20"), Meeting: "m1", Reason: "lack of support in the Council"})
		m := s.Meeting("m1")
		if m.Status != council.StatusPostponed || m.On != 0 {
			t.Errorf("after postponing without date: status %s on %s", m.Status, m.On)
		}
		MustRefuse(t, s, &council.Open{At: on("2014-12-22"), Meeting: "m1"}, council.EMeetingStatus)
		MustRun(t, s, &council.Postpone{At: on("2014-12-22"), Meeting: "m1", To: date("2014-12-30"), Reason: "support found"})
		MustRun(t, s, &council.Open{At: on("2014-12-30"), Meeting: "m1"})
		if st := s.Meeting("m1").Status; st != council.StatusOpen {
			t.Errorf("status %s, want open", st)
		}
	})
	t.Run("cancelled after postponement", func(t *testing.T) {
		s := MustState(t)
		MustRun(t, s, scheduled()...)
		MustRun(t, s, &council.Postpone{At: on("2014-12-20"), Meeting: "m1", Reason: "x"},
			&council.Cancel{Meeting: "m1", Reason: "dropped"})
		m := s.Meeting("m1")
		if m.Status != council.StatusCancelled || len(m.Changes) != 2 {
			t.Errorf("status %s changes %+v", m.Status, m.Changes)
		}
	})
}

// June 1950: the Council had 11 members and needed 7 votes. S/RES/83 (Korea) was adopted 7-1-0 with the
// USSR absent, and the absence of a permanent member was not a veto. Egypt and India did not vote.
func TestEleven1950(t *testing.T) {
	setup := func() []council.Command {
		return []council.Command{
			&council.Schedule{At: on("1950-06-27"), Meeting: "m474", On: date("1950-06-27"), Agenda: []string{"Complaint of aggression upon the Republic of Korea"}},
			&council.Open{Meeting: "m474"},
			&council.AdoptAgenda{Meeting: "m474"},
			&council.Draft{ID: "d83", By: []string{"USA"}, Title: "Korea", Meeting: "m474", Symbol: "S/1511"},
		}
	}
	yes := []string{"USA", "GBR", "FRA", "CHN", "CUB", "ECU", "NOR"}
	tests := []struct {
		name     string
		vote     *council.Vote
		counts   council.Counts
		adopted  bool
		vetoedBy []string
		symbol   string
	}{
		{"S/RES/83: 7-1-0, the USSR absent",
			&council.Vote{Meeting: "m474", On: "d83", Yes: yes, No: []string{"YUG"}, Absent: []string{"SUN", "EGY", "IND"}},
			council.Counts{Yes: 7, No: 1, Absent: 3}, true, []string{}, "S/RES/83 (1950)"},
		{"the same with the USSR listed nowhere",
			&council.Vote{Meeting: "m474", On: "d83", Yes: yes, No: []string{"YUG"}},
			council.Counts{Yes: 7, No: 1, Absent: 3}, true, []string{}, "S/RES/83 (1950)"},
		{"what if the USSR had voted against",
			&council.Vote{Meeting: "m474", On: "d83", Yes: yes, No: []string{"YUG", "SUN"}, Absent: []string{"EGY", "IND"}},
			council.Counts{Yes: 7, No: 2, Absent: 2}, false, []string{"SUN"}, ""},
		{"six in favour are not enough",
			&council.Vote{Meeting: "m474", On: "d83", Yes: yes[:6], No: []string{"YUG"}, Absent: []string{"SUN", "EGY", "IND", "NOR"}},
			council.Counts{Yes: 6, No: 1, Absent: 4}, false, []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t, numbering(474, 83))
			v := voteOn(t, s, setup(), tt.vote)
			if v.Needed != 7 || v.Counts != tt.counts || v.Adopted != tt.adopted || v.Matter != "substantive" {
				t.Errorf("needed %d counts %+v adopted %v matter %s; want 7 %+v %v substantive (%s)", v.Needed, v.Counts, v.Adopted, v.Matter, tt.counts, tt.adopted, v.Reason)
			}
			if !reflect.DeepEqual(v.VetoedBy, tt.vetoedBy) || v.Symbol != tt.symbol {
				t.Errorf("vetoed_by %q symbol %q, want %q %q", v.VetoedBy, v.Symbol, tt.vetoedBy, tt.symbol)
			}
			if len(v.Yes)+len(v.No)+len(v.Abstain)+len(v.Absent) != 11 {
				t.Errorf("ballots of %d members, want 11", len(v.Yes)+len(v.No)+len(v.Abstain)+len(v.Absent))
			}
			if got := s.Meeting("m474").Symbol; got != "S/PV.474" {
				t.Errorf("meeting record %q, want S/PV.474", got)
			}
			if got := s.Record("").Meetings[0].President; got == nil || *got != "IND" {
				t.Errorf("President %v, want IND (June 1950)", got)
			}
		})
	}
	t.Run("procedural: 7 of 11", func(t *testing.T) {
		s := MustState(t)
		MustRun(t, s, setup()[:2]...)
		MustRun(t, s, &council.Object{Meeting: "m474", By: []string{"SUN"}})
		v := voteOn(t, s, nil, &council.Vote{Meeting: "m474", On: "agenda", Yes: yes, No: []string{"SUN"}, Rest: "abstain"})
		if !v.Adopted || v.Needed != 7 || len(v.VetoedBy) != 0 {
			t.Errorf("adopted %v needed %d vetoed_by %q (%s)", v.Adopted, v.Needed, v.VetoedBy, v.Reason)
		}
	})
	t.Run("members of 2014 did not sit in 1950", func(t *testing.T) {
		s := MustState(t)
		MustRun(t, s, setup()...)
		MustRefuse(t, s, &council.Vote{Meeting: "m474", On: "d83", Yes: []string{"RUS"}}, council.ENotSitting)
	})
}

// The record a replay prints counts a request's support against the procedural threshold.
func TestRequestSupport(t *testing.T) {
	s := MustState(t)
	MustRun(t, s,
		&council.Request{At: on("2019-12-02"), ID: "dprk-hr", By: "FRA", Subject: "The situation in the DPRK", MeetingOn: date("2019-12-10")},
		&council.Sign{Request: "dprk-hr", By: []string{"GBR", "DEU", "BEL", "DOM", "KWT", "PER", "POL"}},
		&council.Decline{At: on("2019-12-06"), Request: "dprk-hr", By: "USA"})
	r := s.Record("").Requests[0]
	if r.Support != 8 || r.Needed != 9 || r.Missing != 1 || r.Status != "drafted" {
		t.Errorf("support %d needed %d missing %d status %s, want 8 9 1 drafted", r.Support, r.Needed, r.Missing, r.Status)
	}
	if !reflect.DeepEqual(r.Declined, []string{"USA"}) {
		t.Errorf("declined %q", r.Declined)
	}
	if len(r.Undecided) != 15-8-1 || slices.Contains(r.Undecided, "USA") || slices.Contains(r.Undecided, "FRA") {
		t.Errorf("undecided %q", r.Undecided)
	}
	if len(r.Decisive) != 15-8 || !slices.Contains(r.Decisive, "USA") {
		t.Errorf("decisive %q, want the seven who have not signed", r.Decisive)
	}
	MustRun(t, s, &council.Unsign{Request: "dprk-hr", By: "DEU"})
	r = s.Record("").Requests[0]
	if r.Missing != 2 || len(r.Decisive) != 0 {
		t.Errorf("two missing: missing %d decisive %q, want 2 and none", r.Missing, r.Decisive)
	}
}

// Decide takes a command's zero day as the day of the step before, and Apply moves the day on.
func TestToday(t *testing.T) {
	s := MustState(t)
	if s.Today != 0 {
		t.Fatalf("a new state's day is %s", s.Today)
	}
	MustRun(t, s, requested()...)
	if s.Today != MustDate(t, "2014-12-05") {
		t.Errorf("today %s", s.Today)
	}
	MustRun(t, s, &council.Decline{Request: "r1", By: "RUS"})
	if s.Today != MustDate(t, "2014-12-05") {
		t.Errorf("an undated step moved the day to %s", s.Today)
	}
	MustRun(t, s, &council.Decline{At: on("2014-12-09"), Request: "r1", By: "CHN"})
	if s.Today != MustDate(t, "2014-12-09") {
		t.Errorf("today %s, want 2014-12-09", s.Today)
	}
}

// A vote without an id takes the next free "vN"; an id chosen elsewhere must not make the vote fail.
func TestVoteDefaultIDCollides(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, agendaAdopted()...)
	MustRun(t, s, &council.Draft{ID: "v1", By: []string{"USA"}, Title: "x", Meeting: "m1"})
	evs, err := decideAll(s, &council.Vote{Meeting: "m1", On: "v1", Rest: "yes"})
	if err != nil {
		t.Fatalf("a vote without an id is refused (%s: %v): its default id v1 collides with the draft v1; "+
			"vote.go vote() should pick the first free vN", council.ErrorCode(err), err)
	}
	if id := evs[0].(*council.VoteTaken).ID; id == "v1" {
		t.Errorf("the vote took the id %q of the draft", id)
	}
}

// A party to a dispute named twice among the parties is listed twice, not a party voting.
func TestPartyListedTwice(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, drafted()...)
	before := snapshot(t, s)
	_, err := decideAll(s, &council.Vote{Meeting: "m1", On: "d1", Parties: []string{"GBR", "GBR"}, Rest: "yes"})
	if got := council.ErrorCode(err); got != council.EListedTwice {
		t.Fatalf("parties [GBR, GBR] is refused with %q (%v), want %q: vote.go ballots() treats a second "+
			"listing among the parties as a party voting", got, err, council.EListedTwice)
	}
	if snapshot(t, s) != before {
		t.Error("the refused vote changed the state")
	}
}

// Decide is documented to change nothing, so a server may call it from several readers at once. It
// writes the state's one-day cache of the sitting, though: concurrent calls race, and a torn cache
// (the day of one call, the sitting of another) would check members against the wrong day.
func TestDecideConcurrentReaders(t *testing.T) {
	s := MustState(t)
	var wg sync.WaitGroup
	errs := make(chan string, 2)
	for g, year := range []int{2014, 2019} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				d := council.DateOf(year, time.December, 1+i%28)
				_, err := decideAll(s, &council.Request{At: council.At{At: d}, ID: "r", By: "DEU", Subject: "s"})
				// DEU sat in 2019, not in 2014
				if (g == 0) != (council.ErrorCode(err) == council.ENotSitting) {
					errs <- d.String() + ": " + council.ErrorCode(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("a concurrent Decide checked the wrong day's members: %s", e)
	}
}

// An amendment to a withdrawn draft has nothing left to amend: it cannot be put to the vote.
func TestVoteOnAmendmentOfWithdrawnDraft(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, amended()...)
	MustRun(t, s, &council.Withdraw{Draft: "d1"})
	before := snapshot(t, s)
	evs, err := decideAll(s, &council.Vote{Meeting: "m1", On: "a1", Rest: "yes"})
	if err == nil {
		t.Fatalf("vote.go vote() puts amendment a1 to the vote though its draft d1 was withdrawn (%s); "+
			"refuse with draft-closed when the amended draft is not pending, or withdraw a draft's pending amendments with it", eventsJSON(evs))
	}
	if got := council.ErrorCode(err); got != council.EDraftClosed {
		t.Errorf("code %s, want %s", got, council.EDraftClosed)
	}
	if snapshot(t, s) != before {
		t.Error("the refused vote changed the state")
	}
}

// A document symbol the state hands out must not be one a step already gave.
func TestDocumentSymbolsUnique(t *testing.T) {
	s := MustState(t)
	MustRun(t, s, agendaAdopted()...)
	MustRun(t, s,
		&council.Draft{ID: "d1", By: []string{"JOR"}, Title: "x", Symbol: "S/2014/2"},
		&council.Draft{ID: "d2", By: []string{"JOR"}, Title: "y"},
		&council.Draft{ID: "d3", By: []string{"JOR"}, Title: "z"})
	seen := map[string]string{}
	for _, id := range []string{"d1", "d2", "d3"} {
		sym := s.DraftByID(id).Symbol
		if other, dup := seen[sym]; dup {
			t.Fatalf("apply.go useDocument/decide.go documentSymbol give %s the symbol %s already given to %s: "+
				"numbering only moves past a symbol equal to the next number; keep the set of symbols used per year and skip them", id, sym, other)
		}
		seen[sym] = id
	}
}
