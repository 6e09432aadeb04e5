package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/scenario"
)

// runReplay plays a scenario file through the rules and prints its record, for people or as JSON.
func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	quiet(fs, stderr, "replay FILE [--json]")
	asJSON := fs.Bool("json", false, "print the record as JSON (the public contract of docs/scenario.md)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return invalid("want one scenario file, got %d arguments", len(pos))
	}
	sc, err := scenario.Load(pos[0], scenario.Options{})
	if err != nil {
		var se *scenario.Error
		if errors.As(err, &se) {
			return &exitError{exitInvalid, err}
		}
		return err
	}
	r, err := sc.Run()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r.Record); err != nil {
			return err
		}
	} else if err := scenario.WriteText(stdout, sc, r); err != nil {
		return err
	}
	if f := r.Failed; f != nil {
		return &exitError{exitRefused, fmt.Errorf("%s:%d: step %d (%s): %s", sc.File, f.Line, f.Step, f.Kind, f.Message)}
	}
	return nil
}

// runBodies lists the built-in bodies.
func runBodies(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bodies", flag.ContinueOnError)
	quiet(fs, stderr, "bodies")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, id := range bodies.BuiltinIDs() {
		b, err := bodies.Builtin(id)
		if err != nil {
			return err
		}
		var eras []string
		for _, e := range b.Eras {
			eras = append(eras, fmt.Sprintf("from %s: %d seats", e.From, e.Seats))
		}
		fmt.Fprintf(stdout, "%s\t%s (%s)\n", id, b.Name, strings.Join(eras, "; "))
	}
	return nil
}

// runGenerate writes a generated scenario, for load tests and benchmarks.
func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	quiet(fs, stderr, "generate [--steps N] [--seed S]")
	steps := fs.Int("steps", 100000, "how many steps")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *steps < 1 {
		return invalid("want no arguments and --steps of at least 1")
	}
	return scenario.Generate(stdout, *steps, *seed)
}
