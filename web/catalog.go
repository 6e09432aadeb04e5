package web

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/opencouncil/council"
)

// catalogStream keeps what the server knows of its councils beyond their own streams: whether the
// public may read them. Council names never start with "$".
const catalogStream = "$councils"

// visibilitySet is the catalog's one event: a council was made public or private.
type visibilitySet struct {
	Council string    `json:"council"`
	Public  bool      `json:"public"`
	At      time.Time `json:"at"`
}

// catalog is the catalog stream as this process last read it. Several processes may append to it.
type catalog struct {
	store council.EventStore

	mu      sync.RWMutex
	version int64
	public  map[string]bool
}

func openCatalog(ctx context.Context, store council.EventStore) (*catalog, error) {
	c := &catalog{store: store, public: map[string]bool{}}
	if err := c.refresh(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// refresh reads what other processes appended.
func (c *catalog) refresh(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.store.Read(ctx, catalogStream, c.version, func(e council.StoredEvent) error {
		var v visibilitySet
		if err := json.Unmarshal(e.Data, &v); err != nil {
			return fmt.Errorf("catalog event %d: %w", e.Version, err)
		}
		c.public[v.Council] = v.Public
		c.version = e.Version
		return nil
	})
}

// isPublic reports whether anyone may read the council.
func (c *catalog) isPublic(name string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.public[name]
}

// setPublic records durably whether the public may read the council.
func (c *catalog) setPublic(ctx context.Context, name string, public bool) error {
	data, err := json.Marshal(visibilitySet{Council: name, Public: public, At: time.Now().UTC()})
	if err != nil {
		return err
	}
	for range 10 {
		c.mu.RLock()
		v := c.version
		c.mu.RUnlock()
		_, err := c.store.Append(ctx, council.Append{Stream: catalogStream, Expected: v,
			Events: []council.EventData{{Type: "visibility-set", Data: data}}})
		if council.ErrorCode(err) == council.EConflict {
			if err := c.refresh(ctx); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("set visibility of %s: %w", name, err)
		}
		return c.refresh(ctx)
	}
	return council.Errorf(council.EConflict, "set visibility of %s: too many concurrent changes", name)
}
