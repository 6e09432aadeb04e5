package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/client"
	"github.com/opencouncil/council/postgres/pgtest"
	"github.com/opencouncil/council/web"
)

// envRunMain makes the test binary run the command line instead of the tests, so a test can start
// `council serve` as a real child process.
const envRunMain = "COUNCIL_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// serveProcess is `council serve` running as a child process.
type serveProcess struct {
	cmd   *exec.Cmd
	url   string
	lines []string // what it printed before it was serving, and just after
}

// startServe runs `council serve` with args on a free loopback port and waits until it serves.
func startServe(t *testing.T, args ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...)...)
	cmd.Env = append(os.Environ(), envRunMain+"=1", "COUNCIL_ADMIN_TOKEN=")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd}
	t.Cleanup(func() { p.stop(t) })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		p.lines = append(p.lines, line)
		if u, ok := strings.CutPrefix(line, "council is serving on "); ok {
			p.url, _, _ = strings.Cut(u, " ")
		}
		if strings.HasPrefix(line, "API: ") {
			go io.Copy(io.Discard, out)
			return p
		}
	}
	t.Fatalf("council serve ended before serving: %v", p.lines)
	return nil
}

// stop sends SIGTERM and waits for a clean exit.
func (p *serveProcess) stop(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("council serve did not exit cleanly after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("council serve did not stop within 30 s of SIGTERM")
	}
}

// printed returns what follows a prefix on a line the server printed.
func (p *serveProcess) printed(prefix string) string {
	for _, l := range p.lines {
		if i := strings.Index(l, prefix); i >= 0 {
			return strings.TrimSpace(l[i+len(prefix):])
		}
	}
	return ""
}

// TestServeFirstStart starts the server on an empty SQLite file: it prints the admin token once and
// creates the first Security Council; started again on the same file it prints no token.
func TestServeFirstStart(t *testing.T) {
	store := filepath.Join(t.TempDir(), "council.db")
	p := startServe(t, "--store", store)
	admin := p.printed("admin token (shown once; keep it): ")
	secretariat := p.printed("secretariat token of unsc (shown once): ")
	if admin == "" || secretariat == "" {
		t.Fatalf("no tokens printed: %q", p.lines)
	}
	ctx := context.Background()
	if err := client.New(p.url, "").Health(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := client.New(p.url, secretariat).Council(ctx, "unsc")
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Members) != 15 || info.President == "" {
		t.Errorf("the first council: %+v", info)
	}
	p.stop(t)

	again := startServe(t, "--store", store)
	if tok := again.printed("admin token"); tok != "" {
		t.Errorf("a second start printed an admin token: %q", again.lines)
	}
	if _, err := client.New(again.url, admin).Councils(ctx); err != nil {
		t.Errorf("the first start's admin token: %v", err)
	}
}

// TestScaleOut runs two servers on one PostgreSQL database: a ballot cast on one appears on the other's
// event stream, and a token issued on one works on the other.
func TestScaleOut(t *testing.T) {
	url := pgtest.Schema(t)
	const admin = "cnl_scale-out-test-admin-token"
	a := startServe(t, "--postgres", url, "--admin-token", admin)
	b := startServe(t, "--postgres", url, "--admin-token", admin)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	onA, onB := client.New(a.url, admin), client.New(b.url, admin)
	created, err := onA.CreateCouncil(ctx, web.CreateCouncil{Name: "scale", Date: council.DateOf(2014, 12, 5)})
	if err != nil {
		t.Fatal(err)
	}
	secA := client.New(a.url, created.Secretariat.Token)
	aus, err := secA.IssueToken(ctx, "scale", web.IssueToken{Role: access.Delegation, Member: "AUS"})
	if err != nil {
		t.Fatal(err)
	}
	// The secretariat's token, issued on A, works on B.
	secB := client.New(b.url, created.Secretariat.Token)
	for _, c := range []struct {
		kind string
		cmd  council.Command
	}{
		{"schedule", &council.Schedule{Meeting: "m1", On: council.DateOf(2014, 12, 22), Agenda: []string{"An item"}}},
		{"open", &council.Open{At: council.At{At: council.DateOf(2014, 12, 22)}, Meeting: "m1"}},
		{"adopt_agenda", &council.AdoptAgenda{Meeting: "m1"}},
	} {
		if _, err := secB.Do(ctx, "scale", c.cmd, ""); err != nil {
			t.Fatalf("%s on B: %v", c.kind, err)
		}
	}
	if _, err := client.New(a.url, aus.Token).Do(ctx, "scale", &council.Draft{ID: "d1", Title: "A draft", Meeting: "m1"}, ""); err != nil {
		t.Fatal(err)
	}
	opened, err := secB.Do(ctx, "scale", &council.OpenVote{ID: "v1", Meeting: "m1", On: "d1"}, "")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(chan web.StreamEvent, 64)
	go func() {
		_ = onB.Stream(ctx, "scale", 0, func(e web.StreamEvent) error {
			seen <- e
			return nil
		})
	}()
	// B's subscriber has seen everything so far, so what follows reaches it live.
	want := int64(1)
	for want <= opened.Version {
		select {
		case e := <-seen:
			if e.Version != want {
				t.Fatalf("B's stream gave version %d, want %d", e.Version, want)
			}
			want++
		case <-ctx.Done():
			t.Fatal("B's stream did not catch up")
		}
	}
	// The ballot is cast on A; B's subscribers must see it, told by the database.
	done, err := client.New(a.url, aus.Token).Do(ctx, "scale", &council.Ballot{Vote: "v1", Ballot: "yes"}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case e := <-seen:
			if e.Version != want {
				t.Fatalf("B's stream gave version %d, want %d", e.Version, want)
			}
			want++
			if e.Version == done.Version {
				if e.Type != "ballot-cast" {
					t.Fatalf("event %d is %s, want ballot-cast", e.Version, e.Type)
				}
				return
			}
		case <-ctx.Done():
			t.Fatalf("B's stream never showed the ballot cast on A (version %d)", done.Version)
		}
	}
}
