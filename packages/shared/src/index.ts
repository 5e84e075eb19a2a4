/** @landale/shared — the contract between Landale's parts. */
export { ErrorBody } from "./errors";
export { EVENT_FILTERS, EVENTS_TOPIC_PREFIX, EventFilter, eventFilterOf } from "./topics";
