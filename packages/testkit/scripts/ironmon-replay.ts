/**
 * Plays the recorded IronMON session to a running hub's TCP ingest, as the tracker would, in
 * frames cut at random boundaries: `bun run ironmon:replay [port] [seed]` (port: 8080, or
 * LANDALE_TCP_PORT; seed: any number, the same one cuts the same way). Then look at
 * `/api/ironmon/runs/active` and the dashboard's events.
 */
import { IRONMON_SESSION, playIronmonSession } from "../src/ironmon/session";

const port = Number(process.argv[2] ?? process.env.LANDALE_TCP_PORT ?? 8080);
const seed = Number(process.argv[3] ?? Date.now() % 100_000);
if (!Number.isInteger(port) || port < 1 || port > 65_535 || !Number.isInteger(seed)) {
  process.stderr.write("usage: bun run ironmon:replay [port] [seed]\n");
  process.exit(64);
}
await playIronmonSession({ port, seed });
process.stdout.write(
  `Played ${IRONMON_SESSION.length} IronMON messages to 127.0.0.1:${port} (cut with seed ${seed}).\n`,
);
