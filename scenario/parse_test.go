package scenario_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/scenario"
)

// MustParse parses a scenario given as text, failing the test if it is not valid.
func MustParse(tb testing.TB, text string) *scenario.Scenario {
	tb.Helper()
	sc, err := scenario.Parse([]byte(text), "test.yaml", scenario.Options{})
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return sc
}

// MustReplay parses and runs a scenario given as text.
func MustReplay(tb testing.TB, text string) *scenario.Replay {
	tb.Helper()
	r, err := MustParse(tb, text).Run()
	if err != nil {
		tb.Fatalf("run: %v", err)
	}
	return r
}

// asScenarioError checks that err is a *scenario.Error.
func asScenarioError(tb testing.TB, err error) *scenario.Error {
	tb.Helper()
	if err == nil {
		tb.Fatal("parsed, want an error")
	}
	var e *scenario.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T) is not a *scenario.Error", err, err)
	}
	return e
}

// TestParseInvalid reads each file of testdata/invalid and checks the error names the file, the line and
// the field, and says what is wrong.
func TestParseInvalid(t *testing.T) {
	tests := []struct {
		file  string
		line  int
		field string
		says  []string // the message says each of these
		bug   string   // the bug this case once caught, said when it fails again
	}{
		{file: "bad-yaml.yaml", line: 7, says: []string{"not valid YAML", "did not find expected ',' or ']'"},
			bug: "parse.go yamlError: yaml.v3 gives the 0-based line of a parser error's context (go-yaml/yaml#205), so an unclosed bracket is reported one line early"},
		{file: "unknown-step.yaml", line: 7, field: "steps[2]", says: []string{`unknown step "sing"`, "request sign"}},
		{file: "missing-field.yaml", line: 7, field: "steps[2].sign.request", says: []string{"missing"}},
		{file: "unknown-field.yaml", line: 10, field: "steps[2].sign.colour", says: []string{"unknown field"}},
		{file: "bad-date.yaml", line: 7, field: "steps[2].sign.at", says: []string{`bad date "2019-13-01"`, "YYYY-MM-DD"}},
		{file: "bad-meeting-on.yaml", line: 7, field: "steps[2].schedule.on", says: []string{`bad date "2019-11-31"`}},
		{file: "bad-as-of.yaml", line: 4, field: "as_of", says: []string{`bad date "2 December 2019"`}},
		{file: "unknown-member.yaml", line: 7, field: "steps[2].sign.by[1]", says: []string{`unknown member "XXX"`, "ISO 3166 alpha-3"}},
		{file: "dates-backwards.yaml", line: 8, field: "steps[3].at", says: []string{"2019-12-04 is before", "2019-12-05", "dates never go backwards"}},
		{file: "before-as-of.yaml", line: 6, field: "steps[1].at", says: []string{"2019-12-01 is before", "2019-12-02"}},
		{file: "members-count.yaml", line: 6, field: "members", says: []string{"14 members listed", "15 seats"}},
		{file: "members-class.yaml", line: 8, field: "members.observer", says: []string{"unknown member class", "permanent, elected"}},
		{file: "members-twice.yaml", line: 7, field: "members.elected", says: []string{"FRA is listed twice"}},
		{file: "rest-twice.yaml", line: 7, field: "steps[2].vote.no", says: []string{"only one list may be rest", "already yes"}},
		{file: "unknown-matter.yaml", line: 7, field: "steps[2].vote.matter", says: []string{`"budgetary" is not a kind of decision`}},
		{file: "field-twice.yaml", line: 7, field: "steps[2].sign.by", says: []string{"given twice"}},
		{file: "step-two-kinds.yaml", line: 7, field: "steps[2]", says: []string{"one kind"}},
		{file: "steps-not-list.yaml", line: 6, field: "steps", says: []string{"want a list of steps"}},
		{file: "no-steps.yaml", line: 2, field: "steps", says: []string{"missing"}},
		{file: "unknown-top.yaml", line: 5, field: "president", says: []string{"unknown field"}},
		{file: "unknown-body.yaml", line: 3, field: "body", says: []string{`unknown body "senate"`, "unsc"}},
		{file: "empty-steps.yaml", line: 5, field: "steps", says: []string{"no steps"},
			bug: "parse.go Parse accepts `steps: []`: a scenario with nothing to replay should be refused (steps: empty list)"},
		{file: "two-documents.yaml", line: 8, says: []string{"one document"},
			bug: "parse.go Parse decodes the first YAML document only and silently ignores the rest; decode again and refuse anything but io.EOF"},
		{file: "empty.yaml", says: []string{"empty file"},
			bug: `parse.go Parse: yaml.v3 returns io.EOF for an empty file, so the "empty file" branch is never reached and the message reads "not valid YAML: EOF"`},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".yaml"), func(t *testing.T) {
			path := filepath.Join("testdata", "invalid", tt.file)
			sc, err := scenario.Load(path, scenario.Options{})
			if err == nil && tt.bug != "" {
				t.Fatalf("%s (accepted with %d steps)", tt.bug, len(sc.Steps))
			}
			e := asScenarioError(t, err)
			var wrong []string
			if e.File != path {
				wrong = append(wrong, "file "+e.File)
			}
			if e.Line != tt.line {
				wrong = append(wrong, "line "+strconv.Itoa(e.Line))
			}
			if e.Field != tt.field {
				wrong = append(wrong, "field "+e.Field)
			}
			for _, s := range tt.says {
				if !strings.Contains(e.Message, s) {
					wrong = append(wrong, "message without "+s)
				}
			}
			if len(wrong) == 0 {
				if !strings.HasPrefix(e.Error(), path) {
					t.Errorf("Error() = %q, want it to start with the file", e.Error())
				}
				return
			}
			if tt.bug != "" {
				t.Fatalf("%s (got %q: %s)", tt.bug, e.Error(), strings.Join(wrong, ", "))
			}
			t.Errorf("%q: %s; want line %d field %q saying %q", e.Error(), strings.Join(wrong, ", "), tt.line, tt.field, tt.says)
		})
	}
}

