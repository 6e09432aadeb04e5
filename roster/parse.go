package roster

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// The file names used in errors.
const (
	membershipFile = "membership.csv"
	sortNamesFile  = "sort_names.csv"
	overridesFile  = "presidency_overrides.csv"
	countriesFile  = "countries.csv"
)

// sortName is a name a state was alphabetised under in the years from..to.
type sortName struct {
	from, to int
	name     string
}

// monthKey names one calendar month.
type monthKey struct {
	year  int
	month time.Month
}

// Parse builds a Roster from the four tables (see the files under data/ for
// their formats) and computes every month's President. Errors name the file,
// line and field at fault.
func Parse(membership, sortNames, overrides, countries io.Reader) (*Roster, error) {
	r := &Roster{}
	var err error
	if r.countries, err = parseCountries(countries); err != nil {
		return nil, err
	}
	if err = r.parseMembership(membership); err != nil {
		return nil, err
	}
	if r.sortNames, err = parseSortNames(sortNames); err != nil {
		return nil, err
	}
	for i := range r.years {
		r.sortCouncil(r.first + i)
	}
	if r.overrides, err = r.parseOverrides(overrides); err != nil {
		return nil, err
	}
	r.presidents = r.rotate()
	return r, nil
}

func parseCountries(in io.Reader) (map[string]string, error) {
	rows, err := readTable(countriesFile, in, []string{"code", "name"})
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(rows))
	for _, rw := range rows {
		code, err := rw.code("code")
		if err != nil {
			return nil, err
		}
		name, err := rw.text("name")
		if err != nil {
			return nil, err
		}
		if _, dup := names[code]; dup {
			return nil, rw.errorf("code", "%s listed twice", code)
		}
		names[code] = name
	}
	return names, nil
}

func (r *Roster) parseMembership(in io.Reader) error {
	rows, err := readTable(membershipFile, in, []string{"year", "code", "name", "permanent"})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no members", membershipFile)
	}
	byYear := map[int][]Member{}
	r.lastName = map[string]string{}
	lastYear := map[string]int{}
	r.first, r.last = maxYear, minYear
	for _, rw := range rows {
		year, err := rw.year("year")
		if err != nil {
			return err
		}
		code, err := rw.code("code")
		if err != nil {
			return err
		}
		name, err := rw.text("name")
		if err != nil {
			return err
		}
		var permanent bool
		switch p := rw.fields["permanent"]; p {
		case "true":
			permanent = true
		case "false":
		default:
			return rw.errorf("permanent", "%q is neither true nor false", p)
		}
		for _, m := range byYear[year] {
			if m.Code == code {
				return rw.errorf("code", "%s listed twice in %d", code, year)
			}
		}
		byYear[year] = append(byYear[year], Member{Code: code, Name: name, Permanent: permanent})
		r.first, r.last = min(r.first, year), max(r.last, year)
		if year >= lastYear[code] {
			lastYear[code], r.lastName[code] = year, name
		}
	}
	r.years = make([]council, r.last-r.first+1)
	for y := r.first; y <= r.last; y++ {
		members := byYear[y]
		if len(members) == 0 {
			return fmt.Errorf("%s: no members in %d: the years must run on without a gap", membershipFile, y)
		}
		r.years[y-r.first] = council{members: members}
	}
	return nil
}

func parseSortNames(in io.Reader) (map[string][]sortName, error) {
	rows, err := readTable(sortNamesFile, in, []string{"code", "from_year", "to_year", "sort_name", "note"})
	if err != nil {
		return nil, err
	}
	names := map[string][]sortName{}
	for _, rw := range rows {
		code, err := rw.code("code")
		if err != nil {
			return nil, err
		}
		from, err := rw.year("from_year")
		if err != nil {
			return nil, err
		}
		to, err := rw.year("to_year")
		if err != nil {
			return nil, err
		}
		if to < from {
			return nil, rw.errorf("to_year", "%d is before from_year %d", to, from)
		}
		name, err := rw.text("sort_name")
		if err != nil {
			return nil, err
		}
		for _, s := range names[code] {
			if from <= s.to && s.from <= to {
				return nil, rw.errorf("from_year", "%s %d-%d overlaps %d-%d", code, from, to, s.from, s.to)
			}
		}
		names[code] = append(names[code], sortName{from: from, to: to, name: name})
	}
	return names, nil
}

// sortCouncil puts the members of year in presidency order and indexes them.
func (r *Roster) sortCouncil(year int) {
	c := &r.years[year-r.first]
	c.index = make(map[string]int, len(c.members))
	for i, m := range c.members {
		c.index[m.Code] = i
	}
	keys := make(map[string]sortKey, len(c.members))
	for _, m := range c.members {
		keys[m.Code] = r.key(m.Code, year)
	}
	slices.SortFunc(c.members, func(a, b Member) int {
		return keys[a.Code].compare(keys[b.Code])
	})
	c.keys = make([]sortKey, len(c.members))
	for i, m := range c.members {
		c.keys[i] = keys[m.Code]
		c.index[m.Code] = i
	}
}

func (r *Roster) parseOverrides(in io.Reader) (map[monthKey]string, error) {
	rows, err := readTable(overridesFile, in, []string{"year", "month", "code", "note"})
	if err != nil {
		return nil, err
	}
	overrides := map[monthKey]string{}
	for _, rw := range rows {
		year, err := rw.year("year")
		if err != nil {
			return nil, err
		}
		if year < r.first || year > r.last {
			return nil, rw.errorf("year", "%d is outside the membership data (%d-%d)", year, r.first, r.last)
		}
		month, err := rw.month("month")
		if err != nil {
			return nil, err
		}
		code, err := rw.code("code")
		if err != nil {
			return nil, err
		}
		if _, ok := r.years[year-r.first].index[code]; !ok {
			return nil, rw.errorf("code", "%s did not sit on the Council in %d", code, year)
		}
		k := monthKey{year, month}
		if _, dup := overrides[k]; dup {
			return nil, rw.errorf("month", "%d-%02d listed twice", year, month)
		}
		overrides[k] = code
	}
	return overrides, nil
}
