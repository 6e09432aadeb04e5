package council

import (
	"sync"
	"time"

	"github.com/opencouncil/council/rules"
)

// Sitting is who sits on the body on a day, in the order of the presidency rotation, and who presides.
type Sitting struct {
	Members   []rules.Seat
	President string // "" when the body has no presidency
	index     map[string]int
	absent    []rules.Cast // every member absent: the start of each vote's ballots
}

// NewSitting returns a sitting of these members with this President.
func NewSitting(members []rules.Seat, president string) *Sitting {
	idx := make(map[string]int, len(members))
	absent := make([]rules.Cast, len(members))
	for i, m := range members {
		idx[m.Code] = i
		absent[i] = rules.Cast{Member: m.Code, Class: m.Class, Weight: m.Weight, Ballot: rules.Absent}
	}
	return &Sitting{Members: members, President: president, index: idx, absent: absent}
}

// WithPresident returns a sitting of the same members under another President, sharing the members.
func (s *Sitting) WithPresident(president string) *Sitting {
	return &Sitting{Members: s.Members, President: president, index: s.index, absent: s.absent}
}

// Index is the member's position in Members, or -1 if it does not sit.
func (s *Sitting) Index(code string) int {
	if i, ok := s.index[code]; ok {
		return i
	}
	return -1
}

// Codes lists the sitting members' codes in order.
func (s *Sitting) Codes() []string {
	out := make([]string, len(s.Members))
	for i, m := range s.Members {
		out[i] = m.Code
	}
	return out
}

// Seating says who sits on a body and who presides, day by day.
type Seating interface {
	Sitting(d Date) (*Sitting, error)
}

// FixedSeating is a membership that does not change with the date, such as a board, an assembly or a
// what-if composition of the Security Council. Its presidency, if any, changes monthly.
type FixedSeating struct {
	sitting    *Sitting
	presidency func(year int, month time.Month) (string, error)

	mu     sync.Mutex
	months map[int]*Sitting // by year*12+month: the sitting under that month's President
}

// NewFixedSeating returns a fixed membership; presidency gives the President of a month, and may be
// nil for a body without a presidency.
func NewFixedSeating(members []rules.Seat, presidency func(year int, month time.Month) (string, error)) *FixedSeating {
	return &FixedSeating{sitting: NewSitting(members, ""), presidency: presidency, months: map[int]*Sitting{}}
}

// Sitting returns the members and the President of the day. It is safe for concurrent use.
func (f *FixedSeating) Sitting(d Date) (*Sitting, error) {
	if f.presidency == nil {
		return f.sitting, nil
	}
	y, m, _ := d.Civil()
	k := y*12 + int(m)
	f.mu.Lock()
	defer f.mu.Unlock()
	if s := f.months[k]; s != nil {
		return s, nil
	}
	p, err := f.presidency(y, m)
	if err != nil {
		return nil, err
	}
	s := f.sitting.WithPresident(p)
	f.months[k] = s
	return s, nil
}
