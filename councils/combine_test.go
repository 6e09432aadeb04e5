package councils_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/postgres"
)

// spyStore records the appends that reach a store, and can hold them or make them fail.
type spyStore struct {
	council.EventStore
	mu        sync.Mutex
	appends   []council.Append
	conflicts int
	entered   chan council.Append // when set, each append is sent here, then waits for release
	release   chan struct{}
	fail      func(council.Append) error // when set and it returns an error, the append fails with it
}

func (s *spyStore) Append(ctx context.Context, a council.Append) (council.Appended, error) {
	s.mu.Lock()
	s.appends = append(s.appends, a)
	entered, fail := s.entered, s.fail
	s.mu.Unlock()
	if entered != nil {
		entered <- a
		<-s.release
	}
	if fail != nil {
		if err := fail(a); err != nil {
			return council.Appended{}, err
		}
	}
	res, err := s.EventStore.Append(ctx, a)
	if council.ErrorCode(err) == council.EConflict {
		s.mu.Lock()
		s.conflicts++
		s.mu.Unlock()
	}
	return res, err
}

func (s *spyStore) hold() {
	s.mu.Lock()
	s.entered, s.release = make(chan council.Append, 64), make(chan struct{})
	s.mu.Unlock()
}

func (s *spyStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.appends)
}

// feedLog records what a service feeds to OnEvents.
type feedLog struct {
	mu       sync.Mutex
	versions map[string][]int64
}

func newFeedLog(svc *councils.Service) *feedLog {
	f := &feedLog{versions: map[string][]int64{}}
	svc.OnEvents(func(stream string, evs []council.StoredEvent) {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, e := range evs {
			f.versions[stream] = append(f.versions[stream], e.Version)
		}
	})
	return f
}

// check fails unless the service fed versions 1..n of stream, each once, in order.
func (f *feedLog) check(tb testing.TB, stream string, n int64) {
	tb.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	got := f.versions[stream]
	ok := int64(len(got)) == n
	for i := 0; ok && i < len(got); i++ {
		ok = got[i] == int64(i+1)
	}
	if !ok {
		tb.Errorf("fed %d versions %v, want 1..%d once each in order", len(got), abbreviate(got), n)
	}
}

func abbreviate(vs []int64) []int64 {
	if len(vs) > 20 {
		return append(slices.Clone(vs[:10]), vs[len(vs)-10:]...)
	}
	return vs
}

// stores are the event stores the tests run on: SQLite, and PostgreSQL when COUNCIL_TEST_POSTGRES
// names a server.
func stores(t *testing.T, fn func(t *testing.T, st council.EventStore)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, MustStore(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, mustPostgres(t)) })
}

