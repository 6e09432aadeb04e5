package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/client"
	"github.com/opencouncil/council/web"
)

// exitDenied is the exit code of a request the server did not allow: no token, an unknown or revoked
// one (401), or one whose role may not do it (403).
const exitDenied = 4

// remoteFlags are the flags of every subcommand that talks to a council server.
type remoteFlags struct {
	server  string
	token   string
	council string
	json    bool
}

func (f *remoteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.server, "server", envOr("COUNCIL_SERVER", "http://localhost:8080"), "the council server's URL ($COUNCIL_SERVER)")
	fs.StringVar(&f.token, "token", os.Getenv("COUNCIL_TOKEN"), "the bearer token to act with ($COUNCIL_TOKEN)")
	fs.StringVar(&f.council, "council", os.Getenv("COUNCIL_COUNCIL"), "the council's name on the server ($COUNCIL_COUNCIL)")
	fs.BoolVar(&f.json, "json", false, "print the server's JSON answer instead of lines for people")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// client returns a client of the server the flags name.
func (f *remoteFlags) client() (*client.Client, error) {
	u, err := url.Parse(f.server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalid("--server must be an http:// or https:// URL, not %q", f.server)
	}
	return client.New(f.server, f.token), nil
}

// name returns the council the flags name.
func (f *remoteFlags) name() (string, error) {
	if f.council == "" {
		return "", invalid("name the council with --council NAME or $COUNCIL_COUNCIL")
	}
	return f.council, nil
}

// remoteFlagsUsage is what every remote subcommand's usage line ends with.
const remoteFlagsUsage = " [--server URL] [--token TOKEN] [--council NAME] [--json]"

// failed gives a failed request its exit code: 1 for a rule's refusal (422), 2 for a request the
// server found invalid (400, 413, 415), exitDenied for 401 and 403, and 3 for anything else. With
// --json, the server's problem is printed on stdout as well.
func (f *remoteFlags) failed(err error, stdout io.Writer) error {
	var pe *client.ProblemError
	if !errors.As(err, &pe) {
		var ue *url.Error
		if errors.As(err, &ue) {
			return fmt.Errorf("no answer from %s: %w", f.server, ue.Err)
		}
		return err
	}
	if f.json {
		_ = writeJSON(stdout, pe.Problem)
	}
	code := exitInternal
	switch pe.Status {
	case http.StatusUnprocessableEntity:
		code = exitRefused
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		code = exitInvalid
	case http.StatusUnauthorized, http.StatusForbidden:
		code = exitDenied
	}
	return &exitError{code, err}
}

// remote parses a remote subcommand's flags (the common ones, and those extra registers), and returns
// its positional arguments and a client.
func remote(fs *flag.FlagSet, rf *remoteFlags, args []string) ([]string, *client.Client, error) {
	rf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, nil, err
	}
	c, err := rf.client()
	return pos, c, err
}

// remoteCouncil is remote for a subcommand that acts on one council: it returns the council's name too.
func remoteCouncil(fs *flag.FlagSet, rf *remoteFlags, args []string) ([]string, *client.Client, string, error) {
	pos, c, err := remote(fs, rf, args)
	if err != nil {
		return nil, nil, "", err
	}
	name, err := rf.name()
	return pos, c, name, err
}

// remoteCommands are the subcommands that talk to a council server: one per command kind, and those
// that create councils, manage tokens and read.
func remoteCommands() []command {
	cmds := []command{
		{"create", "create NAME --date YYYY-MM-DD [--body ID | --body-file FILE] [--title T] [--public]: start a council on a server (admin token); print its secretariat token", runCreate},
		{"token", "token issue --role delegation --member CODE [--label L] | token list | token revoke ID: a council's tokens (its secretariat)", runToken},
		{"show", "show" + remoteFlagsUsage + ": a council on a server, its members and President (every remote command takes these flags)", runShow},
		{"councils", "councils: the councils on a server the token may read", runCouncils},
		{"whoami", "whoami: what the token may do", runWhoami},
		{"record", "record: a council's record from a server, as JSON (as replay --json)", runRecord},
		{"watch", "watch [--after N]: follow a council's events as they happen, one line each, until Ctrl-C", runWatch},
	}
	for _, kind := range web.CommandKinds() {
		cmds = append(cmds, command{kind, kindUsage(kind), runKind(kind)})
	}
	return cmds
}

