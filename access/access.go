// Package access decides who may act on a council server, by bearer token.
//
// A token grants one role: Admin over the whole server, or Secretariat, Delegation (as one member) or
// Observer on one council. Grants are kept as events in the stream "$access" of the server's event
// store, so that several server processes sharing one store share them: a Keeper reads the stream at
// Open, appends to it with optimistic concurrency, and catches up with what other processes appended
// when told to Refresh. The store keeps only the SHA-256 of each token; the secret is shown once, when
// it is issued, and never stored.
//
// Authenticate works from memory and is cheap enough for every request. A revocation holds in the
// process that made it as soon as Revoke returns, and in other processes after their next Refresh.
// Refreshing on every failed Authenticate costs a read of the store each time, so a server that does
// it should rate-limit failed attempts first (Limiter).
package access

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/opencouncil/council"
)

// Role is what a token allows.
type Role string

// Roles.
const (
	Admin       Role = "admin"       // the whole server: creates councils, issues any token
	Secretariat Role = "secretariat" // one council: runs it, issues and revokes its tokens
	Delegation  Role = "delegation"  // one council, one member: acts only as that member
	Observer    Role = "observer"    // one council: reads only
)

// Valid reports whether r is one of the roles above.
func (r Role) Valid() bool {
	switch r {
	case Admin, Secretariat, Delegation, Observer:
		return true
	}
	return false
}

// ENotFound is the error code of a Revoke that names no token of that council.
const ENotFound = "not-found"

// maxText is the most bytes a grant's council, member or label may have.
const maxText = 200

// maxAttempts bounds how often one change is decided again after another process appended first.
const maxAttempts = 100

// Grant is what a token allows, as the server shows it: never the secret, nor its hash.
type Grant struct {
	ID      string     `json:"id"`                // public id of the token: IDPrefix and 12 hex characters
	Council string     `json:"council,omitempty"` // the council; "" for Admin
	Role    Role       `json:"role"`
	Member  string     `json:"member,omitempty"` // the member code, for Delegation only
	Label   string     `json:"label,omitempty"`  // a note for people: who holds the token
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"` // when it was revoked; nil while it holds
}

// clone returns a copy of g that shares nothing with it.
func (g Grant) clone() Grant {
	if g.Revoked != nil {
		t := *g.Revoked
		g.Revoked = &t
	}
	return g
}

// entry is a grant as a Keeper holds it, with the hash of its token.
type entry struct {
	g    Grant
	hash [32]byte
}

// Keeper holds the grants of the access stream in memory and changes them through the store. It is
// safe for concurrent use.
type Keeper struct {
	store council.EventStore
	now   func() time.Time

	write  sync.Mutex   // one decision and append at a time from this Keeper
	read   sync.Mutex   // one Refresh at a time
	begun  atomic.Int64 // how many reads Refresh has begun
	lastOK int64        // the number of the last read that succeeded; guarded by read

	mu        sync.RWMutex
	version   int64 // the version of the stream applied so far
	byID      map[string]*entry
	byHash    map[[32]byte]*entry
	byCouncil map[string][]*entry // in issue order; "" holds the admin tokens
}

// Open reads the access stream of store and returns a Keeper over it.
func Open(ctx context.Context, store council.EventStore) (*Keeper, error) {
	k := newKeeper(store)
	if err := k.Refresh(ctx); err != nil {
		return nil, err
	}
	return k, nil
}

// newKeeper returns a Keeper over store that has read nothing yet.
func newKeeper(store council.EventStore) *Keeper {
	return &Keeper{
		store:     store,
		now:       time.Now,
		byID:      map[string]*entry{},
		byHash:    map[[32]byte]*entry{},
		byCouncil: map[string][]*entry{},
	}
}

// Issue stores a new grant and returns it, with its ID and Created set, and its secret token, which
// exists nowhere else: the caller shows it once. The ID, Created and Revoked of g are ignored. Invalid
// grants are refused with an *council.Error of code council.EINVALID that names the field, and nothing
// is stored.
func (k *Keeper) Issue(ctx context.Context, g Grant) (Grant, string, error) {
	g = Grant{Council: g.Council, Role: g.Role, Member: g.Member, Label: g.Label}
	if err := validate(g); err != nil {
		return Grant{}, "", err
	}
	token, err := newToken()
	if err != nil {
		return Grant{}, "", err
	}
	hash := hashToken(token)
	g.Created = k.stamp()
	err = k.update(ctx, func() ([]council.EventData, error) { return k.issueEvent(&g, hash) })
	if err != nil {
		return Grant{}, "", err
	}
	return g, token, nil
}

