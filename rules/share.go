package rules

import (
	"fmt"
	"strconv"
	"strings"
)

// Share is a fraction of a base that the affirmative votes must reach: at least Num/Den, or, when
// Strict, more than Num/Den ("a majority" is more than 1/2).
type Share struct {
	Num, Den int64
	Strict   bool
}

func (s Share) valid() bool {
	if s.Den == 0 {
		return s.Num == 0
	}
	return s.Den > 0 && s.Num >= 0 && s.Num <= s.Den
}

// Met reports whether x out of total reaches the share.
func (s Share) Met(x, total int64) bool {
	if s.Strict {
		return x*s.Den > s.Num*total
	}
	return x*s.Den >= s.Num*total
}

// Min is the smallest x out of total that reaches the share.
func (s Share) Min(total int64) int64 {
	p := s.Num * total
	if s.Strict {
		return p/s.Den + 1
	}
	return (p + s.Den - 1) / s.Den
}

// String names the share as people say it: "a majority", "two thirds", "55%", "more than 3/5".
func (s Share) String() string {
	switch {
	case s.Den == 0:
		return "none" // the zero Share: no share required
	case s.Strict && s.Num*2 == s.Den:
		return "a majority"
	case !s.Strict && s.Num*3 == s.Den*2:
		return "two thirds"
	case !s.Strict && s.Num*4 == s.Den*3:
		return "three quarters"
	}
	var b strings.Builder
	if s.Strict {
		b.WriteString("more than ")
	}
	if 100%s.Den == 0 {
		b.WriteString(strconv.FormatInt(s.Num*(100/s.Den), 10))
		b.WriteByte('%')
	} else {
		fmt.Fprintf(&b, "%d/%d", s.Num, s.Den)
	}
	return b.String()
}

// ParseShare reads a share from a body file: "1/2", "2/3", "55%", "0.85", optionally preceded by
// "more than " for a strict share. "majority" means more than 1/2.
func ParseShare(text string) (Share, error) {
	t := strings.TrimSpace(text)
	if t == "majority" {
		return Share{Num: 1, Den: 2, Strict: true}, nil
	}
	var s Share
	if rest, ok := strings.CutPrefix(t, "more than "); ok {
		s.Strict = true
		t = strings.TrimSpace(rest)
	}
	bad := fmt.Errorf("bad share %q (want a fraction such as 2/3, a percentage such as 55%%, or a decimal such as 0.85)", text)
	switch {
	case strings.HasSuffix(t, "%"):
		n, err := parseDecimal(strings.TrimSuffix(t, "%"))
		if err != nil {
			return Share{}, bad
		}
		s.Num, s.Den = n.num, n.den*100
	case strings.Contains(t, "/"):
		a, b, _ := strings.Cut(t, "/")
		n, err1 := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
		d, err2 := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
		if err1 != nil || err2 != nil {
			return Share{}, bad
		}
		s.Num, s.Den = n, d
	default:
		n, err := parseDecimal(t)
		if err != nil {
			return Share{}, bad
		}
		s.Num, s.Den = n.num, n.den
	}
	s = s.reduced()
	if !s.valid() || s.Den == 0 {
		return Share{}, bad
	}
	return s, nil
}

type fraction struct{ num, den int64 }

// parseDecimal reads a non-negative decimal such as "0.85" or "65" exactly, as a fraction.
func parseDecimal(t string) (fraction, error) {
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" && frac == "" || len(frac) > 9 {
		return fraction{}, strconv.ErrSyntax
	}
	den := int64(1)
	for range frac {
		den *= 10
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n < 0 {
		return fraction{}, strconv.ErrSyntax
	}
	return fraction{n, den}, nil
}

func (s Share) reduced() Share {
	a, b := s.Num, s.Den
	for b != 0 {
		a, b = b, a%b
	}
	if a > 1 {
		s.Num /= a
		s.Den /= a
	}
	return s
}