// field is a field of a command, by the name scenarios and the API give it.
type field struct {
	name     string
	index    []int
	typ      reflect.Type
	optional bool
}

var dateType = reflect.TypeFor[council.Date]()

// fieldsOf lists a command kind's fields as JSON sees them, in the order of its struct, those of
// embedded structs (the day, the presiding member) included.
func fieldsOf(kind string) []field {
	cmd, ok := web.NewCommand(kind)
	if !ok {
		return nil
	}
	var out []field
	depth := map[string]int{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
			at := append(slices.Clip(index), i)
			switch {
			case sf.Anonymous && sf.Type.Kind() == reflect.Struct && name == "":
				walk(sf.Type, at)
				continue
			case !sf.IsExported() || name == "-":
				continue
			case name == "":
				name = sf.Name
			}
			if d, seen := depth[name]; seen && d <= len(at) {
				continue // a shallower field of the same name hides it, as in encoding/json
			} else if seen {
				out = slices.DeleteFunc(out, func(f field) bool { return f.name == name })
			}
			depth[name] = len(at)
			// Who acts ("by") is the delegation's own member when the token is a delegation's.
			out = append(out, field{name: name, index: at, typ: sf.Type,
				optional: strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") || name == "by"})
		}
	}
	walk(reflect.TypeOf(cmd).Elem(), nil)
	return out
}

// textLists are the list fields whose items are free text, which may hold commas: each item is its
// own field=value.
var textLists = map[string]bool{"agenda": true}

// placeholder shows what a field takes, for the usage line.
func placeholder(f field) string {
	upper := strings.ToUpper(f.name)
	switch {
	case f.typ == dateType:
		return "YYYY-MM-DD"
	case f.typ.Kind() == reflect.Slice && textLists[f.name]:
		return upper + " ..."
	case f.typ.Kind() == reflect.Slice:
		return upper + ",..."
	case f.typ.Kind() == reflect.Bool:
		return "true|false"
	case f.typ.Kind() >= reflect.Int && f.typ.Kind() <= reflect.Int64:
		return "N"
	}
	return upper
}

// kindUsage is the usage line of a command kind's subcommand, with a line of help.
func kindUsage(kind string) string {
	return kindSyntax(kind) + ": give a council on a server this step (docs/scenario.md)"
}

// kindSyntax is what a command kind's subcommand takes: its required fields, then the others.
func kindSyntax(kind string) string {
	var req, opt []string
	for _, f := range fieldsOf(kind) {
		if f.optional {
			opt = append(opt, "["+f.name+"="+placeholder(f)+"]")
		} else {
			req = append(req, f.name+"="+placeholder(f))
		}
	}
	return kind + " " + strings.Join(append(req, opt...), " ") + " [--key K]"
}

// buildCommand makes a command of a kind from field=value arguments. A list field takes
// comma-separated values, or is given several times; a text list (agenda) takes one item each time.
func buildCommand(kind string, args []string) (council.Command, error) {
	cmd, _ := web.NewCommand(kind)
	fields := fieldsOf(kind)
	v := reflect.ValueOf(cmd).Elem()
	given := map[string]bool{}
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if !ok {
			return nil, invalid("%s: want field=value, not %q; %s takes %s", kind, arg, kind, fieldNames(fields))
		}
		i := slices.IndexFunc(fields, func(f field) bool { return f.name == name })
		if i < 0 {
			return nil, invalid("%s has no field %q; it takes %s", kind, name, fieldNames(fields))
		}
		f := fields[i]
		if given[name] && f.typ.Kind() != reflect.Slice {
			return nil, invalid("%s: %s is given twice", kind, name)
		}
		given[name] = true
		if err := setField(v.FieldByIndex(f.index), f, value); err != nil {
			return nil, invalid("%s: %s: %v", kind, name, err)
		}
	}
	return cmd, nil
}

