package scenario

import (
	"fmt"

	"github.com/opencouncil/council"
	"go.yaml.in/yaml/v3"
)

// Kinds lists the step kinds a scenario may use, in the order of the contract's table.
var Kinds = []string{"request", "sign", "unsign", "decline", "submit", "abandon", "schedule", "postpone",
	"cancel", "open", "object", "adopt_agenda", "draft", "cosponsor", "amend", "withdraw", "vote",
	"statement", "prst", "close", "open_vote", "ballot", "close_vote", "ask_to_speak"}

// step reads one step: a mapping with one key, the step's kind, whose value holds its fields.
func (p *parser) step(n int, node *yaml.Node) (Step, error) {
	where := fmt.Sprintf("steps[%d]", n)
	if node.Kind != yaml.MappingNode || len(node.Content) != 2 {
		return Step{}, p.errf(node, where, "a step is one kind with its fields, such as {sign: {request: r1, by: FRA}}")
	}
	kind := node.Content[0].Value
	f, err := p.fieldsOf(where+"."+kind, node.Content[1])
	if err != nil {
		return Step{}, err
	}
	c, err := p.command(kind, f)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return Step{}, e
		}
		return Step{}, p.errf(node.Content[0], where, "%v", err)
	}
	at, err := f.date("at", false)
	if err != nil {
		return Step{}, err
	}
	if err := f.done(); err != nil {
		return Step{}, err
	}
	setDay(c, at)
	return Step{N: n, Line: node.Line, Command: c}, nil
}

func setDay(c council.Command, d council.Date) {
	c.(interface{ SetDay(council.Date) }).SetDay(d)
}

