package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/history"
)

// historyUsage lists the history subcommands.
const historyUsage = `history import [--store PATH | --postgres URL] [--json]
  history summary | problems | check | resolutions | unanimous [--json | --csv]
  history vetoes [--by member|year|topic] | failed [--year Y] | meetings [--topic WORDS] [--year Y] | member CODE
  history whatif [--rule no-veto] [--threshold 1946|N|A/B] [--abstain CODE,...] [--body FILE] [--year Y] [--meeting KEY] [--document DOC] [--all]
  (queries read the embedded record, or with --store PATH | --postgres URL the record imported there)`

// historyCommands are the subcommands of council history and what each prints.
var historyCommands = map[string]func(h *history.History, q *historyQuery) (any, error){
	"summary":     func(h *history.History, _ *historyQuery) (any, error) { return h.Summary(), nil },
	"problems":    func(h *history.History, _ *historyQuery) (any, error) { return h.Problems, nil },
	"check":       func(h *history.History, _ *historyQuery) (any, error) { return h.Check(), nil },
	"vetoes":      func(h *history.History, q *historyQuery) (any, error) { return h.VetoCounts(q.by) },
	"resolutions": func(h *history.History, _ *historyQuery) (any, error) { return h.Years(), nil },
	"unanimous":   func(h *history.History, _ *historyQuery) (any, error) { return h.Unanimity(), nil },
	"failed":      func(h *history.History, q *historyQuery) (any, error) { return h.Failed(q.year), nil },
	"meetings":    func(h *history.History, q *historyQuery) (any, error) { return h.MeetingsOn(q.topic, q.year), nil },
	"member":      func(h *history.History, q *historyQuery) (any, error) { return h.Member(q.member) },
	"whatif":      func(h *history.History, q *historyQuery) (any, error) { return h.WhatIf(q.scenario) },
}

// historyQuery is a history subcommand's command line.
type historyQuery struct {
	by, topic, member string
	year              int
	scenario          history.Scenario
}

// runHistory imports the Council's real record into a store, checks it against the rules, and answers
// queries on it (docs/history.md).
func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(stderr, "usage: council %s\n", historyUsage)
		if len(args) == 0 {
			return invalid("history needs a subcommand")
		}
		return flag.ErrHelp
	}
	sub, args := args[0], args[1:]
	if sub == "import" {
		return runHistoryImport(ctx, args, stdout, stderr)
	}
	answer, ok := historyCommands[sub]
	if !ok {
		return invalid("unknown history subcommand %q (import, summary, problems, check, vetoes, resolutions, unanimous, failed, meetings, member, whatif)", sub)
	}
	fs := flag.NewFlagSet("history "+sub, flag.ContinueOnError)
	quiet(fs, stderr, historyUsage)
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV with a header row")
	var sf storeFlags
	sf.register(fs)
	var q historyQuery
	fs.StringVar(&q.by, "by", "member", "vetoes: count by member, year or topic")
	fs.StringVar(&q.topic, "topic", "", "meetings: words the topic contains (any case)")
	fs.IntVar(&q.year, "year", 0, "failed, meetings, whatif: only this year")
	rule := fs.String("rule", "", "whatif: no-veto")
	fs.StringVar(&q.scenario.Threshold, "threshold", "", "whatif: the votes needed in every era: a year's (1946: 7), a number, or a share of the members (7/11)")
	abstain := fs.String("abstain", "", "whatif: these members' negative votes become abstentions (CODE,CODE)")
	body := fs.String("body", "", "whatif: count under this body file's rules (or a built-in body's id)")
	fs.StringVar(&q.scenario.Meeting, "meeting", "", "whatif: only the votes of this meeting (S/PV.N or its key)")
	fs.StringVar(&q.scenario.Document, "document", "", "whatif: only the vote on this document (\"S/RES/82 (1950)\", S/2022/155)")
	fs.BoolVar(&q.scenario.All, "all", false, "whatif: list every vote counted, not only those whose outcome changes")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *asJSON && *asCSV:
		return invalid("give --json or --csv, not both")
	case sub == "member" && len(pos) != 1:
		return invalid("history member needs one member's code, such as USA (SUN for the USSR)")
	case sub != "member" && len(pos) != 0:
		return invalid("history %s takes no arguments, got %q", sub, pos)
	}
	if sub == "member" {
		q.member = pos[0]
	}
	switch *rule {
	case "":
	case "no-veto":
		q.scenario.NoVeto = true
	default:
		return invalid("--rule %q: the rule is no-veto (or give --threshold, --abstain, --body)", *rule)
	}
	for c := range strings.SplitSeq(*abstain, ",") {
		if c = strings.TrimSpace(c); c != "" {
			q.scenario.Abstain = append(q.scenario.Abstain, c)
		}
	}
	if *body != "" {
		if q.scenario.Body, err = bodies.Load(*body); err != nil {
			return invalid("--body: %v", err)
		}
	}
	q.scenario.Year = q.year
	h, err := loadHistory(ctx, &sf)
	if err != nil {
		return err
	}
	v, err := answer(h, &q)
	if errors.Is(err, history.ErrBadQuery) {
		return invalid("%v", err)
	}
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return writeJSON(stdout, v)
	case *asCSV:
		return history.WriteCSV(stdout, v)
	}
	return printHistory(stdout, v)
}

