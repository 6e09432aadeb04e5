package web

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// step is a command given while setting a case up: by a member's delegation, or by the secretariat.
type step struct {
	as   string // a member code, or "sec"
	kind string
	body map[string]any
}

type fields = map[string]any

// The December 2014 Council: Chad presides; AUS, CHL and CHN act in the cases; LUX stays out of them.
const (
	president = "TCD"
	outsider  = "LUX"
)

// Setups shared by the cases, each building on the one before.
var (
	drafted   = []step{{"AUS", "request", fields{"id": "r1", "by": "AUS", "subject": "The situation in the DPRK"}}}
	signed    = append(slices.Clip(drafted), step{"CHL", "sign", fields{"request": "r1", "by": []string{"CHL"}}})
	scheduled = []step{{"sec", "schedule", fields{"meeting": "m1", "on": "2014-12-22", "agenda": []string{"The situation in the DPRK"}}}}
	opened    = append(slices.Clip(scheduled), step{"sec", "open", fields{"meeting": "m1", "at": "2014-12-22"}})
	adopted   = append(slices.Clip(opened), step{"sec", "adopt_agenda", fields{"meeting": "m1"}})
	withDraft = append(slices.Clip(adopted), step{"AUS", "draft", fields{"id": "d1", "by": []string{"AUS"}, "title": "Draft resolution", "meeting": "m1"}})
	voteOpen  = append(slices.Clip(withDraft), step{"sec", "open_vote", fields{"id": "v1", "meeting": "m1", "on": "d1"}})
)

// authCase is one command in a state where the rules accept it: the matrix checks who may give it.
type authCase struct {
	kind  string
	setup []step
	body  fields
	own   string // the member the command is about: who acts, or the proponent
	class int
}

var authCases = []authCase{
	{"request", nil, fields{"id": "r2", "by": "AUS", "subject": "A letter", "at": "2014-12-05"}, "AUS", actMember},
	{"sign", drafted, fields{"request": "r1", "by": []string{"CHL"}}, "CHL", actMember},
	{"unsign", signed, fields{"request": "r1", "by": "CHL"}, "CHL", actMember},
	{"decline", drafted, fields{"request": "r1", "by": "CHL"}, "CHL", actMember},
	{"submit", signed, fields{"request": "r1"}, "AUS", actProponent},
	{"abandon", drafted, fields{"request": "r1", "reason": "no support"}, "AUS", actProponent},
	{"schedule", nil, fields{"meeting": "m1", "on": "2014-12-22", "agenda": []string{"An item"}, "at": "2014-12-05"}, "AUS", actPresiding},
	{"postpone", scheduled, fields{"meeting": "m1", "reason": "consultations", "requested_by": "AUS"}, "AUS", actPresiding},
	{"cancel", scheduled, fields{"meeting": "m1", "reason": "no longer needed"}, "AUS", actPresiding},
	{"open", scheduled, fields{"meeting": "m1", "at": "2014-12-22"}, "AUS", actPresiding},
	{"object", opened, fields{"meeting": "m1", "by": []string{"CHN"}}, "CHN", actMember},
	{"adopt_agenda", opened, fields{"meeting": "m1"}, "AUS", actPresiding},
	{"draft", adopted, fields{"id": "d2", "by": []string{"AUS"}, "title": "A draft", "meeting": "m1"}, "AUS", actMember},
	{"cosponsor", withDraft, fields{"draft": "d1", "by": []string{"CHL"}}, "CHL", actMember},
	{"amend", withDraft, fields{"id": "a1", "draft": "d1", "by": []string{"CHL"}, "title": "An amendment"}, "CHL", actMember},
	{"withdraw", withDraft, fields{"draft": "d1"}, "AUS", actProponent},
	{"vote", withDraft, fields{"meeting": "m1", "on": "d1", "rest": "yes"}, "AUS", actPresiding},
	{"statement", opened, fields{"meeting": "m1", "by": "AUS"}, "AUS", actSpeech},
	{"prst", adopted, fields{"meeting": "m1", "text": "The Council is concerned."}, "AUS", actPresiding},
	{"close", opened, fields{"meeting": "m1"}, "AUS", actPresiding},
	{"open_vote", withDraft, fields{"meeting": "m1", "on": "d1"}, "AUS", actPresiding},
	{"ballot", voteOpen, fields{"vote": "v1", "by": "AUS", "ballot": "yes"}, "AUS", actMember},
	{"close_vote", voteOpen, fields{"vote": "v1"}, "AUS", actPresiding},
	{"ask_to_speak", opened, fields{"meeting": "m1", "by": "AUS"}, "AUS", actMember},
}

