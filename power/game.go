package power

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Never is the threshold of a coalition size that never wins.
const Never int64 = math.MaxInt64

// Player is one player of a game: a member of a body, a state of an electoral college.
type Player struct {
	ID     string
	Name   string // human name, when known
	Class  string // member class, when known ("permanent", "elected")
	Weight int64  // voting weight, at least 0
	// Veto players are in every winning coalition: the members of a rule's veto class.
	Veto bool
}

// Game is a simple game decided by a coalition's size and total weight: a coalition of k players,
// holding every veto player, wins when its weight is at least Need[k]. This covers weighted games
// (Need[k] is the quota for every k), counts of heads with a veto class (the Security Council),
// double majorities of heads and weight with a blocking minority (the Council of the EU), and their
// combinations.
type Game struct {
	Name    string
	Players []Player
	// Need[k], for k from 0 to the number of players, is the least total weight with which k players
	// holding every veto player win; Never when no coalition of k players wins. It never grows with k:
	// adding a player to a winning coalition keeps it winning.
	Need []int64
	// Quota is the quota of a plain weighted game, 0 for other games; it is shown, not used.
	Quota int64
	// Rule says in words how a coalition wins; empty means a description made from Need.
	Rule string
}

// Weighted is the weighted game in which a coalition wins when its players' weights sum to at least
// quota.
func Weighted(name string, ids []string, weights []int64, quota int64) (*Game, error) {
	if len(ids) != len(weights) {
		return nil, fmt.Errorf("%d players but %d weights", len(ids), len(weights))
	}
	g := &Game{Name: name, Quota: quota, Players: make([]Player, len(ids)), Need: make([]int64, len(ids)+1)}
	for i, id := range ids {
		g.Players[i] = Player{ID: id, Weight: weights[i]}
	}
	for k := range g.Need {
		g.Need[k] = quota
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if quota < 1 {
		return nil, fmt.Errorf("quota %d: it must be at least 1, or every coalition, even the empty one, wins", quota)
	}
	if w := g.TotalWeight(); quota > w {
		return nil, fmt.Errorf("quota %d exceeds the total weight %d: no coalition wins", quota, w)
	}
	return g, nil
}

// Validate checks that a game is well formed: unique player ids, weights of at least 0, and
// thresholds for every size that never grow with it.
func (g *Game) Validate() error {
	n := len(g.Players)
	if n == 0 {
		return errors.New("the game has no players")
	}
	if len(g.Need) != n+1 {
		return fmt.Errorf("the game has %d players but %d thresholds (want one per coalition size, 0 to %d)", n, len(g.Need), n)
	}
	seen := make(map[string]bool, n)
	var total int64
	for _, p := range g.Players {
		switch {
		case p.ID == "":
			return errors.New("a player has no id")
		case seen[p.ID]:
			return fmt.Errorf("player %s is listed twice", p.ID)
		case p.Weight < 0:
			return fmt.Errorf("player %s has a negative weight", p.ID)
		case p.Weight > math.MaxInt64/int64(n+1)-total:
			return fmt.Errorf("the weights are too large: their total exceeds %d", int64(math.MaxInt64/int64(n+1)))
		}
		seen[p.ID] = true
		total += p.Weight
	}
	for k := 1; k <= n; k++ {
		if g.Need[k] > g.Need[k-1] {
			return fmt.Errorf("coalitions of %d players need more weight (%d) than those of %d (%d): a game must be monotone", k, g.Need[k], k-1, g.Need[k-1])
		}
	}
	return nil
}

// TotalWeight is the sum of the players' weights.
func (g *Game) TotalWeight() int64 {
	var w int64
	for _, p := range g.Players {
		w += p.Weight
	}
	return w
}

// Wins reports whether the coalition of the players marked true wins.
func (g *Game) Wins(in []bool) bool {
	k, vetoes := 0, 0
	var w int64
	for i, p := range g.Players {
		switch {
		case in[i]:
			k++
			w += p.Weight
		case p.Veto:
			vetoes++
		}
	}
	return vetoes == 0 && w >= g.Need[k]
}

// weighted reports whether the game is a plain weighted game: no veto players and one quota for
// every size (the empty coalition aside, which never reaches a positive quota).
func (g *Game) weighted() (quota int64, ok bool) {
	for _, p := range g.Players {
		if p.Veto {
			return 0, false
		}
	}
	q := g.Need[len(g.Need)-1]
	if q < 1 || q == Never {
		return 0, false
	}
	for k := 1; k < len(g.Need); k++ {
		if g.Need[k] != q {
			return 0, false
		}
	}
	return q, g.Need[0] == q || g.Need[0] == Never
}

// Describe says in words how a coalition wins.
func (g *Game) Describe() string {
	if g.Rule != "" {
		return g.Rule
	}
	n := len(g.Players)
	total := g.TotalWeight()
	if q, ok := g.weighted(); ok {
		return fmt.Sprintf("a total weight of at least %s of %s", group(q), group(total))
	}
	// Runs of sizes with the same threshold, from the smallest size that wins.
	var parts []string
	for k := 0; k <= n; {
		t := g.Need[k]
		j := k
		for j+1 <= n && g.Need[j+1] == t {
			j++
		}
		from, unit := max(k, 1), g.unitWeights()
		if w0 := g.Players[0].Weight; t != Never && unit && w0 > 0 {
			from = max(from, int((t+w0-1)/w0)) // equal weights: a weight is a number of players
		}
		if t != Never && from <= j {
			var b strings.Builder
			b.WriteString("at least ")
			b.WriteString(strconv.Itoa(from))
			b.WriteString(" of ")
			b.WriteString(strconv.Itoa(n))
			b.WriteString(" players")
			if t > 0 && !unit {
				fmt.Fprintf(&b, " with a weight of at least %s of %s", group(t), group(total))
			}
			parts = append(parts, b.String())
		}
		k = j + 1
	}
	if len(parts) == 0 {
		return "no coalition wins"
	}
	// A larger size that wins with less weight is an alternative: "A, or B".
	s := strings.Join(parts, ", or ")
	var veto []string
	for _, p := range g.Players {
		if p.Veto {
			veto = append(veto, p.ID)
		}
	}
	if len(veto) > 0 {
		s += fmt.Sprintf(", including all %d veto players (%s)", len(veto), strings.Join(veto, ", "))
	}
	return s
}

// unitWeights reports whether every player weighs the same.
func (g *Game) unitWeights() bool {
	return !slices.ContainsFunc(g.Players, func(p Player) bool { return p.Weight != g.Players[0].Weight })
}

// group writes a number with thousands separated by commas.
func group(x int64) string {
	s := strconv.FormatInt(x, 10)
	if len(s) <= 4 || x < 0 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