// TestParseInvalidInline covers mistakes in the fields of every kind of step.
func TestParseInvalidInline(t *testing.T) {
	const head = "title: t\nbody: unsc\nas_of: 2019-12-02\nsteps:\n"
	tests := []struct {
		name  string
		step  string
		field string
		says  string
	}{
		{"request without subject", "{request: {id: r1, by: FRA}}", "steps[1].request.subject", "missing"},
		{"request with an empty subject", `{request: {id: r1, by: FRA, subject: ""}}`, "steps[1].request.subject", "empty"},
		{"request by a list", "{request: {id: r1, by: [FRA, GBR], subject: s}}", "steps[1].request.by", "single value"},
		{"request by an unknown member", "{request: {id: r1, by: FRX, subject: s}}", "steps[1].request.by", `unknown member "FRX"`},
		{"sign by nobody", "{sign: {request: r1, by: []}}", "steps[1].sign.by", "empty list"},
		{"sign by a mapping", "{sign: {request: r1, by: {a: b}}}", "steps[1].sign.by", "a value or a list"},
		{"unsign without by", "{unsign: {request: r1}}", "steps[1].unsign.by", "missing"},
		{"decline by two", "{decline: {request: r1, by: [USA, RUS]}}", "steps[1].decline.by", "single value"},
		{"submit without request", "{submit: {}}", "steps[1].submit.request", "missing"},
		{"abandon without reason", "{abandon: {request: r1}}", "steps[1].abandon.reason", "missing"},
		{"schedule without date", "{schedule: {meeting: m1, agenda: [x]}}", "steps[1].schedule.on", "missing"},
		{"schedule without agenda", "{schedule: {meeting: m1, on: 2019-12-10}}", "steps[1].schedule.agenda", "missing"},
		{"schedule by an unknown member", "{schedule: {meeting: m1, on: 2019-12-10, agenda: [x], by: ABC}}", "steps[1].schedule.by", "unknown member"},
		{"postpone to a bad date", "{postpone: {meeting: m1, to: 2019-02-30, reason: r}}", "steps[1].postpone.to", "bad date"},
		{"cancel without reason", "{cancel: {meeting: m1}}", "steps[1].cancel.reason", "missing"},
		{"open without meeting", "{open: {by: USA}}", "steps[1].open.meeting", "missing"},
		{"object by an unknown member", "{object: {meeting: m1, by: [CHN, QQQ]}}", "steps[1].object.by[1]", `unknown member "QQQ"`},
		{"adopt_agenda with an unknown field", "{adopt_agenda: {meeting: m1, vote: yes}}", "steps[1].adopt_agenda.vote", "unknown field"},
		{"draft without title", "{draft: {id: d1, by: USA}}", "steps[1].draft.title", "missing"},
		{"cosponsor without by", "{cosponsor: {draft: d1}}", "steps[1].cosponsor.by", "missing"},
		{"amend without draft", "{amend: {id: a1, by: FRA}}", "steps[1].amend.draft", "missing"},
		{"withdraw without draft", "{withdraw: {}}", "steps[1].withdraw.draft", "missing"},
		{"vote without on", "{vote: {meeting: m1, yes: rest}}", "steps[1].vote.on", "missing"},
		{"vote by an unknown member", "{vote: {meeting: m1, on: agenda, no: [RUS, XYZ]}}", "steps[1].vote.no[1]", `unknown member "XYZ"`},
		{"vote with a party unknown", "{vote: {meeting: m1, on: d1, parties: [XYZ], yes: rest}}", "steps[1].vote.parties[0]", "unknown member"},
		{"statement without by", "{statement: {meeting: m1}}", "steps[1].statement.by", "missing"},
		{"prst with an unknown objector", "{prst: {meeting: m1, objections: [ABC]}}", "steps[1].prst.objections[0]", "unknown member"},
		{"close with a list for meeting", "{close: {meeting: [m1]}}", "steps[1].close.meeting", "single value"},
		{"open_vote without meeting", "{open_vote: {on: agenda}}", "steps[1].open_vote.meeting", "missing"},
		{"open_vote without on", "{open_vote: {meeting: m1}}", "steps[1].open_vote.on", "missing"},
		{"open_vote with an unknown matter", "{open_vote: {meeting: m1, on: d1, matter: budgetary}}", "steps[1].open_vote.matter", `"budgetary" is not a kind of decision`},
		{"open_vote with a party unknown", "{open_vote: {meeting: m1, on: d1, parties: [GBR, XYZ]}}", "steps[1].open_vote.parties[1]", `unknown member "XYZ"`},
		{"open_vote by an unknown member", "{open_vote: {meeting: m1, on: agenda, by: ABC}}", "steps[1].open_vote.by", "unknown member"},
		{"open_vote with ballots", "{open_vote: {meeting: m1, on: agenda, yes: rest}}", "steps[1].open_vote.yes", "unknown field"},
		{"ballot without vote", "{ballot: {by: FRA, ballot: yes}}", "steps[1].ballot.vote", "missing"},
		{"ballot without by", "{ballot: {vote: v1, ballot: yes}}", "steps[1].ballot.by", "missing"},
		{"ballot by two", "{ballot: {vote: v1, by: [FRA, GBR], ballot: yes}}", "steps[1].ballot.by", "single value"},
		{"ballot by an unknown member", "{ballot: {vote: v1, by: FRX, ballot: yes}}", "steps[1].ballot.by", `unknown member "FRX"`},
		{"ballot without a ballot", "{ballot: {vote: v1, by: FRA}}", "steps[1].ballot.ballot", "missing"},
		{"ballot that is not one", "{ballot: {vote: v1, by: FRA, ballot: absent}}", "steps[1].ballot.ballot", `"absent" is not a ballot (yes, no or abstain)`},
		{"ballot as a list", "{ballot: {vote: v1, by: FRA, ballot: [yes]}}", "steps[1].ballot.ballot", "single value"},
		{"close_vote without vote", "{close_vote: {by: USA}}", "steps[1].close_vote.vote", "missing"},
		{"close_vote with an unknown field", "{close_vote: {vote: v1, meeting: m1}}", "steps[1].close_vote.meeting", "unknown field"},
		{"ask_to_speak without by", "{ask_to_speak: {meeting: m1}}", "steps[1].ask_to_speak.by", "missing"},
		{"ask_to_speak without meeting", "{ask_to_speak: {by: FRA}}", "steps[1].ask_to_speak.meeting", "missing"},
		{"ask_to_speak by an unknown member", "{ask_to_speak: {meeting: m1, by: QQQ}}", "steps[1].ask_to_speak.by", `unknown member "QQQ"`},
		{"a step that is a list", "[sign, r1]", "steps[1]", "one kind"},
		{"a step that is a word", "sign", "steps[1]", "one kind"},
		{"a step's fields that are a list", "{sign: [r1, FRA]}", "steps[1].sign", "mapping of fields"},
		{"at is a list", "{submit: {request: r1, at: [2019-12-02]}}", "steps[1].submit.at", "want a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse([]byte(head+"  - "+tt.step+"\n"), "test.yaml", scenario.Options{})
			e := asScenarioError(t, err)
			if e.Line != 5 || e.Field != tt.field || !strings.Contains(e.Message, tt.says) {
				t.Errorf("%q: want line 5, field %q, saying %q", e.Error(), tt.field, tt.says)
			}
		})
	}
}

