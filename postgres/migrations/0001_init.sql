-- Streams and their events. Each stream keeps its head (version and chain hash of its last event)
-- in streams; an append locks that row, so appends to one stream are serialised across processes.
-- Stream names compare byte by byte (COLLATE "C"), as they do in the SQLite store.
CREATE TABLE streams (
	stream  text COLLATE "C" PRIMARY KEY,
	version bigint NOT NULL,
	head    bytea  NOT NULL
) WITH (fillfactor = 25); -- room on each page, so moving a head is a HOT update with no index entry

CREATE TABLE events (
	stream  text COLLATE "C" NOT NULL,
	version bigint  NOT NULL,
	type    text    NOT NULL,
	key     text    NULL,     -- the idempotency key, on the first event of a keyed append
	data    bytea   NOT NULL,
	hash    bytea   NOT NULL, -- council.ChainHash over the previous event's hash and this event
	size    integer NOT NULL DEFAULT 0, -- on an append's first event: how many events the append stored
	PRIMARY KEY (stream, version)
);

CREATE UNIQUE INDEX events_stream_key ON events (stream, key) WHERE key IS NOT NULL;
