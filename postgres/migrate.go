package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/opencouncil/council/schema"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migrations in version order.
func migrations() ([]schema.Migration, error) { return schema.Load(migrationFiles, "migrations") }

// lockMigrations serialises migrations of one schema across processes until the transaction ends.
const lockMigrations = `SELECT pg_advisory_xact_lock(hashtext('council.migrate'), hashtext(coalesce(current_schema(), '')))`

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrate brings the schema up to the binary's latest schema.Migration, each schema.Migration in its own
// transaction under an advisory lock, so processes starting together apply each one exactly once.
// A schema newer than the binary is an error: this binary would not know how to write it.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range all {
		if err := applyMigration(ctx, pool, m, len(all)); err != nil {
			return err
		}
	}
	if len(all) == 0 { // nothing to apply still checks the schema's version
		return applyMigration(ctx, pool, schema.Migration{}, 0)
	}
	return nil
}

// applyMigration applies m unless the schema already has it; latest is the binary's newest version.
func applyMigration(ctx context.Context, pool *pgxpool.Pool, m schema.Migration, latest int) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockMigrations); err != nil {
			return fmt.Errorf("lock migrations: %w", err)
		}
		if _, err := tx.Exec(ctx, createMigrations); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var current int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if current > latest {
			return fmt.Errorf("the database schema is at version %d, newer than this binary's %d: upgrade the binary", current, latest)
		}
		if m.Version == 0 || m.Version <= current {
			return nil
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("schema.Migration %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return fmt.Errorf("record schema.Migration %s: %w", m.Name, err)
		}
		return nil
	})
}