// Under YAML 1.2 the keys yes and no (and on) stay strings.
func TestParseYesNoAreStrings(t *testing.T) {
	sc := MustParse(t, `title: yes and no
body: unsc
as_of: 2019-12-02
steps:
  - vote: {meeting: m1, on: agenda, yes: [FRA, GBR], no: [RUS], abstain: [CHN], absent: [USA]}
  - vote:
      meeting: m1
      on: d1
      no: [CHN, RUS]
      yes: rest
`)
	v, ok := sc.Steps[0].Command.(*council.Vote)
	if !ok {
		t.Fatalf("step 1 is %T, want *council.Vote", sc.Steps[0].Command)
	}
	want := &council.Vote{At: council.At{At: mustDate(t, "2019-12-02")}, Meeting: "m1", On: "agenda",
		Yes: []string{"FRA", "GBR"}, No: []string{"RUS"}, Abstain: []string{"CHN"}, Absent: []string{"USA"}}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("vote %+v, want %+v", v, want)
	}
	v = sc.Steps[1].Command.(*council.Vote)
	if v.On != "d1" || v.Rest != "yes" || v.Yes != nil || !slices.Equal(v.No, []string{"CHN", "RUS"}) {
		t.Errorf("vote %+v, want on d1, rest yes, no [CHN RUS]", v)
	}
}