// mustPostgres opens a PostgreSQL store in a schema of its own, dropped at the test's end.
func mustPostgres(t *testing.T) council.EventStore {
	t.Helper()
	base := os.Getenv("COUNCIL_TEST_POSTGRES")
	if base == "" {
		t.Skip("COUNCIL_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Skipf("no PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("councils_test_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// storedKeys reads a stream and counts its events and the events of each key.
func storedKeys(tb testing.TB, st council.EventStore, stream string) (int64, map[string]int) {
	tb.Helper()
	keys := map[string]int{}
	var n int64
	err := st.Read(context.Background(), stream, 0, func(e council.StoredEvent) error {
		n++
		if e.Key != "" {
			keys[e.Key]++
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n, keys
}

// sameRecord fails unless the service's record of stream equals the one a fresh service reads.
func sameRecord(tb testing.TB, st council.EventStore, svc *councils.Service, stream string) {
	tb.Helper()
	ctx := context.Background()
	got, v, err := svc.Record(ctx, stream)
	if err != nil {
		tb.Fatal(err)
	}
	want, fv, err := councils.NewService(st, nil).Record(ctx, stream)
	if err != nil {
		tb.Fatal(err)
	}
	if a, b := recordJSON(tb, got), recordJSON(tb, want); a != b || v != fv {
		tb.Errorf("live record at %d\n%s\nfresh record at %d\n%s", v, a, fv, b)
	}
}

// TestDoCombines: many callers at once, each key sent by three of them, some commands refused. Every
// accepted command is stored once, copies of a key get the same version, the appends carry per-event
// keys and fewer appends than commands reach the store, every version is fed once, and a retry after
// a reload finds its key.
func TestDoCombines(t *testing.T) {
	stores(t, func(t *testing.T, base council.EventStore) {
		ctx := context.Background()
		st := &spyStore{EventStore: base}
		svc := councils.NewService(st, nil)
		fed := newFeedLog(svc)
		openMeeting(t, svc, "c")
		before := st.count()
		const each, copies = 10, 3
		type result struct {
			key string
			v   int64
			err error
		}
		results := make(chan result, len(members2022)*each*copies+100)
		var wg sync.WaitGroup
		for _, m := range members2022 {
			for i := range each {
				key := fmt.Sprintf("%s-%d", m, i)
				for range copies {
					wg.Go(func() {
						_, v, err := svc.Do(ctx, "c", key, statement(m, i))
						results <- result{key, v, err}
					})
				}
			}
		}
		for i := range 20 { // DEU is not a member in 2022: refused, in the same rounds as the others
			wg.Go(func() {
				_, _, err := svc.Do(ctx, "c", fmt.Sprint("deu-", i), statement("DEU", i))
				results <- result{"", 0, err}
			})
		}
		wg.Wait()
		close(results)
		versions := map[string]int64{}
		refused := 0
		for r := range results {
			switch {
			case r.key == "":
				var ce *council.Error
				if !errors.As(r.err, &ce) {
					t.Errorf("DEU's statement: %v, want a refusal", r.err)
				}
				refused++
			case r.err != nil:
				t.Errorf("%s: %v", r.key, r.err)
			case versions[r.key] != 0 && versions[r.key] != r.v:
				t.Errorf("%s: versions %d and %d", r.key, versions[r.key], r.v)
			default:
				versions[r.key] = r.v
			}
		}
		unique := int64(len(members2022) * each)
		want := 1 + setupSteps + unique
		n, keys := storedKeys(t, base, "c")
		if n != want || int64(len(keys)) != unique || refused != 20 {
			t.Fatalf("%d events, %d keys, %d refused; want %d, %d, 20", n, len(keys), refused, want, unique)
		}
		for k, c := range keys {
			if c != 1 {
				t.Errorf("key %s stored %d times", k, c)
			}
		}
		appends := st.appends[before:]
		for _, a := range appends {
			if a.Key != "" {
				t.Errorf("an append with key %q: keys go on events", a.Key)
			}
		}
		if int64(len(appends)) >= unique {
			t.Errorf("%d appends for %d commands: nothing was combined", len(appends), unique)
		}
		t.Logf("%d commands in %d appends", unique, len(appends))
		fed.check(t, "c", want)
		sameRecord(t, base, svc, "c")
		if brk, _, err := council.VerifyStream(ctx, base, "c"); brk != nil || err != nil {
			t.Fatalf("chain: %+v %v", brk, err)
		}

		// a retry after a reload from the store is a duplicate, also with the store's own key check
		again := councils.NewService(base, nil)
		if _, v, err := again.Do(ctx, "c", "KEN-7", statement("KEN", 7)); err != nil || v != versions["KEN-7"] {
			t.Errorf("retry after a reload: %d, %v; want %d", v, err, versions["KEN-7"])
		}
		res, err := base.Append(ctx, council.Append{Stream: "c", Expected: 1, Key: "GBR-3", Events: []council.EventData{{Type: "x", Data: []byte("{}")}}})
		if err != nil || !res.Duplicate || len(res.Events) == 0 || res.Events[0].Version != versions["GBR-3"] {
			t.Errorf("the store's duplicate of GBR-3: %+v %v; want version %d", res, err, versions["GBR-3"])
		}
		if n, _ := storedKeys(t, base, "c"); n != want {
			t.Errorf("%d events after the retries, want %d", n, want)
		}
	})
}

// TestServicesRaceCombined: two services over one store, as two processes, each with many callers
// sending the same keyed commands. Every command is stored once, no key twice, and both services'
// states and feeds equal what a fresh reload reads.
func TestServicesRaceCombined(t *testing.T) {
	stores(t, func(t *testing.T, st council.EventStore) {
		ctx := context.Background()
		spy := &spyStore{EventStore: st}
		a, b := councils.NewService(spy, nil), councils.NewService(spy, nil)
		fa, fb := newFeedLog(a), newFeedLog(b)
		openMeeting(t, a, "c")
		const each = 8
		var wg sync.WaitGroup
		errs := make(chan error, 4*len(members2022)*each)
		for _, m := range members2022 {
			for _, svc := range []*councils.Service{a, b, a, b} { // each service sends each command twice
				wg.Go(func() {
					for i := range each {
						if _, _, err := svc.Do(ctx, "c", fmt.Sprint(m, i), statement(m, i)); err != nil {
							errs <- fmt.Errorf("%s %d: %w", m, i, err)
						}
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		want := int64(1 + setupSteps + len(members2022)*each)
		n, keys := storedKeys(t, st, "c")
		if n != want || len(keys) != len(members2022)*each {
			t.Fatalf("%d events with %d keys, want %d with %d", n, len(keys), want, len(members2022)*each)
		}
		for k, c := range keys {
			if c != 1 {
				t.Errorf("key %s stored %d times", k, c)
			}
		}
		for _, svc := range []*councils.Service{a, b} {
			if err := svc.Refresh(ctx, "c"); err != nil {
				t.Fatal(err)
			}
			sameRecord(t, st, svc, "c")
		}
		fa.check(t, "c", want)
		fb.check(t, "c", want)
		t.Logf("%d appends, %d conflicts", spy.count(), spy.conflicts)
		if brk, _, err := council.VerifyStream(ctx, st, "c"); brk != nil || err != nil {
			t.Fatalf("chain: %+v %v", brk, err)
		}
	})
}

// waitQueue waits until n requests wait in the council's queue.
func waitQueue(tb testing.TB, svc *councils.Service, stream string, n int) {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Second); councils.QueueLen(svc, stream) < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("%d requests queued, want %d", councils.QueueLen(svc, stream), n)
		}
	}
}

// TestRoundRefusals: while an append is held, commands queue; the next round answers the refused
// ones before its append is done and stores the others in one append.
func TestRoundRefusals(t *testing.T) {
	ctx := context.Background()
	st := &spyStore{EventStore: MustStore(t)}
	svc := councils.NewService(st, nil)
	openMeeting(t, svc, "c")
	st.hold()
	first := make(chan error, 1)
	go func() { _, _, err := svc.Do(ctx, "c", "first", statement("FRA", 0)); first <- err }()
	<-st.entered // the first round's append is held: what comes now queues
	accepted, refused := make(chan error, 5), make(chan error, 5)
	for i := range 5 {
		go func() {
			_, _, err := svc.Do(ctx, "c", fmt.Sprint("ok", i), statement(members2022[i], i))
			accepted <- err
		}()
		go func() { _, _, err := svc.Do(ctx, "c", fmt.Sprint("no", i), statement("DEU", i)); refused <- err }()
	}
	waitQueue(t, svc, "c", 10)
	st.release <- struct{}{}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	second := <-st.entered
	for range 5 { // answered while the second append is still held
		if err := <-refused; council.ErrorCode(err) == "" {
			t.Errorf("DEU's statement: %v, want a refusal", err)
		}
	}
	if len(second.Events) != 5 {
		t.Errorf("the second append has %d events, want the 5 accepted", len(second.Events))
	}
	close(st.release)
	for range 5 {
		if err := <-accepted; err != nil {
			t.Error(err)
		}
	}
	if v, err := svc.Version(ctx, "c"); v != 1+setupSteps+6 || err != nil {
		t.Errorf("version %d, %v; want %d", v, err, 1+setupSteps+6)
	}
}

// TestRoundCancel: a caller giving up while its command is being stored gets ctx's error at once, but
// the round goes on for the others and stores its command; a caller that gives up while queued gets
// ctx's error and its command is not stored.
func TestRoundCancel(t *testing.T) {
	ctx := context.Background()
	st := &spyStore{EventStore: MustStore(t)}
	svc := councils.NewService(st, nil)
	openMeeting(t, svc, "c")
	st.hold()
	fctx, cancelFirst := context.WithCancel(ctx)
	first := make(chan error, 1)
	go func() { _, _, err := svc.Do(fctx, "c", "first", statement("FRA", 0)); first <- err }()
	<-st.entered
	qctx, cancelQueued := context.WithCancel(ctx)
	queued := make(chan error, 1)
	go func() { _, _, err := svc.Do(qctx, "c", "queued", statement("GBR", 0)); queued <- err }()
	others := make(chan error, 3)
	for i := range 3 {
		go func() { _, _, err := svc.Do(ctx, "c", fmt.Sprint("other", i), statement("USA", i)); others <- err }()
	}
	waitQueue(t, svc, "c", 4)
	cancelFirst()
	cancelQueued()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while its append is held: %v", err)
	}
	if err := <-queued; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while queued: %v", err)
	}
	close(st.release)
	for range 3 {
		if err := <-others; err != nil {
			t.Error(err)
		}
	}
	_, keys := storedKeys(t, st.EventStore, "c")
	if keys["queued"] != 0 || keys["first"] != 1 || len(keys) != 4 {
		t.Errorf("stored keys %v, want first and other0..2", keys)
	}
}

// TestRoundFailedAppend: an append that fails errs only its own commands and drops the state, which
// is read again; nothing is fed twice and the state matches the store.
func TestRoundFailedAppend(t *testing.T) {
	ctx := context.Background()
	st := &spyStore{EventStore: MustStore(t)}
	svc := councils.NewService(st, nil)
	fed := newFeedLog(svc)
	openMeeting(t, svc, "c")
	st.hold()
	go func() { _, _, _ = svc.Do(ctx, "c", "first", statement("FRA", 0)) }()
	<-st.entered
	boom := errors.New("disk on fire")
	st.mu.Lock()
	st.fail = func(a council.Append) error {
		if len(a.Events) > 1 {
			return boom
		}
		return nil
	}
	st.mu.Unlock()
	failed := make(chan error, 4)
	for i := range 4 {
		go func() { _, _, err := svc.Do(ctx, "c", fmt.Sprint("k", i), statement(members2022[i], i)); failed <- err }()
	}
	waitQueue(t, svc, "c", 4)
	close(st.release)
	for range 4 {
		if err := <-failed; !errors.Is(err, boom) {
			t.Errorf("a command of the failed append: %v", err)
		}
	}
	st.mu.Lock()
	st.entered, st.fail = nil, nil
	st.mu.Unlock()
	for i := range 4 { // the same commands again: the state was read afresh and takes them
		if _, _, err := svc.Do(ctx, "c", fmt.Sprint("k", i), statement(members2022[i], i)); err != nil {
			t.Fatal(err)
		}
	}
	want := int64(1 + setupSteps + 1 + 4)
	fed.check(t, "c", want)
	sameRecord(t, st.EventStore, svc, "c")
}

// TestDoBatchCombined: batches and single commands at once; each batch lands whole, once.
func TestDoBatchCombined(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	svc := councils.NewService(st, nil)
	openMeeting(t, svc, "c")
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i, m := range members2022 {
		wg.Go(func() {
			cmds := []council.Command{statement(m, 100), statement(m, 101), statement("DEU", 0), statement(m, 102)}
			n, err := svc.DoBatch(ctx, "c", "batch-"+m, cmds)
			var ref *councils.Refused
			if n != 2 || !errors.As(err, &ref) || ref.Index != 2 {
				errs <- fmt.Errorf("batch %d: %d, %v; want 2 and the third refused", i, n, err)
			}
			if n, err := svc.DoBatch(ctx, "c", "batch-"+m, cmds); n != len(cmds) || err != nil {
				errs <- fmt.Errorf("batch %d again: %d, %v; want it taken as done", i, n, err)
			}
		})
		wg.Go(func() {
			if _, _, err := svc.Do(ctx, "c", "do-"+m, statement(m, 0)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n, keys := storedKeys(t, st, "c")
	if want := int64(1 + setupSteps + 3*len(members2022)); n != want || len(keys) != 2*len(members2022) {
		t.Errorf("%d events with %d keys, want %d with %d", n, len(keys), want, 2*len(members2022))
	}
	sameRecord(t, st, svc, "c")
}

// TestOnEventsCreateAndRefresh: Create feeds the definition; Refresh leaves a council not loaded
// alone and feeds a loaded one what other processes appended.
func TestOnEventsCreateAndRefresh(t *testing.T) {
	ctx := context.Background()
	st := MustStore(t)
	a, b := councils.NewService(st, nil), councils.NewService(st, nil)
	fa, fb := newFeedLog(a), newFeedLog(b)
	sc := MustScenario(t, "ukraine-2022.yaml")
	if err := a.Create(ctx, "c", sc.Def); err != nil {
		t.Fatal(err)
	}
	fa.check(t, "c", 1)
	if err := b.Refresh(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	fb.check(t, "c", 0)
	for _, step := range sc.Steps[:setupSteps] {
		if _, _, err := a.Do(ctx, "c", "", step.Command); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := b.Version(ctx, "c"); err != nil || v != 1+setupSteps {
		t.Fatal(v, err)
	}
	fb.check(t, "c", 1+setupSteps)
	if _, _, err := a.Do(ctx, "c", "", statement("FRA", 1)); err != nil {
		t.Fatal(err)
	}
	if err := b.Refresh(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	fa.check(t, "c", 2+setupSteps)
	fb.check(t, "c", 2+setupSteps)
	if err := b.Refresh(ctx, "nope"); err != nil {
		t.Errorf("refresh of an unknown council: %v", err)
	}
}
