package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/mattn/go-sqlite3"

	"github.com/opencouncil/council"
)

// driverName is the registered name of the driver: mattn/go-sqlite3, SQLite compiled in through cgo
// (see doc.go for why). The store itself opens its connections through openDB, which sets their PRAGMAs.
const driverName = "sqlite3"

// openDB opens a pool of connections to path, each set up by pragmas (see pragmas). The writer begins
// its transactions with BEGIN IMMEDIATE.
func openDB(path string, write bool) *sql.DB {
	dsn := "file:" + escapePath(path) + "?_stmt_cache_size=16"
	if write {
		dsn += "&_txlock=immediate"
	}
	list := pragmas(write)
	return sql.OpenDB(connector{dsn: dsn, driver: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		for _, p := range list {
			if _, err := c.Exec(p, nil); err != nil {
				return err
			}
		}
		return nil
	}}})
}

type connector struct {
	dsn    string
	driver driver.Driver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.driver }

// isConstraint reports whether err is a violated uniqueness or primary key.
func isConstraint(err error) bool {
	var e sqlite3.Error
	return errors.As(err, &e) && e.Code == sqlite3.ErrConstraint
}

// readEvents calls fn with each event of the stream after version after, in order. It reads through
// the driver itself rather than database/sql: the driver gives each blob as a new slice, which
// becomes the event's data without another copy.
func readEvents(ctx context.Context, db *sql.DB, stream string, after int64, fn func(council.StoredEvent) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("read: driver connection is a %T", dc)
		}
		st, err := c.PrepareContext(ctx, readSQL) // cached by the connection (_stmt_cache_size)
		if err != nil {
			return err
		}
		defer st.Close()
		rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, []driver.NamedValue{{Ordinal: 1, Value: stream}, {Ordinal: 2, Value: after}})
		if err != nil {
			return err
		}
		defer rows.Close()
		var row [5]driver.Value
		for {
			switch err := rows.Next(row[:]); {
			case err == io.EOF:
				return nil
			case err != nil:
				return err
			}
			e, err := decodeRow(stream, row)
			if err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
		}
	})
}

// decodeRow makes an event of a row of readSQL: version, type, key, data, hash. A row changed behind
// the store's back may hold other types than the store writes (a text for a blob, a null, a hash of
// another length): it is read as it is, and its hash will not verify.
func decodeRow(stream string, row [5]driver.Value) (council.StoredEvent, error) {
	e := council.StoredEvent{Stream: stream}
	var ok bool
	if e.Version, ok = row[0].(int64); !ok {
		return e, fmt.Errorf("version is a %T", row[0])
	}
	e.Type = asString(row[1])
	e.Key = asString(row[2])
	if e.Data, ok = row[3].([]byte); !ok { // a new slice for each row
		e.Data = []byte(asString(row[3]))
	}
	hash, ok := row[4].([]byte)
	if !ok {
		hash = []byte(asString(row[4]))
	}
	copy(e.Hash[:], hash)
	return e, nil
}

// asString reads a text, a blob or a null as a string.
func asString(v driver.Value) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