func mustDate(tb testing.TB, s string) council.Date {
	tb.Helper()
	d, err := council.ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// JSON is YAML's subset: a scenario written as JSON parses to the same steps.
func TestParseJSON(t *testing.T) {
	const js = `{
  "title": "Human rights in the DPRK, December 2019",
  "body": "unsc",
  "as_of": "2019-12-02",
  "steps": [
    {"request": {"id": "dprk-hr", "by": "FRA", "subject": "The situation in the DPRK", "meeting_on": "2019-12-10"}},
    {"sign": {"request": "dprk-hr", "by": ["GBR", "DEU", "BEL", "DOM", "KWT", "PER", "POL"]}},
    {"decline": {"request": "dprk-hr", "by": "USA", "at": "2019-12-06"}},
    {"abandon": {"request": "dprk-hr", "reason": "eight of the nine supporters needed"}}
  ]
}`
	const yml = `title: Human rights in the DPRK, December 2019
body: unsc
as_of: 2019-12-02
steps:
  - request: {id: dprk-hr, by: FRA, subject: "The situation in the DPRK", meeting_on: 2019-12-10}
  - sign: {request: dprk-hr, by: [GBR, DEU, BEL, DOM, KWT, PER, POL]}
  - decline: {request: dprk-hr, by: USA, at: 2019-12-06}
  - abandon: {request: dprk-hr, reason: "eight of the nine supporters needed"}
`
	fromJSON, fromYAML := MustParse(t, js), MustParse(t, yml)
	if fromJSON.Title != fromYAML.Title || len(fromJSON.Steps) != 4 {
		t.Fatalf("JSON: title %q, %d steps", fromJSON.Title, len(fromJSON.Steps))
	}
	for i := range fromJSON.Steps {
		if !reflect.DeepEqual(fromJSON.Steps[i].Command, fromYAML.Steps[i].Command) {
			t.Errorf("step %d: JSON %+v, YAML %+v", i+1, fromJSON.Steps[i].Command, fromYAML.Steps[i].Command)
		}
	}
	r, err := fromJSON.Run()
	if err != nil || r.Failed != nil {
		t.Fatalf("run: %v %+v", err, r.Failed)
	}
	req := r.Record.Requests[0]
	if req.Status != "abandoned" || req.Support != 8 || req.Missing != 1 {
		t.Errorf("request %+v, want abandoned with 8 of 9", req)
	}
}

// A step without at happens on the day of the step before; the first on as_of.
func TestParseUndatedSteps(t *testing.T) {
	sc := MustParse(t, `title: days
body: unsc
as_of: 2019-12-02
steps:
  - request: {id: r1, by: FRA, subject: s}
  - sign: {request: r1, by: GBR}
  - decline: {request: r1, by: USA, at: 2019-12-06}
  - sign: {request: r1, by: BEL}
  - abandon: {request: r1, reason: r, at: 2019-12-06}
  - request: {id: r2, by: FRA, subject: s, at: 2020-01-07}
  - sign: {request: r2, by: EST}
`)
	want := []string{"2019-12-02", "2019-12-02", "2019-12-06", "2019-12-06", "2019-12-06", "2020-01-07", "2020-01-07"}
	for i, st := range sc.Steps {
		if got := st.Command.Day().String(); got != want[i] {
			t.Errorf("step %d (%s) on %s, want %s", st.N, st.Command.Kind(), got, want[i])
		}
		if st.N != i+1 || st.Line != 5+i {
			t.Errorf("step %d: number %d line %d, want %d and %d", i+1, st.N, st.Line, i+1, 5+i)
		}
	}
	if r := MustReplay(t, "title: days\nbody: unsc\nas_of: 2019-12-02\nsteps:\n  - request: {id: r1, by: FRA, subject: s}\n  - sign: {request: r1, by: GBR}\n"); r.Failed != nil {
		t.Errorf("replay failed: %+v", r.Failed)
	}
}

// The contract's what-if: members replace the roster, and the presidency rotates among them from the real
// President of each month (roster.PresidentAmong).
func TestParseMembersOverride(t *testing.T) {
	const real2019 = `title: the Council of 2019, as given
body: unsc
as_of: 2019-12-02
members:
  permanent: [CHN, FRA, RUS, GBR, USA]
  elected: [BEL, CIV, DOM, GNQ, DEU, IDN, KWT, PER, POL, ZAF]
steps:
  - request: {id: dprk-hr, by: FRA, subject: "The situation in the DPRK", meeting_on: 2019-12-10}
`
	const withJapan = `title: what if Japan had sat instead of Germany
body: unsc
as_of: 2019-04-02
members:
  permanent: [CHN, FRA, RUS, GBR, USA]
  elected: [BEL, CIV, DOM, GNQ, JPN, IDN, KWT, PER, POL, ZAF]
steps:
  - request: {id: r1, by: JPN, subject: s}
  - sign: {request: r1, by: [FRA, GBR]}
  - schedule: {meeting: m1, on: 2019-04-10, agenda: [x]}
`
	t.Run("the real composition keeps the real President", func(t *testing.T) {
		sc := MustParse(t, real2019)
		sit, err := sc.Config.Seating.Sitting(mustDate(t, "2019-12-02"))
		if err != nil {
			t.Fatal(err)
		}
		if sit.President != "USA" {
			t.Errorf("President %q, want USA (December 2019)", sit.President)
		}
		codes := sit.Codes()
		slices.Sort(codes)
		want := []string{"BEL", "CHN", "CIV", "DEU", "DOM", "FRA", "GBR", "GNQ", "IDN", "KWT", "PER", "POL", "RUS", "USA", "ZAF"}
		if !slices.Equal(codes, want) {
			t.Errorf("members %q, want %q", codes, want)
		}
		for _, m := range sit.Members {
			wantClass := "elected"
			if slices.Contains([]string{"CHN", "FRA", "RUS", "GBR", "USA"}, m.Code) {
				wantClass = "permanent"
			}
			if m.Class != wantClass || m.Name == "" {
				t.Errorf("seat %+v, want class %s and a name", m, wantClass)
			}
		}
		// every month of 2019: the same President as the real Council
		for mo := time.January; mo <= time.December; mo++ {
			sit, err := sc.Config.Seating.Sitting(council.DateOf(2019, mo, 15))
			if err != nil {
				t.Fatal(err)
			}
			real, _ := roster.Default().President(2019, mo)
			if sit.President != real.Code {
				t.Errorf("%s 2019: President %s, want %s", mo, sit.President, real.Code)
			}
		}
	})
	t.Run("a what-if composition", func(t *testing.T) {
		sc := MustParse(t, withJapan)
		codes := []string{"CHN", "FRA", "RUS", "GBR", "USA", "BEL", "CIV", "DOM", "GNQ", "JPN", "IDN", "KWT", "PER", "POL", "ZAF"}
		for _, d := range []string{"2019-04-02", "2019-06-30", "2020-02-01"} {
			day := mustDate(t, d)
			sit, err := sc.Config.Seating.Sitting(day)
			if err != nil {
				t.Fatal(err)
			}
			y, m, _ := day.Civil()
			want, err := roster.Default().PresidentAmong(y, m, codes)
			if err != nil {
				t.Fatal(err)
			}
			if sit.President != want {
				t.Errorf("%s: President %s, want %s", d, sit.President, want)
			}
		}
		// In April 2019 Germany presided; without Germany it passes to the next in alphabetical order.
		if sit, _ := sc.Config.Seating.Sitting(mustDate(t, "2019-04-02")); sit.President != "IDN" {
			t.Errorf("April 2019: President %s, want IDN (after Germany)", sit.President)
		}
		r, err := sc.Run()
		if err != nil || r.Failed != nil {
			t.Fatalf("run: %v %+v", err, r.Failed)
		}
		if p := r.Record.Meetings[0].President; p == nil || *p != "IDN" {
			t.Errorf("the meeting's President %v, want IDN", p)
		}
		if got := r.Record.Requests[0].Signatories; !slices.Equal(got, []string{"JPN", "FRA", "GBR"}) {
			t.Errorf("signatories %q", got)
		}
	})
	t.Run("who is left out does not sit", func(t *testing.T) {
		r := MustReplay(t, withJapan+"  - sign: {request: r1, by: DEU}\n")
		if r.Failed == nil || r.Failed.Code != council.ENotSitting || r.Failed.Step != 4 {
			t.Errorf("a sign by DEU: failed %+v, want step 4 not-sitting", r.Failed)
		}
	})
}

// A refused step stops the replay: the record holds the steps before it and the error names the step,
// its code and why.
func TestReplayStopsAtRefusal(t *testing.T) {
	const before = `title: Human rights in the DPRK, December 2019
body: unsc
as_of: 2019-12-02
steps:
  - request: {id: dprk-hr, by: FRA, subject: "The situation in the DPRK", meeting_on: 2019-12-10}
  - sign: {request: dprk-hr, by: [GBR, DEU, BEL, DOM, KWT, PER, POL]}
  - decline: {request: dprk-hr, by: USA, at: 2019-12-06}
`
	const refused = before + "  - sign: {request: dprk-hr, by: BEL}\n  - abandon: {request: dprk-hr, reason: never reached}\n"
	r := MustReplay(t, refused)
	want := &council.StepError{Step: 4, Kind: "sign", Line: 8, Code: "already-signed", Message: "BEL has already signed request dprk-hr"}
	if !reflect.DeepEqual(r.Failed, want) {
		t.Errorf("failed %+v, want %+v", r.Failed, want)
	}
	if r.Record.Error != r.Failed {
		t.Errorf("record error %+v, want the step's error", r.Record.Error)
	}
	if len(r.Steps) != 3 {
		t.Errorf("%d steps played, want 3", len(r.Steps))
	}
	// the record is that of the three steps before
	ok := MustReplay(t, before)
	if ok.Failed != nil {
		t.Fatalf("the steps before fail: %+v", ok.Failed)
	}
	got, _ := json.Marshal(withoutError(r.Record))
	exp, _ := json.Marshal(ok.Record)
	if string(got) != string(exp) {
		t.Errorf("record\n got %s\nwant %s", got, exp)
	}
	req := r.Record.Requests[0]
	if req.Status != "drafted" || req.Support != 8 || !slices.Equal(req.Declined, []string{"USA"}) {
		t.Errorf("request %+v", req)
	}
	// the error's JSON keeps the contract's names
	var doc map[string]any
	b, _ := json.Marshal(r.Record)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	e, _ := doc["error"].(map[string]any)
	if e["step"] != 4.0 || e["code"] != "already-signed" || e["message"] != "BEL has already signed request dprk-hr" {
		t.Errorf("error JSON %v", doc["error"])
	}
	if ok.Record.Error != nil {
		t.Error("a replay without refusal has an error")
	}
}

func withoutError(r *council.Record) *council.Record {
	c := *r
	c.Error = nil
	return &c
}

func TestReplayRefusals(t *testing.T) {
	const head = `title: t
body: unsc
as_of: 2014-12-05
steps:
  - request: {id: r1, by: AUS, subject: s}
`
	tests := []struct {
		name string
		more string
		step int
		code string
		says string
	}{
		{"a member not sitting (DEU in 2014)", "  - sign: {request: r1, by: DEU}\n", 2, council.ENotSitting, "DEU does not sit"},
		{"an unknown request", "  - sign: {request: r9, by: FRA}\n", 2, council.EUnknownRequest, "no request r9"},
		{"a non-President schedules", "  - submit: {request: r1}\n  - schedule: {meeting: m1, on: 2014-12-22, agenda: [x], by: USA}\n", 3, council.ENotPresident, "TCD is"},
		{"open on another day", "  - schedule: {meeting: m1, on: 2014-12-22, agenda: [x]}\n  - open: {meeting: m1}\n", 3, council.EWrongDay, "set for 2014-12-22"},
		{"vote before the agenda", "  - schedule: {meeting: m1, on: 2014-12-05, agenda: [x]}\n  - open: {meeting: m1}\n  - draft: {id: d1, by: USA, title: t}\n  - vote: {meeting: m1, on: d1, yes: rest}\n", 5, council.EAgendaPending, "has not adopted its agenda"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MustReplay(t, head+tt.more)
			if r.Failed == nil {
				t.Fatal("the replay did not stop")
			}
			if r.Failed.Step != tt.step || r.Failed.Code != tt.code || !strings.Contains(r.Failed.Message, tt.says) {
				t.Errorf("failed %+v, want step %d code %s saying %q", r.Failed, tt.step, tt.code, tt.says)
			}
			if r.Failed.Line != 4+tt.step {
				t.Errorf("line %d, want %d", r.Failed.Line, 4+tt.step)
			}
		})
	}
}

