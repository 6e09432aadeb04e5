package history

import (
	"regexp"
	"strconv"
	"strings"
)

// The Library's outcome cells list a meeting's outcomes one after another, separated by " | " — which
// also separates a document from its tally ("S/RES/8 (1946) | 10-0-1"), and sometimes "+", "and" or
// nothing at all ("S/RES/1209 (1998) | 15-0-0S/PRST/1998/35"). parseOutcomes therefore does not split
// the cell: it scans it, reading at each place the longest phrase it knows (a resolution, a draft and
// its fate, a presidential statement, a tally, "adopted unanimously", ...) after skipping separators.
// A tally or a verdict belongs to the outcome before it. Text it cannot read, up to the next "|", is
// reported as a problem: every character of a cell is either read or reported.

var (
	reSep        = regexp.MustCompile(`^(?:[\s|+,;&]+|and\b)+`)
	reResolution = regexp.MustCompile(`^S/RES/(\d+)\s*\((\d{4})\)`)
	// "Draft resolution S/2014/916 not adopted", "Draft resolutionS/2017/172vetoed by Russian Federation",
	// "Power Four draft resolution S/4411 vetoed by China", "Draft resolutions S/1 & Add.1 & S/2 not adopted".
	reDraft = regexp.MustCompile(`^(?i:(?:power four )?draft resolution(?:s\s)?)\s*([^|]*?)\s*((?i:(?:was )?not adopted)|(?i:vetoed by))`)
	// A draft's symbol followed by its fate: "S/2020/1054 | not adopted", "S/2020/852 | vetoed by USA".
	reBareDraft = regexp.MustCompile(`^(S/(?:\d{4}/\d+|\d+)(?:/(?:Rev|Add|Corr)\.\d+)*)\s*\|?\s*((?i:(?:was )?not adopted)|(?i:vetoed by))`)
	reVetoers   = regexp.MustCompile(`^\s*\|?\s*((?:the\s+)?(?:USSR|USA|UK|France|China|Russian Federation|Russia|United States|United Kingdom)(?:\s*(?:,|and|&)\s*(?:the\s+)?(?:USSR|USA|UK|France|China|Russian Federation|Russia|United States|United Kingdom))*)`)
	reVetoer    = regexp.MustCompile(`USSR|USA|UK|France|China|Russian Federation|Russia|United States|United Kingdom`)
	rePRST      = regexp.MustCompile(`^(?:S/PRST/\d{4}/\d+|S/(?:PV\.)?\d+\s*\(PRST\)(?:\s*and\s*Corr\.\d+)?|PRST unnumbered|PRST\b)`)
	reTally     = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{1,2})(?:\s*\((\d+) absent\))?`)
	reUnanimous = regexp.MustCompile(`^(?i:adopted unanimously)`)
	reNoVote    = regexp.MustCompile(`^(?i:without (?:a )?vote|adopted by consensus)`)
	reComm      = regexp.MustCompile(`^(?i:communiqu[ée])`)
	reNote      = regexp.MustCompile(`^(Note|Letter)\s*\(?(S/\d{4}/\d+)\)?`)
	reElection  = regexp.MustCompile(`^Election of[^|]*`)
	reOther     = regexp.MustCompile(`^(?:Referral to the Committee on the Admission of New Members|Decision\b)`)
	reNotPart   = regexp.MustCompile(`^\((?:The\s+)?([^()]+?) did not participate in the voting\.?\)`)
	reDocument  = regexp.MustCompile(`^S/(?:\d{4}/\d+|\d+)(?:/(?:Rev|Add|Corr)\.\d+)*`)
	reNothing   = regexp.MustCompile(`^--`)
	reSymbol    = regexp.MustCompile(`S/(?:PV\.\d+|\d{4}/\d+|\d+)(?:/(?:Rev|Add|Corr)\.\d+)*`)
)

// vetoerCodes maps the names the Library and the veto list give the permanent members to their codes.
var vetoerCodes = map[string]string{
	"ussr": "SUN", "usa": "USA", "united states": "USA", "uk": "GBR", "united kingdom": "GBR",
	"france": "FRA", "china": "CHN", "russian federation": "RUS", "russia": "RUS",
}

// cellProblem is a part of a cell that could not be read.
type cellProblem struct {
	reason, value, detail string
}

// parseOutcomes reads an outcome cell. nameOf resolves a member's name in the cell ("France", "The
// Syrian Arab Republic") to its code, or "".
func parseOutcomes(cell string, nameOf func(string) string) ([]Outcome, []cellProblem) {
	var (
		out   []Outcome
		probs []cellProblem
	)
	s := cell
	last := func() *Outcome {
		if len(out) == 0 {
			return nil
		}
		return &out[len(out)-1]
	}
	for {
		if m := reSep.FindString(s); m != "" {
			s = s[len(m):]
		}
		if s == "" {
			return out, probs
		}
		n := 0 // the bytes read at this place
		switch {
		case reNothing.MatchString(s):
			n = 2
		case reResolution.MatchString(s):
			m := reResolution.FindStringSubmatch(s)
			out = append(out, Outcome{Kind: KindResolution, Document: "S/RES/" + m[1] + " (" + m[2] + ")", Raw: m[0]})
			n = len(m[0])
		case reDraft.MatchString(s) || reBareDraft.MatchString(s):
			m := reDraft.FindStringSubmatch(s)
			if m == nil {
				m = reBareDraft.FindStringSubmatch(s)
			}
			o := Outcome{Kind: KindDraftNotAdopted, Raw: m[0]}
			text := strings.TrimSpace(m[1])
			o.Document = reSymbol.FindString(text)
			if o.Document != text {
				o.Detail = text
			}
			n = len(m[0])
			if strings.EqualFold(m[2], "vetoed by") {
				o.Kind = KindDraftVetoed
				v := reVetoers.FindStringSubmatch(s[n:])
				if v == nil {
					probs = append(probs, cellProblem{ReasonUnreadText, s[n:min(len(s), n+40)], "a draft vetoed by no member the parser knows"})
				} else {
					for _, name := range reVetoer.FindAllString(v[1], -1) {
						o.VetoedBy = appendNew(o.VetoedBy, vetoerCodes[strings.ToLower(name)])
					}
					o.Raw += v[0]
					n += len(v[0])
				}
			}
			out = append(out, o)
		case rePRST.MatchString(s):
			m := rePRST.FindString(s)
			doc := m
			if doc == "PRST" || doc == "PRST unnumbered" {
				doc = ""
			}
			out = append(out, Outcome{Kind: KindPRST, Document: doc, Raw: m})
			n = len(m)
		case reTally.MatchString(s):
			m := reTally.FindStringSubmatch(s)
			n = len(m[0])
			o := last()
			switch {
			case o == nil || !o.Votable():
				probs = append(probs, cellProblem{ReasonTallyWithout, m[0], "a tally with no resolution or draft before it"})
			case o.Tally.Known:
				probs = append(probs, cellProblem{ReasonSecondTally, m[0], "a second tally for " + o.Document + " (" + o.Tally.String() + ")"})
			default:
				o.Tally = Tally{Yes: atoi(m[1]), No: atoi(m[2]), Abstain: atoi(m[3]), Absent: atoi(m[4]), Known: true}
				o.Raw += " | " + m[0]
			}
		case reUnanimous.MatchString(s) || reNoVote.MatchString(s):
			m := reUnanimous.FindString(s)
			unanimous := m != ""
			if !unanimous {
				m = reNoVote.FindString(s)
			}
			n = len(m)
			if o := last(); o != nil && o.Kind == KindResolution {
				o.Unanimous = o.Unanimous || unanimous
				o.WithoutVote = o.WithoutVote || !unanimous
				o.Raw += " | " + m
			} else {
				probs = append(probs, cellProblem{ReasonWordsWithout, m, "no resolution before it"})
			}
		case reNotPart.MatchString(s):
			m := reNotPart.FindStringSubmatch(s)
			n = len(m[0])
			code := nameOf(m[1])
			o := last()
			switch {
			case o == nil || !o.Votable():
				probs = append(probs, cellProblem{ReasonWordsWithout, m[0], "no resolution or draft before it"})
			case code == "":
				probs = append(probs, cellProblem{ReasonUnknownMember, m[1], "not a member of the Council that year"})
			default:
				o.NotParticipating = appendNew(o.NotParticipating, code)
				o.Raw += " | " + m[0]
			}
		case reComm.MatchString(s):
			m := reComm.FindString(s)
			out = append(out, Outcome{Kind: KindCommunique, Raw: m})
			n = len(m)
		case reNote.MatchString(s):
			m := reNote.FindStringSubmatch(s)
			kind := KindNote
			if m[1] == "Letter" {
				kind = KindLetter
			}
			out = append(out, Outcome{Kind: kind, Document: m[2], Raw: m[0]})
			n = len(m[0])
		case reElection.MatchString(s):
			m := strings.TrimSpace(reElection.FindString(s))
			out = append(out, Outcome{Kind: KindElection, Detail: m, Raw: m})
			n = len(m)
		case reOther.MatchString(s):
			m := reOther.FindString(s)
			out = append(out, Outcome{Kind: KindOther, Detail: m, Raw: m})
			n = len(m)
		case reDocument.MatchString(s):
			m := reDocument.FindString(s)
			out = append(out, Outcome{Kind: KindDocument, Document: m, Raw: m})
			n = len(m)
		default:
			n = strings.IndexByte(s, '|')
			if n < 0 {
				n = len(s)
			}
			probs = append(probs, cellProblem{ReasonUnreadText, strings.TrimSpace(s[:n]), "not an outcome the parser knows"})
		}
		s = s[n:]
	}
}

// appendNew appends s to list unless it is there already or empty.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	if s == "" {
		return list
	}
	return append(list, s)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
