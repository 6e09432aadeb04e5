-- council_stale fails the statement that calls it. A batch written in one round trip against the
-- heads a process remembers (postgres/fast.go) calls it when a head was not where it was remembered,
-- so that the whole batch rolls back and is written again under the heads' locks.
CREATE FUNCTION council_stale(moved bigint, expected bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'council: % of % stream heads were not where this process last saw them', expected - moved, expected
		USING ERRCODE = 'CSTAL';
END
$$;
