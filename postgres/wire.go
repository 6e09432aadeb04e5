package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
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

// binaryFormat makes every parameter binary.
var binaryFormat = []int16{1}

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
	sd   *pgconn.StatementDescription // nil: a statement without parameters, sent as text
	sql  string
	args *params
}

// pipeline sends the statements in one round trip, the last one COMMIT, and reads their results. It
// returns the first error; a COMMIT answered with a rollback is errRolledBack.
func pipeline(ctx context.Context, pc *pgconn.PgConn, stmts []statement) error {
	p := pc.StartPipeline(ctx)
	for _, st := range stmts {
		if st.sd == nil {
			p.SendQueryParams(st.sql, nil, nil, nil, nil)
			continue
		}
		p.SendQueryStatement(st.sd, st.args.values(), binaryFormat, nil)
	}
	if err := p.Sync(); err != nil {
		_ = p.Close()
		return err
	}
	var first error
	for i := range stmts {
		res, err := p.GetResults()
		if err == nil {
			rr, ok := res.(*pgconn.ResultReader)
			if !ok {
				err = fmt.Errorf("pipeline: unexpected result %T", res)
			} else {
				var tag pgconn.CommandTag
				tag, err = rr.Close()
				if err == nil && i == len(stmts)-1 && tag.String() != "COMMIT" {
					err = fmt.Errorf("commit: %w (%s)", errRolledBack, tag)
				}
			}
		}
		if err != nil {
			first = err
			break
		}
	}
	if err := p.Close(); first == nil {
		first = err
	}
	return first
}