// The roles of the matrix.
var authRoles = []string{"own", "other", "president", "secretariat", "observer", "anonymous", "revoked"}

// allowedRoles are the roles that may give a command of the class.
func allowedRoles(class int) []string {
	switch class {
	case actPresiding:
		return []string{"president", "secretariat"}
	case actProponent:
		return []string{"own", "secretariat"}
	case actSpeech:
		return []string{"own", "president", "secretariat"}
	}
	return []string{"own"}
}

// TestAuthorizationMatrix gives every command from every role, each in a fresh council where the
// rules accept it, and expects exactly the allowed roles to succeed; a refused one changes nothing.
func TestAuthorizationMatrix(t *testing.T) {
	ts := MustServe(t)
	if got := len(authCases); got != len(commandKinds) {
		t.Fatalf("the matrix has %d commands, the API %d", got, len(commandKinds))
	}
	var n atomic.Int64
	for _, c := range authCases {
		if classOf(mustCommand(t, c.kind)) != c.class {
			t.Errorf("%s: the matrix says class %d, the server %d", c.kind, c.class, classOf(mustCommand(t, c.kind)))
		}
		for _, role := range authRoles {
			t.Run(c.kind+"/"+role, func(t *testing.T) {
				t.Parallel()
				name := fmt.Sprintf("m%d", n.Add(1))
				sec := ts.create(CreateCouncil{Name: name, Date: council.DateOf(2014, 12, 5)})
				tokens := map[string]string{"sec": sec}
				token := func(member string) string {
					if tokens[member] == "" {
						tokens[member] = ts.issue(name, sec, access.Delegation, member).Token
					}
					return tokens[member]
				}
				for _, s := range c.setup {
					ts.mustDo(name, token(s.as), s.kind, s.body)
				}
				var tok string
				switch role {
				case "own":
					tok = token(c.own)
				case "other":
					tok = token(outsider)
				case "president":
					tok = token(president)
				case "secretariat":
					tok = sec
				case "observer":
					tok = ts.issue(name, sec, access.Observer, "").Token
				case "revoked":
					it := ts.issue(name, sec, access.Delegation, c.own)
					ts.must(http.StatusNoContent, "DELETE", "/v1/councils/"+name+"/tokens/"+it.ID, sec, nil, nil)
					tok = it.Token
				}
				before := ts.version(name)
				r := ts.do(name, tok, c.kind, c.body)
				want := slices.Contains(allowedRoles(c.class), role)
				switch {
				case want && r.status != http.StatusOK:
					t.Fatalf("%s as %s: status %d, want 200: %s", c.kind, role, r.status, r.body)
				case !want && r.status != http.StatusForbidden && r.status != http.StatusUnauthorized:
					t.Fatalf("%s as %s: status %d, want 401 or 403: %s", c.kind, role, r.status, r.body)
				case !want && ts.version(name) != before:
					t.Fatalf("%s as %s was refused but the council moved from version %d", c.kind, role, before)
				}
			})
		}
	}
}

func mustCommand(t *testing.T, kind string) council.Command {
	t.Helper()
	c, ok := NewCommand(kind)
	if !ok {
		t.Fatalf("no command %s", kind)
	}
	return c
}