func fieldNames(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// setField sets a command's field from its text.
func setField(v reflect.Value, f field, value string) error {
	switch {
	case f.typ == dateType:
		d, err := council.ParseDate(value)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(d))
	case f.typ.Kind() == reflect.String:
		v.SetString(value)
	case f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.String:
		items := []string{value}
		if !textLists[f.name] {
			items = strings.Split(value, ",")
		}
		for _, it := range items {
			if it = strings.TrimSpace(it); it != "" {
				v.Set(reflect.Append(v, reflect.ValueOf(it).Convert(f.typ.Elem())))
			}
		}
	case f.typ.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("want true or false, not %q", value)
		}
		v.SetBool(b)
	case f.typ.Kind() >= reflect.Int && f.typ.Kind() <= reflect.Int64:
		n, err := strconv.ParseInt(value, 10, f.typ.Bits())
		if err != nil {
			return fmt.Errorf("want a whole number, not %q", value)
		}
		v.SetInt(n)
	default:
		return fmt.Errorf("a field of type %s cannot be given on the command line", f.typ)
	}
	return nil
}

// runKind returns the subcommand that gives a council one command of the kind.
func runKind(kind string) func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		fs := flag.NewFlagSet(kind, flag.ContinueOnError)
		quiet(fs, stderr, kindSyntax(kind)+remoteFlagsUsage)
		key := fs.String("key", "", "an idempotency key: the command is done once however often it is sent with it, and retried when the server is busy")
		var rf remoteFlags
		pos, c, name, err := remoteCouncil(fs, &rf, args)
		if err != nil {
			return err
		}
		cmd, err := buildCommand(kind, pos)
		if err != nil {
			return err
		}
		done, err := c.Do(ctx, name, cmd, *key)
		if err != nil {
			return rf.failed(err, stdout)
		}
		if rf.json {
			return writeJSON(stdout, done)
		}
		fmt.Fprintf(stdout, "accepted: %s at version %d\n", done.Type, done.Version)
		if done.Type == "vote-taken" {
			if ev, err := council.DecodeEvent(done.Type, done.Event); err == nil {
				writeResult(stdout, ev.(*council.VoteTaken))
			}
		}
		return nil
	}
}

// writeResult prints a vote's result, its tally and why.
func writeResult(w io.Writer, v *council.VoteTaken) {
	result := "not adopted"
	switch {
	case len(v.VetoedBy) > 0:
		result = "vetoed by " + strings.Join(v.VetoedBy, ", ")
	case v.Adopted:
		result = "adopted"
	}
	if v.Symbol != "" {
		result += " as " + v.Symbol
	}
	c := v.Counts
	tally := fmt.Sprintf("%d in favour, %d against, %d abstaining, %d absent", c.Yes, c.No, c.Abstain, c.Absent)
	if c.NotParticipating > 0 {
		tally += fmt.Sprintf(", %d not participating", c.NotParticipating)
	}
	fmt.Fprintf(w, "%s: %s; %d needed\n", result, tally, v.Needed)
	if v.Reason != "" {
		fmt.Fprintf(w, "  %s\n", v.Reason)
	}
}

// runCreate starts a council on a server and prints its secretariat's token.
func runCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "create NAME --date YYYY-MM-DD [--body ID | --body-file FILE] [--title T] [--public]" + remoteFlagsUsage
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	quiet(fs, stderr, use)
	date := fs.String("date", "", "the council's first day: its members are those of that day")
	body := fs.String("body", "", "a built-in body (council bodies; default unsc)")
	bodyFile := fs.String("body-file", "", "a body file (YAML; docs/bodies.md) instead of a built-in body")
	title := fs.String("title", "", "the council's title")
	public := fs.Bool("public", false, "let anyone read the council's record")
	var rf remoteFlags
	pos, c, err := remote(fs, &rf, args)
	if err != nil {
		return err
	}
	name := rf.council
	switch {
	case len(pos) == 1:
		name = pos[0]
	case len(pos) > 1:
		return invalid("want one council name, got %q", pos)
	case name == "":
		return invalid("name the council to create: create NAME --date YYYY-MM-DD")
	}
	req := web.CreateCouncil{Name: name, Title: *title, Body: *body, Public: *public}
	if req.Date, err = council.ParseDate(*date); err != nil || req.Date.IsZero() {
		return invalid("--date: want the council's first day, YYYY-MM-DD, not %q", *date)
	}
	if *bodyFile != "" {
		text, err := os.ReadFile(*bodyFile)
		if err != nil {
			return invalid("--body-file: %v", err)
		}
		req.BodyFile = string(text)
	}
	created, err := c.CreateCouncil(ctx, req)
	if err != nil {
		return rf.failed(err, stdout)
	}
	if rf.json {
		return writeJSON(stdout, created)
	}
	info := created.Council
	fmt.Fprintf(stdout, "created council %s (body %s, %d members on %s", info.Name, info.Body, len(info.Members), req.Date)
	if info.President != "" {
		fmt.Fprintf(stdout, ", President %s", info.President)
	}
	fmt.Fprintf(stdout, ")\nsecretariat token %s (shown once; keep it):\n%s\n", created.Secretariat.ID, created.Secretariat.Token)
	return nil
}

