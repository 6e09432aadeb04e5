package bodies_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/rules"
)

func mustParse(tb testing.TB, text string) *rules.Body {
	tb.Helper()
	b, err := bodies.Parse([]byte(text), "test.yaml")
	if err != nil {
		tb.Fatalf("parse: %v\n%s", err, text)
	}
	return b
}

func TestParseDecisionForms(t *testing.T) {
	majority := rules.Share{Num: 1, Den: 2, Strict: true}
	for _, tc := range []struct {
		yaml string
		want rules.Decision
	}{
		{`{votes: 9}`, rules.Decision{Criteria: []rules.Criterion{{Votes: 9}}}},
		{`{share: 2/3, of: voting}`, rules.Decision{Criteria: []rules.Criterion{{Share: rules.Share{Num: 2, Den: 3}, Base: rules.OfVoting}}}},
		{`{share: 2/3}`, rules.Decision{Criteria: []rules.Criterion{{Share: rules.Share{Num: 2, Den: 3}, Base: rules.OfMembers}}}},
		{`{share: majority, of: present}`, rules.Decision{Criteria: []rules.Criterion{{Share: majority, Base: rules.OfPresent}}}},
		{`{share: "65%", of: members, weighted: true}`, rules.Decision{Criteria: []rules.Criterion{{Share: rules.Share{Num: 13, Den: 20}, Weighted: true}}}},
		{`{share: 0.85, weighted: true}`, rules.Decision{Criteria: []rules.Criterion{{Share: rules.Share{Num: 17, Den: 20}, Weighted: true}}}},
		{`{share: more than 3/5}`, rules.Decision{Criteria: []rules.Criterion{{Share: rules.Share{Num: 3, Den: 5, Strict: true}}}}},
		{`{votes: 3, share: majority, of: voting}`, rules.Decision{Criteria: []rules.Criterion{{Votes: 3, Share: majority, Base: rules.OfVoting}}}},
		{`{all: [{share: "55%", of: members}, {share: "65%", of: members, weighted: true}], blocking_minority: 4}`,
			rules.Decision{Criteria: []rules.Criterion{{Share: rules.Share{Num: 11, Den: 20}}, {Share: rules.Share{Num: 13, Den: 20}, Weighted: true}}, BlockingMinority: 4}},
		{`{consensus: true}`, rules.Decision{Consensus: true}},
		{`{votes: 9, veto: permanent}`, rules.Decision{Criteria: []rules.Criterion{{Votes: 9}}, Veto: "permanent"}},
		{`{votes: 2, consensus: true}`, rules.Decision{Criteria: []rules.Criterion{{Votes: 2}}, Consensus: true}},
	} {
		b := mustParse(t, "id: x\nclasses: [permanent, elected]\ndecisions:\n  d: "+tc.yaml+"\n")
		got := *b.Eras[0].Decision("d")
		tc.want.Name = "d"
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.yaml, got, tc.want)
		}
	}
}

func TestParseQuorum(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want rules.Quorum
	}{
		{`{members: 5}`, rules.Quorum{Members: 5}},
		{`{share: majority}`, rules.Quorum{Share: rules.Share{Num: 1, Den: 2, Strict: true}}},
		{`{members: 3, share: 1/3}`, rules.Quorum{Members: 3, Share: rules.Share{Num: 1, Den: 3}}},
	} {
		b := mustParse(t, "id: x\nquorum: "+tc.yaml+"\ndecisions: {d: {votes: 1}}\n")
		if got := *b.Eras[0].Quorum; got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.yaml, got, tc.want)
		}
	}
	if b := mustParse(t, "id: x\ndecisions: {d: {votes: 1}}\n"); b.Eras[0].Quorum != nil {
		t.Errorf("no quorum given: got %+v", b.Eras[0].Quorum)
	}
}

