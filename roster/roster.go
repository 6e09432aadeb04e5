package roster

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrNoData reports a year outside the years the membership data covers.
var ErrNoData = errors.New("no membership data for that year")

// Member is a state sitting on the Council in a given year.
type Member struct {
	Code      string // ISO 3166 alpha-3 (ISO 3166-3 for dissolved states)
	Name      string // the UN's English short name that year, as in membership.csv
	Permanent bool
}

// Roster answers who sat on the Council and who presided, for the years its
// membership data covers. It is read-only once built and safe for
// concurrent use.
type Roster struct {
	first, last int
	years       []council         // index year-first
	countries   map[string]string // code -> UN short name
	lastName    map[string]string // code -> latest name in the membership data
	sortNames   map[string][]sortName
	overrides   map[monthKey]string
	presidents  []Member // index (year-first)*12 + month-1
}

// council is the membership of one year, in presidency order.
type council struct {
	members []Member
	keys    []sortKey      // keys[i] places members[i]
	index   map[string]int // code -> position in members
}

// Years returns the first and last year the membership data covers.
func (r *Roster) Years() (first, last int) {
	return r.first, r.last
}

func (r *Roster) council(year int) (*council, error) {
	if year < r.first || year > r.last {
		return nil, fmt.Errorf("year %d: %w", year, ErrNoData)
	}
	return &r.years[year-r.first], nil
}

// Members returns the members sitting in year, in presidency (alphabetical)
// order. It reports ErrNoData for a year outside the data.
func (r *Roster) Members(year int) ([]Member, error) {
	c, err := r.council(year)
	if err != nil {
		return nil, err
	}
	return slices.Clone(c.members), nil
}

// Sits reports whether the state with the code sat on the Council in year.
func (r *Roster) Sits(code string, year int) bool {
	c, err := r.council(year)
	if err != nil {
		return false
	}
	_, ok := c.index[code]
	return ok
}

// Known reports whether code names a state the roster knows: a UN Member or
// observer state, a dissolved state in the Council's record, or any state
// in the membership data.
func (r *Roster) Known(code string) bool {
	if _, ok := r.countries[code]; ok {
		return true
	}
	_, ok := r.lastName[code]
	return ok
}

// Name returns the name to show for the state in year: the Council's name
// for it that year if it sat, else its UN short name from countries.csv,
// else "".
func (r *Roster) Name(code string, year int) string {
	if c, err := r.council(year); err == nil {
		if i, ok := c.index[code]; ok {
			return c.members[i].Name
		}
	}
	return r.countries[code]
}

// SortName returns the name under which the state is placed in the
// alphabetical order of year: the historical name from sort_names.csv where
// one applies, else Name(code, year).
func (r *Roster) SortName(code string, year int) string {
	if name, ok := r.recordedSortName(code, year); ok {
		return name
	}
	return r.countries[code]
}

// recordedSortName returns the state's sort name for year from sort_names.csv
// or, where it sat that year, membership.csv; ok is false when neither has one.
func (r *Roster) recordedSortName(code string, year int) (name string, ok bool) {
	for _, s := range r.sortNames[code] {
		if s.from <= year && year <= s.to {
			return s.name, true
		}
	}
	if c, err := r.council(year); err == nil {
		if i, sits := c.index[code]; sits {
			return c.members[i].Name, true
		}
	}
	return "", false
}

// key places a state in the alphabetical order of year. For a state known
// only from the membership data of other years it uses its latest name there.
func (r *Roster) key(code string, year int) sortKey {
	name := r.SortName(code, year)
	if name == "" {
		name = r.lastName[code]
	}
	return sortKey{fold: Fold(name), code: code}
}

// President returns the member that presides over the Council in the month.
// It reports ErrNoData for a year outside the data.
func (r *Roster) President(year int, month time.Month) (Member, error) {
	if month < time.January || month > time.December {
		return Member{}, fmt.Errorf("president: invalid month %d", month)
	}
	if _, err := r.council(year); err != nil {
		return Member{}, fmt.Errorf("president: %w", err)
	}
	return r.presidents[monthIndex(year-r.first, month)], nil
}

func monthIndex(yearOffset int, month time.Month) int {
	return yearOffset*12 + int(month) - 1
}