// runToken issues, lists and revokes a council's tokens.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return invalid("want token issue, token list or token revoke ID")
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("token "+verb, flag.ContinueOnError)
	var rf remoteFlags
	switch verb {
	case "issue":
		quiet(fs, stderr, "token issue --role delegation|observer|secretariat [--member CODE] [--label L]"+remoteFlagsUsage)
		role := fs.String("role", string(access.Delegation), "delegation (acts as its member), observer (reads) or secretariat (runs the council)")
		member := fs.String("member", "", "the member a delegation token acts for")
		label := fs.String("label", "", "a note for people: who holds the token")
		pos, c, name, err := remoteCouncil(fs, &rf, args)
		if err != nil {
			return err
		}
		if len(pos) != 0 {
			return invalid("token issue takes no arguments, got %q", pos)
		}
		tok, err := c.IssueToken(ctx, name, web.IssueToken{Role: access.Role(*role), Member: *member, Label: *label})
		if err != nil {
			return rf.failed(err, stdout)
		}
		if rf.json {
			return writeJSON(stdout, tok)
		}
		fmt.Fprintf(stdout, "issued %s: %s (shown once; keep it):\n%s\n", tok.ID, describeGrant(tok.Grant), tok.Token)
		return nil
	case "list":
		quiet(fs, stderr, "token list"+remoteFlagsUsage)
		pos, c, name, err := remoteCouncil(fs, &rf, args)
		if err != nil {
			return err
		}
		if len(pos) != 0 {
			return invalid("token list takes no arguments, got %q", pos)
		}
		grants, err := c.Tokens(ctx, name)
		if err != nil {
			return rf.failed(err, stdout)
		}
		if rf.json {
			return writeJSON(stdout, web.TokenList{Tokens: grants})
		}
		for _, g := range grants {
			state := "created " + g.Created.Format("2006-01-02 15:04")
			if g.Revoked != nil {
				state = "revoked " + g.Revoked.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(stdout, "%s  %s  %s\n", g.ID, describeGrant(g), state)
		}
		return nil
	case "revoke":
		quiet(fs, stderr, "token revoke ID"+remoteFlagsUsage)
		pos, c, name, err := remoteCouncil(fs, &rf, args)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return invalid("want the id of the token to revoke (token list shows them)")
		}
		if err := c.Revoke(ctx, name, pos[0]); err != nil {
			return rf.failed(err, stdout)
		}
		if rf.json {
			return writeJSON(stdout, map[string]string{"revoked": pos[0]})
		}
		fmt.Fprintf(stdout, "revoked %s\n", pos[0])
		return nil
	}
	return invalid("unknown token command %q: want issue, list or revoke", verb)
}

// describeGrant says what a grant allows, for people.
func describeGrant(g access.Grant) string {
	s := string(g.Role)
	if g.Member != "" {
		s += " of " + g.Member
	}
	if g.Council != "" {
		s += " on " + g.Council
	}
	if g.Label != "" {
		s += " (" + g.Label + ")"
	}
	return s
}

