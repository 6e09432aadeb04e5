package councils_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/scenario"
	"github.com/opencouncil/council/sqlite"
	"github.com/opencouncil/council/sqlite/sqlitetest"
)

// MustStore opens an SQLite event store in a temporary folder, closed at the test's end.
func MustStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	return sqlitetest.Open(tb)
}

// MustScenario loads an example scenario.
func MustScenario(tb testing.TB, name string) *scenario.Scenario {
	tb.Helper()
	sc, err := scenario.Load(filepath.Join("..", "examples", "scenarios", name), scenario.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

func recordJSON(tb testing.TB, r *council.Record) string {
	tb.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestServiceKeepsTheReplay plays every step of an example through the service, one command at a time,
// and checks that the record read back from the store, by a fresh service, equals the replay's.
func TestServiceKeepsTheReplay(t *testing.T) {
	for _, name := range []string{"dprk-2014.yaml", "dprk-2019.yaml", "ukraine-2022.yaml", "board-bylaws.yaml"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := MustStore(t)
			sc := MustScenario(t, name)
			want, err := sc.Run()
			if err != nil {
				t.Fatal(err)
			}
			svc := councils.NewService(st, nil)
			if err := svc.Create(ctx, "c", sc.Def); err != nil {
				t.Fatal(err)
			}
			for _, step := range sc.Steps {
				if _, _, err := svc.Do(ctx, "c", fmt.Sprintf("step-%d", step.N), step.Command); err != nil {
					t.Fatalf("step %d: %v", step.N, err)
				}
			}
			got, v, err := councils.NewService(st, nil).Record(ctx, "c")
			if err != nil {
				t.Fatal(err)
			}
			if v != int64(len(sc.Steps))+1 {
				t.Errorf("version %d, want %d", v, len(sc.Steps)+1)
			}
			if a, b := recordJSON(t, got), recordJSON(t, want.Record); a != b {
				t.Errorf("stored record\n%s\nreplay\n%s", a, b)
			}
		})
	}
}

// TestServiceIdempotent: a retried command returns the original event and appends nothing.
func TestServiceIdempotent(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	sc := MustScenario(t, "dprk-2019.yaml")
	svc := councils.NewService(st, nil)
	if err := svc.Create(ctx, "c", sc.Def); err != nil {
		t.Fatal(err)
	}
	first, v1, err := svc.Do(ctx, "c", "k1", sc.Steps[0].Command)
	if err != nil {
		t.Fatal(err)
	}
	// the same command again is refused by the rules (the id is taken) unless the key says it is a retry
	again, v2, err := councils.NewService(st, nil).Do(ctx, "c", "k1", sc.Steps[0].Command)
	if err != nil || v2 != v1 {
		t.Fatalf("retry: version %d, %v; want the original %d", v2, err, v1)
	}
	a, _ := council.EncodeEvent(first)
	b, _ := council.EncodeEvent(again)
	if !bytes.Equal(a.Data, b.Data) {
		t.Errorf("retry returned %s, want %s", b.Data, a.Data)
	}
	if _, _, err := svc.Do(ctx, "c", "k2", sc.Steps[0].Command); council.ErrorCode(err) != council.EDuplicateID {
		t.Errorf("a new key for the same request: %v, want %s", err, council.EDuplicateID)
	}
	if n, _, _ := st.Head(ctx, "c"); n != 2 {
		t.Errorf("%d events stored, want 2", n)
	}
}

// TestServicesRace: two services over one store (as two processes would be), each signing the same
// request for different members at once; every signature lands once, conflicts are re-decided, and
// racing copies of one keyed command land once.
func TestServicesRace(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	sc := MustScenario(t, "dprk-2019.yaml")
	a, b := councils.NewService(st, nil), councils.NewService(st, nil)
	if err := a.Create(ctx, "c", sc.Def); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Do(ctx, "c", "", sc.Steps[0].Command); err != nil { // FRA's request
		t.Fatal(err)
	}
	signers := []string{"GBR", "DEU", "BEL", "DOM", "KWT", "PER", "POL", "CIV", "GNQ", "IDN", "ZAF"}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(signers))
	for i, m := range signers {
		for _, svc := range []*councils.Service{a, b} { // both services send each signature, with one key
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := svc.Do(ctx, "c", "sign-"+m, &council.Sign{Request: "dprk-hr", By: []string{m}})
				if err != nil {
					errs <- fmt.Errorf("%d %s: %w", i, m, err)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	rec, v, err := councils.NewService(st, nil).Record(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Requests[0].Support; got != 1+len(signers) || v != int64(2+len(signers)) {
		t.Fatalf("support %d at version %d, want %d at %d", got, v, 1+len(signers), 2+len(signers))
	}
	if brk, _, err := council.VerifyStream(ctx, st, "c"); brk != nil || err != nil {
		t.Fatalf("chain: %+v %v", brk, err)
	}
}

// TestServiceErrors: unknown councils, a second council of one name, definitions that do not resolve.
func TestServiceErrors(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	svc := councils.NewService(st, nil)
	sc := MustScenario(t, "dprk-2019.yaml")
	if _, _, err := svc.Do(ctx, "nope", "", sc.Steps[0].Command); council.ErrorCode(err) != councils.ENotFound {
		t.Errorf("unknown council: %v", err)
	}
	if err := svc.Create(ctx, "c", sc.Def); err != nil {
		t.Fatal(err)
	}
	if err := svc.Create(ctx, "c", sc.Def); council.ErrorCode(err) != councils.EExists {
		t.Errorf("second create: %v", err)
	}
	bad := *sc.Def
	bad.Members = map[string][]string{"permanent": {"FRA"}}
	if err := svc.Create(ctx, "d", &bad); council.ErrorCode(err) != council.EINVALID {
		t.Errorf("a council of one member: %v", err)
	}
	if n, _, _ := st.Head(ctx, "d"); n != 0 {
		t.Errorf("a refused council left %d events", n)
	}
}

// TestDoBatch keeps a refused step out and everything before it in.
func TestDoBatch(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	sc := MustScenario(t, "dprk-2014.yaml")
	svc := councils.NewService(st, nil)
	if err := svc.Create(ctx, "c", sc.Def); err != nil {
		t.Fatal(err)
	}
	cmds := []council.Command{sc.Steps[0].Command, sc.Steps[1].Command, sc.Steps[1].Command, sc.Steps[2].Command}
	n, err := svc.DoBatch(ctx, "c", "b1", cmds)
	var ref *councils.Refused
	if n != 2 || !asRefused(err, &ref) || ref.Index != 2 || council.ErrorCode(ref.Err) != council.EAlreadySigned {
		t.Fatalf("DoBatch: %d done, %v; want 2 done, the third refused as already-signed", n, err)
	}
	if v, _, _ := st.Head(ctx, "c"); v != 3 {
		t.Fatalf("version %d, want 3", v)
	}
	if n, err := svc.DoBatch(ctx, "c", "b1", cmds); n != len(cmds) || err != nil {
		t.Fatalf("the same batch again: %d, %v; want it taken as done", n, err)
	}
	if v, _, _ := st.Head(ctx, "c"); v != 3 {
		t.Fatalf("version %d after the retry, want 3", v)
	}
}

func asRefused(err error, r **councils.Refused) bool {
	x, ok := err.(*councils.Refused)
	*r = x
	return ok
}

// TestStaleStateRefusesNothing: a service whose state is behind (another process moved the council on)
// must not refuse a command that the council as stored accepts: it reads the store before refusing.
func TestStaleStateRefusesNothing(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	sc := MustScenario(t, "dprk-2014.yaml")
	a, b := councils.NewService(st, nil), councils.NewService(st, nil)
	if err := a.Create(ctx, "c", sc.Def); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Version(ctx, "c"); err != nil { // b loads the council now, and falls behind below
		t.Fatal(err)
	}
	request := sc.Steps[0].Command.(*council.Request)
	if _, _, err := a.Do(ctx, "c", "", request); err != nil {
		t.Fatal(err)
	}
	// b has not seen the request; signing it must still succeed.
	if _, _, err := b.Do(ctx, "c", "", &council.Sign{Request: request.ID, By: []string{"CHL"}}); err != nil {
		t.Fatalf("a stale service refused a valid command: %v", err)
	}
	// And a command the stored council refuses is still refused.
	if _, _, err := b.Do(ctx, "c", "", &council.Sign{Request: "nope", By: []string{"CHL"}}); council.ErrorCode(err) != council.EUnknownRequest {
		t.Fatalf("unknown request: %v, want %s", err, council.EUnknownRequest)
	}
	if n, _, _ := st.Head(ctx, "c"); n != 3 {
		t.Errorf("%d events stored, want 3", n)
	}
}
