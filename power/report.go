package power

import (
	"fmt"
	"io"
	"math/big"
	"strings"
	"text/tabwriter"
)

// Report is a Result as JSON: what `council power --json` prints and GET /v1/power answers. Exact
// counts are decimal strings (they exceed 64 bits); indices are numbers, with their exact fractions
// under exact and, for an estimate, their confidence intervals under interval.
type Report struct {
	Game           string         `json:"game"`
	Rule           string         `json:"rule"`
	Size           int            `json:"size"`
	TotalWeight    int64          `json:"total_weight"`
	Quota          int64          `json:"quota,omitempty"`
	Indices        []string       `json:"indices"`
	Exact          bool           `json:"exact"`
	Method         string         `json:"method"`
	Estimate       *EstimateInfo  `json:"estimate,omitempty"`
	TookMS         float64        `json:"took_ms"`
	TotalSwings    string         `json:"total_swings,omitempty"`
	MinimalWinning string         `json:"minimal_winning,omitempty"`
	Notes          []string       `json:"notes,omitempty"`
	Players        []PlayerReport `json:"players"`
}

// EstimateInfo describes a Monte Carlo estimate.
type EstimateInfo struct {
	Samples    int     `json:"samples"`
	Confidence float64 `json:"confidence"`
}

// PlayerReport is one player's power.
type PlayerReport struct {
	ID              string   `json:"id"`
	Name            string   `json:"name,omitempty"`
	Class           string   `json:"class,omitempty"`
	Weight          int64    `json:"weight"`
	Veto            bool     `json:"veto,omitempty"`
	Swings          string   `json:"swings,omitempty"`
	Banzhaf         *float64 `json:"banzhaf,omitempty"`
	AbsoluteBanzhaf *float64 `json:"absolute_banzhaf,omitempty"`
	ShapleyShubik   *float64 `json:"shapley_shubik,omitempty"`
	DeeganPackel    *float64 `json:"deegan_packel,omitempty"`
	PublicGood      *float64 `json:"public_good,omitempty"`
	Johnston        *float64 `json:"johnston,omitempty"`
	// Exact maps an index's JSON name to its exact value as a fraction, "106/635".
	Exact map[string]string `json:"exact,omitempty"`
	// Interval maps an estimated index's JSON name to its confidence interval.
	Interval map[string][2]float64 `json:"interval,omitempty"`
}

// indexNames are the indices in order, by their JSON names and their names for people.
var indexNames = []struct {
	index      Index
	json, text string
}{
	{Banzhaf, "banzhaf", "Banzhaf"},
	{ShapleyShubik, "shapley_shubik", "Shapley-Shubik"},
	{DeeganPackel, "deegan_packel", "Deegan-Packel"},
	{PublicGood, "public_good", "Public Good"},
	{Johnston, "johnston", "Johnston"},
}

// Report turns a result into its JSON form.
func (r *Result) Report() *Report {
	g := r.Game
	rep := &Report{Game: g.Name, Rule: g.Describe(), Size: len(g.Players), TotalWeight: g.TotalWeight(), Quota: g.Quota,
		Indices: []string{}, Exact: r.Exact, Method: r.Method, TookMS: float64(r.Took.Microseconds()) / 1000,
		Notes: r.Notes, Players: make([]PlayerReport, len(r.Players))}
	for _, x := range indexNames {
		if r.Indices&x.index != 0 {
			rep.Indices = append(rep.Indices, x.json)
		}
	}
	if !r.Exact {
		rep.Estimate = &EstimateInfo{Samples: r.Samples, Confidence: r.Confidence}
	}
	if r.TotalSwings != nil {
		rep.TotalSwings = r.TotalSwings.String()
	}
	if r.MinimalWinning != nil && r.Indices&mwcIndices != 0 {
		rep.MinimalWinning = r.MinimalWinning.String()
	}
	for i, p := range r.Players {
		pr := PlayerReport{ID: p.ID, Name: p.Name, Class: p.Class, Weight: p.Weight, Veto: p.Veto}
		if p.Swings != nil {
			pr.Swings = p.Swings.String()
		}
		for _, v := range []struct {
			name string
			val  *Value
			dst  **float64
		}{
			{"banzhaf", p.Banzhaf, &pr.Banzhaf},
			{"absolute_banzhaf", p.AbsoluteBanzhaf, &pr.AbsoluteBanzhaf},
			{"shapley_shubik", p.ShapleyShubik, &pr.ShapleyShubik},
			{"deegan_packel", p.DeeganPackel, &pr.DeeganPackel},
			{"public_good", p.PublicGood, &pr.PublicGood},
			{"johnston", p.Johnston, &pr.Johnston},
		} {
			if v.val == nil {
				continue
			}
			f := v.val.Float
			*v.dst = &f
			if v.val.Exact != nil {
				if pr.Exact == nil {
					pr.Exact = map[string]string{}
				}
				pr.Exact[v.name] = v.val.Exact.RatString()
			} else {
				if pr.Interval == nil {
					pr.Interval = map[string][2]float64{}
				}
				pr.Interval[v.name] = [2]float64{v.val.Low, v.val.High}
			}
		}
		rep.Players[i] = pr
	}
	return rep
}

