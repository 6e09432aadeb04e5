package roster

import (
	"strings"
	"testing"
	"time"
)

// TestPresidentCheckpoints asserts months whose President is known from
// sources, including those the brief gives as checkpoints.
func TestPresidentCheckpoints(t *testing.T) {
	tests := []struct {
		year  int
		month time.Month
		want  string
		note  string
	}{
		{1946, time.January, "AUS", "first President"},
		{1946, time.December, "USA", "S/RES/14 (1946) kept the United States to 31 December"},
		{1947, time.January, "AUS", "rotation on calendar months from 1947"},
		{1949, time.December, "CAN", "McNaughton, Kashmir talks"},
		{1950, time.January, "CHN", "checkpoint"},
		{1950, time.February, "CUB", "Carlos Blanco presided on 7 February 1950"},
		{1950, time.June, "IND", "checkpoint"},
		{1950, time.August, "SUN", "checkpoint: Malik's return"},
		{1952, time.October, "CHL", "International Organization summary"},
		{1953, time.March, "PAK", "International Organization summary"},
		{1960, time.May, "LKA", "Ceylon, placed under C"},
		{1962, time.October, "SUN", "Zorin, Cuban missile crisis"},
		{1974, time.July, "PER", "Cyprus"},
		{1982, time.April, "COD", "Zaire, resolution 502"},
		{1987, time.July, "DEU", "Federal Republic of Germany, resolution 598"},
		{1990, time.July, "MYS", "S/PV.2932"},
		{1990, time.August, "ROU", "S/PV.2932"},
		{1990, time.December, "YEM", "override: Yemen placed under Y after the union"},
		{1991, time.January, "COD", "Zaire"},
		{1991, time.December, "SUN", "the USSR's last month"},
		{1992, time.January, "GBR", "summit of 31 January 1992"},
		{1994, time.April, "NZL", "Rwanda"},
		{1998, time.August, "SVN", "S/PV.3923"},
		{2000, time.January, "USA", "Al Gore presided"},
		{2003, time.February, "DEU", "Fischer presided"},
		{2003, time.March, "GIN", ""},
		{2008, time.September, "BFA", "Burkina Faso's own report"},
		{2009, time.December, "BFA", "Burkina Faso's own report"},
		{2014, time.December, "TCD", "checkpoint"},
		{2015, time.January, "CHL", "checkpoint"},
		{2015, time.December, "USA", "checkpoint"},
		{2017, time.December, "JPN", "checkpoint"},
		{2019, time.December, "USA", "checkpoint"},
		{2022, time.January, "NOR", "checkpoint"},
		{2022, time.February, "RUS", "checkpoint"},
		{2022, time.December, "IND", "checkpoint"},
		{2023, time.December, "ECU", ""},
		{2026, time.March, "USA", ""},
	}
	r := Default()
	for _, tt := range tests {
		got, err := r.President(tt.year, tt.month)
		if err != nil {
			t.Fatalf("President(%d, %s): %v", tt.year, tt.month, err)
		}
		if got.Code != tt.want {
			t.Errorf("President(%d, %s) = %s, want %s (%s)", tt.year, tt.month, got.Code, tt.want, tt.note)
		}
	}
}

// TestPresidentSits checks that every month's President sits that year.
func TestPresidentSits(t *testing.T) {
	r := Default()
	first, last := r.Years()
	for year := first; year <= last; year++ {
		for month := time.January; month <= time.December; month++ {
			p, err := r.President(year, month)
			if err != nil {
				t.Fatalf("President(%d, %s): %v", year, month, err)
			}
			if !r.Sits(p.Code, year) || p.Name != r.Name(p.Code, year) {
				t.Errorf("President(%d, %s) = %+v, not a member that year", year, month, p)
			}
		}
	}
}

func TestPresidentAmongRealComposition(t *testing.T) {
	r := Default()
	first, last := r.Years()
	for year := first; year <= last; year++ {
		members, err := r.Members(year)
		if err != nil {
			t.Fatal(err)
		}
		codes := make([]string, len(members))
		for i, m := range members {
			codes[len(members)-1-i] = m.Code // any order will do
		}
		for month := time.January; month <= time.December; month++ {
			want, _ := r.President(year, month)
			got, err := r.PresidentAmong(year, month, codes)
			if err != nil || got != want.Code {
				t.Errorf("PresidentAmong(%d, %s, real) = %q, %v; want %s", year, month, got, err, want.Code)
			}
		}
	}
}

