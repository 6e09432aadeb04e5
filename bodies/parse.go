package bodies

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/opencouncil/council/rules"
)

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	namePattern  = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	codePattern  = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]*$`)
	idWant       = "lowercase letters, digits, - and _"
	nameWant     = "a lowercase name such as procedural or elected"
	codeWant     = "uppercase letters and digits, such as FRA or D1"
	topKeys      = []string{"id", "name", "prefix", "roster", "presidency", "defaults", "members", "eras", "seats", "classes", "quorum", "decisions"}
	eraKeys      = []string{"from", "seats", "classes", "quorum", "decisions"}
	decisionKeys = []string{"votes", "share", "of", "weighted", "all", "consensus", "veto", "blocking_minority"}
	criteriaKeys = []string{"votes", "share", "of", "weighted"}
	quorumKeys   = []string{"members", "share"}
	seatKeys     = []string{"code", "name", "class", "weight"}
	defaultKeys  = []string{"agenda", "draft", "amendment", "statement"}
)

// Parse reads a body file's bytes; filename is used in error messages. Errors are *Error, naming the
// line and field.
func Parse(data []byte, filename string) (*rules.Body, error) {
	if filename == "" {
		filename = "<body>"
	}
	p := &parser{file: filename}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.syntaxError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &Error{File: filename, Err: errors.New("empty body file")}
	}
	b, err := p.body(doc.Content[0])
	if err != nil {
		return nil, err
	}
	if err := b.Validate(); err != nil {
		return nil, &Error{File: filename, Err: err}
	}
	return b, nil
}

// member is a seat and where the file lists it.
type member struct {
	seat  rules.Seat
	node  *yaml.Node
	field string
}

func (p *parser) body(n *yaml.Node) (*rules.Body, error) {
	top, err := p.object(n, "", topKeys...)
	if err != nil {
		return nil, err
	}
	b := &rules.Body{}
	if top.get("id") == nil {
		return nil, p.missing(top, "id")
	}
	if b.ID, err = p.name(top.get("id"), "id", idPattern, idWant); err != nil {
		return nil, err
	}
	if b.Name, err = p.str(top, "name"); err != nil {
		return nil, err
	}
	if b.Name == "" {
		b.Name = b.ID
	}
	if b.Prefix, err = p.str(top, "prefix"); err != nil {
		return nil, err
	}
	if b.Prefix == "" {
		b.Prefix = strings.ToUpper(b.ID)
	}
	if b.Roster, err = p.oneOf(top, "roster", "unsc"); err != nil {
		return nil, err
	}
	if b.Presidency, err = p.oneOf(top, "presidency", "rotation"); err != nil {
		return nil, err
	}
	var members []member
	if n := top.get("members"); n != nil {
		if b.Roster != "" {
			return nil, p.failf(top.keys["members"], "members", "give either roster or members, not both")
		}
		if members, err = p.members(n, "members"); err != nil {
			return nil, err
		}
	}
	if b.Eras, err = p.eras(top, members); err != nil {
		return nil, err
	}
	if b.Members, err = p.seats(members, b.Eras); err != nil {
		return nil, err
	}
	if b.Defaults, err = p.defaults(top, b.Eras); err != nil {
		return nil, err
	}
	return b, nil
}

// oneOf reads an optional field whose only allowed value is want.
func (p *parser) oneOf(o *object, key, want string) (string, error) {
	s, err := p.str(o, key)
	if err != nil || s == "" || s == want {
		return s, err
	}
	return "", p.failf(o.get(key), o.field(key), "unknown %s %q (want %s, or leave it out)", key, s, want)
}

// members reads either a list of {code, name, class, weight} or a map from class to a list of codes.
func (p *parser) members(n *yaml.Node, path string) ([]member, error) {
	var out []member
	seen := map[string]int{}
	add := func(m member) error {
		if line, ok := seen[m.seat.Code]; ok {
			return p.failf(m.node, m.field, "member %s listed twice (first on line %d)", m.seat.Code, line)
		}
		seen[m.seat.Code] = m.node.Line
		out = append(out, m)
		return nil
	}
	if n.Kind == yaml.MappingNode {
		content, err := p.entries(n, path, "member classes to lists of codes")
		if err != nil {
			return nil, err
		}
		for i := 0; i+1 < len(content); i += 2 {
			kn := deref(content[i])
			class, err := p.name(kn, join(path, kn.Value), namePattern, nameWant)
			if err != nil {
				return nil, err
			}
			field := join(path, class)
			codes, err := p.list(content[i+1], field, "member codes")
			if err != nil {
				return nil, err
			}
			for j, cn := range codes {
				f := fmt.Sprintf("%s[%d]", field, j)
				code, err := p.name(cn, f, codePattern, codeWant)
				if err != nil {
					return nil, err
				}
				if err := add(member{rules.Seat{Code: code, Class: class, Weight: 1}, cn, f}); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}
	items, err := p.list(n, path, "members {code, name, class, weight}, or a mapping of classes to codes")
	if err != nil {
		return nil, err
	}
	for i, item := range items {
		f := fmt.Sprintf("%s[%d]", path, i)
		o, err := p.object(item, f, seatKeys...)
		if err != nil {
			return nil, err
		}
		if o.get("code") == nil {
			return nil, p.missing(o, "code")
		}
		s := rules.Seat{Weight: 1}
		if s.Code, err = p.name(o.get("code"), o.field("code"), codePattern, codeWant); err != nil {
			return nil, err
		}
		if s.Name, err = p.str(o, "name"); err != nil {
			return nil, err
		}
		if c := o.get("class"); c != nil {
			if s.Class, err = p.name(c, o.field("class"), namePattern, nameWant); err != nil {
				return nil, err
			}
		}
		if o.get("weight") != nil {
			if s.Weight, err = p.integer(o, "weight", 1); err != nil {
				return nil, err
			}
		}
		if err := add(member{s, o.node, f}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// seats checks each member's class against the classes of every era. A member without a class takes
// the body's only class.
func (p *parser) seats(members []member, eras []*rules.Era) ([]rules.Seat, error) {
	if members == nil {
		return nil, nil
	}
	only := ""
	if len(eras[0].Classes) == 1 {
		only = eras[0].Classes[0]
		for _, e := range eras {
			if len(e.Classes) != 1 || e.Classes[0] != only {
				only = ""
			}
		}
	}
	out := make([]rules.Seat, len(members))
	for i, m := range members {
		if m.seat.Class == "" {
			if only == "" {
				return nil, p.failf(m.node, join(m.field, "class"), "missing (the body has several classes, or none declared)")
			}
			m.seat.Class = only
		}
		for _, e := range eras {
			if len(e.Classes) > 0 && !slices.Contains(e.Classes, m.seat.Class) {
				return nil, p.failf(m.node, join(m.field, "class"), "class %q is not one of the classes (%s)%s",
					m.seat.Class, strings.Join(e.Classes, ", "), eraName(e))
			}
		}
		out[i] = m.seat
	}
	return out, nil
}

// eraName names an era in messages: "" for a body with one era.
func eraName(e *rules.Era) string {
	if e.From == "" {
		return ""
	}
	return " in the era from " + e.From
}

// eras reads either the list under eras or the one era given at the top level.
func (p *parser) eras(top *object, members []member) ([]*rules.Era, error) {
	inferred := memberClasses(members)
	n := top.get("eras")
	if n == nil {
		if top.get("decisions") == nil {
			return nil, p.missing(top, "decisions")
		}
		e, err := p.era(top, members, inferred)
		if err != nil {
			return nil, err
		}
		return []*rules.Era{e}, nil
	}
	for _, k := range eraKeys {
		if top.get(k) != nil {
			return nil, p.failf(top.keys[k], k, "put %s inside each era, or drop eras", k)
		}
	}
	items, err := p.list(n, "eras", "eras {from, seats, classes, quorum, decisions}")
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, p.failf(n, "eras", "no eras")
	}
	var out []*rules.Era
	for i, item := range items {
		o, err := p.object(item, fmt.Sprintf("eras[%d]", i), eraKeys...)
		if err != nil {
			return nil, err
		}
		if o.get("decisions") == nil {
			return nil, p.missing(o, "decisions")
		}
		e, err := p.era(o, members, inferred)
		if err != nil {
			return nil, err
		}
		if fn := o.get("from"); fn != nil {
			if e.From, err = p.date(fn, o.field("from")); err != nil {
				return nil, err
			}
		} else if i > 0 {
			return nil, p.missing(o, "from")
		}
		if i > 0 && e.From <= out[i-1].From {
			return nil, p.failf(o.get("from"), o.field("from"), "%s is not after the era before it (%s): eras go in date order", e.From, out[i-1].From)
		}
		out = append(out, e)
	}
	return out, nil
}

func (p *parser) date(n *yaml.Node, field string) (string, error) {
	s, err := p.scalar(n, field)
	if err != nil {
		return "", err
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", p.failf(n, field, "bad date %q (want YYYY-MM-DD)", s)
	}
	return s, nil
}

// memberClasses lists the members' classes in the order they first appear.
func memberClasses(members []member) []string {
	var out []string
	for _, m := range members {
		if m.seat.Class != "" && !slices.Contains(out, m.seat.Class) {
			out = append(out, m.seat.Class)
		}
	}
	return out
}

// era reads seats, classes, quorum and decisions from an era, or from the top level of a one-era body.
// Without classes, the era has the classes of the members listed.
func (p *parser) era(o *object, members []member, inferred []string) (*rules.Era, error) {
	e := &rules.Era{}
	seats, err := p.integer(o, "seats", 1)
	if err != nil {
		return nil, err
	}
	e.Seats = int(seats)
	if e.Seats > 0 && members != nil && len(members) != e.Seats {
		return nil, p.failf(o.get("seats"), o.field("seats"), "%d seats but %d members listed", e.Seats, len(members))
	}
	e.Classes = inferred
	if n := o.get("classes"); n != nil {
		if e.Classes, err = p.classes(n, o.field("classes")); err != nil {
			return nil, err
		}
	}
	if n := o.get("quorum"); n != nil {
		if e.Quorum, err = p.quorum(n, o.field("quorum"), e.Seats); err != nil {
			return nil, err
		}
	}
	path := o.field("decisions")
	content, err := p.entries(o.get("decisions"), path, "decision names to how they are taken")
	if err != nil {
		return nil, err
	}
	if len(content) == 0 {
		return nil, p.failf(o.get("decisions"), path, "no decisions")
	}
	e.Decisions = map[string]*rules.Decision{}
	for i := 0; i+1 < len(content); i += 2 {
		kn := deref(content[i])
		name, err := p.name(kn, join(path, kn.Value), namePattern, nameWant)
		if err != nil {
			return nil, err
		}
		d, err := p.decision(content[i+1], join(path, name), e)
		if err != nil {
			return nil, err
		}
		d.Name = name
		e.Decisions[name] = d
	}
	return e, nil
}

func (p *parser) classes(n *yaml.Node, path string) ([]string, error) {
	items, err := p.list(n, path, "member classes")
	if err != nil {
		return nil, err
	}
	var out []string
	for i, item := range items {
		f := fmt.Sprintf("%s[%d]", path, i)
		c, err := p.name(item, f, namePattern, nameWant)
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, c) {
			return nil, p.failf(item, f, "class %q listed twice", c)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, p.failf(n, path, "no classes")
	}
	return out, nil
}

// quorum reads {members: N} and/or {share: S}, the share being of all members.
func (p *parser) quorum(n *yaml.Node, path string, seats int) (*rules.Quorum, error) {
	o, err := p.object(n, path, quorumKeys...)
	if err != nil {
		return nil, err
	}
	q := &rules.Quorum{}
	m, err := p.integer(o, "members", 1)
	if err != nil {
		return nil, err
	}
	if seats > 0 && m > int64(seats) {
		return nil, p.failf(o.get("members"), o.field("members"), "%d members needed but only %d seats", m, seats)
	}
	q.Members = int(m)
	if q.Share, err = p.share(o); err != nil {
		return nil, err
	}
	if q.Members == 0 && q.Share.Den == 0 {
		return nil, p.failf(o.node, path, "give members, share or both")
	}
	return q, nil
}

// share reads an optional share: the zero Share when absent.
func (p *parser) share(o *object) (rules.Share, error) {
	n := o.get("share")
	if n == nil {
		return rules.Share{}, nil
	}
	s, err := p.scalar(n, o.field("share"))
	if err != nil {
		return rules.Share{}, err
	}
	sh, err := rules.ParseShare(s)
	if err != nil {
		return rules.Share{}, p.fail(n, o.field("share"), err)
	}
	return sh, nil
}

// decision reads how one kind of decision is taken.
func (p *parser) decision(n *yaml.Node, path string, e *rules.Era) (*rules.Decision, error) {
	o, err := p.object(n, path, decisionKeys...)
	if err != nil {
		return nil, err
	}
	d := &rules.Decision{}
	c, ok, err := p.criterion(o, e.Seats)
	if err != nil {
		return nil, err
	}
	if ok {
		d.Criteria = append(d.Criteria, c)
	}
	if an := o.get("all"); an != nil {
		items, err := p.list(an, o.field("all"), "criteria {votes, share, of, weighted}")
		if err != nil {
			return nil, err
		}
		for i, item := range items {
			f := fmt.Sprintf("%s[%d]", o.field("all"), i)
			co, err := p.object(item, f, criteriaKeys...)
			if err != nil {
				return nil, err
			}
			c, ok, err := p.criterion(co, e.Seats)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, p.failf(co.node, f, "give votes, share or both")
			}
			d.Criteria = append(d.Criteria, c)
		}
	}
	if d.Consensus, err = p.boolean(o, "consensus"); err != nil {
		return nil, err
	}
	if vn := o.get("veto"); vn != nil {
		if d.Veto, err = p.name(vn, o.field("veto"), namePattern, nameWant); err != nil {
			return nil, err
		}
		if !slices.Contains(e.Classes, d.Veto) {
			return nil, p.failf(vn, o.field("veto"), "veto class %q is not one of the classes (%s)", d.Veto, strings.Join(e.Classes, ", "))
		}
	}
	bm, err := p.integer(o, "blocking_minority", 1)
	if err != nil {
		return nil, err
	}
	d.BlockingMinority = int(bm)
	if bm > 0 && len(d.Criteria) == 0 {
		return nil, p.failf(o.get("blocking_minority"), o.field("blocking_minority"), "a blocking minority needs votes, share or all to deem met")
	}
	if len(d.Criteria) == 0 && !d.Consensus {
		return nil, p.failf(o.node, path, "say how the decision is taken: votes, share, all or consensus: true")
	}
	return d, nil
}

// criterion reads votes, share, of and weighted; ok is false when neither votes nor share is given.
func (p *parser) criterion(o *object, seats int) (c rules.Criterion, ok bool, err error) {
	votes, err := p.integer(o, "votes", 1)
	if err != nil {
		return c, false, err
	}
	if seats > 0 && votes > int64(seats) {
		return c, false, p.failf(o.get("votes"), o.field("votes"), "%d votes needed but only %d seats", votes, seats)
	}
	c.Votes = int(votes)
	if c.Share, err = p.share(o); err != nil {
		return c, false, err
	}
	if n := o.get("of"); n != nil {
		if c.Share.Den == 0 {
			return c, false, p.failf(o.keys["of"], o.field("of"), "of without a share")
		}
		s, err := p.scalar(n, o.field("of"))
		if err != nil {
			return c, false, err
		}
		if c.Base, err = rules.ParseBase(s); err != nil {
			return c, false, p.fail(n, o.field("of"), err)
		}
	}
	if c.Weighted, err = p.boolean(o, "weighted"); err != nil {
		return c, false, err
	}
	if c.Weighted && c.Share.Den == 0 {
		return c, false, p.failf(o.get("weighted"), o.field("weighted"), "weighted without a share")
	}
	return c, c.Votes > 0 || c.Share.Den != 0, nil
}

// defaults reads which decision a vote takes when it names none; each must exist in every era.
func (p *parser) defaults(top *object, eras []*rules.Era) (map[string]string, error) {
	n := top.get("defaults")
	if n == nil {
		return map[string]string{}, nil
	}
	o, err := p.object(n, "defaults", defaultKeys...)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, on := range defaultKeys {
		vn := o.get(on)
		if vn == nil {
			continue
		}
		m, err := p.scalar(vn, o.field(on))
		if err != nil {
			return nil, err
		}
		for _, e := range eras {
			if e.Decisions[m] == nil {
				return nil, p.failf(vn, o.field(on), "no decision %q%s (decisions: %s)", m, eraName(e), decisionNames(e))
			}
		}
		out[on] = m
	}
	return out, nil
}

func decisionNames(e *rules.Era) string {
	names := make([]string, 0, len(e.Decisions))
	for n := range e.Decisions {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
