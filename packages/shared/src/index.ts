/** @landale/shared — the contract between Landale's parts. */

export {
  ACTIVITY_DEFAULT_LIMIT,
  ACTIVITY_MAX_LIMIT,
  ActivityPage,
  ActivityQuery,
  ActivityStats,
  ActivityStatsQuery,
  EventBatch,
  EventsJoinParams,
  EventsJoinReply,
  HubHealth,
  IngestResponse,
} from "./api/events";
export { ErrorBody } from "./errors";
export {
  CRITICAL_TYPES,
  dataSchemaFor,
  EVENT_DATA_SCHEMAS,
  EVENT_TYPES,
  type EventData,
  type EventPayload,
  type EventType,
  FREE_FORM_FAMILIES,
  type FreeFormEventType,
  isCritical,
  isEventType,
  type KnownEventType,
  unknownTypeMessage,
} from "./events/catalogue";
export {
  CorrelationId,
  EVENT_SOURCES,
  EventEnvelope,
  EventId,
  EventInput,
  EventSource,
  EventTypeName,
  MAX_BODY_BYTES,
  MAX_EVENT_BYTES,
  MAX_EVENTS_PER_INPUT,
  Timestamp,
} from "./events/envelope";
export { filterAdmits, filtersFor } from "./events/filters";
export * from "./events/hub";
export {
  type EventIssue,
  MAX_ISSUES,
  type ParsedEventInput,
  type ParseResult,
  parseEventInput,
  parseEventInputs,
  utf8Length,
} from "./events/parse";
export * from "./events/twitch";
export { type EventUser, userOf } from "./events/users";
export { EVENT_FILTERS, EVENTS_TOPIC_PREFIX, EventFilter, eventFilterOf } from "./topics";
