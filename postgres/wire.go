package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// params holds a statement's parameters in PostgreSQL's binary format, all in one buffer, so that a
// batch's arrays cost a few appends and no allocation per element. (pgx encodes an array element by
// element through interfaces and throws its buffers away after each statement: at a hundred appends
// a batch that was a fifth of the client's CPU, with the garbage collection it caused.)
type params struct {
	buf  []byte
	ends []int // where each parameter ends in buf
}

var paramsPool = sync.Pool{New: func() any { return new(params) }}

// putParams returns p to the pool, unless a huge batch made it too big to keep.
func putParams(p *params) {
	if cap(p.buf) <= 1<<22 {
		paramsPool.Put(p)
	}
}

// Type OIDs of the array elements the store sends.
const (
	oidBytea = 17
	oidInt8  = 20
	oidInt4  = 23
	oidText  = 25
)

func (p *params) reset() {
	p.buf, p.ends = p.buf[:0], p.ends[:0]
}

// header starts a one-dimensional array of n elements of type oid without NULLs, in array_recv's format.
func (p *params) header(oid uint32, n int) {
	if n == 0 {
		p.buf = binary.BigEndian.AppendUint32(p.buf, 0) // no dimension
		p.buf = binary.BigEndian.AppendUint32(p.buf, 0) // no NULL
		p.buf = binary.BigEndian.AppendUint32(p.buf, oid)
		return
	}
	p.buf = binary.BigEndian.AppendUint32(p.buf, 1)
	p.buf = binary.BigEndian.AppendUint32(p.buf, 0)
	p.buf = binary.BigEndian.AppendUint32(p.buf, oid)
	p.buf = binary.BigEndian.AppendUint32(p.buf, uint32(n))
	p.buf = binary.BigEndian.AppendUint32(p.buf, 1) // lower bound
}

// array starts an array parameter of n elements of type oid: n calls of text, bytea, int8 or int4
// follow, then end.
func (p *params) array(oid uint32, n int) { p.header(oid, n) }

// end ends the parameter begun.
func (p *params) end() { p.ends = append(p.ends, len(p.buf)) }

func (p *params) text(s string) {
	p.buf = binary.BigEndian.AppendUint32(p.buf, uint32(len(s)))
	p.buf = append(p.buf, s...)
}

func (p *params) bytea(b []byte) {
	p.buf = binary.BigEndian.AppendUint32(p.buf, uint32(len(b)))
	p.buf = append(p.buf, b...)
}

func (p *params) int8(n int64) {
	p.buf = binary.BigEndian.AppendUint32(p.buf, 8)
	p.buf = binary.BigEndian.AppendUint64(p.buf, uint64(n))
}

func (p *params) int4(n int32) {
	p.buf = binary.BigEndian.AppendUint32(p.buf, 4)
	p.buf = binary.BigEndian.AppendUint32(p.buf, uint32(n))
}

// bigint adds a bigint parameter.
func (p *params) bigint(n int64) {
	p.buf = binary.BigEndian.AppendUint64(p.buf, uint64(n))
	p.end()
}

// texts, bytes, int8s and int4s add an array parameter.
func (p *params) texts(v []string) {
	p.array(oidText, len(v))
	for _, s := range v {
		p.text(s)
	}
	p.end()
}

func (p *params) bytes(v [][]byte) {
	p.array(oidBytea, len(v))
	for _, b := range v {
		p.bytea(b)
	}
	p.end()
}

func (p *params) int8s(v []int64) {
	p.array(oidInt8, len(v))
	for _, n := range v {
		p.int8(n)
	}
	p.end()
}

func (p *params) int4s(v []int32) {
	p.array(oidInt4, len(v))
	for _, n := range v {
		p.int4(n)
	}
	p.end()
}

// values returns the parameters as the protocol takes them.
func (p *params) values() [][]byte {
	out := make([][]byte, len(p.ends))
	start := 0
	for i, end := range p.ends {
		out[i] = p.buf[start:end:end]
		start = end
	}
	return out
}

// statement is a prepared statement and the parameters to run it with.
type statement struct {
	sd   *pgconn.StatementDescription
	args *params // nil: none
}

// The pipeline writes its messages itself, into a buffer it keeps, instead of through pgconn, whose
// write buffer starts again at 1 KiB after every flush: a batch's parameters (tens of KiB) then
// grew it by doubling each time, and that garbage was half of all the store allocated.
var wbufPool = sync.Pool{New: func() any { return new([]byte) }}

