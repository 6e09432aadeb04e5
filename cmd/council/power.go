package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/power"
	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/scenario"
)

// powerUsage is the command line of council power.
const powerUsage = `power [BODY] [--matter M] [--date YYYY-MM-DD] | --weights FILE --quota Q | --game NAME
        [--index banzhaf|shapley-shubik|deegan-packel|public-good|johnston|all] [--json]
        [--budget N] [--memory MIB] [--exact | --estimate] [--samples N] [--seed S]
  power --scenario FILE [--vote ID | --request ID] [--json]
  (BODY: a built-in body such as unsc, default, or a body file; Q: a weight or a share such as 50%, 2/3;
  NAME: us-electoral-college, eec-1958)`

// runPower prints each player's voting power in a decision rule (docs/power.md), or, with --scenario,
// who was decisive in the scenario's votes and requests, and why.
func runPower(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("power", flag.ContinueOnError)
	quiet(fs, stderr, powerUsage)
	asJSON := fs.Bool("json", false, "print JSON")
	matter := fs.String("matter", "", "the kind of decision (default: the body's decision on drafts, such as substantive)")
	date := fs.String("date", "", "the day whose rules and members count (default: today)")
	weights := fs.String("weights", "", "a weighted game: a CSV file of id,weight lines")
	quota := fs.String("quota", "", "with --weights: the quota, a weight or a share of the total (50%, 2/3, 0.85, majority)")
	game := fs.String("game", "", "a built-in game: "+strings.Join(power.BuiltinNames(), ", "))
	index := fs.String("index", "banzhaf,shapley-shubik", "the indices: banzhaf, shapley-shubik, deegan-packel, public-good, johnston, or all")
	budget := fs.Float64("budget", power.DefaultBudget, "the most exact work, in 64-bit word additions (1e9 is about a second), before estimating instead")
	memory := fs.Int64("memory", power.DefaultMemory>>20, "the most memory for exact tables, in MiB")
	exact := fs.Bool("exact", false, "never estimate: fail when exact work would exceed the budget")
	estimate := fs.Bool("estimate", false, "estimate by Monte Carlo even when exact work would fit the budget")
	samples := fs.Int("samples", power.DefaultSamples, "Monte Carlo samples")
	seed := fs.Uint64("seed", 1, "Monte Carlo seed; the same seed gives the same estimate")
	scenarioFile := fs.String("scenario", "", "explain who was decisive in this scenario's votes and requests")
	vote := fs.String("vote", "", "with --scenario: only this vote")
	request := fs.String("request", "", "with --scenario: only this request")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *scenarioFile != "" {
		if len(pos) > 0 || *weights != "" || *game != "" {
			return invalid("--scenario takes no body, --weights or --game")
		}
		return runDecisive(*scenarioFile, *vote, *request, *asJSON, stdout)
	}
	if *vote != "" || *request != "" {
		return invalid("--vote and --request go with --scenario FILE")
	}
	idx, err := power.ParseIndex(*index)
	if err != nil {
		return invalid("--index: %v", err)
	}
	opt := power.Options{Indices: idx, Budget: int64(*budget), Memory: *memory << 20, Samples: *samples, Seed: *seed}
	switch {
	case *exact && *estimate:
		return invalid("--exact and --estimate exclude each other")
	case *exact:
		opt.Method = power.Exact
	case *estimate:
		opt.Method = power.Estimate
	}
	if *budget <= 0 || *memory <= 0 || *samples <= 0 {
		return invalid("--budget, --memory and --samples must be positive")
	}
	g, err := powerGame(pos, *matter, *date, *weights, *quota, *game)
	if err != nil {
		return err
	}
	res, err := power.Compute(g, opt)
	switch {
	case errors.Is(err, power.ErrBudget):
		return &exitError{exitInternal, fmt.Errorf("%w (raise --budget or --memory, or drop --exact to estimate)", err)}
	case err != nil:
		return invalid("%v", err)
	}
	if *asJSON {
		return writeJSON(stdout, res.Report())
	}
	return res.WriteText(stdout)
}

