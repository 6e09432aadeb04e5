package access

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/sqlite"
)

func TestAuthenticate(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		k := mustKeeper(t, open(t))
		sec, secTok := mustIssue(t, k, Grant{Council: "unsc", Role: Secretariat, Label: "the secretariat"})
		del, delTok := mustIssue(t, k, Grant{Council: "unsc", Role: Delegation, Member: "USA"})
		obs, obsTok := mustIssue(t, k, Grant{Council: "hrc", Role: Observer})
		adm, admTok := mustIssue(t, k, Grant{Role: Admin})
		gone, goneTok := mustIssue(t, k, Grant{Council: "unsc", Role: Observer})
		if err := k.Revoke(t.Context(), "unsc", gone.ID); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		wrong, err := newToken()
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name  string
			token string
			want  *Grant // nil: refused
		}{
			{"secretariat", secTok, &sec},
			{"delegation", delTok, &del},
			{"observer", obsTok, &obs},
			{"admin", admTok, &adm},
			{"wrong token", wrong, nil},
			{"truncated", secTok[:len(secTok)-1], nil},
			{"prefix only", secTok[:len(TokenPrefix)], nil},
			{"extended", secTok + "A", nil},
			{"empty", "", nil},
			{"case changed", strings.ToUpper(secTok), nil},
			{"too long", strings.Repeat("a", MaxTokenLen+1), nil},
			{"revoked", goneTok, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, ok := k.Authenticate(tc.token)
				switch {
				case tc.want == nil && ok:
					t.Fatalf("authenticated as %+v, want refused", got)
				case tc.want != nil && !ok:
					t.Fatal("refused, want authenticated")
				case tc.want != nil && !sameGrant(got, *tc.want):
					t.Fatalf("got %+v, want %+v", got, *tc.want)
				}
			})
		}

		// A token of one council is no token of another: the grant names its council and role.
		if g, _ := k.Authenticate(obsTok); g.Council != "hrc" || g.Role != Observer {
			t.Fatalf("observer token grants %+v, want observer of hrc", g)
		}
		if g, _ := k.Authenticate(delTok); g.Council != "unsc" || g.Member != "USA" {
			t.Fatalf("delegation token grants %+v, want USA in unsc", g)
		}
	})
}

func TestTokenForm(t *testing.T) {
	k := mustKeeper(t, placeSQLite(t)(t))
	g, tok := mustIssue(t, k, Grant{Council: "unsc", Role: Observer})
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, TokenPrefix))
	if !strings.HasPrefix(tok, TokenPrefix) || err != nil || len(raw) != 32 {
		t.Fatalf("token %q: want %s and 32 bytes of unpadded base64url (%v)", tok, TokenPrefix, err)
	}
	if len(g.ID) != len(IDPrefix)+12 || !strings.HasPrefix(g.ID, IDPrefix) {
		t.Fatalf("id %q: want %s and 12 hex characters", g.ID, IDPrefix)
	}
	if _, err := hex.DecodeString(strings.TrimPrefix(g.ID, IDPrefix)); err != nil {
		t.Fatalf("id %q: %v", g.ID, err)
	}
	if strings.Contains(tok, strings.TrimPrefix(g.ID, IDPrefix)) || g.Created.IsZero() || g.Revoked != nil {
		t.Fatalf("grant %+v of token %q", g, tok)
	}
}

func TestIssueInvalid(t *testing.T) {
	st := placeSQLite(t)(t)
	k := mustKeeper(t, st)
	tests := []struct {
		name  string
		g     Grant
		field string
	}{
		{"no role", Grant{Council: "unsc"}, "role"},
		{"unknown role", Grant{Council: "unsc", Role: "president"}, "role"},
		{"admin with council", Grant{Council: "unsc", Role: Admin}, "council"},
		{"secretariat without council", Grant{Role: Secretariat}, "council"},
		{"observer without council", Grant{Role: Observer}, "council"},
		{"delegation without council", Grant{Role: Delegation, Member: "USA"}, "council"},
		{"council of the server", Grant{Council: Stream, Role: Observer}, "council"},
		{"delegation without member", Grant{Council: "unsc", Role: Delegation}, "member"},
		{"observer with member", Grant{Council: "unsc", Role: Observer, Member: "USA"}, "member"},
		{"label too long", Grant{Council: "unsc", Role: Observer, Label: strings.Repeat("x", maxText+1)}, "label"},
		{"label not UTF-8", Grant{Council: "unsc", Role: Observer, Label: "\xff"}, "label"},
		{"member with newline", Grant{Council: "unsc", Role: Delegation, Member: "US\nA"}, "member"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, tok, err := k.Issue(t.Context(), tc.g)
			if council.ErrorCode(err) != council.EINVALID || tok != "" {
				t.Fatalf("err %v (code %q), token %q: want code %q", err, council.ErrorCode(err), tok, council.EINVALID)
			}
			if !strings.HasPrefix(council.ErrorMessage(err), tc.field+":") {
				t.Fatalf("message %q does not name the field %s", council.ErrorMessage(err), tc.field)
			}
		})
	}
	if n, _, err := st.Head(t.Context(), Stream); err != nil || n != 0 {
		t.Fatalf("stream holds %d events (%v) after invalid grants only, want 0", n, err)
	}
}

