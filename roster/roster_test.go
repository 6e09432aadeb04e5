package roster

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestDefaultParses guards Default, which panics if the embedded data does
// not parse.
func TestDefaultParses(t *testing.T) {
	if _, err := parseEmbedded(); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	if Default() != Default() {
		t.Error("Default returned two rosters")
	}
}

func TestYears(t *testing.T) {
	first, last := Default().Years()
	if first != 1946 || last < 2026 {
		t.Errorf("Years() = %d, %d; want 1946, 2026 or later", first, last)
	}
}

func TestComposition(t *testing.T) {
	r := Default()
	first, last := r.Years()
	for year := first; year <= last; year++ {
		members, err := r.Members(year)
		if err != nil {
			t.Fatalf("Members(%d): %v", year, err)
		}
		want := 15
		if year <= 1965 {
			want = 11
		}
		permanent := 0
		for _, m := range members {
			if m.Permanent {
				permanent++
			}
		}
		if len(members) != want || permanent != 5 {
			t.Errorf("%d: %d members, %d permanent; want %d and 5", year, len(members), permanent, want)
		}
	}
}

func TestMembersInPresidencyOrder(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{1950, []string{"CHN", "CUB", "ECU", "EGY", "FRA", "IND", "NOR", "SUN", "GBR", "USA", "YUG"}},
		{1984, []string{"CHN", "EGY", "FRA", "IND", "MLT", "NLD", "NIC", "PAK", "PER", "UKR", "SUN", "GBR", "USA", "BFA", "ZWE"}},
		{2019, []string{"BEL", "CHN", "CIV", "DOM", "GNQ", "FRA", "DEU", "IDN", "KWT", "PER", "POL", "RUS", "ZAF", "GBR", "USA"}},
	}
	for _, tt := range tests {
		members, err := Default().Members(tt.year)
		if err != nil {
			t.Fatalf("Members(%d): %v", tt.year, err)
		}
		var got []string
		for _, m := range members {
			got = append(got, m.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Members(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestNoData(t *testing.T) {
	r := Default()
	first, last := r.Years()
	for _, year := range []int{first - 1, last + 1} {
		if _, err := r.Members(year); !errors.Is(err, ErrNoData) {
			t.Errorf("Members(%d) error = %v, want ErrNoData", year, err)
		}
		if _, err := r.President(year, time.January); !errors.Is(err, ErrNoData) {
			t.Errorf("President(%d) error = %v, want ErrNoData", year, err)
		}
		if r.Sits("USA", year) {
			t.Errorf("Sits(USA, %d) = true outside the data", year)
		}
	}
	if _, err := r.President(2000, 13); err == nil {
		t.Error("President(2000, 13) gave no error")
	}
}

func TestSitsKnownNames(t *testing.T) {
	r := Default()
	tests := []struct {
		code     string
		year     int
		sits     bool
		known    bool
		name     string
		sortName string
	}{
		{"SUN", 1950, true, true, "USSR (Union of Soviet Socialist Republics)", "Union of Soviet Socialist Republics"},
		{"SUN", 1995, false, true, "Union of Soviet Socialist Republics", "Union of Soviet Socialist Republics"},
		{"RUS", 1995, true, true, "Russian Federation", "Russian Federation"},
		{"LKA", 1960, true, true, "Sri Lanka", "Ceylon"},
		{"COD", 1982, true, true, "Democratic Republic of the Congo", "Zaire"},
		{"COD", 2026, true, true, "Democratic Republic of the Congo", "Democratic Republic of the Congo"},
		{"CMR", 1974, true, true, "Cameroon", "United Republic of Cameroon"},
		{"BFA", 1984, true, true, "Burkina Faso", "Upper Volta"},
		{"BFA", 1985, true, true, "Burkina Faso", "Burkina Faso"},
		{"DEU", 1977, true, true, "German FR (German Federal Republic)", "Germany, Federal Republic of"},
		{"DEU", 2020, true, true, "Germany", "Germany"},
		{"TUR", 2009, true, true, "Türkiye", "Turkey"},
		{"EGY", 1961, true, true, "United Arab Republic", "United Arab Republic"},
		{"CIV", 1964, true, true, "Côte d'Ivoire", "Ivory Coast"},
		{"CIV", 2018, true, true, "Côte d'Ivoire", "Côte d'Ivoire"},
		{"YEM", 1990, true, true, "Yemen", "Democratic Yemen"},
		{"YEM", 1991, true, true, "Yemen", "Yemen"},
		{"DEU", 1980, false, true, "Germany", "Germany, Federal Republic of"},
		{"PRK", 2000, false, true, "Democratic People's Republic of Korea", "Democratic People's Republic of Korea"},
		{"VAT", 2000, false, true, "Holy See", "Holy See"},
		{"XKX", 2000, false, false, "", ""},
		{"usa", 2000, false, false, "", ""},
	}
	for _, tt := range tests {
		if got := r.Sits(tt.code, tt.year); got != tt.sits {
			t.Errorf("Sits(%s, %d) = %v, want %v", tt.code, tt.year, got, tt.sits)
		}
		if got := r.Known(tt.code); got != tt.known {
			t.Errorf("Known(%s) = %v, want %v", tt.code, got, tt.known)
		}
		if got := r.Name(tt.code, tt.year); got != tt.name {
			t.Errorf("Name(%s, %d) = %q, want %q", tt.code, tt.year, got, tt.name)
		}
		if got := r.SortName(tt.code, tt.year); got != tt.sortName {
			t.Errorf("SortName(%s, %d) = %q, want %q", tt.code, tt.year, got, tt.sortName)
		}
	}
}
