// Package power measures who holds the power in a body: exact voting-power indices of the simple
// game a decision rule makes, and who was decisive in a recorded vote.
//
// A Game is a decision rule as a simple game: a coalition of k players, holding every veto player,
// wins when its total weight reaches Need[k]. That covers weighted games (an electoral college, the
// EEC of 1958), counts of heads with a veto class (the Security Council), and double majorities of
// heads and weight with a blocking minority (the Council of the EU). FromDecision makes the game of any
// decision of a body (package rules); Weighted makes one from weights and a quota.
//
// Compute finds the raw, normalised and absolute (Penrose) Banzhaf indices and the Shapley-Shubik
// index, and, where the game is small enough, the Deegan-Packel, Public Good (Holler) and Johnston
// indices. Counts are exact integers of any size (fixed-width multiword arithmetic, then math/big);
// floating point appears only in the final ratio. The algorithms, chosen by cost:
//
//   - the closed form by player types, summing over how many players of each kind a coalition holds
//     (any index; instant for the Security Council or the General Assembly);
//   - the generating function of coalition weights for the Banzhaf index of a weighted game, with
//     each player's deconvolution summed in closed form (q/w lookups) and the table stopped at
//     min(q, W-q+1) (Uno 2012; Kurz 2016);
//   - the counting table by size and weight for the Shapley-Shubik index and for games of heads and
//     weight together, built on the game or its dual, whichever is smaller, after the veto players
//     are taken out;
//   - enumeration of all coalitions (Gray code), for the indices built on minimal winning coalitions
//     and as a second exact method;
//   - a Monte Carlo estimate with Wilson intervals when exact work would exceed the budget, always
//     labelled as an estimate.
//
// Decisive members of a recorded vote or request are the engine's (VoteTaken.Decisive, from
// rules.Era.Evaluate); VoteDecisive says, for each, which other ballot alone would have changed the
// result, with the engine's reason for that result.
package power
