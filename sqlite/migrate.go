package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/opencouncil/council/schema"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migrations in version order.
func migrations() ([]schema.Migration, error) { return schema.Load(migrationFiles, "migrations") }

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`

// migrate brings the schema up to the binary's latest schema.Migration, each in its own write transaction
// (BEGIN IMMEDIATE, so two processes opening one file apply each schema.Migration once). A schema newer than
// the binary is an error: this binary would not know how to write it.
func migrate(ctx context.Context, db *sql.DB) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, createMigrations); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for i := 0; i <= len(all); i++ { // one more pass than migrations: the check alone
		var m schema.Migration
		if i < len(all) {
			m = all[i]
		}
		if err := applyMigration(ctx, db, m, len(all)); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless the schema already has it; latest is the binary's newest version.
// The zero schema.Migration only checks the schema's version.
func applyMigration(ctx context.Context, db *sql.DB, m schema.Migration, latest int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > latest {
		return fmt.Errorf("the store's schema is at version %d, newer than this binary's %d: upgrade the binary", current, latest)
	}
	if m.Version == 0 || m.Version <= current {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("schema.Migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
		return fmt.Errorf("record schema.Migration %s: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit schema.Migration %s: %w", m.Name, err)
	}
	return nil
}