// loadHistory reads the record: the embedded one, or the one imported into the store the flags name.
func loadHistory(ctx context.Context, sf *storeFlags) (*history.History, error) {
	if !sf.given() {
		return history.Default()
	}
	st, err := sf.open(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	h, err := history.Load(ctx, st)
	if err != nil {
		return nil, &exitError{exitRefused, err}
	}
	return h, nil
}

// runHistoryImport parses the embedded record and imports it into the store, once.
func runHistoryImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("history import", flag.ContinueOnError)
	quiet(fs, stderr, "history import [--store PATH | --postgres URL] [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	var sf storeFlags
	sf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return invalid("history import takes no arguments (the record is embedded), got %q", pos)
	}
	if !sf.given() {
		sf.path = defaultStore
	}
	start := time.Now()
	h, err := history.Default()
	if err != nil {
		return err
	}
	parsed := time.Since(start)
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := history.Import(ctx, st, h)
	if errors.Is(err, history.ErrOtherRecord) {
		return &exitError{exitRefused, err}
	}
	if err != nil {
		return err
	}
	took := time.Since(start)
	if *asJSON {
		return writeJSON(stdout, map[string]any{"store": sf.describe(), "stream": res.Stream, "appended": res.Appended,
			"events": res.Events, "head": res.Head, "parse_seconds": parsed.Seconds(), "seconds": took.Seconds(),
			"stats": h.Stats, "sources": h.Sources})
	}
	s := h.Stats
	fmt.Fprintf(stdout, "Parsed %d rows of %s: %d meetings, %s to %s, %d outcomes (%d with a tally), %d vetoed drafts listed.\n",
		s.Rows, history.MeetingsFile, s.Meetings, s.First, s.Last, s.Outcomes, s.Tallies, s.Vetoes)
	fmt.Fprintf(stdout, "Outcomes:%s\n", counts(history.Kinds, s.ByKind))
	fmt.Fprintf(stdout, "Problems: %d (council history problems lists them):%s\n", s.Problems, counts(sortedReasons(s.ByReason), s.ByReason))
	verb := "imported"
	if !res.Appended {
		verb = "already imported, nothing appended"
	}
	fmt.Fprintf(stdout, "%s: %s into %s, %d events, chain verified, head %s (%.2f s, parse %.2f s)\n",
		verb, res.Stream, sf.describe(), res.Events, res.Head, took.Seconds(), parsed.Seconds())
	return nil
}

func counts(keys []string, m map[string]int) string {
	var b strings.Builder
	for _, k := range keys {
		if m[k] > 0 {
			fmt.Fprintf(&b, " %s %d,", k, m[k])
		}
	}
	return strings.TrimSuffix(b.String(), ",")
}