// first returns the first error, so a command's fields read in one expression list.
func first(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (p *parser) command(kind string, f *fields) (council.Command, error) {
	var err [8]error
	switch kind {
	case "request":
		c := &council.Request{}
		c.ID, err[0] = f.str("id", true)
		c.By, err[1] = f.member("by", true)
		c.Subject, err[2] = f.str("subject", true)
		c.MeetingOn, err[3] = f.date("meeting_on", false)
		c.Symbol, err[4] = f.str("symbol", false)
		return c, first(err[:]...)
	case "sign":
		c := &council.Sign{}
		c.Request, err[0] = f.str("request", true)
		c.By, err[1] = f.members("by", true)
		return c, first(err[:]...)
	case "unsign", "decline":
		req, e1 := f.str("request", true)
		by, e2 := f.member("by", true)
		if kind == "unsign" {
			return &council.Unsign{Request: req, By: by}, first(e1, e2)
		}
		return &council.Decline{Request: req, By: by}, first(e1, e2)
	case "submit":
		c := &council.Submit{}
		c.Request, err[0] = f.str("request", true)
		return c, err[0]
	case "abandon":
		c := &council.Abandon{}
		c.Request, err[0] = f.str("request", true)
		c.Reason, err[1] = f.str("reason", true)
		return c, first(err[:]...)
	case "schedule":
		c := &council.Schedule{}
		c.By, err[0] = f.member("by", false)
		c.Meeting, err[1] = f.str("meeting", true)
		c.On, err[2] = f.date("on", true)
		c.Agenda, _, err[3] = f.list("agenda", true)
		c.Request, err[4] = f.str("request", false)
		c.Format, err[5] = f.str("format", false)
		return c, first(err[:]...)
	case "postpone":
		c := &council.Postpone{}
		c.By, err[0] = f.member("by", false)
		c.Meeting, err[1] = f.str("meeting", true)
		c.To, err[2] = f.date("to", false)
		c.Reason, err[3] = f.str("reason", true)
		c.RequestedBy, err[4] = f.member("requested_by", false)
		return c, first(err[:]...)
	case "cancel":
		c := &council.Cancel{}
		c.By, err[0] = f.member("by", false)
		c.Meeting, err[1] = f.str("meeting", true)
		c.Reason, err[2] = f.str("reason", true)
		c.RequestedBy, err[3] = f.member("requested_by", false)
		return c, first(err[:]...)
	case "open", "adopt_agenda", "close":
		by, e1 := f.member("by", false)
		m, e2 := f.str("meeting", true)
		pr := council.Presiding{By: by}
		switch kind {
		case "open":
			return &council.Open{Presiding: pr, Meeting: m}, first(e1, e2)
		case "close":
			return &council.Close{Presiding: pr, Meeting: m}, first(e1, e2)
		}
		return &council.AdoptAgenda{Presiding: pr, Meeting: m}, first(e1, e2)
	case "object":
		c := &council.Object{}
		c.Meeting, err[0] = f.str("meeting", true)
		c.By, err[1] = f.members("by", true)
		return c, first(err[:]...)
	case "draft":
		c := &council.Draft{}
		c.ID, err[0] = f.str("id", true)
		c.By, err[1] = f.members("by", true)
		c.Title, err[2] = f.str("title", true)
		c.Meeting, err[3] = f.str("meeting", false)
		c.Symbol, err[4] = f.str("symbol", false)
		return c, first(err[:]...)
	case "cosponsor":
		c := &council.Cosponsor{}
		c.Draft, err[0] = f.str("draft", true)
		c.By, err[1] = f.members("by", true)
		return c, first(err[:]...)
	case "amend":
		c := &council.Amend{}
		c.ID, err[0] = f.str("id", true)
		c.Draft, err[1] = f.str("draft", true)
		c.By, err[2] = f.members("by", true)
		c.Title, err[3] = f.str("title", false)
		c.Symbol, err[4] = f.str("symbol", false)
		return c, first(err[:]...)
	case "withdraw":
		c := &council.Withdraw{}
		c.Draft, err[0] = f.str("draft", true)
		return c, err[0]
	case "vote":
		return p.vote(f)
	case "open_vote":
		c := &council.OpenVote{}
		c.By, err[0] = f.member("by", false)
		if err[0] != nil {
			return nil, err[0]
		}
		c.ID, c.Meeting, c.On, c.Matter, c.Parties, err[1] = p.question(f)
		return c, err[1]
	case "ballot":
		c := &council.Ballot{}
		c.Vote, err[0] = f.str("vote", true)
		c.By, err[1] = f.member("by", true)
		c.Ballot, err[2] = f.str("ballot", true)
		if e := first(err[:]...); e != nil {
			return nil, e
		}
		switch c.Ballot {
		case "yes", "no", "abstain":
		default:
			return nil, p.errf(f.keys["ballot"], f.name("ballot"), "%q is not a ballot (yes, no or abstain)", c.Ballot)
		}
		return c, nil
	case "close_vote":
		c := &council.CloseVote{}
		c.By, err[0] = f.member("by", false)
		c.Vote, err[1] = f.str("vote", true)
		return c, first(err[:]...)
	case "ask_to_speak":
		c := &council.AskToSpeak{}
		c.Meeting, err[0] = f.str("meeting", true)
		c.By, err[1] = f.member("by", true)
		return c, first(err[:]...)
	case "statement":
		c := &council.Statement{}
		c.Meeting, err[0] = f.str("meeting", true)
		c.By, err[1] = f.member("by", true)
		c.Text, err[2] = f.str("text", false)
		return c, first(err[:]...)
	case "prst":
		c := &council.PRST{}
		c.By, err[0] = f.member("by", false)
		c.Meeting, err[1] = f.str("meeting", true)
		c.Text, err[2] = f.str("text", false)
		c.Objections, err[3] = f.members("objections", false)
		return c, first(err[:]...)
	}
	return nil, fmt.Errorf("unknown step %q (steps are %v)", kind, Kinds)
}

// question reads what a vote or an open vote puts to the vote: id?, meeting, on, matter? and parties?.
func (p *parser) question(f *fields) (id, meeting, on, matter string, parties []string, _ error) {
	var err [5]error
	id, err[0] = f.str("id", false)
	meeting, err[1] = f.str("meeting", true)
	on, err[2] = f.str("on", true)
	matter, err[3] = f.str("matter", false)
	parties, err[4] = f.members("parties", false)
	if e := first(err[:]...); e != nil {
		return "", "", "", "", nil, e
	}
	if matter != "" {
		ok := false
		for _, e := range p.body.Eras {
			if e.Decisions[matter] != nil {
				ok = true
			}
		}
		if !ok {
			return "", "", "", "", nil, p.errf(f.keys["matter"], f.name("matter"), "%q is not a kind of decision of the %s", matter, p.body.ID)
		}
	}
	return id, meeting, on, matter, parties, nil
}

// vote reads a vote; one of yes, no, abstain or absent may be "rest": every member listed nowhere else.
func (p *parser) vote(f *fields) (council.Command, error) {
	c := &council.Vote{}
	var err error
	if c.ID, c.Meeting, c.On, c.Matter, c.Parties, err = p.question(f); err != nil {
		return nil, err
	}
	lists := []struct {
		name string
		dst  *[]string
	}{{"yes", &c.Yes}, {"no", &c.No}, {"abstain", &c.Abstain}, {"absent", &c.Absent}}
	for _, l := range lists {
		n := f.keys[l.name]
		if n != nil && n.Kind == yaml.ScalarNode && n.Value == "rest" {
			f.used[l.name] = true
			if c.Rest != "" {
				return nil, p.errf(n, f.name(l.name), "only one list may be rest (already %s)", c.Rest)
			}
			c.Rest = l.name
			continue
		}
		codes, e := f.members(l.name, false)
		if e != nil {
			return nil, e
		}
		*l.dst = codes
	}
	return c, nil
}