func TestPresidentAmongWhatIf(t *testing.T) {
	real2019, err := Default().Members(2019)
	if err != nil {
		t.Fatal(err)
	}
	var without []string // 2019 without the United States
	for _, m := range real2019 {
		if m.Code != "USA" {
			without = append(without, m.Code)
		}
	}
	tests := []struct {
		name    string
		year    int
		month   time.Month
		codes   []string
		want    string
		wantErr string
	}{
		{"next in order", 2019, time.December, append(without[:14:14], "VEN"), "VEN", ""},
		{"wraps round", 2019, time.December, without, "BEL", ""},
		{"non-member placed by its name", 2019, time.December, append(without[:14:14], "ZWE"), "ZWE", ""},
		{"wraps to a non-member", 2019, time.December, append(without[:14:14], "AUS"), "AUS", ""},
		{"real President kept", 2019, time.March, []string{"USA", "FRA", "CHN"}, "FRA", ""},
		{"historic name: Ceylon, not Sri Lanka", 1960, time.April, []string{"SDN", "CHL", "LKA"}, "LKA", ""},
		{"unknown code", 2019, time.December, []string{"USA", "XYZ"}, "", "unknown member code"},
		{"duplicate", 2019, time.December, []string{"USA", "USA"}, "", "given twice"},
		{"empty", 2019, time.December, nil, "", "no members"},
		{"no data", 1900, time.December, []string{"USA"}, "", "no membership data"},
	}
	for _, tt := range tests {
		got, err := Default().PresidentAmong(tt.year, tt.month, tt.codes)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error = %v, want one containing %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: PresidentAmong = %q, %v; want %s", tt.name, got, err, tt.want)
		}
	}
}

// testCountries names the states of the small rosters built in tests.
const testCountries = `code,name
AUS,Australia
BRA,Brazil
CHN,China
DNK,Denmark
EGY,Egypt
FRA,France
YEM,Yemen
ZWE,Zimbabwe
`

func mustParse(t *testing.T, membership, sortNames, overrides string) *Roster {
	t.Helper()
	r, err := Parse(strings.NewReader(membership), strings.NewReader(sortNames),
		strings.NewReader(overrides), strings.NewReader(testCountries))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return r
}

func presidents(t *testing.T, r *Roster, year int) string {
	t.Helper()
	var codes []string
	for month := time.January; month <= time.December; month++ {
		p, err := r.President(year, month)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, p.Code)
	}
	return strings.Join(codes, " ")
}

func TestRotation(t *testing.T) {
	const membership = `year,code,name,permanent
2000,DNK,Denmark,false
2000,AUS,Australia,false
2000,CHN,China,true
2000,BRA,Brazil,false
2001,FRA,France,true
2001,BRA,Brazil,false
2001,CHN,China,true
2001,EGY,Egypt,false
`
	const sortNames = "code,from_year,to_year,sort_name,note\n"
	const noOverrides = "year,month,code,note\n"
	tests := []struct {
		name      string
		overrides string
		want2000  string
		want2001  string
	}{
		{
			// December 2000's Denmark has left; January goes to the next name, Egypt.
			name:      "by the rule",
			overrides: noOverrides,
			want2000:  "AUS BRA CHN DNK AUS BRA CHN DNK AUS BRA CHN DNK",
			want2001:  "EGY FRA BRA CHN EGY FRA BRA CHN EGY FRA BRA CHN",
		},
		{
			name:      "an override and the rotation continuing from it",
			overrides: noOverrides + "# a comment\n2000,3,AUS,irregular\n",
			want2000:  "AUS BRA AUS BRA CHN DNK AUS BRA CHN DNK AUS BRA",
			want2001:  "CHN EGY FRA BRA CHN EGY FRA BRA CHN EGY FRA BRA",
		},
		{
			name:      "an override in January",
			overrides: noOverrides + "2001,1,FRA,irregular\n",
			want2000:  "AUS BRA CHN DNK AUS BRA CHN DNK AUS BRA CHN DNK",
			want2001:  "FRA BRA CHN EGY FRA BRA CHN EGY FRA BRA CHN EGY",
		},
	}
	for _, tt := range tests {
		r := mustParse(t, membership, sortNames, tt.overrides)
		if got := presidents(t, r, 2000); got != tt.want2000 {
			t.Errorf("%s: 2000 = %s, want %s", tt.name, got, tt.want2000)
		}
		if got := presidents(t, r, 2001); got != tt.want2001 {
			t.Errorf("%s: 2001 = %s, want %s", tt.name, got, tt.want2001)
		}
	}
}

// TestRotationAcrossRename checks that January follows December's President
// by the name it bore at the end of the year.
func TestRotationAcrossRename(t *testing.T) {
	const membership = `year,code,name,permanent
2000,AUS,Australia,false
2000,BRA,Brazil,false
2000,YEM,Yemen,false
2001,AUS,Australia,false
2001,BRA,Brazil,false
2001,YEM,Yemen,false
2001,ZWE,Zimbabwe,false
`
	const sortNames = `code,from_year,to_year,sort_name,note
YEM,2000,2000,Democratic Yemen,renamed Yemen during 2000
`
	r := mustParse(t, membership, sortNames, "year,month,code,note\n")
	if got, want := presidents(t, r, 2000), "AUS BRA YEM AUS BRA YEM AUS BRA YEM AUS BRA YEM"; got != want {
		t.Errorf("2000 = %s, want %s", got, want)
	}
	// Placed as "Yemen", not "Democratic Yemen", Yemen is followed by Zimbabwe.
	if got, want := presidents(t, r, 2001), "ZWE AUS BRA YEM ZWE AUS BRA YEM ZWE AUS BRA YEM"; got != want {
		t.Errorf("2001 = %s, want %s", got, want)
	}
}
