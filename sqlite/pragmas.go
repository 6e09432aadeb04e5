package sqlite

// pragmas set up each connection. busy_timeout comes first, so that the others wait for a lock
// another process holds. WAL with synchronous=FULL makes each commit durable with one sync of the
// log. The writer lets the log grow to 10,000 pages (40 MB) before it copies them into the file:
// pages that many batches change, such as those of recent, are copied once, and with 256 writers
// that made appends about a fifth faster than the default of 1,000. Readers are query-only.
func pragmas(write bool) []string {
	list := []string{
		"PRAGMA busy_timeout = 10000",
		"PRAGMA journal_mode = WAL",
		"PRAGMA synchronous = FULL",
		"PRAGMA cache_size = -32000", // 32 MB
	}
	if write {
		return append(list, "PRAGMA wal_autocheckpoint = 10000")
	}
	return append(list, "PRAGMA query_only = 1")
}
