package council

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
)

// EventStore keeps every council's events, one stream per council, durably and in order. Appends are
// optimistic: they name the version they were decided against, and a stream that moved on in the
// meantime refuses them with a conflict. Implementations: package sqlite (the embedded default) and
// package postgres; package storetest is the contract every implementation passes.
type EventStore interface {
	// Append adds events to the end of a stream, all or none, once they are durable. A stream whose
	// version is not a.Expected refuses them with an *Error of code EConflict. A key already used on
	// the stream returns the events it stored then, with Duplicate set, and appends nothing.
	Append(ctx context.Context, a Append) (Appended, error)
	// Read calls fn with each event of the stream after version after, in order, as stored.
	Read(ctx context.Context, stream string, after int64, fn func(StoredEvent) error) error
	// Head is the stream's version (the number of events in it, 0 for a stream never written) and
	// the chain hash of its last event, as the store records them beside the events.
	Head(ctx context.Context, stream string) (int64, [32]byte, error)
	// Streams lists every stream in the store, in name order.
	Streams(ctx context.Context) ([]string, error)
	// Close waits for appends under way and releases the store.
	Close() error
}

// Append is one atomic append: the events one command produced.
type Append struct {
	Stream   string
	Expected int64  // the version the events were decided against
	Key      string // the command's idempotency key; "" for none
	Events   []EventData
}

// EventData is an event as bytes: its type and its canonical JSON.
type EventData struct {
	Type string
	Data []byte
	// Key is the event's own idempotency key, for an import that restores a whole stream in one append
	// and keeps each key on the event that carried it; an append's Key, when given, goes on its first.
	Key string
}

// Appended is what an append stored.
type Appended struct {
	Events    []StoredEvent
	Duplicate bool // the key was used before: Events are those stored then
}

// StoredEvent is an event as a stream keeps it.
type StoredEvent struct {
	Stream  string
	Version int64 // its place in the stream, from 1
	Type    string
	Data    []byte
	Key     string   // the idempotency key of the command that produced it, on its first event
	Hash    [32]byte // chain hash over the previous event's hash and this event's canonical bytes
}

// Conflict and idempotency codes.
const (
	EConflict = "conflict" // the stream moved on since the command was decided
	ETampered = "tampered" // a stream's hash chain does not verify
)

// ChainHash is the hash an event stores: SHA-256 over the previous event's hash (zero for the first)
// and the event's canonical bytes. Canonical bytes are, in order: the version as 8 bytes big-endian,
// then the stream, the type, the key and the data, each as a 4-byte big-endian length and its bytes.
func ChainHash(prev [32]byte, stream string, version int64, typ, key string, data []byte) [32]byte {
	h := sha256.New()
	h.Write(prev[:])
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(version))
	h.Write(n[:])
	for _, part := range [...][]byte{[]byte(stream), []byte(typ), []byte(key), data} {
		binary.BigEndian.PutUint32(n[:4], uint32(len(part)))
		h.Write(n[:4])
		h.Write(part)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// HashString writes a chain hash as hex.
func HashString(h [32]byte) string { return hex.EncodeToString(h[:]) }

// Seal gives events their versions and chain hashes, following the stream's last stored event
// (version after, hash prev). Stores call it inside the transaction that writes them.
func Seal(stream string, after int64, prev [32]byte, key string, events []EventData) []StoredEvent {
	out := make([]StoredEvent, len(events))
	for i, e := range events {
		k := e.Key
		if i == 0 && key != "" {
			k = key
		}
		v := after + int64(i) + 1
		prev = ChainHash(prev, stream, v, e.Type, k, e.Data)
		out[i] = StoredEvent{Stream: stream, Version: v, Type: e.Type, Data: e.Data, Key: k, Hash: prev}
	}
	return out
}

// ChainBreak is the first event of a stream whose chain does not verify, and why.
type ChainBreak struct {
	Stream  string `json:"stream"`
	Version int64  `json:"version"` // the version expected at that place
	Reason  string `json:"reason"`
}

// VerifyStream reads a stream and checks its chain: versions 1, 2, 3... with no gap, each hash over
// the one before, and the end where the stream's head says. It returns the first break, or nil when
// the stream is intact. The head is read before and after the events, so appends committed while it
// reads (a store in use) are not taken for events removed from the end or inserted past it.
func VerifyStream(ctx context.Context, st EventStore, stream string) (*ChainBreak, int64, error) {
	before, beforeHash, err := st.Head(ctx, stream)
	if err != nil {
		return nil, 0, err
	}
	var prev [32]byte
	want := int64(1)
	var brk *ChainBreak
	err = st.Read(ctx, stream, 0, func(e StoredEvent) error {
		if brk != nil {
			return nil
		}
		switch {
		case e.Version < want:
			brk = &ChainBreak{stream, want, "event " + itoa(e.Version) + " appears again after event " + itoa(want-1) + " (reordered or inserted)"}
		case e.Version > want:
			brk = &ChainBreak{stream, want, "event " + itoa(want) + " is missing: the next stored is " + itoa(e.Version) + " (removed)"}
		case ChainHash(prev, stream, e.Version, e.Type, e.Key, e.Data) != e.Hash:
			brk = &ChainBreak{stream, want, "event " + itoa(want) + " (" + e.Type + ") does not match its hash: changed, swapped or forged"}
		}
		prev = e.Hash
		want++
		return nil
	})
	if err != nil || brk != nil {
		return brk, want - 1, err
	}
	after, afterHash, err := st.Head(ctx, stream)
	stored := want - 1
	switch {
	case err != nil:
		return nil, stored, err
	case stored < before:
		brk = &ChainBreak{stream, want, "the stream's head says " + itoa(before) + " events, but only " + itoa(stored) + " are stored (removed from the end)"}
	case stored > after:
		brk = &ChainBreak{stream, after + 1, "event " + itoa(after+1) + " is stored past the stream's head (" + itoa(after) + " events): inserted"}
	case stored > 0 && (stored == after && afterHash != prev || stored == before && beforeHash != prev):
		brk = &ChainBreak{stream, stored, "event " + itoa(stored) + " does not match the stream's head hash: changed"}
	}
	return brk, stored, nil
}

// errStop ends a Read early once ReadAt has its event.
var errStop = errors.New("stop")

// ReadAt reads the one event stored at a version of a stream; found is false when there is none.
func ReadAt(ctx context.Context, st EventStore, stream string, version int64) (e StoredEvent, found bool, err error) {
	err = st.Read(ctx, stream, version-1, func(se StoredEvent) error {
		e, found = se, se.Version == version
		return errStop
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return e, found, err
}
