package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/client"
	"github.com/opencouncil/council/web"
)

// benchMembers are the Security Council of December 2014, whose delegations the load generator plays.
var benchMembers = []string{"ARG", "AUS", "TCD", "CHL", "CHN", "FRA", "JOR", "LTU", "LUX", "NGA", "KOR", "RUS", "RWA", "GBR", "USA"}

// BenchResult is what `council bench` measured.
type BenchResult struct {
	Server      string  `json:"server"`
	Store       string  `json:"store"`
	Delegations int     `json:"delegations,omitempty"`
	Councils    int     `json:"councils,omitempty"`
	Ballots     int64   `json:"ballots,omitempty"`
	BallotsPerS float64 `json:"ballots_per_second,omitempty"`
	Subscribers int     `json:"subscribers,omitempty"`
	Events      int     `json:"events,omitempty"`
	Interval    string  `json:"interval,omitempty"`
	Deliveries  int64   `json:"deliveries,omitempty"`
	Seconds     float64 `json:"seconds"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	Maxms       float64 `json:"max_ms"`
}

// runBench is the load generator: it starts `council serve` as a child process on loopback (or
// targets --server), then either casts ballots from many delegations across many councils, or
// follows one council with many event-stream subscribers, and reports rates and latencies.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	quiet(fs, stderr, "bench ballots|sse [--delegations N] [--subscribers N] [--duration D] [--server URL --admin-token T] [--store PATH | --postgres URL] [--json]")
	delegations := fs.Int("delegations", 256, "ballots: concurrent delegations, 15 to a council")
	subscribers := fs.Int("subscribers", 10000, "sse: event-stream subscribers of one council")
	events := fs.Int("events", 200, "sse: events to publish")
	interval := fs.Duration("interval", 50*time.Millisecond, "sse: the pause between one command's answer and the next command")
	duration := fs.Duration("duration", 10*time.Second, "ballots: how long to cast ballots")
	server := fs.String("server", "", "the server to load (default: start `council serve` on loopback)")
	admin := fs.String("admin-token", os.Getenv("COUNCIL_ADMIN_TOKEN"), "with --server: its admin token")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var sf storeFlags
	sf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "ballots" && pos[0] != "sse") {
		return invalid("say what to measure: bench ballots or bench sse")
	}
	res := BenchResult{Server: *server, Store: "given server"}
	if *server == "" {
		stop, url, token, store, err := startServer(ctx, &sf, stderr)
		if err != nil {
			return err
		}
		defer stop()
		*server, *admin, res.Server, res.Store = url, token, url+" (council serve, child process)", store
	}
	if *admin == "" {
		return invalid("--server needs --admin-token (or COUNCIL_ADMIN_TOKEN)")
	}
	if pos[0] == "ballots" {
		err = benchBallots(ctx, *server, *admin, *delegations, *duration, &res)
	} else {
		err = benchSSE(ctx, *server, *admin, *subscribers, *events, *interval, &res)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, res)
	}
	if pos[0] == "ballots" {
		fmt.Fprintf(stdout, "%d delegations in %d councils: %d ballots in %.1fs = %.0f acknowledged durable ballots/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (%s, %s)\n",
			res.Delegations, res.Councils, res.Ballots, res.Seconds, res.BallotsPerS, res.P50ms, res.P99ms, res.Maxms, res.Server, res.Store)
	} else {
		fmt.Fprintf(stdout, "%d subscribers, %d events %s apart: %d deliveries in %.1fs; from command sent to event received: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%s, %s)\n",
			res.Subscribers, res.Events, res.Interval, res.Deliveries, res.Seconds, res.P50ms, res.P99ms, res.Maxms, res.Server, res.Store)
	}
	return nil
}

// startServer runs this program's `council serve` on a free loopback port with a fresh store and a
// fresh admin token, and returns how to stop it.
func startServer(ctx context.Context, sf *storeFlags, stderr io.Writer) (func(), string, string, string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, "", "", "", err
	}
	var secret [24]byte
	rand.Read(secret[:])
	token := "cnl_bench_" + hex.EncodeToString(secret[:])
	dir, err := os.MkdirTemp("", "council-bench-")
	if err != nil {
		return nil, "", "", "", err
	}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--admin-token", token, "--log-level", "warn"}
	store := "SQLite " + filepath.Join(dir, "bench.db")
	if sf.url != "" {
		args, store = append(args, "--postgres", sf.url), "PostgreSQL"
	} else if sf.path != "" {
		args, store = append(args, "--store", sf.path), "SQLite "+sf.path
	} else {
		args = append(args, "--store", filepath.Join(dir, "bench.db"))
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", "", "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", "", "", fmt.Errorf("start council serve: %w", err)
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		os.RemoveAll(dir)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if url, ok := strings.CutPrefix(sc.Text(), "council is serving on "); ok {
			url, _, _ = strings.Cut(url, " ")
			go io.Copy(io.Discard, out)
			return stop, url, token, store, nil
		}
	}
	stop()
	return nil, "", "", "", errors.New("council serve ended before it was serving")
}

// benchCouncil creates a council and a delegation token for each of its first n members.
func benchCouncil(ctx context.Context, c *client.Client, name string, n int) (string, []*client.Client, error) {
	created, err := c.CreateCouncil(ctx, web.CreateCouncil{Name: name, Date: council.DateOf(2014, 12, 5)})
	if err != nil {
		return "", nil, fmt.Errorf("create %s: %w", name, err)
	}
	sec := client.New(c.BaseURL, created.Secretariat.Token)
	sec.HTTP = c.HTTP
	var dels []*client.Client
	for _, m := range benchMembers[:n] {
		it, err := sec.IssueToken(ctx, name, web.IssueToken{Role: access.Delegation, Member: m})
		if err != nil {
			return "", nil, err
		}
		d := client.New(c.BaseURL, it.Token)
		d.HTTP = c.HTTP
		dels = append(dels, d)
	}
	return created.Secretariat.Token, dels, nil
}

// benchBallots casts ballots from many delegations across many councils: in each council, round
// after round, a delegation circulates a draft, the secretariat opens the vote, every delegation
// casts its ballot at once, and the secretariat closes the vote. Only ballots are counted.
func benchBallots(ctx context.Context, server, admin string, delegations int, d time.Duration, res *BenchResult) error {
	base := client.New(server, admin)
	nc := (delegations + len(benchMembers) - 1) / len(benchMembers)
	res.Delegations, res.Councils = delegations, nc
	type seat struct {
		name string
		sec  *client.Client
		dels []*client.Client
	}
	seats := make([]seat, nc)
	for i := range nc {
		n := min(len(benchMembers), delegations-i*len(benchMembers))
		name := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i)
		tok, dels, err := benchCouncil(ctx, base, name, n)
		if err != nil {
			return err
		}
		sec := client.New(server, tok)
		sec.HTTP = base.HTTP
		for _, st := range []struct {
			kind string
			cmd  council.Command
		}{
			{"schedule", &council.Schedule{Meeting: "m1", On: council.DateOf(2014, 12, 22), Agenda: []string{"Load"}}},
			{"open", &council.Open{At: council.At{At: council.DateOf(2014, 12, 22)}, Meeting: "m1"}},
			{"adopt_agenda", &council.AdoptAgenda{Meeting: "m1"}},
		} {
			if _, err := sec.Do(ctx, name, st.cmd, ""); err != nil {
				return fmt.Errorf("%s: %s: %w", name, st.kind, err)
			}
		}
		seats[i] = seat{name, sec, dels}
	}
	var (
		ballots atomic.Int64
		mu      sync.Mutex
		lat     []time.Duration
		errOnce sync.Once
		failed  error
	)
	fail := func(err error) { errOnce.Do(func() { failed = err }) }
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for _, st := range seats {
		wg.Go(func() {
			var mine []time.Duration
			defer func() { mu.Lock(); lat = append(lat, mine...); mu.Unlock() }()
			for round := 1; time.Now().Before(end) && ctx.Err() == nil; round++ {
				draft, vote := fmt.Sprintf("d%d", round), fmt.Sprintf("v%d", round)
				if _, err := st.dels[0].Do(ctx, st.name, &council.Draft{ID: draft, Title: "Draft " + draft, Meeting: "m1"}, ""); err != nil {
					fail(fmt.Errorf("%s: draft: %w", st.name, err))
					return
				}
				if _, err := st.sec.Do(ctx, st.name, &council.OpenVote{ID: vote, Meeting: "m1", On: draft}, ""); err != nil {
					fail(fmt.Errorf("%s: open_vote: %w", st.name, err))
					return
				}
				var rw sync.WaitGroup
				var rmu sync.Mutex
				for i, del := range st.dels {
					rw.Go(func() {
						b := [...]string{"yes", "yes", "abstain"}[i%3]
						t0 := time.Now()
						_, err := del.Do(ctx, st.name, &council.Ballot{Vote: vote, Ballot: b}, fmt.Sprintf("%s-%d", vote, i))
						took := time.Since(t0)
						if err != nil {
							fail(fmt.Errorf("%s: ballot: %w", st.name, err))
							return
						}
						ballots.Add(1)
						rmu.Lock()
						mine = append(mine, took)
						rmu.Unlock()
					})
				}
				rw.Wait()
				if _, err := st.sec.Do(ctx, st.name, &council.CloseVote{Vote: vote}, ""); err != nil {
					fail(fmt.Errorf("%s: close_vote: %w", st.name, err))
					return
				}
			}
		})
	}
	wg.Wait()
	if failed != nil {
		return failed
	}
	elapsed := time.Since(start)
	res.Ballots, res.Seconds = ballots.Load(), elapsed.Seconds()
	res.BallotsPerS = float64(res.Ballots) / elapsed.Seconds()
	res.P50ms, res.P99ms, res.Maxms = percentiles(lat)
	return nil
}

// benchSSE subscribes many clients to one council's event stream, then gives commands one after
// another and measures, for every event at every subscriber, the time from sending the command to
// receiving its event (a bound on the time from its commit).
func benchSSE(ctx context.Context, server, admin string, subscribers, events int, interval time.Duration, res *BenchResult) error {
	base := client.New(server, admin)
	name := fmt.Sprintf("bench-sse-%d", time.Now().UnixNano())
	_, dels, err := benchCouncil(ctx, base, name, 1)
	if err != nil {
		return err
	}
	info, err := base.Council(ctx, name)
	if err != nil {
		return err
	}
	// The subscribers start after info.Version; the first event after it is a warm-up, the timed
	// events follow it.
	warmUp := info.Version + 1
	res.Subscribers, res.Events, res.Interval = subscribers, events, interval.String()

	sent := make([]atomic.Int64, events+1) // unix nanos at which the command of event first+i was sent
	var (
		deliveries atomic.Int64
		connected  sync.WaitGroup
		mu         sync.Mutex
		lat        = make([]time.Duration, 0, subscribers*events)
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var done sync.WaitGroup
	connected.Add(subscribers)
	for range subscribers {
		done.Go(func() {
			sub := client.New(server, admin)
			sub.HTTP = base.HTTP
			mine := make([]time.Duration, 0, events)
			once := sync.Once{}
			err := sub.Stream(ctx, name, info.Version, func(e web.StreamEvent) error {
				once.Do(connected.Done)
				if e.Version <= warmUp {
					return nil
				}
				i := e.Version - warmUp
				if t := sent[i].Load(); t != 0 {
					mine = append(mine, time.Since(time.Unix(0, t)))
				}
				deliveries.Add(1)
				if i >= int64(events) {
					return errBenchDone
				}
				return nil
			})
			once.Do(connected.Done)
			if err != nil && !errors.Is(err, errBenchDone) && ctx.Err() == nil {
				fmt.Fprintf(os.Stderr, "subscriber: %v\n", err)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	// Every subscriber is connected once it has seen the first event: one statement, before timing.
	if _, err := dels[0].Do(ctx, name, &council.Request{ID: "warm-up", Subject: "Connected"}, ""); err != nil {
		return err
	}
	connected.Wait()
	start := time.Now()
	for i := 1; i <= events; i++ {
		sent[i].Store(time.Now().UnixNano())
		if _, err := dels[0].Do(ctx, name, &council.Request{ID: fmt.Sprintf("r%d", i), Subject: "Load"}, ""); err != nil {
			return err
		}
		time.Sleep(interval)
	}
	waitDone := make(chan struct{})
	go func() { done.Wait(); close(waitDone) }()
	select {
	case <-waitDone:
	case <-time.After(60 * time.Second):
		cancel()
		<-waitDone
	}
	res.Seconds = time.Since(start).Seconds()
	res.Deliveries = deliveries.Load()
	res.P50ms, res.P99ms, res.Maxms = percentiles(lat)
	if want := int64(subscribers) * int64(events); res.Deliveries < want {
		return fmt.Errorf("only %d of %d deliveries arrived", res.Deliveries, want)
	}
	return nil
}

var errBenchDone = errors.New("done")

// percentiles returns the 50th and 99th percentiles and the maximum, in milliseconds.
func percentiles(d []time.Duration) (p50, p99, max float64) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	slices.Sort(d)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(d)))) - 1
		return float64(d[max0(i)]) / 1e6
	}
	return at(0.50), at(0.99), float64(d[len(d)-1]) / 1e6
}

func max0(i int) int {
	if i < 0 {
		return 0
	}
	return i
}
