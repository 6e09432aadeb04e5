package roster

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// sortKey places a state in a year's alphabetical order: its folded sort
// name, then its code to break a tie.
type sortKey struct {
	fold string
	code string
}

func (k sortKey) compare(o sortKey) int {
	if c := cmp.Compare(k.fold, o.fold); c != 0 {
		return c
	}
	return cmp.Compare(k.code, o.code)
}

// after returns the position of the first member placed after k in the
// year's order, wrapping round to the first member.
func (c *council) after(k sortKey) int {
	for i, ck := range c.keys {
		if ck.compare(k) > 0 {
			return i
		}
	}
	return 0
}

// rotate computes the President of every month by Rule 18. The first month
// of the data goes to the first member in alphabetical order (Australia in
// January 1946). Each later month goes to the member after the previous
// President in the year's order. In January the new members' order is entered
// after December's President, whether or not it still sits, placed by the
// name it bore at the end of December (see endOfYearKey). An override
// replaces the computed President and the rotation runs on from it.
func (r *Roster) rotate() []Member {
	presidents := make([]Member, 0, len(r.years)*12)
	var prev sortKey
	at := -1
	for yi := range r.years {
		c := &r.years[yi]
		year := r.first + yi
		for month := time.January; month <= time.December; month++ {
			switch {
			case at < 0:
				at = 0
			case month == time.January:
				at = c.after(prev)
			default:
				at = (at + 1) % len(c.members)
			}
			if code, ok := r.overrides[monthKey{year, month}]; ok {
				at = c.index[code]
			}
			presidents = append(presidents, c.members[at])
			prev = r.endOfYearKey(c, at, year)
		}
	}
	return presidents
}

// endOfYearKey places the member at position at of year's order by the name
// it bore at the end of the year. A year's order uses the names of 1 January,
// so for a state renamed in the course of the year (Democratic Yemen, Yemen
// from May 1990) the name at the end of the year is the one sort_names.csv or
// membership.csv gives it for the next year. Without such data for the next
// year, the name of the year itself is used.
func (r *Roster) endOfYearKey(c *council, at, year int) sortKey {
	code := c.members[at].Code
	if name, ok := r.recordedSortName(code, year+1); ok {
		return sortKey{fold: Fold(name), code: code}
	}
	return c.keys[at]
}

// PresidentAmong is the presidency for a what-if composition: the first of the given member codes, in
// alphabetical order of their names, at or after the real President of that month (wrapping round).
// When the composition is the real one it gives the real President.
func (r *Roster) PresidentAmong(year int, month time.Month, codes []string) (string, error) {
	if len(codes) == 0 {
		return "", errors.New("president among: no members given")
	}
	held, err := r.President(year, month)
	if err != nil {
		return "", fmt.Errorf("president among: %w", err)
	}
	keys := make([]sortKey, 0, len(codes))
	for _, code := range codes {
		if !r.Known(code) {
			return "", fmt.Errorf("president among: unknown member code %q", code)
		}
		k := r.key(code, year)
		if slices.Contains(keys, k) {
			return "", fmt.Errorf("president among: member %s given twice", code)
		}
		keys = append(keys, k)
	}
	slices.SortFunc(keys, sortKey.compare)
	from := r.key(held.Code, year)
	for _, k := range keys {
		if k.compare(from) >= 0 {
			return k.code, nil
		}
	}
	return keys[0].code, nil
}
