package roster

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	const (
		membership = "year,code,name,permanent\n2000,AUS,Australia,false\n2000,CHN,China,true\n"
		sortNames  = "code,from_year,to_year,sort_name,note\n"
		overrides  = "year,month,code,note\n"
	)
	tests := []struct {
		name                                        string
		membership, sortNames, overrides, countries string
		want                                        string
	}{
		{
			name:       "bad year",
			membership: "year,code,name,permanent\n2000,AUS,Australia,false\n19x6,CHN,China,true\n",
			want:       `membership.csv: line 3: year: "19x6" is not a year`,
		},
		{
			name:       "bad permanent value",
			membership: "year,code,name,permanent\n2000,AUS,Australia,yes\n",
			want:       `membership.csv: line 2: permanent: "yes" is neither true nor false`,
		},
		{
			name:       "wrong column count",
			membership: "year,code,name,permanent\n2000,AUS,Australia,false\n2000,CHN,China\n",
			want:       "membership.csv: line 3: 3 fields, want 4",
		},
		{
			name:       "bad code",
			membership: "year,code,name,permanent\n2000,Aus,Australia,false\n",
			want:       `membership.csv: line 2: code: "Aus" is not a three-letter upper-case code`,
		},
		{
			name:       "empty name",
			membership: "year,code,name,permanent\n2000,AUS,,false\n",
			want:       "membership.csv: line 2: name: empty",
		},
		{
			name:       "member twice",
			membership: membership + "2000,AUS,Australia,false\n",
			want:       "membership.csv: line 4: code: AUS listed twice in 2000",
		},
		{
			name:       "gap in years",
			membership: membership + "2002,AUS,Australia,false\n",
			want:       "membership.csv: no members in 2001",
		},
		{
			name:       "wrong header",
			membership: "year,code,name\n2000,AUS,Australia\n",
			want:       `membership.csv: line 1: header is "year,code,name"`,
		},
		{
			name:       "no members",
			membership: "year,code,name,permanent\n",
			want:       "membership.csv: no members",
		},
		{
			name:      "sort name years reversed",
			sortNames: sortNames + "AUS,2001,2000,Oz,\n",
			want:      "sort_names.csv: line 2: to_year: 2000 is before from_year 2001",
		},
		{
			name:      "sort names overlap",
			sortNames: sortNames + "AUS,1990,2000,Oz,\nAUS,2000,2001,Oz,\n",
			want:      "sort_names.csv: line 3: from_year: AUS 2000-2001 overlaps 1990-2000",
		},
		{
			name:      "override month",
			overrides: overrides + "2000,13,AUS,\n",
			want:      `presidency_overrides.csv: line 2: month: "13" is not a month number 1-12`,
		},
		{
			name:      "override for a state not sitting",
			overrides: overrides + "# comment\n2000,5,FRA,\n",
			want:      "presidency_overrides.csv: line 3: code: FRA did not sit on the Council in 2000",
		},
		{
			name:      "override outside the data",
			overrides: overrides + "1999,5,AUS,\n",
			want:      "presidency_overrides.csv: line 2: year: 1999 is outside the membership data",
		},
		{
			name:      "override twice",
			overrides: overrides + "2000,5,AUS,\n2000,5,CHN,\n",
			want:      "presidency_overrides.csv: line 3: month: 2000-05 listed twice",
		},
		{
			name:      "country twice",
			countries: "code,name\nAUS,Australia\nAUS,Australia\n",
			want:      "countries.csv: line 3: code: AUS listed twice",
		},
		{
			name:      "unterminated quote",
			countries: "code,name\nAUS,\"Australia\n",
			want:      "countries.csv: ",
		},
	}
	for _, tt := range tests {
		m, s, o, c := or(tt.membership, membership), or(tt.sortNames, sortNames), or(tt.overrides, overrides), or(tt.countries, testCountries)
		_, err := Parse(strings.NewReader(m), strings.NewReader(s), strings.NewReader(o), strings.NewReader(c))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