func TestRevoke(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		st := open(t)
		k := mustKeeper(t, st)
		g, tok := mustIssue(t, k, Grant{Council: "unsc", Role: Delegation, Member: "FRA"})
		adm, admTok := mustIssue(t, k, Grant{Role: Admin})

		tests := []struct {
			name, council, id string
			code              string
		}{
			{"other council", "hrc", g.ID, ENotFound},
			{"as admin token", "", g.ID, ENotFound},
			{"unknown id", "unsc", "tok_000000000000", ENotFound},
			{"admin token in a council", "unsc", adm.ID, ENotFound},
			{"revoke", "unsc", g.ID, ""},
			{"again", "unsc", g.ID, ""},
			{"admin token", "", adm.ID, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := k.Revoke(t.Context(), tc.council, tc.id); council.ErrorCode(err) != tc.code {
					t.Fatalf("revoke: %v (code %q), want code %q", err, council.ErrorCode(err), tc.code)
				}
			})
		}
		for _, tok := range []string{tok, admTok} {
			if got, ok := k.Authenticate(tok); ok {
				t.Fatalf("revoked token still grants %+v", got)
			}
		}
		n, _, err := st.Head(t.Context(), Stream)
		if err != nil || n != 4 {
			t.Fatalf("stream holds %d events (%v), want 2 issued and 2 revoked: revoking twice appends once", n, err)
		}
		grants := k.Grants("unsc")
		if len(grants) != 1 || grants[0].Revoked == nil {
			t.Fatalf("grants of unsc: %+v, want the one, revoked", grants)
		}
	})
}

func TestReopen(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		st := open(t)
		k := mustKeeper(t, st)
		var want []Grant
		var tokens []string
		for i, g := range []Grant{
			{Council: "unsc", Role: Secretariat},
			{Council: "unsc", Role: Delegation, Member: "CHN", Label: "Mission of China"},
			{Council: "unsc", Role: Observer},
		} {
			g, tok := mustIssue(t, k, g)
			if i == 1 {
				if err := k.Revoke(t.Context(), "unsc", g.ID); err != nil {
					t.Fatal(err)
				}
				g = k.Grants("unsc")[1]
			}
			want = append(want, g)
			tokens = append(tokens, tok)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}

		k2 := mustKeeper(t, open(t))
		got := k2.Grants("unsc")
		if len(got) != len(want) {
			t.Fatalf("%d grants after reopening, want %d", len(got), len(want))
		}
		for i := range want {
			if !sameGrant(got[i], want[i]) {
				t.Fatalf("grant %d after reopening: %+v, want %+v", i, got[i], want[i])
			}
			_, ok := k2.Authenticate(tokens[i])
			if ok != (want[i].Revoked == nil) {
				t.Fatalf("token %d authenticates %v after reopening, want %v", i, ok, want[i].Revoked == nil)
			}
		}
	})
}

