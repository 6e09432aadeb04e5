package roster

import (
	"bytes"
	"strings"
	"testing"
)

// TestCountriesFile checks countries.csv: the 193 UN Members, the 2
// observer states and the 4 dissolved states of the Council's record, with
// unique codes, covering every code in membership.csv.
func TestCountriesFile(t *testing.T) {
	b, err := data.ReadFile("data/countries.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readTable(countriesFile, bytes.NewReader(b), []string{"code", "name"})
	if err != nil {
		t.Fatal(err)
	}
	if want := 193 + 2 + 4; len(rows) != want {
		t.Errorf("countries.csv has %d rows, want %d", len(rows), want)
	}
	seen := map[string]bool{}
	for _, rw := range rows {
		code := rw.fields["code"]
		if seen[code] {
			t.Errorf("countries.csv: line %d: %s listed twice", rw.line, code)
		}
		seen[code] = true
	}
	for _, code := range []string{"VAT", "PSE", "SUN", "YUG", "CSK", "DDR"} {
		if !seen[code] {
			t.Errorf("countries.csv lacks %s", code)
		}
	}
	b, err = data.ReadFile("data/membership.csv")
	if err != nil {
		t.Fatal(err)
	}
	members, err := readTable(membershipFile, bytes.NewReader(b), []string{"year", "code", "name", "permanent"})
	if err != nil {
		t.Fatal(err)
	}
	for _, rw := range members {
		if code := rw.fields["code"]; !seen[code] {
			t.Errorf("membership.csv: line %d: %s is not in countries.csv", rw.line, code)
		}
	}
}

// TestFoldOrder checks that names with diacritics sort where English
// alphabetical order puts them.
func TestFoldOrder(t *testing.T) {
	tests := []struct{ before, after string }{
		{"Costa Rica", "Côte d'Ivoire"},
		{"Côte d'Ivoire", "Croatia"},
		{"Tunisia", "Türkiye"},
		{"Türkiye", "Turkmenistan"},
		{"German Democratic Republic", "Germany, Federal Republic of"},
		{"Union of Soviet Socialist Republics", "United Kingdom of Great Britain and Northern Ireland"},
		{"United Kingdom of Great Britain and Northern Ireland", "United Republic of Tanzania"},
		{"United Republic of Tanzania", "United States of America"},
	}
	for _, tt := range tests {
		if strings.Compare(Fold(tt.before), Fold(tt.after)) >= 0 {
			t.Errorf("%q does not sort before %q", tt.before, tt.after)
		}
	}
}
