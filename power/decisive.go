package power

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/rules"
)

// Decisive is who was decisive in a recorded vote or request, and why. The members are the engine's
// own (VoteRecord.Decisive and RequestRecord.Decisive: rules.Era.Evaluate finds, in every vote, the
// members whose ballot alone would change the result); this adds, for each, the ballot that would
// have, and the engine's reason for that other result.
type Decisive struct {
	Kind    string           `json:"kind"` // "vote" or "request"
	ID      string           `json:"id"`
	Date    council.Date     `json:"date"`
	Matter  string           `json:"matter,omitempty"`
	Result  string           `json:"result"` // "adopted" or "failed"; a request's status
	Reason  string           `json:"reason"`
	Members []DecisiveMember `json:"members"`
	// Summary says in a sentence who was decisive.
	Summary string `json:"summary"`
}

// DecisiveMember is one decisive member: how it voted, the ballot that alone would have changed the
// result, and the result and reason the engine would then have given.
type DecisiveMember struct {
	Member  string `json:"member"`
	Ballot  string `json:"ballot"`
	Instead string `json:"instead"`
	Result  string `json:"result"`
	Why     string `json:"why"`
}

// VoteDecisive explains the decisive members of a vote taken in a council.
func VoteDecisive(st *council.State, id string) (*Decisive, error) {
	v := st.VoteByID(id)
	if v == nil {
		return nil, fmt.Errorf("no vote %s", id)
	}
	era := st.EraOn(v.Date)
	sit, err := st.SittingOn(v.Date)
	if era == nil || err != nil {
		return nil, fmt.Errorf("vote %s: no rules or members on %s", id, v.Date)
	}
	ballot := map[string]rules.Ballot{}
	for b, list := range map[rules.Ballot][]string{rules.Yes: v.Yes, rules.No: v.No, rules.Abstain: v.Abstain,
		rules.Absent: v.Absent, rules.NotParticipating: v.NotParticipating} {
		for _, m := range list {
			ballot[m] = b
		}
	}
	casts := make([]rules.Cast, len(sit.Members))
	for i, m := range sit.Members {
		b, ok := ballot[m.Code]
		if !ok {
			b = rules.Absent
		}
		casts[i] = rules.Cast{Member: m.Code, Class: m.Class, Weight: m.Weight, Ballot: b}
	}
	d := &Decisive{Kind: "vote", ID: v.ID, Date: v.Date, Matter: v.Matter, Result: resultWord(v.Adopted), Reason: v.Reason,
		Members: []DecisiveMember{}}
	for _, code := range v.Decisive {
		i := slices.IndexFunc(casts, func(c rules.Cast) bool { return c.Member == code })
		if i < 0 {
			continue
		}
		dm := DecisiveMember{Member: code, Ballot: casts[i].Ballot.String()}
		cast := casts[i].Ballot
		// The engine's alternatives, in its order: the first that changes the result.
		for _, alt := range []rules.Ballot{rules.Yes, rules.No, rules.Abstain, rules.Absent} {
			if alt == cast {
				continue
			}
			casts[i].Ballot = alt
			res, err := era.Evaluate(v.Matter, casts)
			casts[i].Ballot = cast
			if err != nil {
				return nil, err
			}
			if res.Adopted != v.Adopted {
				dm.Instead, dm.Result, dm.Why = alt.String(), resultWord(res.Adopted), res.Reason
				break
			}
		}
		d.Members = append(d.Members, dm)
	}
	d.Summary = voteSummary(d)
	return d, nil
}

// Text says in words what the member did and what its other ballot would have done.
func (m DecisiveMember) Text() string {
	switch {
	case m.Instead == "":
		return m.Member + ": decisive, but no other ballot alone changes the result under these rules"
	case m.Result == "supported": // a request
		return fmt.Sprintf("%s %s; %s", m.Member, m.Ballot, m.Why)
	}
	return fmt.Sprintf("%s %s; had it %s, %s", m.Member, ballotPhrase(m.Ballot), ballotPhrase(m.Instead), m.Why)
}

func resultWord(adopted bool) string {
	if adopted {
		return "adopted"
	}
	return "failed"
}

func voteSummary(d *Decisive) string {
	if len(d.Members) == 0 {
		return fmt.Sprintf("vote %s %s, and no member's ballot alone would have changed that", d.ID, d.Result)
	}
	var parts []string
	for _, m := range d.Members {
		if m.Instead == "" {
			parts = append(parts, m.Member)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s, which %s: had it %s, the vote would have %s", m.Member, ballotPhrase(m.Ballot),
			ballotPhrase(m.Instead), pastTense(m.Result)))
	}
	return fmt.Sprintf("vote %s %s; decisive: %s", d.ID, d.Result, strings.Join(parts, "; "))
}

// ballotPhrase says what a member did with a ballot: "voted no", "abstained".
func ballotPhrase(b string) string {
	switch b {
	case "abstain":
		return "abstained"
	case "absent":
		return "stayed away"
	}
	return "voted " + b
}

func pastTense(result string) string {
	if result == "adopted" {
		return "been adopted"
	}
	return "failed"
}

// RequestDecisive explains the decisive members of a request for a meeting: when one signature is
// missing, every sitting member that has not signed would, alone, give the request its support.
func RequestDecisive(st *council.State, id string) (*Decisive, error) {
	r := st.Request(id)
	if r == nil {
		return nil, fmt.Errorf("no request %s", id)
	}
	rr := st.RequestRecord(r)
	d := &Decisive{Kind: "request", ID: rr.ID, Date: r.Updated, Result: rr.Status, Reason: rr.Reason, Members: []DecisiveMember{}}
	for _, m := range rr.Decisive {
		b := "not answered"
		if slices.Contains(rr.Declined, m) {
			b = "declined"
		}
		d.Members = append(d.Members, DecisiveMember{Member: m, Ballot: b, Instead: "signed", Result: "supported",
			Why: fmt.Sprintf("support %d of %d needed: its signature alone makes %d", rr.Support, rr.Needed, rr.Support+1)})
	}
	switch {
	case len(d.Members) > 0:
		d.Summary = fmt.Sprintf("request %s has %d of the %d signatures it needs; the signature of any one of %s would close the gap",
			rr.ID, rr.Support, rr.Needed, strings.Join(rr.Decisive, ", "))
	case rr.Missing == 0:
		d.Summary = fmt.Sprintf("request %s has %d signatures, the %d it needs: no single signature decides it", rr.ID, rr.Support, rr.Needed)
	default:
		d.Summary = fmt.Sprintf("request %s has %d of the %d signatures it needs: %d missing, so no single signature decides it",
			rr.ID, rr.Support, rr.Needed, rr.Missing)
	}
	return d, nil
}

// RecordDecisive explains every request and vote of a council, requests first, each in the order of
// the record.
func RecordDecisive(st *council.State) ([]Decisive, error) {
	out := []Decisive{}
	for _, id := range st.RequestOrder {
		d, err := RequestDecisive(st, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	for _, v := range st.Votes {
		d, err := VoteDecisive(st, v.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}