func TestTwoProcesses(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		a, b := mustKeeper(t, open(t)), mustKeeper(t, open(t))
		g, tok := mustIssue(t, a, Grant{Council: "unsc", Role: Delegation, Member: "GBR"})
		if _, ok := b.Authenticate(tok); ok {
			t.Fatal("B knows a token before it refreshed")
		}
		if err := b.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got, ok := b.Authenticate(tok); !ok || !sameGrant(got, g) {
			t.Fatalf("B after refresh: %+v %v, want %+v", got, ok, g)
		}
		if err := a.Revoke(t.Context(), "unsc", g.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok := a.Authenticate(tok); ok {
			t.Fatal("A still accepts the token it revoked")
		}
		if err := b.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, ok := b.Authenticate(tok); ok {
			t.Fatal("B still accepts a revoked token after refresh")
		}
		// B revokes what A issued, without refreshing first, and A issues on a stale version.
		g2, tok2 := mustIssue(t, a, Grant{Council: "unsc", Role: Observer})
		if err := b.Revoke(t.Context(), "unsc", g2.ID); err != nil {
			t.Fatalf("B revokes A's newer token: %v", err)
		}
		if err := a.Revoke(t.Context(), "unsc", g2.ID); err != nil {
			t.Fatalf("A revokes it again: %v", err)
		}
		_, tok3 := mustIssue(t, b, Grant{Council: "unsc", Role: Observer})
		if err := a.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, ok := a.Authenticate(tok2); ok {
			t.Fatal("A accepts a token B revoked")
		}
		if _, ok := a.Authenticate(tok3); !ok {
			t.Fatal("A refuses a token B issued")
		}
	})
}

func TestConcurrentIssue(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		keepers := []*Keeper{mustKeeper(t, open(t)), mustKeeper(t, open(t))}
		const n = 32
		tokens := make([]string, n)
		ids := make([]string, n)
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				g, tok, err := keepers[i%2].Issue(context.Background(), Grant{Council: "unsc", Role: Observer, Label: fmt.Sprint(i)})
				if err != nil {
					errs <- err
					return
				}
				tokens[i], ids[i] = tok, g.ID
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("issue: %v", err)
		}
		for _, k := range keepers {
			if err := k.Refresh(t.Context()); err != nil {
				t.Fatal(err)
			}
			grants := k.Grants("unsc")
			if len(grants) != n {
				t.Fatalf("%d grants, want %d", len(grants), n)
			}
			for i, tok := range tokens {
				if g, ok := k.Authenticate(tok); !ok || g.ID != ids[i] || g.Label != fmt.Sprint(i) {
					t.Fatalf("token %d: %+v %v", i, g, ok)
				}
			}
		}
		fresh := mustKeeper(t, open(t))
		if got := len(fresh.Grants("unsc")); got != n {
			t.Fatalf("a fresh keeper reads %d grants, want %d", got, n)
		}
	})
}

func TestEnsureAdmin(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		ctx := t.Context()
		k := mustKeeper(t, open(t))
		tok, created, err := k.EnsureAdmin(ctx, "")
		if err != nil || !created || !strings.HasPrefix(tok, TokenPrefix) {
			t.Fatalf("first start: %q %v %v, want a new token", tok, created, err)
		}
		if g, ok := k.Authenticate(tok); !ok || g.Role != Admin || g.Council != "" {
			t.Fatalf("first admin token grants %+v %v", g, ok)
		}

		// A second start, in another process: nothing to print.
		k2 := mustKeeper(t, open(t))
		tok2, created, err := k2.EnsureAdmin(ctx, "")
		if err != nil || created || tok2 != "" {
			t.Fatalf("second start: %q %v %v, want nothing", tok2, created, err)
		}

		// Once every admin token is revoked, the next start makes another.
		if err := k2.Revoke(ctx, "", k2.Grants("")[0].ID); err != nil {
			t.Fatal(err)
		}
		tok3, created, err := k2.EnsureAdmin(ctx, "")
		if err != nil || !created || tok3 == "" || tok3 == tok {
			t.Fatalf("start after revoking: %q %v %v, want a new token", tok3, created, err)
		}

		given := "operator-chosen-admin-token-0123"
		tests := []struct {
			name    string
			token   string
			created bool
			code    string
		}{
			{"given", given, true, ""},
			{"given again", given, false, ""},
			{"too short", "short-token", false, council.EINVALID},
			{"with a space", "operator chosen admin token", false, council.EINVALID},
			{"too long", strings.Repeat("x", MaxTokenLen+1), false, council.EINVALID},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, created, err := k.EnsureAdmin(ctx, tc.token)
				if council.ErrorCode(err) != tc.code || created != tc.created {
					t.Fatalf("got %v %v (code %q), want created %v code %q", created, err, council.ErrorCode(err), tc.created, tc.code)
				}
				if err == nil && got != tc.token {
					t.Fatalf("returned %q, want the token given", got)
				}
			})
		}
		if g, ok := k.Authenticate(given); !ok || g.Role != Admin {
			t.Fatalf("given admin token grants %+v %v", g, ok)
		}
		if _, ok := mustKeeper(t, open(t)).Authenticate(given); !ok {
			t.Fatal("given admin token unknown after reopening")
		}

		// A revoked token given again stays revoked; a token of another role is not made admin.
		g, _ := k.Authenticate(given)
		if err := k.Revoke(ctx, "", g.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := k.EnsureAdmin(ctx, given); council.ErrorCode(err) != council.EINVALID {
			t.Fatalf("revoked token given again: %v, want code %q", err, council.EINVALID)
		}
		_, obs := mustIssue(t, k, Grant{Council: "unsc", Role: Observer})
		if _, _, err := k.EnsureAdmin(ctx, obs); council.ErrorCode(err) != council.EINVALID {
			t.Fatalf("observer token given as admin: %v, want code %q", err, council.EINVALID)
		}
		if g, _ := k.Authenticate(obs); g.Role != Observer {
			t.Fatalf("observer token now grants %+v", g)
		}
	})
}

