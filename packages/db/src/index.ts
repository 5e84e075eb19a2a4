/** @landale/db — schema, migrations and queries over embedded PGlite or Postgres/TimescaleDB. */
export {
  type ConnectFailure,
  type ConnectOptions,
  classifyConnectError,
  connect,
  type Database,
  type Drizzle,
  type Engine,
  LATEST_MIGRATION,
  MIGRATIONS_FOLDER,
  pgliteDirectory,
} from "./connect";
export {
  applyRetentionPolicy,
  deleteEventsBefore,
  type EventQuery,
  eventById,
  eventsAfter,
  hourlyCounts,
  insertEventWindow,
  latestEventsAfter,
  listEvents,
  maxEventSeq,
  type NewEvent,
  type StoredId,
  type TypeCount,
} from "./events";
export {
  type EventRow,
  events,
  streamState,
  type TranscriptionRow,
  type TwitchGrantRow,
  transcriptions,
  twitchGrants,
} from "./schema";
export { loadStreamState, MAIN_ENGINE, saveStreamState } from "./stream";
export {
  type HourBucket,
  insertTranscription,
  latestTranscriptions,
  listTranscriptions,
  type NewTranscription,
  type RankedTranscription,
  searchTranscriptions,
  searchTranscriptionsQuery,
  type TranscriptionFilter,
  type TranscriptionKey,
  type TranscriptionListQuery,
  type TranscriptionSearch,
  type TranscriptionTotals,
  transcriptionStats,
} from "./transcriptions";
export {
  deleteTwitchGrant,
  loadTwitchGrant,
  MAIN_TWITCH_GRANT,
  type StoredTwitchGrant,
  saveTwitchGrant,
} from "./twitch";