// Revoke ends a token of a council (council "" for admin tokens) and returns once the revocation is
// durable; from then on Authenticate refuses the token in this process. A token revoked already is no
// error. An id that names no token of that council is an *council.Error of code ENotFound.
func (k *Keeper) Revoke(ctx context.Context, councilName, id string) error {
	if err := k.Refresh(ctx); err != nil {
		return err
	}
	return k.update(ctx, func() ([]council.EventData, error) {
		e := k.byID[id]
		if e == nil || e.g.Council != councilName {
			if councilName == "" {
				return nil, council.Errorf(ENotFound, "no admin token %q", id)
			}
			return nil, council.Errorf(ENotFound, "no token %q in council %s", id, councilName)
		}
		if e.g.Revoked != nil {
			return nil, nil
		}
		ev, err := encodeRevoked(e.g, k.stamp())
		if err != nil {
			return nil, err
		}
		return []council.EventData{ev}, nil
	})
}

// Authenticate returns the grant of a token, from memory. It is false for a token that is unknown,
// malformed or revoked. The token's hash is looked up, then compared in constant time.
func (k *Keeper) Authenticate(token string) (Grant, bool) {
	if !plausible(token) {
		return Grant{}, false
	}
	h := hashToken(token)
	k.mu.RLock()
	defer k.mu.RUnlock()
	e := k.byHash[h]
	if e == nil || subtle.ConstantTimeCompare(e.hash[:], h[:]) != 1 || e.g.Revoked != nil {
		return Grant{}, false
	}
	return e.g.clone(), true
}

// Grants returns the grants of a council ("" for the admin tokens), revoked ones included, in the
// order they were issued.
func (k *Keeper) Grants(councilName string) []Grant {
	k.mu.RLock()
	defer k.mu.RUnlock()
	list := k.byCouncil[councilName]
	out := make([]Grant, len(list))
	for i, e := range list {
		out[i] = e.g.clone()
	}
	return out
}

// Refresh reads what other processes appended to the access stream since this Keeper last read it.
// Calls that arrive while one is reading share the next read: many requests that miss at once cost
// the store two reads, not one each.
func (k *Keeper) Refresh(ctx context.Context) error {
	seen := k.begun.Load()
	k.read.Lock()
	defer k.read.Unlock()
	if k.lastOK > seen {
		return nil // a read that began after this call came in has just succeeded
	}
	n := k.begun.Add(1)
	k.mu.RLock()
	after := k.version
	k.mu.RUnlock()
	var changes []change
	err := k.store.Read(ctx, Stream, after, func(e council.StoredEvent) error {
		c, err := decode(e)
		if err != nil {
			return err
		}
		changes = append(changes, c)
		return nil
	})
	k.apply(changes) // those read before any error
	if err != nil {
		return fmt.Errorf("access: refresh: %w", err)
	}
	k.lastOK = n
	return nil
}

// EnsureAdmin makes sure the server has an admin token, at start.
//
// Given a token (from a flag or the environment), it makes that exact token an admin token, storing
// its hash unless it is stored already, and returns it, with created true when it stored it now. The
// token must be MinTokenLen to MaxTokenLen visible ASCII characters, else it is an *council.Error of
// code council.EINVALID; so is a token that was revoked, or that is a token of another role.
//
// Given "", it returns ("", false, nil) when an admin token that is not revoked exists, and otherwise
// issues one and returns its secret with created true, for the server to print once.
func (k *Keeper) EnsureAdmin(ctx context.Context, token string) (string, bool, error) {
	if token != "" && !givenTokenOK(token) {
		return "", false, council.Errorf(council.EINVALID,
			"admin token: must be %d to %d visible ASCII characters", MinTokenLen, MaxTokenLen)
	}
	if err := k.Refresh(ctx); err != nil {
		return "", false, err
	}
	given := token != ""
	g := Grant{Role: Admin, Label: "admin token given at start"}
	if !given {
		g.Label = "admin token made at first start"
		t, err := newToken()
		if err != nil {
			return "", false, err
		}
		token = t
	}
	hash := hashToken(token)
	g.Created = k.stamp()
	created := false
	err := k.update(ctx, func() ([]council.EventData, error) {
		created = false
		if !given {
			for _, e := range k.byCouncil[""] {
				if e.g.Role == Admin && e.g.Revoked == nil {
					return nil, nil
				}
			}
		} else if e := k.byHash[hash]; e != nil {
			switch {
			case e.g.Role != Admin:
				return nil, council.Errorf(council.EINVALID, "admin token: it is already a %s token", e.g.Role)
			case e.g.Revoked != nil:
				return nil, council.Errorf(council.EINVALID, "admin token: it was revoked (%s); give another", e.g.ID)
			}
			return nil, nil
		}
		created = true
		return k.issueEvent(&g, hash)
	})
	switch {
	case err != nil:
		return "", false, err
	case !created && !given:
		return "", false, nil
	}
	return token, created, nil
}

// stamp is the time of a change, in UTC to the millisecond, as it is stored.
func (k *Keeper) stamp() time.Time { return k.now().UTC().Truncate(time.Millisecond) }