func TestParseMembers(t *testing.T) {
	list := mustParse(t, `id: x
members:
  - {code: DEU, name: Germany, class: big, weight: 83445}
  - {code: MLT, name: Malta, class: small}
decisions: {d: {votes: 1, veto: big}}
`)
	want := []rules.Seat{
		{Code: "DEU", Name: "Germany", Class: "big", Weight: 83445},
		{Code: "MLT", Name: "Malta", Class: "small", Weight: 1},
	}
	if !reflect.DeepEqual(list.Members, want) {
		t.Errorf("list form: got %+v, want %+v", list.Members, want)
	}
	if got := list.Eras[0].Classes; !reflect.DeepEqual(got, []string{"big", "small"}) {
		t.Errorf("classes taken from the members: got %v", got)
	}

	byClass := mustParse(t, "id: x\nmembers: {permanent: [FRA, GBR], elected: [BEL]}\ndecisions: {d: {votes: 2}}\n")
	want = []rules.Seat{
		{Code: "FRA", Class: "permanent", Weight: 1},
		{Code: "GBR", Class: "permanent", Weight: 1},
		{Code: "BEL", Class: "elected", Weight: 1},
	}
	if !reflect.DeepEqual(byClass.Members, want) {
		t.Errorf("map form: got %+v, want %+v", byClass.Members, want)
	}

	oneClass := mustParse(t, "id: x\nclasses: [member]\nmembers: [{code: A1}, {code: B2, name: Bee}]\ndecisions: {d: {votes: 1}}\n")
	for _, s := range oneClass.Members {
		if s.Class != "member" || s.Weight != 1 {
			t.Errorf("one class: %+v, want class member and weight 1", s)
		}
	}
}

