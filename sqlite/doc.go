// Package sqlite is the embedded default event store: every council's stream in one SQLite file, with
// no server. It passes the contract in package storetest.
//
// # Writing
//
// One write connection takes every append, through the group commit of package groupcommit: the
// appends that arrive while a batch is being written wait together and become the next batch, written
// in one BEGIN IMMEDIATE transaction and made durable by its COMMIT (WAL, synchronous=FULL). An append
// is acknowledged only after that. In a batch the writer reads the heads of its streams (kept in
// memory while PRAGMA data_version shows no other connection wrote) and the keys it reuses, decides
// every append in order in memory (duplicate, conflict, or sealed with council.Seal), then writes all
// new events and heads with a few multi-row statements. A violated constraint, which only a file
// changed behind the store's back can cause, makes the writer write the batch again one append at a
// time and refuse the appends that collide with council.EConflict.
//
// New events go to the table recent, in the order they are appended, and the writer moves them to
// events in bulk once recent holds 2,048 rows, in the transaction of a batch. Appends to many streams
// then change a few pages at the end of one small table instead of a page of each stream, so each
// commit writes and syncs a few dozen pages instead of several hundred. A stream is read from both
// tables merged by version (a compound SELECT that SQLite merges along both indexes).
//
// # Driver
//
// mattn/go-sqlite3 (SQLite 3.54 through cgo), chosen over modernc.org/sqlite (SQLite translated to Go)
// by measurement with this package's code on this project's machine (2 vCPU AMD EPYC, 24 GiB, ext4 on
// a virtual disk). Three alternating runs of 5 iterations each, the same code for both drivers,
// reads through database/sql:
//
//	                                          mattn/go-sqlite3          modernc.org/sqlite
//	durable appends/s, 16 writers             17,762  14,928  13,769    13,643  15,389  14,173
//	  CPU per append                          47-59 µs                  59-66 µs
//	durable appends/s, 256 writers            67,285  55,554  53,057    46,670  45,352  53,076
//	reading 100,000 events, events/s          647k    457k    521k      364k    357k    389k
//	  CPU per event                           1.7-2.4 µs                2.8-3.0 µs
//
// At 16 writers the two are close (the sync dominates), but mattn's needs about a sixth less CPU per append,
// is faster at 256 writers, and reads 1.5 times as fast; reads decide how fast a council loads. mattn
// also lets Read take rows from the driver itself (see readEvents): 1.1-1.7 µs of CPU per event in the
// same runs, against 1.7-2.4 through database/sql. It needs cgo and a C compiler to build, which this
// project's machines have.
//
// # Figures
//
// go test -run '^$' -bench . -benchtime 3x ./sqlite, twice in a row, on the machine above (shared with
// other work, so figures move by a fifth or more from run to run; CPU per operation moves less):
//
//	durable appends/s                 writers=1      writers=16       writers=256
//	group commit (BenchmarkAppend)    2,885  3,126   15,845  18,309   64,350  79,267
//	  with a key on every append      2,388  2,626   13,753  13,520   43,548  45,692
//	baseline, database/sql's pool     1,976  1,884      901     826      506     653
//	baseline, one connection          1,932  2,068    2,376   2,233    2,231   2,423
//	reading a 1,000,000-event stream: 836,894 and 766,293 events/s (1.3-1.5 µs of CPU per event)
//
// The baselines make each append in a transaction of its own, with the same schema, PRAGMAs and
// statements: the plain one through database/sql's pool (a connection per writer, waiting on each
// other for SQLite's lock), the other on one connection, the fastest one transaction per append gets.
// At 256 writers the group commit made 127 and 121 times the plain baseline and 29 and 33 times the
// one-connection baseline. That baseline follows the disk's sync time: in the driver runs above,
// when syncs were quicker, it made 2,480-3,727 appends/s at 256 writers and the group commit 18 to 22
// times as many (that was before the writer's log limit went from 1,000 to 10,000 pages).
package sqlite
