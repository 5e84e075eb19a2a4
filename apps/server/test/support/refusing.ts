/**
 * A database that refuses events the hub validated, as one can (an operator's constraint, a
 * policy the hub does not know): the refusal comes from the database itself, with its SQLSTATE.
 * Validation leaves nothing the schema would refuse, so the refusal paths (422 `store_refused`,
 * the quarantine) are reached this way in tests.
 */
import { type Database, sql } from "@landale/db";

const CONSTRAINT = "refused_in_test";
/** SQLSTATE of a CHECK constraint's refusal: what the refused event's reason starts with. */
export const REFUSED_CODE = "23514";
const SAFE_ID = /^[A-Za-z0-9._:-]+$/;

/**
 * Adds a CHECK constraint refusing the event with `id` (NOT VALID: rows already stored are not
 * checked); returns the function that drops it, for a database later tests share.
 */
export async function refuseEventId(database: Database, id: string): Promise<() => Promise<void>> {
  if (!SAFE_ID.test(id)) throw new Error(`not an event id to put in SQL: ${id}`);
  await database.rows(
    sql.raw(`ALTER TABLE events ADD CONSTRAINT ${CONSTRAINT} CHECK (id <> '${id}') NOT VALID`),
  );
  return async () => {
    await database.rows(sql.raw(`ALTER TABLE events DROP CONSTRAINT IF EXISTS ${CONSTRAINT}`));
  };
}
