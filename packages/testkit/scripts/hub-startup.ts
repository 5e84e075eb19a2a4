/**
 * How long the hub takes from `bun apps/server/src/main.ts` to `GET /ready` 200 on PGlite: from
 * an empty data dir (a first run: PGlite creates its cluster, then migrates) and from a copy of
 * the migrated template (what every test's hub does). `bun run bench:startup [runs]`.
 */
import { pgliteTemplate } from "@landale/db/testing";
import { spawnHub } from "../src/hub";

const MAIN = new URL("../../../apps/server/src/main.ts", import.meta.url).pathname;
const DEFAULT_RUNS = 5;

const runs = Number(process.argv[2] ?? DEFAULT_RUNS);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer`);

// The template is made once per machine; make it before timing anything.
await pgliteTemplate();

async function timeToReady(template: boolean): Promise<number> {
  const started = performance.now();
  const hub = await spawnHub({ main: MAIN, template, stopAfter: "caller" });
  const elapsed = performance.now() - started;
  await hub.stop();
  return elapsed;
}

for (const template of [false, true]) {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await timeToReady(template));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const label = template ? "template copy " : "empty data dir";
  const [min = 0, max = 0] = [times[0], times[times.length - 1]];
  process.stdout.write(
    `${label}: median ${Math.round(median)} ms, min ${Math.round(min)} ms, max ${Math.round(max)} ms (${runs} runs)\n`,
  );
}