func sortedReasons(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

// printHistory writes a query's answer for people.
func printHistory(w io.Writer, v any) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...any) {
		for i, c := range cells {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	switch x := v.(type) {
	case *history.Summary:
		s := x.Stats
		fmt.Fprintf(tw, "The Security Council's record, %s to %s: %d meetings (%d rows), %d outcomes, %d with a tally; %d vetoed drafts listed; %d problems.\n",
			s.First, s.Last, s.Meetings, s.Rows, s.Outcomes, s.Tallies, s.Vetoes, s.Problems)
		for _, k := range history.Kinds {
			row("  outcomes", k, s.ByKind[k])
		}
		tw.Flush()
		for _, r := range sortedReasons(s.ByReason) {
			row("  problems", r, s.ByReason[r])
		}
		tw.Flush()
		for _, src := range x.Sources {
			row("  source", src.File, fmt.Sprintf("%d rows", src.Rows), "sha256 "+src.SHA256)
		}
	case []history.Problem:
		for _, p := range x {
			row(fmt.Sprintf("%s:%d", p.File, p.Row), p.Reason, fmt.Sprintf("%.60q", p.Value), p.Detail)
		}
	case *history.Report:
		fmt.Fprintf(tw, "%d votes recomputed from the record's tallies; %d agree with the recorded outcome (%d of them with an assumed tally); %d disagree. %d resolutions or drafts have no tally to count.\n",
			x.Votes, x.Agree, x.Assumed, len(x.Disagreements), x.NotChecked)
		for _, r := range sortedReasons(x.ByReason) {
			row("  "+r, x.ByReason[r])
		}
		tw.Flush()
		for _, d := range x.Disagreements {
			row(d.Date, d.Meeting, d.Document, d.Tally, "recorded "+d.Recorded, "computed "+d.Computed, d.Reason+": "+d.Detail)
		}
	case []history.VetoCount:
		for _, c := range x {
			switch {
			case c.Member != "":
				row(c.Member, c.Name, c.Vetoes)
			case c.Topic != "":
				row(c.Topic, c.Vetoes)
			default:
				row(c.Year, c.Vetoes)
			}
		}
	case []history.YearCount:
		row("year", "meetings", "resolutions", "unanimous", "without vote", "drafts not adopted", "drafts vetoed", "statements")
		for _, y := range x {
			row(y.Year, y.Meetings, y.Resolutions, y.Unanimous, y.WithoutVote, y.NotAdopted, y.Vetoed, y.Statements)
		}
	case *history.Unanimity:
		fmt.Fprintf(tw, "Of %d resolutions put to the vote, %d (%.1f%%) were adopted unanimously; %d more were adopted without a vote, %d have no tally.\n",
			x.Voted, x.Unanimous, 100*x.Share, x.WithoutVote, x.Unknown)
		row("year", "voted", "unanimous", "share")
		for _, y := range x.ByYear {
			row(y.Year, y.Voted, y.Unanimous, fmt.Sprintf("%.1f%%", 100*y.Share))
		}
	case []history.Draft:
		for _, d := range x {
			row(d.Date, d.Meeting, d.Document, d.Tally, d.Topic)
		}
	case []history.Meeting:
		for _, m := range x {
			row(m.Date, m.Key, m.Topic, m.Raw)
		}
	case *history.MemberRecord:
		kind := "elected"
		if x.Permanent {
			kind = "permanent"
		}
		fmt.Fprintf(tw, "%s (%s), %s member, %d years on the Council; the meetings table ends on %s.\n", x.Name, x.Code, kind, x.Years, x.RecordEnds)
		row("term", "meetings", "resolutions", "unanimous", "drafts not adopted", "drafts vetoed", "its vetoes", "presided")
		for _, t := range x.Terms {
			row(fmt.Sprintf("%d-%d", t.From, t.To), t.Meetings, t.Resolutions, t.Unanimous, t.NotAdopted, t.Vetoed, t.VetoesCast, len(t.Presidencies))
		}
		tw.Flush()
		if len(x.Ballots) > 0 {
			fmt.Fprintf(tw, "Its ballots the record names (vetoes, not participating, the DPRK agenda votes):\n")
		}
		for _, b := range x.Ballots {
			row("  "+b.Date, b.Meeting, b.Document, b.Kind, b.Ballot)
		}
	case *history.WhatIf:
		fmt.Fprintf(tw, "What if: %s. %d votes counted, %d change.\n", x.Rule, x.Votes, x.Changed)
		for _, n := range x.Notes {
			fmt.Fprintf(tw, "Note: %s.\n", n)
		}
		for _, c := range x.Outcomes {
			tally := c.Tally
			if c.Assumed != "" {
				tally = "assumed" // the record gives no tally: see docs/history.md
			}
			row(c.Date, c.Meeting, c.Document, tally, c.Before+" -> "+c.After, c.Reason)
		}
	default:
		return fmt.Errorf("no text form for %T", v)
	}
	return tw.Flush()
}
