package rules_test

import (
	"fmt"
	"testing"

	"github.com/opencouncil/council/rules"
)

var (
	majority    = rules.Share{Num: 1, Den: 2, Strict: true}
	half        = rules.Share{Num: 1, Den: 2}
	twoThirds   = rules.Share{Num: 2, Den: 3}
	threeFourth = rules.Share{Num: 3, Den: 4}
	pct55       = rules.Share{Num: 11, Den: 20}
	pct65       = rules.Share{Num: 13, Den: 20}
)

func TestShareMet(t *testing.T) {
	for _, tc := range []struct {
		s        rules.Share
		x, total int64
		want     bool
	}{
		{twoThirds, 2, 3, true},
		{twoThirds, 100, 150, true},
		{twoThirds, 100, 151, false},
		{twoThirds, 1, 2, false},
		{twoThirds, 0, 0, true}, // Met is arithmetic; "no votes at all" is the criterion's business
		{majority, 5, 10, false},
		{majority, 6, 10, true},
		{majority, 5, 9, true},
		{majority, 0, 0, false},
		{half, 5, 10, true},
		{pct55, 15, 27, true},
		{pct55, 14, 27, false},
		{pct65, 65, 100, true},
		{pct65, 64, 100, false},
		{rules.Share{Num: 1, Den: 1}, 7, 7, true},
		{rules.Share{Num: 1, Den: 1}, 6, 7, false},
	} {
		if got := tc.s.Met(tc.x, tc.total); got != tc.want {
			t.Errorf("%v.Met(%d, %d) = %v, want %v", tc.s, tc.x, tc.total, got, tc.want)
		}
	}
}

func TestShareMin(t *testing.T) {
	for _, tc := range []struct {
		s           rules.Share
		total, want int64
	}{
		{twoThirds, 150, 100},
		{twoThirds, 151, 101},
		{twoThirds, 193, 129},
		{twoThirds, 0, 0},
		{majority, 10, 6},
		{majority, 9, 5},
		{majority, 193, 97},
		{majority, 0, 1},
		{half, 10, 5},
		{half, 9, 5},
		{pct55, 27, 15},
		{pct65, 100, 65},
		{threeFourth, 7, 6},
		{rules.Share{Num: 3, Den: 5, Strict: true}, 10, 7},
	} {
		if got := tc.s.Min(tc.total); got != tc.want {
			t.Errorf("%v.Min(%d) = %d, want %d", tc.s, tc.total, got, tc.want)
		}
		// Min is the least x that meets the share.
		if m := tc.s.Min(tc.total); m <= tc.total && (!tc.s.Met(m, tc.total) || m > 0 && tc.s.Met(m-1, tc.total)) {
			t.Errorf("%v.Min(%d) = %d is not the least x with Met(x, %d)", tc.s, tc.total, m, tc.total)
		}
	}
}

func TestShareString(t *testing.T) {
	for _, tc := range []struct {
		s    rules.Share
		want string
	}{
		{majority, "a majority"},
		{twoThirds, "two thirds"},
		{threeFourth, "three quarters"},
		{pct55, "55%"},
		{pct65, "65%"},
		{rules.Share{Num: 17, Den: 20}, "85%"},
		{half, "50%"},
		{rules.Share{Num: 1, Den: 1}, "100%"},
		{rules.Share{Num: 1, Den: 3}, "1/3"},
		{rules.Share{Num: 3, Den: 5, Strict: true}, "more than 60%"},
		{rules.Share{Num: 2, Den: 3, Strict: true}, "more than 2/3"},
		{rules.Share{}, "none"}, // the zero Share is "no share" (Criterion, Quorum)
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.s, got, tc.want)
		}
	}
	// A criterion without a share prints without a panic.
	if got := fmt.Sprintf("%v", rules.Criterion{Votes: 9}); got != "{9 none members false}" {
		t.Errorf("criterion prints as %q", got)
	}
}

func TestParseShare(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rules.Share
	}{
		{"majority", majority},
		{" majority ", majority},
		{"1/2", half},
		{"2/3", twoThirds},
		{" 2/3 ", twoThirds},
		{"4/6", twoThirds},
		{"3/4", threeFourth},
		{"55%", pct55},
		{"65%", pct65},
		{"62.5%", rules.Share{Num: 5, Den: 8}},
		{"0.85", rules.Share{Num: 17, Den: 20}},
		{".5", half},
		{"0.5", half},
		{"1", rules.Share{Num: 1, Den: 1}},
		{"100%", rules.Share{Num: 1, Den: 1}},
		{"more than 1/2", majority},
		{"more than 50%", majority},
		{"more than 3/5", rules.Share{Num: 3, Den: 5, Strict: true}},
	} {
		got, err := rules.ParseShare(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseShare(%q) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "2/0", "0/0", "3/2", "-1/2", "1/-2", "abc", "110%", "1.5", "%", "/", "2/3/4",
		"more than", "more than majority", "two thirds", "0.1234567891", "-0.5", "1e3"} {
		if got, err := rules.ParseShare(in); err == nil {
			t.Errorf("ParseShare(%q) = %#v, want an error", in, got)
		}
	}
}

func TestParseBase(t *testing.T) {
	for _, b := range []rules.Base{rules.OfMembers, rules.OfPresent, rules.OfVoting} {
		got, err := rules.ParseBase(b.String())
		if err != nil || got != b {
			t.Errorf("ParseBase(%q) = %v, %v", b.String(), got, err)
		}
	}
	if _, err := rules.ParseBase("all"); err == nil {
		t.Error("ParseBase(all): no error")
	}
}
