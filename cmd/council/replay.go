package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/scenario"
)

// runReplay plays a scenario file through the rules and prints its record, for people or as JSON.
func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	quiet(fs, stderr, "replay FILE [--json] [--store PATH | --postgres URL] [--council NAME]")
	asJSON := fs.Bool("json", false, "print the record as JSON (the public contract of docs/scenario.md)")
	var sf storeFlags
	sf.register(fs)
	name := fs.String("council", "", "with a store: the council's name there (default: the file's name)")
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
		if !errors.As(err, &se) {
			return err
		}
		if *asJSON {
			// A program reading the record learns why there is none.
			writeJSON(stdout, map[string]any{"error": map[string]any{"code": council.EINVALID, "file": se.File,
				"line": se.Line, "field": se.Field, "message": se.Message}})
		}
		return &exitError{exitInvalid, err}
	}
	r, err := sc.Run()
	if err != nil {
		return err
	}
	if sf.given() {
		stream := *name
		if stream == "" {
			stream = strings.TrimSuffix(filepath.Base(pos[0]), filepath.Ext(pos[0]))
		}
		if err := keep(ctx, &sf, stream, sc, r); err != nil {
			return err
		}
	}
	if *asJSON {
		if err := writeJSON(stdout, r.Record); err != nil {
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

// chunk is how many steps go into one durable append when a replay is kept in a store.
const chunk = 1000

// keep writes a replayed scenario to a store as the council stream: its definition, then every step
// the rules accepted, in durable chunks keyed by their first step, so running the same replay again
// (after a crash, say) adds nothing twice. The record read back from the store must equal the replay's.
func keep(ctx context.Context, sf *storeFlags, stream string, sc *scenario.Scenario, r *scenario.Replay) error {
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := councils.NewService(st, nil)
	switch err := svc.Create(ctx, stream, sc.Def); council.ErrorCode(err) {
	case "":
	case councils.EExists:
		if err := sameDefinition(ctx, st, stream, sc.Def); err != nil {
			return err
		}
	default:
		return err
	}
	steps := sc.Steps
	if r.Failed != nil {
		steps = steps[:r.Failed.Step-1]
	}
	for from := 0; from < len(steps); from += chunk {
		to := min(from+chunk, len(steps))
		cmds := make([]council.Command, 0, to-from)
		for _, s := range steps[from:to] {
			cmds = append(cmds, s.Command)
		}
		if _, err := svc.DoBatch(ctx, stream, fmt.Sprintf("replay:step-%d", from+1), cmds); err != nil {
			return fmt.Errorf("keep steps %d-%d in %s: %w", from+1, to, stream, err)
		}
	}
	stored, _, err := svc.Record(ctx, stream)
	if err != nil {
		return err
	}
	stored.Error = r.Record.Error
	a, _ := json.Marshal(stored)
	b, _ := json.Marshal(r.Record)
	if !bytes.Equal(a, b) {
		return fmt.Errorf("the record kept in %s differs from the replay: the council there had other steps before", stream)
	}
	return nil
}

// sameDefinition refuses to add a scenario to a council of the same name made of something else.
func sameDefinition(ctx context.Context, st council.EventStore, stream string, def *council.CouncilCreated) error {
	want, err := council.EncodeEvent(def)
	if err != nil {
		return err
	}
	got, _, err := council.ReadAt(ctx, st, stream, 1)
	if err != nil {
		return err
	}
	if !bytes.Equal(got.Data, want.Data) {
		return invalid("the store already holds a council named %s made of something else; name this one with --council", stream)
	}
	return nil
}

// writeJSON writes a value as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
