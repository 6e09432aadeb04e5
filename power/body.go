package power

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/rules"
)

// FromDecision is the simple game of a kind of decision of a body among these members: a coalition
// wins when its members voting in favour, and every other member voting against, would take the
// decision by the era's rules (package rules): its count of heads, its shares of heads and of weight,
// its veto class, its consensus and its blocking minority. Everyone votes, so a quorum is met when it
// can be, and shares of those present or voting are shares of all members. A weight of 0 counts as 1,
// as the engine counts it.
func FromDecision(era *rules.Era, matter string, seats []rules.Seat) (*Game, error) {
	d := era.Decision(matter)
	if d == nil {
		names := make([]string, 0, len(era.Decisions))
		for name := range era.Decisions {
			names = append(names, name)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("no decision %q in these rules (they have %s)", matter, strings.Join(names, ", "))
	}
	n := len(seats)
	if n == 0 {
		return nil, fmt.Errorf("no members")
	}
	g := &Game{Players: make([]Player, n), Need: make([]int64, n+1)}
	var total int64
	vetoes := 0
	for i, s := range seats {
		w := s.Weight
		if w == 0 {
			w = 1
		}
		g.Players[i] = Player{ID: s.Code, Name: s.Name, Class: s.Class, Weight: w, Veto: d.Veto != "" && s.Class == d.Veto}
		total += w
		if g.Players[i].Veto {
			vetoes++
		}
	}
	// The heads and the weight in favour that the criteria ask for; at least one vote in favour.
	heads, weight := int64(1), int64(0)
	weighted := false
	for _, c := range d.Criteria {
		heads = max(heads, int64(c.Votes))
		if c.Share.Den == 0 {
			continue
		}
		if c.Weighted {
			weighted = true
			weight = max(weight, c.Share.Min(total), 1)
		} else {
			heads = max(heads, c.Share.Min(int64(n)))
		}
	}
	quorate := true
	if q := era.Quorum; q != nil {
		quorate = n >= q.Members && (q.Share.Den == 0 || q.Share.Met(int64(n), int64(n)))
	}
	for k := range g.Need {
		t := Never
		switch {
		case !quorate:
		case d.Consensus && k < n: // a member against objects
		case int64(k) >= heads || len(d.Criteria) == 0:
			t = weight
		}
		if quorate && !d.Consensus && d.BlockingMinority > 0 && n-k < d.BlockingMinority {
			t = 0 // no blocking minority: deemed taken
		}
		g.Need[k] = t
	}
	// Sizes that pass by heads alone pass with any weight.
	if !weighted {
		for k, t := range g.Need {
			if t != Never {
				g.Need[k] = 0
			}
		}
	}
	g.Rule = describeDecision(d, n, heads, weight, total, weighted, vetoes, quorate)
	return g, g.Validate()
}

// describeDecision says in words how a coalition carries a decision.
func describeDecision(d *rules.Decision, n int, heads, weight, total int64, weighted bool, vetoes int, quorate bool) string {
	if !quorate {
		return "never: the quorum cannot be met"
	}
	var b strings.Builder
	switch {
	case d.Consensus:
		fmt.Fprintf(&b, "all %d members (by consensus)", n)
	case weighted:
		fmt.Fprintf(&b, "at least %d of %d members with at least %s of the weight (%s of %s)", heads, n,
			shareOf(d), group(weight), group(total))
	default:
		fmt.Fprintf(&b, "at least %d of %d members", heads, n)
	}
	if bm := d.BlockingMinority; bm > 0 && !d.Consensus {
		fmt.Fprintf(&b, ", or at least %d members (fewer than %d against cannot block)", n-bm+1, bm)
	}
	if vetoes > 0 {
		fmt.Fprintf(&b, ", including all %d %s members (veto)", vetoes, d.Veto)
	}
	return b.String()
}

// shareOf names the weighted share a decision asks for.
func shareOf(d *rules.Decision) string {
	for _, c := range d.Criteria {
		if c.Weighted && c.Share.Den != 0 {
			return c.Share.String()
		}
	}
	return "a share"
}

// Seats are the members of a body on a day ("YYYY-MM-DD"): the Security Council's from its roster (r;
// nil means the embedded one), others' from their body file.
func Seats(b *rules.Body, day string, r *roster.Roster) ([]rules.Seat, error) {
	if b.Roster != "unsc" {
		if len(b.Members) == 0 {
			return nil, fmt.Errorf("body %s lists no members", b.ID)
		}
		return b.Members, nil
	}
	if r == nil {
		r = roster.Default()
	}
	var year int
	if _, err := fmt.Sscanf(day, "%4d", &year); err != nil {
		return nil, fmt.Errorf("bad date %q", day)
	}
	ms, err := r.Members(year)
	if err != nil {
		first, last := r.Years()
		return nil, fmt.Errorf("no Security Council members recorded for %d: the roster covers %d to %d", year, first, last)
	}
	seats := make([]rules.Seat, len(ms))
	for i, m := range ms {
		class := "elected"
		if m.Permanent {
			class = "permanent"
		}
		seats[i] = rules.Seat{Code: m.Code, Name: m.Name, Class: class, Weight: 1}
	}
	return seats, nil
}

// BodyGame is the game of a decision of a body on a day ("YYYY-MM-DD"), among the members sitting
// that day. An empty matter means the decision on a draft (the body's default for drafts).
func BodyGame(b *rules.Body, matter, day string, r *roster.Roster) (*Game, error) {
	era := b.EraOn(day)
	if era == nil {
		return nil, fmt.Errorf("the %s did not exist on %s", b.ID, day)
	}
	if matter == "" {
		matter = b.DefaultMatter("draft")
	}
	if matter == "" {
		names := make([]string, 0, len(era.Decisions))
		for name := range era.Decisions {
			names = append(names, name)
		}
		slices.Sort(names)
		matter = names[0]
	}
	seats, err := Seats(b, day, r)
	if err != nil {
		return nil, err
	}
	g, err := FromDecision(era, matter, seats)
	if err != nil {
		return nil, err
	}
	name := b.Name
	if name == "" {
		name = b.ID
	}
	var about []string
	if era.From != "" && len(b.Eras) > 1 {
		about = append(about, "rules from "+era.From)
	}
	if b.Roster == "unsc" {
		about = append(about, "members of "+day)
	}
	g.Name = fmt.Sprintf("%s, %s decisions", name, matter)
	if len(about) > 0 {
		g.Name += " (" + strings.Join(about, "; ") + ")"
	}
	return g, nil
}
