package councils

import (
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/rules"
)

// RosterSeating is the Security Council as it really sat: the members of each year from the roster and
// the President of each month by Rule 18. Everything is worked out once, when it is made.
type RosterSeating struct {
	first  int
	months []*council.Sitting // one per month from January of the roster's first year
}

// NewRosterSeating returns the seating of the Security Council from a roster.
func NewRosterSeating(r *roster.Roster) (*RosterSeating, error) {
	first, last := r.Years()
	rs := &RosterSeating{first: first}
	for y := first; y <= last; y++ {
		ms, err := r.Members(y)
		if err != nil {
			return nil, err
		}
		seats := make([]rules.Seat, len(ms))
		for i, m := range ms {
			seats[i] = rules.Seat{Code: m.Code, Name: m.Name, Class: classOf(m.Permanent), Weight: 1}
		}
		base := council.NewSitting(seats, "")
		for mo := time.January; mo <= time.December; mo++ {
			p, err := r.President(y, mo)
			if err != nil {
				return nil, err
			}
			rs.months = append(rs.months, base.WithPresident(p.Code))
		}
	}
	return rs, nil
}

func classOf(permanent bool) string {
	if permanent {
		return "permanent"
	}
	return "elected"
}

// Sitting returns the members and President of the day.
func (rs *RosterSeating) Sitting(d council.Date) (*council.Sitting, error) {
	y, m, _ := d.Civil()
	i := (y-rs.first)*12 + int(m) - 1
	if i < 0 || i >= len(rs.months) {
		return nil, council.Errorf(council.ENoData, "the roster has no members for %d: it covers %d to %d (next year's members go in roster/data/membership.csv)",
			y, rs.first, rs.first+len(rs.months)/12-1)
	}
	return rs.months[i], nil
}

// CompositionSeating is a what-if composition of the Security Council: fixed members, with the
// presidency rotating among them from the real President of each month (roster.PresidentAmong).
func CompositionSeating(r *roster.Roster, members []rules.Seat) *council.FixedSeating {
	codes := make([]string, len(members))
	for i, m := range members {
		codes[i] = m.Code
	}
	return council.NewFixedSeating(members, func(y int, m time.Month) (string, error) {
		p, err := r.PresidentAmong(y, m, codes)
		if err != nil {
			return "", council.Errorf(council.ENoPresidency, "no presidency for %d-%02d: %v", y, int(m), err)
		}
		return p, nil
	})
}
