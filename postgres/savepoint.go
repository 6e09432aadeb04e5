package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/groupcommit"
)

// writeEach writes the batch in one transaction, one append at a time behind a savepoint, so an
// append the database refuses is rolled back alone. Appends go in stream name order (keeping their
// order within a stream) so head rows are locked in the order every batch locks them.
func (s *Store) writeEach(ctx context.Context, batch []council.Append) ([]groupcommit.Outcome, error) {
	order := make([]int, len(batch))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return strings.Compare(batch[i].Stream, batch[j].Stream) })

	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin batch: %w", err)
	}
	defer tx.Rollback(ctx)
	outs := make([]groupcommit.Outcome, len(batch))
	moved := map[string]*head{}
	for _, i := range order {
		if outs[i], err = appendSaved(ctx, tx, batch[i]); err != nil {
			return nil, err
		}
		if evs := outs[i].Appended.Events; len(evs) > 0 && !outs[i].Appended.Duplicate {
			moved[batch[i].Stream] = &head{version: evs[len(evs)-1].Version, moved: true}
		}
	}
	if names, versions := movedHeads(moved); len(names) > 0 {
		if _, err := tx.Exec(ctx, notify, payloads(names, versions)); err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
	}
	return outs, commit(ctx, tx)
}

// commit commits tx; a failure the server did not report leaves the outcome unknown.
func commit(ctx context.Context, tx pgx.Tx) error {
	err := tx.Commit(ctx)
	if err != nil && pgCode(err) == "" && !errors.Is(err, pgx.ErrTxCommitRollback) {
		return fmt.Errorf("commit: %w: %w", errUnknown, err)
	}
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// appendSaved writes one append behind a savepoint. A unique violation becomes the duplicate it
// reveals or a conflict; any other refusal of the database fails this append alone. An error
// returned fails the batch.
func appendSaved(ctx context.Context, tx pgx.Tx, a council.Append) (groupcommit.Outcome, error) {
	sp, err := tx.Begin(ctx) // SAVEPOINT
	if err != nil {
		return groupcommit.Outcome{}, fmt.Errorf("savepoint: %w", err)
	}
	o, err := appendOne(ctx, sp, a)
	switch {
	case err == nil && o.Err == nil:
		if err := sp.Commit(ctx); err != nil { // RELEASE SAVEPOINT
			return o, fmt.Errorf("release savepoint: %w", err)
		}
		return o, nil
	case err != nil && retryable(err):
		return o, err
	}
	if err := sp.Rollback(ctx); err != nil { // ROLLBACK TO SAVEPOINT
		return o, fmt.Errorf("rollback to savepoint: %w", err)
	}
	switch {
	case err == nil:
		return o, nil
	case pgCode(err) == "23505": // unique_violation: someone stored this version or key first
		return uniqueViolation(ctx, tx, a)
	}
	return groupcommit.Outcome{Err: fmt.Errorf("append to %s: %w", a.Stream, err)}, nil
}

// appendOne runs the batch's statements for a single append.
func appendOne(ctx context.Context, tx pgx.Tx, a council.Append) (groupcommit.Outcome, error) {
	heads, dups, err := lockBatch(ctx, tx, []council.Append{a}, "")
	if err != nil {
		return groupcommit.Outcome{}, err
	}
	outs, rows := plan([]council.Append{a}, heads, dups)
	if outs[0].Err != nil {
		return outs[0], nil
	}
	if err := writeRows(ctx, tx, rows, heads, ""); err != nil {
		return groupcommit.Outcome{}, err
	}
	return outs[0], nil
}

// uniqueViolation reads the key again after a unique violation: stored meanwhile, it is a duplicate;
// otherwise the version was taken, a conflict.
func uniqueViolation(ctx context.Context, tx pgx.Tx, a council.Append) (groupcommit.Outcome, error) {
	if a.Key != "" {
		b := &pgx.Batch{}
		b.Queue(findKeys, []string{a.Stream}, []string{a.Key})
		br := tx.SendBatch(ctx, b)
		dups := map[streamKey][]council.StoredEvent{}
		err := readKeys(br, dups)
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return groupcommit.Outcome{}, err
		}
		if evs, ok := dups[streamKey{a.Stream, a.Key}]; ok {
			return groupcommit.Outcome{Appended: council.Appended{Events: evs, Duplicate: true}}, nil
		}
	}
	return groupcommit.Outcome{Err: council.Errorf(council.EConflict, "append to %s: version %d was taken by another writer", a.Stream, a.Expected+1)}, nil
}