// TestEnsureAdminRace starts two processes at once on an empty store: one admin token results.
func TestEnsureAdminRace(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		keepers := []*Keeper{mustKeeper(t, open(t)), mustKeeper(t, open(t))}
		var made [2]bool
		var wg sync.WaitGroup
		for i, k := range keepers {
			wg.Go(func() {
				_, created, err := k.EnsureAdmin(context.Background(), "")
				if err != nil {
					t.Errorf("ensure admin: %v", err)
				}
				made[i] = created
			})
		}
		wg.Wait()
		if made[0] == made[1] {
			t.Fatalf("created %v: want exactly one admin token", made)
		}
		k := mustKeeper(t, open(t))
		if n := len(k.Grants("")); n != 1 {
			t.Fatalf("%d admin tokens, want 1", n)
		}
	})
}

// TestSecretNotStored reads every byte the store holds and finds no secret in it.
func TestSecretNotStored(t *testing.T) {
	forEach(t, func(t *testing.T, open func(*testing.T) council.EventStore) {
		ctx := t.Context()
		st := open(t)
		k := mustKeeper(t, st)
		var secrets []string
		adminTok, _, err := k.EnsureAdmin(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, adminTok)
		for _, g := range []Grant{{Council: "unsc", Role: Secretariat}, {Council: "unsc", Role: Delegation, Member: "USA"}} {
			_, tok := mustIssue(t, k, g)
			secrets = append(secrets, tok)
		}
		g, tok := mustIssue(t, k, Grant{Council: "unsc", Role: Observer})
		secrets = append(secrets, tok)
		if err := k.Revoke(ctx, "unsc", g.ID); err != nil {
			t.Fatal(err)
		}
		given := "given-admin-token-abcdefghijklmnop"
		if _, _, err := k.EnsureAdmin(ctx, given); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, given)

		var stored [][]byte
		streams, err := st.Streams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range streams {
			err := st.Read(ctx, s, 0, func(e council.StoredEvent) error {
				stored = append(stored, []byte(e.Stream), []byte(e.Type), []byte(e.Key), e.Data)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if s, ok := st.(*sqlite.Store); ok { // and the database's files themselves
			for _, suffix := range []string{"", "-wal"} {
				b, err := os.ReadFile(s.Path() + suffix)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				stored = append(stored, b)
			}
		}
		all := bytes.Join(stored, []byte{0})
		for _, secret := range secrets {
			forms := [][]byte{[]byte(secret)}
			if raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, TokenPrefix)); err == nil && strings.HasPrefix(secret, TokenPrefix) {
				forms = append(forms, raw, []byte(hex.EncodeToString(raw)))
			}
			for _, f := range forms {
				if bytes.Contains(all, f) {
					t.Fatalf("the store holds the secret %q", secret)
				}
			}
			h := hashToken(secret)
			if !bytes.Contains(all, []byte(hex.EncodeToString(h[:]))) {
				t.Fatalf("the store lacks the hash of %q", secret)
			}
		}

		// The events hold what the package documents.
		err = st.Read(ctx, Stream, 0, func(e council.StoredEvent) error {
			var m map[string]any
			if err := json.Unmarshal(e.Data, &m); err != nil {
				return err
			}
			want := map[string][]string{
				TypeIssued:  {"id", "hash", "council", "role", "member", "label", "created"},
				TypeRevoked: {"id", "council", "revoked"},
			}[e.Type]
			if len(m) != len(want) {
				t.Errorf("event %d (%s): %s, want fields %v", e.Version, e.Type, e.Data, want)
			}
			for _, f := range want {
				if _, ok := m[f]; !ok {
					t.Errorf("event %d (%s): no field %s", e.Version, e.Type, f)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestGrantsIsolated(t *testing.T) {
	k := mustKeeper(t, placeSQLite(t)(t))
	g, _ := mustIssue(t, k, Grant{Council: "unsc", Role: Observer})
	mustIssue(t, k, Grant{Council: "hrc", Role: Observer})
	mustIssue(t, k, Grant{Role: Admin})
	if err := k.Revoke(t.Context(), "unsc", g.ID); err != nil {
		t.Fatal(err)
	}
	list := k.Grants("unsc")
	if len(list) != 1 || len(k.Grants("hrc")) != 1 || len(k.Grants("")) != 1 || len(k.Grants("nowhere")) != 0 {
		t.Fatalf("grants by council: unsc %v, hrc %v, admin %v", list, k.Grants("hrc"), k.Grants(""))
	}
	*list[0].Revoked = list[0].Created // changing a copy changes nothing kept
	list[0].Label = "changed"
	if again := k.Grants("unsc")[0]; again.Label != "" || again.Revoked.Equal(again.Created) {
		t.Fatalf("a caller's change reached the keeper: %+v", again)
	}
}

// sameGrant compares two grants, times by instant.
func sameGrant(a, b Grant) bool {
	if (a.Revoked == nil) != (b.Revoked == nil) || a.Revoked != nil && !a.Revoked.Equal(*b.Revoked) {
		return false
	}
	a.Revoked, b.Revoked = nil, nil
	return a.Created.Equal(b.Created) && a.ID == b.ID && a.Council == b.Council && a.Role == b.Role &&
		a.Member == b.Member && a.Label == b.Label
}

func TestRoleValid(t *testing.T) {
	for _, tc := range []struct {
		r    Role
		want bool
	}{{Admin, true}, {Secretariat, true}, {Delegation, true}, {Observer, true}, {"", false}, {"president", false}, {"Admin", false}} {
		if got := tc.r.Valid(); got != tc.want {
			t.Errorf("Role(%q).Valid() = %v, want %v", tc.r, got, tc.want)
		}
	}
}

func BenchmarkAuthenticate(b *testing.B) {
	st, err := sqlite.Open(b.TempDir() + "/council.db")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	k, err := Open(b.Context(), st)
	if err != nil {
		b.Fatal(err)
	}
	_, tok, err := k.Issue(b.Context(), Grant{Council: "unsc", Role: Observer})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := k.Authenticate(tok); !ok {
			b.Fatal("refused")
		}
	}
}

// countingStore counts reads and holds the first until released.
type countingStore struct {
	council.EventStore
	reads   atomic.Int64
	entered chan struct{}
	release chan struct{}
}

func (s *countingStore) Read(ctx context.Context, stream string, after int64, fn func(council.StoredEvent) error) error {
	if s.reads.Add(1) == 1 {
		close(s.entered)
		<-s.release
	}
	return s.EventStore.Read(ctx, stream, after, fn)
}

// TestRefreshShared has many refreshes that arrive during one read share the next.
func TestRefreshShared(t *testing.T) {
	open := placeSQLite(t)
	a := mustKeeper(t, open(t))
	cs := &countingStore{EventStore: open(t), entered: make(chan struct{}), release: make(chan struct{})}
	b := newKeeper(cs)

	var wg sync.WaitGroup
	wg.Go(func() {
		if err := b.Refresh(context.Background()); err != nil {
			t.Error(err)
		}
	})
	<-cs.entered // the first read is under way; what is issued now it may not see
	_, tok := mustIssue(t, a, Grant{Council: "unsc", Role: Observer})
	const n = 50
	for range n {
		wg.Go(func() {
			if err := b.Refresh(context.Background()); err != nil {
				t.Error(err)
			}
			if _, ok := b.Authenticate(tok); !ok {
				t.Error("a refresh that began after the token was issued returned without it")
			}
		})
	}
	time.Sleep(50 * time.Millisecond) // let them queue behind the first read
	close(cs.release)
	wg.Wait()
	if r := cs.reads.Load(); r >= n/2 {
		t.Fatalf("%d reads for %d refreshes arriving together, want them shared", r, n+1)
	}
}
