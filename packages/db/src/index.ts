/** @landale/db — schema, migrations and queries over embedded PGlite or Postgres/TimescaleDB. */
/** Raw SQL for `Database.rows`, for callers that do not depend on drizzle themselves. */
export { sql } from "drizzle-orm";
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
  type ContextFilter,
  type ContextHour,
  type ContextKey,
  type ContextListQuery,
  type ContextSearch,
  type ContextTotals,
  contextStats,
  insertContext,
  listContexts,
  type NewContext,
  type RankedContext,
  searchContexts,
  searchContextsQuery,
} from "./contexts";
export { COPY_CHUNK_BYTES, copyChunks } from "./copy-text";
export type { OpenWindow, WindowWriter } from "./event-window";
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
  type WindowDatabase,
} from "./events";
export {
  activeIronmonRun,
  clearIronmonCheckpoint,
  endIronmonRun,
  type IronmonChallenge,
  type IronmonCheckpointStats,
  type IronmonResult,
  type IronmonRun,
  ironmonChallengeForGame,
  ironmonCheckpointStats,
  listIronmonChallenges,
  listIronmonCheckpoints,
  nextIronmonCheckpoint,
  recentIronmonResults,
  type StartedIronmonRun,
  startIronmonRun,
} from "./ironmon";
export {
  type ContextRow,
  contexts,
  type EventRow,
  events,
  type IronmonChallengeRow,
  type IronmonCheckpointRow,
  type IronmonResultRow,
  type IronmonRunRow,
  ironmonChallenges,
  ironmonCheckpoints,
  ironmonResults,
  ironmonRuns,
  streamState,
  type TranscriptionRow,
  type TwitchGrantRow,
  transcriptions,
  twitchGrants,
} from "./schema";
export { loadIntegrationSettings, saveIntegrationSettings } from "./settings";
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
