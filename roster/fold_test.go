package roster

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Côte d'Ivoire", "cote d'ivoire"},
		{"Türkiye", "turkiye"},
		{"CHINA", "china"},
		{"São Tomé and Príncipe", "sao tome and principe"},
		{"Curaçao", "curacao"},
		{"Łódź", "lodz"},
		{"Ærø", "aero"},
		{"Straße", "strasse"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
