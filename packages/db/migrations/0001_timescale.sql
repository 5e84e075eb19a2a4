-- TimescaleDB, where the server has it loaded: events and transcriptions become hypertables on
-- `ts`, events compress after 7 days, and `events_hourly` keeps hourly counts by type. Retention
-- (LANDALE_RETENTION_DAYS) is a policy the hub sets at start-up. On plain Postgres and PGlite this
-- whole block is a no-op, so every engine runs the same migration history.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     OR coalesce(current_setting('shared_preload_libraries', true), '') NOT LIKE '%timescaledb%' THEN
    RAISE NOTICE 'timescaledb is not available: keeping plain tables';
    RETURN;
  END IF;

  CREATE EXTENSION IF NOT EXISTS timescaledb;

  -- A hypertable needs its time column in every unique index: ids stay unique per ts, so a
  -- re-sent event is recognised when it carries its original ts (Twitch's always do).
  ALTER TABLE events DROP CONSTRAINT events_pkey;
  ALTER TABLE events ADD PRIMARY KEY (id, ts);
  DROP INDEX events_seq_idx;
  CREATE UNIQUE INDEX events_seq_idx ON events (seq, ts);
  PERFORM create_hypertable('events', 'ts', chunk_time_interval => INTERVAL '1 day', migrate_data => true);
  ALTER TABLE events SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'type',
    timescaledb.compress_orderby = 'ts DESC, seq DESC'
  );
  PERFORM add_compression_policy('events', INTERVAL '7 days');

  ALTER TABLE transcriptions DROP CONSTRAINT transcriptions_pkey;
  ALTER TABLE transcriptions ADD PRIMARY KEY (id, ts);
  PERFORM create_hypertable('transcriptions', 'ts', chunk_time_interval => INTERVAL '1 day', migrate_data => true);

  EXECUTE $view$
    CREATE MATERIALIZED VIEW events_hourly
    WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
    SELECT time_bucket(INTERVAL '1 hour', ts) AS bucket, type, count(*) AS count
    FROM events
    GROUP BY bucket, type
    WITH NO DATA
  $view$;
  PERFORM add_continuous_aggregate_policy('events_hourly',
    start_offset => INTERVAL '3 days',
    end_offset => INTERVAL '1 hour',
    schedule_interval => INTERVAL '30 minutes');
END
$$;