// pipeline sends the statements in one round trip, the last one COMMIT, and reads their results. It
// returns the first error; a COMMIT answered with a rollback is errRolledBack. It uses the
// connection's socket directly (pgconn's SyncConn, Conn and Frontend) and leaves the connection
// idle outside a transaction, or closed if it cannot: a server error (a *pgconn.PgError) has been
// rolled back; any other error is safe to retry (pgconn.SafeToRetry) only if nothing was sent.
func pipeline(ctx context.Context, pc *pgconn.PgConn, stmts []statement) error {
	if err := pc.SyncConn(ctx); err != nil {
		return &ioError{err: err, safe: true}
	}
	if unread(pc.Conn()) { // let pgconn read what the server said; it closes the connection if it was a goodbye
		if err := pc.Ping(ctx); err != nil {
			_ = pc.Close(context.Background())
			return &ioError{err: err, safe: true}
		}
	}
	bp := wbufPool.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 1<<22 {
			wbufPool.Put(bp)
		}
	}()
	buf := (*bp)[:0]
	for _, st := range stmts {
		buf = appendBind(buf, st)
		buf = append(buf, 'E', 0, 0, 0, 9, 0, 0, 0, 0, 0) // Execute the unnamed portal, all rows
	}
	buf = append(buf, 'S', 0, 0, 0, 4) // Sync
	*bp = buf
	conn := pc.Conn()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
		defer conn.SetDeadline(time.Time{})
	}
	if n, err := conn.Write(buf); err != nil {
		_ = pc.Close(context.Background())
		return &ioError{err: err, safe: n == 0}
	}
	first, status, err := readResults(pc.Frontend(), len(stmts))
	if err != nil {
		_ = pc.Close(context.Background())
		return &ioError{err: err}
	}
	if status != 'I' { // the transaction failed: end it
		if err := rollback(pc); err != nil {
			_ = pc.Close(context.Background())
		}
	}
	return first
}

// appendBind adds a Bind message of st's statement to the unnamed portal, its parameters binary.
func appendBind(buf []byte, st statement) []byte {
	at := len(buf)
	buf = append(buf, 'B', 0, 0, 0, 0, 0) // length, then the unnamed portal
	buf = append(buf, st.sd.Name...)
	buf = append(buf, 0)
	var values [][]byte
	if st.args != nil {
		values = st.args.values()
	}
	buf = binary.BigEndian.AppendUint16(buf, 1) // one format for all parameters: binary
	buf = binary.BigEndian.AppendUint16(buf, 1)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(values)))
	for _, v := range values {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v)))
		buf = append(buf, v...)
	}
	buf = binary.BigEndian.AppendUint16(buf, 0) // results in text
	binary.BigEndian.PutUint32(buf[at+1:], uint32(len(buf)-at-1))
	return buf
}

// readResults reads the answers to n Bind and Execute pairs and a Sync, up to ReadyForQuery. It
// returns the first server error (the server skips to the Sync after one), errRolledBack for a
// last command that did not commit, and the transaction status ReadyForQuery gave.
func readResults(fe *pgproto3.Frontend, n int) (first error, status byte, err error) {
	done := 0
	for {
		msg, err := fe.Receive()
		if err != nil {
			return nil, 0, err
		}
		switch m := msg.(type) {
		case *pgproto3.CommandComplete:
			done++
			if done == n && first == nil && string(m.CommandTag) != "COMMIT" {
				first = fmt.Errorf("commit: %w (%s)", errRolledBack, m.CommandTag)
			}
		case *pgproto3.ErrorResponse:
			if first == nil {
				first = pgconn.ErrorResponseToPgError(m)
			}
		case *pgproto3.ReadyForQuery:
			return first, m.TxStatus, nil
		}
	}
}

// rollback ends a failed transaction with a simple ROLLBACK.
func rollback(pc *pgconn.PgConn) error {
	buf := append([]byte{'Q', 0, 0, 0, 13}, "ROLLBACK\x00"...)
	if _, err := pc.Conn().Write(buf); err != nil {
		return err
	}
	_, status, err := readResults(pc.Frontend(), 0)
	if err == nil && status != 'I' {
		err = fmt.Errorf("rollback left the transaction status %q", status)
	}
	return err
}

// ioError is a failure to talk to the server; safe when nothing reached it.
type ioError struct {
	err  error
	safe bool
}

func (e *ioError) Error() string     { return "postgres: " + e.err.Error() }
func (e *ioError) Unwrap() error     { return e.err }
func (e *ioError) SafeToRetry() bool { return e.safe }
