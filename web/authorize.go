package web

import (
	"slices"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// principal is who sent a request: the grant of the token it carried, or no one.
type principal struct {
	grant     access.Grant
	anonymous bool
}

// anonymousPrincipal is the caller without a token.
var anonymousPrincipal = principal{anonymous: true}

// runs reports whether the principal runs the council: its secretariat, or the server's admin.
func (p principal) runs(name string) bool {
	switch {
	case p.anonymous:
		return false
	case p.grant.Role == access.Admin:
		return true
	}
	return p.grant.Role == access.Secretariat && p.grant.Council == name
}

// reads reports whether the principal may read the council's state and record.
func (p principal) reads(name string, public bool) bool {
	if p.anonymous {
		return public
	}
	return p.grant.Role == access.Admin || p.grant.Council == name || public
}

// member is the member the principal acts as: its delegation's, or "" for every other role.
func (p principal) member(name string) string {
	if p.anonymous || p.grant.Role != access.Delegation || p.grant.Council != name {
		return ""
	}
	return p.grant.Member
}

// The three ways a command is authorised.
const (
	actMember    = iota // a member acts for itself: only its own delegation
	actPresiding        // the President acts: the delegation of the President of the day, or the secretariat
	actProponent        // a request's signatories or a draft's sponsors act on it, or the secretariat
	actSpeech           // a member speaks for itself; the President (or the secretariat) records another's statement when giving the floor
)

// classOf says how a command kind is authorised.
func classOf(c council.Command) int {
	switch c.(type) {
	case *council.Schedule, *council.Postpone, *council.Cancel, *council.Open, *council.AdoptAgenda,
		*council.Vote, *council.PRST, *council.Close, *council.OpenVote, *council.CloseVote:
		return actPresiding
	case *council.Submit, *council.Abandon, *council.Withdraw:
		return actProponent
	case *council.Statement:
		return actSpeech
	}
	return actMember
}

// actors returns the members a member's act names, and fills them with self when none is named.
func actors(c council.Command, self string) []string {
	one := func(by *string) []string {
		if *by == "" {
			*by = self
		}
		return []string{*by}
	}
	many := func(by *[]string) []string {
		if len(*by) == 0 && self != "" {
			*by = []string{self}
		}
		return *by
	}
	switch c := c.(type) {
	case *council.Request:
		return one(&c.By)
	case *council.Sign:
		return many(&c.By)
	case *council.Unsign:
		return one(&c.By)
	case *council.Decline:
		return one(&c.By)
	case *council.Object:
		return many(&c.By)
	case *council.Draft:
		return many(&c.By)
	case *council.Cosponsor:
		return many(&c.By)
	case *council.Amend:
		return many(&c.By)
	case *council.Statement:
		return one(&c.By)
	case *council.AskToSpeak:
		return one(&c.By)
	case *council.Ballot:
		return one(&c.By)
	}
	return nil
}

// presiding returns the Presiding part of a President's act.
func presiding(c council.Command) *council.Presiding {
	switch c := c.(type) {
	case *council.Schedule:
		return &c.Presiding
	case *council.Postpone:
		return &c.Presiding
	case *council.Cancel:
		return &c.Presiding
	case *council.Open:
		return &c.Presiding
	case *council.AdoptAgenda:
		return &c.Presiding
	case *council.PRST:
		return &c.Presiding
	case *council.Close:
		return &c.Presiding
	case *council.OpenVote:
		return &c.Presiding
	case *council.CloseVote:
		return &c.Presiding
	}
	return nil
}

// forbid is the error of a command the principal may not give.
func forbid(format string, args ...any) error {
	return council.Errorf(EForbidden, format, args...)
}

// authorize decides whether the principal may give the command to the council in its current state,
// filling in who acts where the command leaves it to the caller. It runs against the state the command
// is decided against, so the President of the command's day is the one the rules see.
func authorize(p principal, name string, st *council.State, c council.Command) error {
	if p.anonymous {
		return council.Errorf(EUnauthorized, "%s needs a token", c.Kind())
	}
	self := p.member(name)
	runs := p.runs(name)
	if !runs && self == "" {
		return forbid("%s token of %s may not give commands to %s", article(p.grant.Role), orServer(p.grant.Council), name)
	}
	class := classOf(c)
	if class == actSpeech {
		class = actMember
		if by := actors(c, ""); len(by) == 1 && by[0] != "" && by[0] != self {
			class = actPresiding // the President gives the floor to another member
		}
	}
	switch class {
	case actMember:
		by := actors(c, self)
		if self == "" {
			return forbid("%s is a member's own act: only that member's delegation may do it", c.Kind())
		}
		if len(by) != 1 || by[0] != self {
			return forbid("the delegation of %s acts only as %s, not as %v", self, self, by)
		}
		return nil
	case actPresiding:
		return presides(p, runs, self, st, c)
	}
	if runs {
		return nil
	}
	if proponents(st, c, self) {
		return nil
	}
	return forbid("only the proponents of what %s acts on may do it, and %s is not one of them", c.Kind(), self)
}

// presides checks a President's act: the secretariat, or the delegation of the member presiding on
// the command's day, which then presides as itself.
func presides(p principal, runs bool, self string, st *council.State, c council.Command) error {
	if runs {
		return nil
	}
	president, err := presidentFor(st, c)
	if err != nil {
		return err
	}
	if self != president {
		return forbid("%s is the President's act, and %s does not preside that day (%s does)", c.Kind(), self, orNone(president))
	}
	if pr := presiding(c); pr != nil {
		if pr.By == "" {
			pr.By = self
		} else if pr.By != self {
			return forbid("the delegation of %s cannot preside as %s", self, pr.By)
		}
	}
	return nil
}

// presidentFor is the member presiding on the command's day.
func presidentFor(st *council.State, c council.Command) (string, error) {
	day := c.Day()
	if day == 0 {
		day = st.Today
	}
	sit, err := st.SittingOn(day)
	if err != nil {
		return "", err
	}
	return sit.President, nil
}

// proponents reports whether self signed the request, or sponsors the draft, a command acts on.
func proponents(st *council.State, c council.Command, self string) bool {
	switch c := c.(type) {
	// What does not exist has no proponents to protect: the rules refuse it by name.
	case *council.Submit:
		r := st.Request(c.Request)
		return r == nil || slices.Contains(r.Signatories, self)
	case *council.Abandon:
		r := st.Request(c.Request)
		return r == nil || r.By == self
	case *council.Withdraw:
		d := st.DraftByID(c.Draft)
		return d == nil || slices.Contains(d.Sponsors, self)
	}
	return false
}

func orServer(name string) string {
	if name == "" {
		return "the server"
	}
	return name
}

func orNone(s string) string {
	if s == "" {
		return "no one"
	}
	return s
}

// article puts "a" or "an" before a role's name.
func article(r access.Role) string {
	if strings.ContainsRune("aeiou", rune(string(r + " ")[0])) {
		return "an " + string(r)
	}
	return "a " + string(r)
}
