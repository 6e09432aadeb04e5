package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// maxRowsLog sets the most rows one multi-row statement covers: 1<<maxRowsLog.
const maxRowsLog = 6

// multi is one statement over many rows at once, prepared for 1, 2, 4 ... 1<<maxRowsLog rows, so a
// batch runs a few statements instead of one per row.
type multi struct {
	stmts [maxRowsLog + 1]*sql.Stmt // stmts[i] covers 1<<i rows
}

// prepareMulti prepares the statement that build writes for each number of rows.
func prepareMulti(ctx context.Context, db *sql.DB, build func(rows int) string) (multi, error) {
	var m multi
	for i := range m.stmts {
		q := build(1 << i)
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			_ = m.close()
			return multi{}, fmt.Errorf("prepare %q: %w", q[:min(len(q), 80)], err)
		}
		m.stmts[i] = st
	}
	return m, nil
}

func (m multi) close() error {
	var errs []error
	for _, st := range m.stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// chunk returns the statement for the next chunk of n rows still to go, and how many rows it covers.
func (m multi) chunk(n int) (*sql.Stmt, int) {
	i := maxRowsLog
	for 1<<i > n {
		i--
	}
	return m.stmts[i], 1 << i
}

// exec runs the statement over rows, each row width arguments of args, in the transaction tx.
func (m multi) exec(ctx context.Context, tx *sql.Tx, width int, args []any) error {
	for rows := len(args) / width; rows > 0; {
		st, n := m.chunk(rows)
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args[:n*width]...); err != nil {
			return err
		}
		args, rows = args[n*width:], rows-n
	}
	return nil
}

// query runs the statement over rows, each row width arguments of args, in the transaction tx, and
// calls scan for each result row.
func (m multi) query(ctx context.Context, tx *sql.Tx, width int, args []any, scan func(*sql.Rows) error) error {
	for rows := len(args) / width; rows > 0; {
		st, n := m.chunk(rows)
		if err := queryEach(tx.StmtContext(ctx, st).QueryContext(ctx, args[:n*width]...))(scan); err != nil {
			return err
		}
		args, rows = args[n*width:], rows-n
	}
	return nil
}

// queryEach calls scan for each row of a query's result and closes it.
func queryEach(rows *sql.Rows, err error) func(scan func(*sql.Rows) error) error {
	return func(scan func(*sql.Rows) error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

// tuples writes n parenthesised groups of width placeholders, separated by commas.
func tuples(n, width int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
}
