/**
 * The quarantine: events the database refused after they were acknowledged (spooled during an
 * outage, then refused for their content when drained). They are kept — one JSON line each with
 * the reason and the time, appended and fsynced — so nothing acknowledged is ever silently lost,
 * and they no longer block the spool. Each line holds the event as the hub tried to store it, so
 * an operator can fix and re-send it. The file is never rewritten; the hub only counts the lines
 * and holds the most recent few for `/api/health/quarantine`.
 */
import { mkdirSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import type { NewEvent } from "@landale/db";
import type { QuarantinedEvent } from "@landale/shared";
import { readLines, writeWhole } from "./ndjson";
import { Serial } from "./serial";

export const QUARANTINE_FILE = "events.quarantine.ndjson";
/** Quarantined events held in memory for the health API; the file keeps them all. */
export const QUARANTINE_RECENT = 50;

export class Quarantine {
  #handle: FileHandle | null = null;
  #count: number;
  /** The newest QUARANTINE_RECENT entries, oldest first. */
  #recent: QuarantinedEvent[];
  readonly #serial = new Serial();

  private constructor(
    readonly path: string,
    count: number,
    recent: QuarantinedEvent[],
  ) {
    this.#count = count;
    this.#recent = recent;
  }

  /** Opens (or creates) the quarantine in `dir`, counting what earlier runs put there. */
  static async open(dir: string): Promise<Quarantine> {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, QUARANTINE_FILE);
    let count = 0;
    const recent: QuarantinedEvent[] = [];
    for await (const line of readLines(path)) {
      let entry: QuarantinedEvent;
      try {
        entry = JSON.parse(line.text) as QuarantinedEvent;
      } catch {
        continue; // a line torn by a crash: the event is still in the spool and comes back
      }
      count++;
      recent.push(entry);
      if (recent.length > QUARANTINE_RECENT) recent.shift();
    }
    return new Quarantine(path, count, recent);
  }

  /** Events ever quarantined here (all runs). */
  get count(): number {
    return this.#count;
  }

  /** The most recent quarantined events, newest first. */
  recent(): QuarantinedEvent[] {
    return [...this.#recent].reverse();
  }

  /** Appends one event durably: resolves only after fsync. */
  add(event: NewEvent, reason: string, at = new Date()): Promise<void> {
    return this.#serial.run(async () => {
      const entry: QuarantinedEvent = {
        quarantined_at: at.toISOString(),
        reason,
        // the file keeps the event whole (user id and login too), as the hub tried to store it
        event: event as unknown as QuarantinedEvent["event"],
      };
      this.#handle ??= await open(this.path, "a");
      await writeWhole(this.#handle, Buffer.from(`${JSON.stringify(entry)}\n`));
      await this.#handle.sync();
      this.#count++;
      this.#recent.push(entry);
      if (this.#recent.length > QUARANTINE_RECENT) this.#recent.shift();
    });
  }

  close(): Promise<void> {
    return this.#serial.run(async () => {
      const handle = this.#handle;
      this.#handle = null;
      await handle?.close();
    });
  }
}
