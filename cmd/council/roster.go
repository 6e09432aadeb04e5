package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/roster"
)

// runRoster prints who sits on the Security Council on a day and who presides.
func runRoster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("roster", flag.ContinueOnError)
	quiet(fs, stderr, "roster [YYYY-MM-DD] [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return invalid("want at most one date, got %d arguments", len(pos))
	}
	day := council.DateOf(time.Now().Date())
	if len(pos) == 1 {
		if day, err = council.ParseDate(pos[0]); err != nil {
			return invalid("%v", err)
		}
	}
	r := roster.Default()
	y, m, _ := day.Civil()
	members, err := r.Members(y)
	if err != nil {
		first, last := r.Years()
		return invalid("no members recorded for %d: the roster covers %d to %d", y, first, last)
	}
	president, err := r.President(y, m)
	if err != nil {
		return err
	}
	if *asJSON {
		type member struct {
			Code      string `json:"code"`
			Name      string `json:"name"`
			Permanent bool   `json:"permanent"`
		}
		out := struct {
			Date      council.Date `json:"date"`
			President string       `json:"president"`
			Members   []member     `json:"members"`
		}{Date: day, President: president.Code}
		for _, mm := range members {
			out.Members = append(out.Members, member{mm.Code, mm.Name, mm.Permanent})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(stdout, "The Security Council on %s: %d members; President %s (%s).\n", day, len(members), president.Name, president.Code)
	for _, mm := range members {
		kind := "elected"
		if mm.Permanent {
			kind = "permanent"
		}
		mark := ""
		if mm.Code == president.Code {
			mark = "  President"
		}
		fmt.Fprintf(stdout, "  %s  %-9s  %s%s\n", mm.Code, kind, mm.Name, mark)
	}
	return nil
}