// runShow prints a council: its members on its current day and its President.
func runShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	quiet(fs, stderr, "show"+remoteFlagsUsage)
	var rf remoteFlags
	pos, c, err := remote(fs, &rf, args)
	if err != nil {
		return err
	}
	if len(pos) == 1 && rf.council == "" {
		rf.council, pos = pos[0], nil
	}
	name, err := rf.name()
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return invalid("show takes no arguments but the council, got %q", pos)
	}
	info, err := c.Council(ctx, name)
	if err != nil {
		return rf.failed(err, stdout)
	}
	if rf.json {
		return writeJSON(stdout, info)
	}
	visibility := "private"
	if info.Public {
		visibility = "public"
	}
	fmt.Fprintf(stdout, "%s", info.Name)
	if info.Title != "" {
		fmt.Fprintf(stdout, ": %s", info.Title)
	}
	fmt.Fprintf(stdout, " (body %s, %s, version %d)\n", info.Body, visibility, info.Version)
	if !info.Today.IsZero() {
		fmt.Fprintf(stdout, "today %s\n", info.Today)
	}
	if info.President != "" {
		fmt.Fprintf(stdout, "President %s\n", info.President)
	}
	fmt.Fprintf(stdout, "Members (%d)\n", len(info.Members))
	for _, m := range info.Members {
		line := "  " + m.Code + "  " + m.Class
		if m.TermEnd != 0 {
			line += fmt.Sprintf(", term ends %d", m.TermEnd)
		}
		if m.Weight > 1 {
			line += fmt.Sprintf(", weight %d", m.Weight)
		}
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// runCouncils lists the councils the token may read.
func runCouncils(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("councils", flag.ContinueOnError)
	quiet(fs, stderr, "councils"+remoteFlagsUsage)
	var rf remoteFlags
	pos, c, err := remote(fs, &rf, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return invalid("councils takes no arguments, got %q", pos)
	}
	names, err := c.Councils(ctx)
	if err != nil {
		return rf.failed(err, stdout)
	}
	if rf.json {
		return writeJSON(stdout, web.CouncilList{Councils: names})
	}
	for _, n := range names {
		fmt.Fprintln(stdout, n)
	}
	return nil
}

// runWhoami says what the token may do.
func runWhoami(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("whoami", flag.ContinueOnError)
	quiet(fs, stderr, "whoami"+remoteFlagsUsage)
	var rf remoteFlags
	pos, c, err := remote(fs, &rf, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return invalid("whoami takes no arguments, got %q", pos)
	}
	who, err := c.Whoami(ctx)
	if err != nil {
		return rf.failed(err, stdout)
	}
	switch {
	case rf.json:
		return writeJSON(stdout, who)
	case who.Grant == nil:
		fmt.Fprintln(stdout, "anonymous: reads public councils only")
	default:
		fmt.Fprintf(stdout, "%s: %s\n", who.Grant.ID, describeGrant(*who.Grant))
	}
	return nil
}

// runRecord prints a council's record as JSON, as `council replay --json` does.
func runRecord(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	quiet(fs, stderr, "record"+remoteFlagsUsage)
	var rf remoteFlags
	pos, c, name, err := remoteCouncil(fs, &rf, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return invalid("record takes no arguments, got %q", pos)
	}
	rec, err := c.Record(ctx, name)
	if err != nil {
		return rf.failed(err, stdout)
	}
	return writeJSON(stdout, rec)
}

// runWatch follows a council's events as the server stores them, one line each (with --json, one
// JSON object each), until Ctrl-C; a dropped connection is resumed where it stopped.
func runWatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	quiet(fs, stderr, "watch [--after N]"+remoteFlagsUsage)
	after := fs.Int64("after", 0, "start after this version (0: from the council's first event)")
	var rf remoteFlags
	pos, c, name, err := remoteCouncil(fs, &rf, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *after < 0 {
		return invalid("watch takes no arguments and --after of at least 0")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = c.Stream(ctx, name, *after, func(e web.StreamEvent) error {
		if rf.json {
			line, err := json.Marshal(e)
			if err != nil {
				return err
			}
			_, err = stdout.Write(append(line, '\n'))
			return err
		}
		_, err := fmt.Fprintf(stdout, "%d  %s  %s\n", e.Version, e.Type, e.Event)
		return err
	})
	if ctx.Err() != nil {
		return nil // Ctrl-C
	}
	return rf.failed(err, stdout)
}
