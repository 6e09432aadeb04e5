package access

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/opencouncil/council"
)

// Stream is the event stream that keeps the grants. Council names never begin with "$", so it cannot
// collide with a council's stream.
const Stream = "$access"

// Event types of the access stream.
const (
	TypeIssued  = "token-issued"
	TypeRevoked = "token-revoked"
)

// issuedEvent is the data of a token-issued event. It carries the token's hash, never the token.
type issuedEvent struct {
	ID      string    `json:"id"`
	Hash    string    `json:"hash"` // hex SHA-256 of the token
	Council string    `json:"council"`
	Role    Role      `json:"role"`
	Member  string    `json:"member"`
	Label   string    `json:"label"`
	Created time.Time `json:"created"`
}

// revokedEvent is the data of a token-revoked event.
type revokedEvent struct {
	ID      string    `json:"id"`
	Council string    `json:"council"`
	Revoked time.Time `json:"revoked"`
}

// encodeIssued makes the token-issued event of a grant whose token hashes to hash.
func encodeIssued(g Grant, hash [32]byte) (council.EventData, error) {
	data, err := json.Marshal(issuedEvent{
		ID: g.ID, Hash: hex.EncodeToString(hash[:]), Council: g.Council, Role: g.Role,
		Member: g.Member, Label: g.Label, Created: g.Created,
	})
	if err != nil {
		return council.EventData{}, fmt.Errorf("access: encode: %w", err)
	}
	return council.EventData{Type: TypeIssued, Data: data}, nil
}

// encodeRevoked makes the token-revoked event of a grant.
func encodeRevoked(g Grant, at time.Time) (council.EventData, error) {
	data, err := json.Marshal(revokedEvent{ID: g.ID, Council: g.Council, Revoked: at})
	if err != nil {
		return council.EventData{}, fmt.Errorf("access: encode: %w", err)
	}
	return council.EventData{Type: TypeRevoked, Data: data}, nil
}

// change is one decoded event of the access stream: an issue (grant and hash) or a revocation.
type change struct {
	version int64
	issued  *entry
	revoked *revokedEvent
}

// decode reads one stored event. Types it does not know decode to a change that does nothing, so that
// an older server can follow a stream a newer one wrote to.
func decode(e council.StoredEvent) (change, error) {
	c := change{version: e.Version}
	switch e.Type {
	case TypeIssued:
		var d issuedEvent
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return c, fmt.Errorf("event %d: %w", e.Version, err)
		}
		var h [32]byte
		if n, err := hex.Decode(h[:], []byte(d.Hash)); err != nil || n != len(h) || len(d.Hash) != 2*len(h) {
			return c, fmt.Errorf("event %d: malformed token hash", e.Version)
		}
		c.issued = &entry{hash: h, g: Grant{
			ID: d.ID, Council: d.Council, Role: d.Role, Member: d.Member, Label: d.Label,
			Created: d.Created.UTC(),
		}}
	case TypeRevoked:
		var d revokedEvent
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return c, fmt.Errorf("event %d: %w", e.Version, err)
		}
		d.Revoked = d.Revoked.UTC()
		c.revoked = &d
	}
	return c, nil
}