// powerGame is the game the command line names: a body's decision, a weights file or a built-in game.
func powerGame(pos []string, matter, date, weights, quota, game string) (*power.Game, error) {
	sources := 0
	for _, given := range []bool{len(pos) > 0, weights != "", game != ""} {
		if given {
			sources++
		}
	}
	switch {
	case len(pos) > 1:
		return nil, invalid("want at most one body, got %d arguments", len(pos))
	case sources > 1:
		return nil, invalid("give one of a body, --weights FILE or --game NAME")
	case (weights == "") != (quota == ""):
		return nil, invalid("--weights and --quota go together")
	case weights != "" && (matter != "" || date != ""):
		return nil, invalid("--matter and --date are for a body, not --weights")
	}
	switch {
	case game != "":
		g, ok := power.Builtin(game)
		if !ok {
			return nil, invalid("unknown game %q (built-in: %s)", game, strings.Join(power.BuiltinNames(), ", "))
		}
		return g, nil
	case weights != "":
		f, err := os.Open(weights)
		if err != nil {
			return nil, invalid("%v", err)
		}
		defer f.Close()
		ids, ws, err := power.ReadWeights(f, weights)
		if err != nil {
			return nil, invalid("%v", err)
		}
		var total int64
		for _, w := range ws {
			total += w
		}
		q, err := power.ParseQuota(quota, total)
		if err != nil {
			return nil, invalid("--quota: %v", err)
		}
		g, err := power.Weighted(weights, ids, ws, q)
		if err != nil {
			return nil, invalid("%s: %v", weights, err)
		}
		return g, nil
	}
	name := "unsc"
	if len(pos) == 1 {
		name = pos[0]
	}
	b, err := bodies.Load(name)
	if err != nil {
		return nil, invalid("%v", err)
	}
	day := date
	if day == "" {
		day = council.DateOf(time.Now().Date()).String()
		if b.Roster == "unsc" {
			// The roster may not reach today yet: then its last year.
			if _, last := roster.Default().Years(); day[:4] > fmt.Sprint(last) {
				day = fmt.Sprintf("%d-12-31", last)
			}
		}
	} else if d, err := council.ParseDate(day); err != nil {
		return nil, invalid("--date: %v", err)
	} else {
		day = d.String()
	}
	g, err := power.BodyGame(b, matter, day, nil)
	if err != nil {
		return nil, invalid("%v", err)
	}
	return g, nil
}

// runDecisive replays a scenario and explains who was decisive in its votes and requests.
func runDecisive(file, vote, request string, asJSON bool, stdout io.Writer) error {
	if vote != "" && request != "" {
		return invalid("give --vote or --request, not both")
	}
	sc, err := scenario.Load(file, scenario.Options{})
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	r, err := sc.Run()
	if err != nil {
		return err
	}
	var out []power.Decisive
	switch {
	case vote != "":
		d, err := power.VoteDecisive(r.State, vote)
		if err != nil {
			return invalid("%s: %v", file, err)
		}
		out = append(out, *d)
	case request != "":
		d, err := power.RequestDecisive(r.State, request)
		if err != nil {
			return invalid("%s: %v", file, err)
		}
		out = append(out, *d)
	default:
		if out, err = power.RecordDecisive(r.State); err != nil {
			return err
		}
	}
	if asJSON {
		if vote != "" || request != "" {
			return writeJSON(stdout, out[0])
		}
		return writeJSON(stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(stdout, "no votes or requests")
	}
	for _, d := range out {
		if d.Kind == "request" {
			fmt.Fprintf(stdout, "%s %s (%s): %s\n", d.Kind, d.ID, d.Date, d.Summary)
		} else {
			var who []string
			for _, m := range d.Members {
				who = append(who, m.Member)
			}
			decisive := "no member decisive"
			if len(who) > 0 {
				decisive = "decisive: " + strings.Join(who, ", ")
			}
			fmt.Fprintf(stdout, "%s %s (%s, %s): %s; %s\n", d.Kind, d.ID, d.Date, d.Matter, d.Result, decisive)
		}
		for _, m := range d.Members {
			fmt.Fprintf(stdout, "  %s\n", m.Text())
		}
	}
	if f := r.Failed; f != nil {
		fmt.Fprintf(stdout, "(the scenario stops at step %d (%s): %s)\n", f.Step, f.Kind, f.Message)
	}
	return nil
}