// Under YAML 1.2, yes and no are strings, not booleans.
func TestParseYAML12(t *testing.T) {
	b := mustParse(t, "id: x\nmembers: {member: [NO, YES, ON, OFF]}\ndecisions: {d: {votes: 1}}\n")
	var codes []string
	for _, s := range b.Members {
		codes = append(codes, s.Code)
	}
	if !reflect.DeepEqual(codes, []string{"NO", "YES", "ON", "OFF"}) {
		t.Errorf("codes = %v", codes)
	}
	_, err := bodies.Parse([]byte("id: x\ndecisions: {d: {consensus: yes}}\n"), "t.yaml")
	if err == nil || !strings.Contains(err.Error(), "t.yaml:2: decisions.d.consensus: want true or false") {
		t.Errorf("consensus: yes: error = %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		line int
		want []string // the field and what is wrong
	}{
		{"bad share", `id: ga
decisions:
  important: {share: 2/0, of: voting}
`, 3, []string{`decisions.important.share: bad share "2/0"`}},
		{"share above one", `id: ga
decisions:
  important:
    share: 3/2
`, 4, []string{`decisions.important.share: bad share "3/2"`}},
		{"unknown key at the top", `id: ga
decisons:
  other: {votes: 1}
`, 2, []string{`decisons: unknown key "decisons"`}},
		{"unknown key in a decision", `id: ga
decisions:
  other: {votes: 1, majority: true}
`, 3, []string{`decisions.other.majority: unknown key "majority"`}},
		{"unknown key in an era", `id: unsc
eras:
  - from: 1946-01-01
    seats: 11
    size: 11
    decisions: {procedural: {votes: 7}}
`, 5, []string{`eras[0].size: unknown key "size"`}},
		{"missing decisions", `id: ga
name: General Assembly
`, 1, []string{`decisions: missing`}},
		{"missing decisions in an era", `id: unsc
eras:
  - from: 1946-01-01
    decisions: {procedural: {votes: 7}}
  - from: 1966-01-01
    seats: 15
`, 5, []string{`eras[1].decisions: missing`}},
		{"empty decisions", `id: ga
decisions: {}
`, 2, []string{`decisions: no decisions`}},
		{"missing id", `name: x
decisions: {d: {votes: 1}}
`, 1, []string{`id: missing`}},
		{"veto class not in classes", `id: unsc
roster: unsc
eras:
  - from: 1946-01-01
    classes: [permanent, elected]
    decisions:
      substantive: {votes: 7, veto: permanent}
  - from: 1966-01-01
    classes: [permanent, elected]
    decisions:
      substantive: {votes: 9, veto: permanents}
`, 11, []string{`eras[1].decisions.substantive.veto: veto class "permanents" is not one of the classes (permanent, elected)`}},
		{"veto without classes", `id: unsc
decisions:
  substantive: {votes: 9, veto: permanent}
`, 3, []string{`decisions.substantive.veto: veto class "permanent"`}},
		{"duplicate member in a list", `id: ga
members:
  - {code: AFG}
  - {code: ALB}
  - {code: AFG}
decisions: {other: {share: majority, of: voting}}
`, 5, []string{`members[2]: member AFG listed twice (first on line 3)`}},
		{"duplicate member by class", `id: unsc
members:
  permanent: [CHN, FRA]
  elected: [BEL,
    FRA]
decisions: {procedural: {votes: 2}}
`, 5, []string{`members.elected[1]: member FRA listed twice (first on line 3)`}},
		{"defaults naming an unknown decision", `id: ga
decisions:
  important: {share: 2/3, of: voting}
  other: {share: majority, of: voting}
defaults: {agenda: other,
  draft: ordinary}
`, 6, []string{`defaults.draft: no decision "ordinary" (decisions: important, other)`}},
		{"defaults naming a decision one era lacks", `id: unsc
defaults: {statement: statement}
eras:
  - from: 1946-01-01
    decisions: {procedural: {votes: 7}}
  - from: 1966-01-01
    decisions: {procedural: {votes: 9}, statement: {consensus: true}}
`, 2, []string{`defaults.statement: no decision "statement" in the era from 1946-01-01`}},
		{"defaults for an unknown kind of vote", `id: ga
decisions: {other: {votes: 1}}
defaults: {motion: other}
`, 3, []string{`defaults.motion: unknown key "motion"`}},
		{"bad YAML", `id: ga
decisions:
  other: {votes: 1
  important: {votes: 2}
`, 2, []string{`bad YAML: did not find expected ',' or '}'`}}, // the YAML reader names the line the unclosed mapping opens on
		{"bad YAML indentation", `id: ga
decisions:
  other: {votes: 1}
 important: {votes: 2}
`, 3, []string{`bad YAML: did not find expected key`}},
		{"key given twice", `id: ga
decisions: {other: {votes: 1}}
id: gb
`, 3, []string{`id: given twice (first on line 1)`}},
		{"decision given twice", `id: ga
decisions:
  other: {votes: 1}
  other: {votes: 2}
`, 4, []string{`decisions.other: given twice (first on line 3)`}},
		{"bad base", `id: ga
decisions:
  other: {share: majority, of: voters}
`, 3, []string{`decisions.other.of: unknown base "voters"`}},
		{"of without share", `id: ga
decisions:
  other: {votes: 3, of: voting}
`, 3, []string{`decisions.other.of: of without a share`}},
		{"weighted without share", `id: ga
decisions:
  other: {votes: 3, weighted: true}
`, 3, []string{`decisions.other.weighted: weighted without a share`}},
		{"votes as text", `id: ga
decisions:
  other: {votes: "nine"}
`, 3, []string{`decisions.other.votes: want a whole number`}},
		{"votes above seats", `id: ga
seats: 5
decisions:
  other: {votes: 6}
`, 4, []string{`decisions.other.votes: 6 votes needed but only 5 seats`}},
		{"no criteria", `id: ga
decisions:
  other: {veto: member}
`, 3, []string{`decisions.other.veto`}},
		{"nothing says how", `id: ga
decisions:
  other: {consensus: false}
`, 3, []string{`decisions.other: say how the decision is taken`}},
		{"empty criterion in all", `id: eu
decisions:
  qualified:
    all:
      - {share: "55%"}
      - {of: members}
`, 6, []string{`decisions.qualified.all[1].of: of without a share`}},
		{"eras out of order", `id: unsc
eras:
  - from: 1966-01-01
    decisions: {procedural: {votes: 9}}
  - from: 1946-01-01
    decisions: {procedural: {votes: 7}}
`, 5, []string{`eras[1].from: 1946-01-01 is not after`}},
		{"bad date", `id: unsc
eras:
  - from: 1966-1-1
    decisions: {procedural: {votes: 9}}
`, 3, []string{`eras[0].from: bad date "1966-1-1"`}},
		{"eras and top-level decisions", `id: unsc
decisions: {procedural: {votes: 9}}
eras:
  - decisions: {procedural: {votes: 9}}
`, 2, []string{`decisions: put decisions inside each era`}},
		{"roster and members", `id: unsc
roster: unsc
members: {permanent: [FRA]}
decisions: {procedural: {votes: 1}}
`, 3, []string{`members: give either roster or members`}},
		{"unknown roster", `id: x
roster: nato
decisions: {d: {votes: 1}}
`, 2, []string{`roster: unknown roster "nato"`}},
		{"unknown presidency", `id: x
presidency: alphabetical
decisions: {d: {votes: 1}}
`, 2, []string{`presidency: unknown presidency "alphabetical"`}},
		{"lowercase member code", `id: x
members: {member: [fra]}
decisions: {d: {votes: 1}}
`, 2, []string{`members.member[0]: bad name "fra"`}},
		{"member class not in classes", `id: x
classes: [permanent, elected]
members:
  - {code: FRA, class: permanent}
  - {code: BEL, class: elect}
decisions: {d: {votes: 1}}
`, 5, []string{`members[1].class: class "elect" is not one of the classes (permanent, elected)`}},
		{"member without class among several", `id: x
members:
  - {code: FRA, class: permanent}
  - {code: BEL, class: elected}
  - {code: DEU}
decisions: {d: {votes: 1}}
`, 5, []string{`members[2].class: missing`}},
		{"seats and members disagree", `id: board
seats: 3
members: {director: [A, B]}
decisions: {d: {votes: 1}}
`, 2, []string{`seats: 3 seats but 2 members listed`}},
		{"zero weight", `id: x
members:
  - {code: A, weight: 0}
decisions: {d: {votes: 1}}
`, 3, []string{`members[0].weight: want a whole number of at least 1`}},
		{"quorum empty", `id: x
quorum: {}
decisions: {d: {votes: 1}}
`, 2, []string{`quorum: give members, share or both`}},
		{"decisions as a list", `id: x
decisions:
  - procedural
`, 3, []string{`decisions: want a mapping`}},
		{"blocking minority alone", `id: x
decisions:
  d: {consensus: true, blocking_minority: 4}
`, 3, []string{`decisions.d.blocking_minority`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bodies.Parse([]byte(tc.yaml), "test.yaml")
			if err == nil {
				t.Fatalf("no error for\n%s", tc.yaml)
			}
			var perr *bodies.Error
			if !errors.As(err, &perr) {
				t.Fatalf("error %T %v is not a *bodies.Error", err, err)
			}
			if perr.File != "test.yaml" || perr.Line != tc.line {
				t.Errorf("error %q: file %q line %d, want test.yaml line %d", err, perr.File, perr.Line, tc.line)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "test.yaml:") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, text := range []string{"", "# only a comment\n"} {
		if _, err := bodies.Parse([]byte(text), "empty.yaml"); err == nil || !strings.Contains(err.Error(), "empty.yaml: empty body file") {
			t.Errorf("Parse(%q) error = %v", text, err)
		}
	}
	if _, err := bodies.Parse([]byte("- a\n- b\n"), "list.yaml"); err == nil || !strings.HasPrefix(err.Error(), "list.yaml:1: want a mapping") {
		t.Errorf("Parse(list) error = %v", err)
	}
}

// A quorum larger than the body is refused where it is written.
func TestParseQuorumAboveSeats(t *testing.T) {
	_, err := bodies.Parse([]byte("id: x\nseats: 3\nquorum: {members: 4}\ndecisions: {d: {votes: 1}}\n"), "v.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), "v.yaml:3: quorum.members:") {
		t.Errorf("error = %v", err)
	}
}

// YAML anchors and aliases work, so eras can share decisions.
func TestParseAliases(t *testing.T) {
	b := mustParse(t, `id: x
eras:
  - from: 2000-01-01
    decisions: &d {ordinary: {share: majority, of: voting}}
  - from: 2010-01-01
    seats: 5
    decisions: *d
`)
	if len(b.Eras) != 2 || b.Eras[1].Decision("ordinary") == nil || b.Eras[1].Seats != 5 {
		t.Errorf("eras = %+v", b.Eras)
	}
	if b.Eras[0].Decision("ordinary") == b.Eras[1].Decision("ordinary") {
		t.Error("the two eras share one *Decision")
	}
}
