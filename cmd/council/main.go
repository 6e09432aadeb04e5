// Command council runs a deliberative body by its real rules: the UN Security Council first.
//
//	council serve [--addr HOST:PORT] [--store PATH | --postgres URL]
//	                                 run the council server: JSON API, live events, roles by token
//	council replay FILE [--json] [--store PATH | --postgres URL]
//	                                 play a scenario through the rules, print the record, keep it
//	council verify --store PATH      check every council's hash chain
//	council export / import          a council's stream as JSON Lines, checked before it is accepted
//	council roster [DATE] [--json]   who sits on the Security Council on a day, and who presides
//	council bodies                   list the built-in bodies
//	council generate [--steps N]     write a valid generated scenario, for benchmarks
//	council history import|check|... the Council's real record since 1946: import, check, query, what-if
//	council power [BODY] [--index all] who holds the power: exact Banzhaf, Shapley-Shubik and other indices; decisive members
//
//	council create NAME --date D     start a council on a server; show / token / record / watch / whoami / councils
//	council sign request=r1 ...      one subcommand per step (docs/scenario.md), given to a council on a server
//	                                 (--server URL --token T --council NAME [--json]; $COUNCIL_SERVER, $COUNCIL_TOKEN, $COUNCIL_COUNCIL)
//	council bench ballots|sse        load a server on loopback and report throughput and latency
//
// Exit codes: 0 done; 1 a step the rules refused; 2 a file or command line that is not valid; 3 any other
// failure; 4 the server did not allow it (no token, an unknown or revoked one, or a role that may not).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0
	exitRefused  = 1 // the rules refused a step
	exitInvalid  = 2 // the input is not valid
	exitInternal = 3
)

// exitError carries the exit code a subcommand wants, with its message.
type exitError struct {
	code int
	err  error
}

// Error is the message of the error that ends the command.
func (e *exitError) Error() string { return e.err.Error() }

// Unwrap gives the error that ends the command.
func (e *exitError) Unwrap() error { return e.err }

// command is one subcommand: its name, a line of help, and how to run it.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return append([]command{
		{"serve", "serve [--addr HOST:PORT] [--store PATH | --postgres URL] [--admin-token TOKEN]: run the council server (default http://localhost:8080, SQLite council.db)", runServe},
		{"replay", "replay FILE [--json] [--store PATH | --postgres URL] [--council NAME]: play a scenario through the rules and print the record; with a store, keep it there", runReplay},
		{"verify", "verify --store PATH | --postgres URL [--council NAME] [--json]: check every council's hash chain; exit 1 naming the first bad event", runVerify},
		{"export", "export --store PATH | --postgres URL --council NAME [--out FILE]: write a council's stream as JSON Lines", runExport},
		{"import", "import --store PATH | --postgres URL FILE: check an export's hash chain, then add it to the store", runImport},
		{"roster", "roster [YYYY-MM-DD] [--json]: who sits on the Security Council on a day, and who presides", runRoster},
		{"bodies", "bodies: list the built-in bodies", runBodies},
		{"bench", "bench ballots|sse [--delegations N] [--subscribers N] [--duration D] [--server URL --admin-token T] [--store PATH | --postgres URL] [--json]: load a council server on loopback and report throughput and latency", runBench},
		{"generate", "generate [--steps N] [--seed S]: write a valid scenario of N steps, for benchmarks", runGenerate},
		{"power", "power [BODY] [--matter M] [--date D] | --weights FILE --quota Q | --game NAME [--index banzhaf|shapley-shubik|all] [--json] | --scenario FILE [--vote ID]: who holds the power, exactly (docs/power.md); who was decisive in a vote", runPower},
		{"history", "history import|summary|problems|check|vetoes|resolutions|unanimous|failed|meetings|member|whatif [--json | --csv]: the Council's real record since 1946, imported, checked and queried (docs/history.md)", runHistory},
	}, remoteCommands()...)
}

func main() {
	os.Exit(Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the command line and returns the process's exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitInvalid
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		if err == nil {
			return exitOK
		}
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "council %s: %v\n", c.name, err)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return exitInternal
	}
	fmt.Fprintf(stderr, "council: unknown command %q\n", args[0])
	usage(stderr)
	return exitInvalid
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: council COMMAND [ARGS]")
	for _, c := range commands() {
		fmt.Fprintf(w, "  council %s\n", c.usage)
	}
}

// parseFlags parses flags that may come before or after the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, &exitError{exitInvalid, err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func invalid(format string, args ...any) error {
	return &exitError{exitInvalid, fmt.Errorf(format, args...)}
}

// quiet makes a subcommand's flag set report its usage once, on stderr, and leave its errors to Main.
func quiet(fs *flag.FlagSet, stderr io.Writer, usage string) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: council %s\n", usage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}