// issueEvent gives g a fresh id and returns its token-issued event. It is called with k.mu held.
func (k *Keeper) issueEvent(g *Grant, hash [32]byte) ([]council.EventData, error) {
	if _, dup := k.byHash[hash]; dup {
		return nil, fmt.Errorf("access: issue: that token is stored already")
	}
	for {
		id, err := newID()
		if err != nil {
			return nil, err
		}
		if k.byID[id] == nil {
			g.ID = id
			break
		}
	}
	ev, err := encodeIssued(*g, hash)
	if err != nil {
		return nil, err
	}
	return []council.EventData{ev}, nil
}

// update decides a change against the grants as this Keeper knows them and appends its events at
// the version it was decided against. When another process appended first, it reads what they
// appended and decides again. decide runs with k.mu read-locked; no events means nothing to do. The
// events appended are in memory when update returns.
func (k *Keeper) update(ctx context.Context, decide func() ([]council.EventData, error)) error {
	k.write.Lock()
	defer k.write.Unlock()
	for attempt := 1; ; attempt++ {
		k.mu.RLock()
		version := k.version
		events, err := decide()
		k.mu.RUnlock()
		if err != nil || len(events) == 0 {
			return err
		}
		out, err := k.store.Append(ctx, council.Append{Stream: Stream, Expected: version, Events: events})
		if err == nil {
			return k.applyOwn(ctx, out.Events)
		}
		if council.ErrorCode(err) != council.EConflict || attempt == maxAttempts {
			return fmt.Errorf("access: append: %w", err)
		}
		if err := k.Refresh(ctx); err != nil {
			return err
		}
	}
}

// applyOwn applies the events this Keeper just appended, or reads them back if it cannot.
func (k *Keeper) applyOwn(ctx context.Context, stored []council.StoredEvent) error {
	changes := make([]change, 0, len(stored))
	for _, e := range stored {
		c, err := decode(e)
		if err != nil {
			return fmt.Errorf("access: apply: %w", err)
		}
		changes = append(changes, c)
	}
	k.apply(changes)
	k.mu.RLock()
	behind := len(stored) > 0 && k.version < stored[len(stored)-1].Version
	k.mu.RUnlock()
	if behind {
		return k.Refresh(ctx)
	}
	return nil
}

// apply changes the grants in memory by the changes that follow the version applied so far, in
// order, up to the first gap (which a Refresh fills).
func (k *Keeper) apply(changes []change) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, c := range changes {
		if c.version <= k.version {
			continue
		}
		if c.version != k.version+1 {
			return
		}
		k.version = c.version
		switch {
		case c.issued != nil:
			e := c.issued
			if k.byID[e.g.ID] != nil || k.byHash[e.hash] != nil {
				continue // a duplicate the decision should have prevented: the first stands
			}
			k.byID[e.g.ID] = e
			k.byHash[e.hash] = e
			k.byCouncil[e.g.Council] = append(k.byCouncil[e.g.Council], e)
		case c.revoked != nil:
			e := k.byID[c.revoked.ID]
			if e == nil || e.g.Council != c.revoked.Council || e.g.Revoked != nil {
				continue
			}
			at := c.revoked.Revoked
			e.g.Revoked = &at
		}
	}
}

// validate refuses a grant that is not well formed, naming the field.
func validate(g Grant) error {
	switch g.Role {
	case Admin:
		if g.Council != "" {
			return council.Errorf(council.EINVALID, "council: an admin token belongs to no council")
		}
	case Secretariat, Delegation, Observer:
		if g.Council == "" {
			return council.Errorf(council.EINVALID, "council: a %s token needs a council", g.Role)
		}
		if strings.HasPrefix(g.Council, "$") {
			return council.Errorf(council.EINVALID, "council: %q is not a council name", g.Council)
		}
	case "":
		return council.Errorf(council.EINVALID, "role: missing")
	default:
		return council.Errorf(council.EINVALID, "role: unknown role %q", g.Role)
	}
	switch {
	case g.Role == Delegation && g.Member == "":
		return council.Errorf(council.EINVALID, "member: a delegation token needs a member")
	case g.Role != Delegation && g.Member != "":
		return council.Errorf(council.EINVALID, "member: only a delegation token names a member")
	}
	for _, f := range [...]struct{ name, value string }{{"council", g.Council}, {"member", g.Member}, {"label", g.Label}} {
		if err := checkText(f.name, f.value); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses a field that is too long, not UTF-8, or holds control characters.
func checkText(field, s string) error {
	if len(s) > maxText {
		return council.Errorf(council.EINVALID, "%s: longer than %d bytes", field, maxText)
	}
	if !utf8.ValidString(s) {
		return council.Errorf(council.EINVALID, "%s: not valid UTF-8", field)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return council.Errorf(council.EINVALID, "%s: holds a control character", field)
	}
	return nil
}