// WriteText writes a result as a table for people: one line per player, then, for a game of a few
// kinds of players, each kind's exact values.
func (r *Result) WriteText(w io.Writer) error {
	g := r.Game
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", g.Name)
	fmt.Fprintf(&b, "wins: %s\n", g.Describe())
	if r.Exact {
		fmt.Fprintf(&b, "exact: %s; %s\n", r.Method, tookText(r))
	} else {
		fmt.Fprintf(&b, "ESTIMATE: %s; %s\n", r.Method, tookText(r))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if r.TotalSwings != nil {
		fmt.Fprintf(&b, "swings in all: %s", r.TotalSwings)
		if r.MinimalWinning != nil && r.Indices&mwcIndices != 0 {
			fmt.Fprintf(&b, "; minimal winning coalitions: %s", r.MinimalWinning)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	cols := []string{"player", "weight"}
	if r.Indices&Banzhaf != 0 {
		if r.Exact {
			cols = append(cols, "swings")
		}
		cols = append(cols, "Banzhaf", "absolute")
	}
	for _, x := range indexNames[1:] {
		if r.Indices&x.index != 0 {
			cols = append(cols, x.text)
		}
	}
	fmt.Fprintln(tw, strings.Join(cols, "\t")+"\t")
	for _, p := range r.Players {
		row := []string{p.ID, fmt.Sprint(p.Weight)}
		if r.Indices&Banzhaf != 0 {
			if r.Exact {
				row = append(row, p.Swings.String())
			}
			row = append(row, valueText(p.Banzhaf), valueText(p.AbsoluteBanzhaf))
		}
		for _, v := range []struct {
			index Index
			val   *Value
		}{{ShapleyShubik, p.ShapleyShubik}, {DeeganPackel, p.DeeganPackel}, {PublicGood, p.PublicGood}, {Johnston, p.Johnston}} {
			if r.Indices&v.index != 0 {
				row = append(row, valueText(v.val))
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Exact {
		return r.writeExact(w)
	}
	return nil
}

func tookText(r *Result) string {
	return fmt.Sprintf("%.3g ms", float64(r.Took.Microseconds())/1000)
}

func valueText(v *Value) string {
	switch {
	case v == nil:
		return "-"
	case v.Exact == nil:
		return fmt.Sprintf("%.6f [%.6f, %.6f]", v.Float, v.Low, v.High)
	}
	return fmt.Sprintf("%.6f", v.Float)
}

// writeExact writes the exact values of each kind of player, when there are at most eight kinds.
func (r *Result) writeExact(w io.Writer) error {
	type kind struct {
		key     string
		players []string
		p       PlayerPower
	}
	var kinds []*kind
	byKey := map[string]*kind{}
	for _, p := range r.Players {
		var parts []string
		for _, v := range []*Value{p.Banzhaf, p.ShapleyShubik, p.DeeganPackel, p.PublicGood, p.Johnston} {
			if v != nil {
				parts = append(parts, v.Exact.RatString())
			}
		}
		key := strings.Join(parts, " ")
		k := byKey[key]
		if k == nil {
			k = &kind{key: key, p: p}
			byKey[key] = k
			kinds = append(kinds, k)
		}
		k.players = append(k.players, p.ID)
	}
	if len(kinds) > 8 {
		return nil
	}
	var b strings.Builder
	b.WriteString("\nexact values:\n")
	for _, k := range kinds {
		who := strings.Join(k.players, ", ")
		if len(k.players) > 6 {
			who = strings.Join(k.players[:5], ", ") + fmt.Sprintf(" and %d others", len(k.players)-5)
		}
		var vals []string
		if k.p.Banzhaf != nil {
			vals = append(vals, "swings "+k.p.Swings.String(), "Banzhaf "+k.p.Banzhaf.Exact.RatString(),
				"absolute "+shortRat(k.p.AbsoluteBanzhaf.Exact))
		}
		for _, x := range []struct {
			name string
			v    *Value
		}{{"Shapley-Shubik", k.p.ShapleyShubik}, {"Deegan-Packel", k.p.DeeganPackel}, {"Public Good", k.p.PublicGood}, {"Johnston", k.p.Johnston}} {
			if x.v != nil {
				vals = append(vals, x.name+" "+x.v.Exact.RatString())
			}
		}
		fmt.Fprintf(&b, "  %s: %s\n", who, strings.Join(vals, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shortRat writes a fraction whose denominator is a power of two as a/2^k.
func shortRat(r *big.Rat) string {
	d := r.Denom()
	if d.BitLen() > 1 && new(big.Int).And(d, new(big.Int).Sub(d, big.NewInt(1))).Sign() == 0 {
		return fmt.Sprintf("%s/2^%d", r.Num(), d.BitLen()-1)
	}
	return r.RatString()
}