// The example of December 2014 replays as the Council voted: the agenda adopted 11-2-2.
func TestReplayExample2014(t *testing.T) {
	sc, err := scenario.Load(filepath.Join("..", "examples", "scenarios", "dprk-2014.yaml"), scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Run()
	if err != nil || r.Failed != nil {
		t.Fatalf("run: %v %+v", err, r.Failed)
	}
	if len(r.Record.Votes) != 1 {
		t.Fatalf("%d votes", len(r.Record.Votes))
	}
	v := r.Record.Votes[0]
	if v.Result != "adopted" || v.Counts.Yes != 11 || v.Counts.No != 2 || v.Counts.Abstain != 2 || v.Needed != 9 || len(v.VetoedBy) != 0 {
		t.Errorf("vote %+v, want adopted 11-2-2 without veto", v)
	}
	m := r.Record.Meetings[0]
	if m.President == nil || *m.President != "TCD" || m.Symbol != "S/PV.7353" || !m.AgendaAdopted || m.Status != "held" {
		t.Errorf("meeting %+v, want held under TCD as S/PV.7353", m)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := scenario.Load(path, scenario.Options{})
	e := asScenarioError(t, err)
	if e.File != path || !strings.Contains(e.Message, "no such file") {
		t.Errorf("%v, want the file named and why", e)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the file exists")
	}
}
