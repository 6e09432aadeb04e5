-- Streams and their events. Each stream keeps its head (version and chain hash of its last event) in
-- streams, beside the events, so a removed last event shows. Stream names compare byte by byte.
CREATE TABLE streams (
	stream  TEXT PRIMARY KEY,
	version INTEGER NOT NULL,
	head    BLOB NOT NULL
) WITHOUT ROWID;

-- events holds the events moved from recent, in the order they were moved: each move sorts them by
-- stream and version, so a stream reads from runs of consecutive rows.
CREATE TABLE events (
	stream  TEXT NOT NULL,
	version INTEGER NOT NULL,
	type    TEXT NOT NULL,
	key     TEXT NULL,                  -- the idempotency key, on the first event of a keyed append
	data    BLOB NOT NULL,
	hash    BLOB NOT NULL,              -- council.ChainHash over the previous event's hash and this event
	size    INTEGER NOT NULL DEFAULT 0, -- on an append's first event: how many events the append stored
	PRIMARY KEY (stream, version)
);

CREATE UNIQUE INDEX events_stream_key ON events (stream, key) WHERE key IS NOT NULL;

-- recent holds the newest events, in the order they were appended, until the writer moves them to
-- events in bulk. Appends to many streams then change a few pages at the end of one small table
-- instead of a page of each stream, and each commit writes and syncs that much less. A stream's
-- events are those of both tables; a version is in one of them.
CREATE TABLE recent (
	stream  TEXT NOT NULL,
	version INTEGER NOT NULL,
	type    TEXT NOT NULL,
	key     TEXT NULL,
	data    BLOB NOT NULL,
	hash    BLOB NOT NULL,
	size    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (stream, version)
);

CREATE UNIQUE INDEX recent_stream_key ON recent (stream, key) WHERE key IS NOT NULL;
