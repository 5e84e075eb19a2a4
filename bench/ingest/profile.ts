/**
 * Reads the hub's CPU profiles (`bun --cpu-prof`, Chrome's .cpuprofile format) and says where its
 * JavaScript thread spent its time: each sample goes to the stage of the pipeline that the innermost
 * recognisable frame of its stack belongs to (native calls such as JSON.parse count for their caller).
 * JavaScriptCore samples only while JavaScript runs, so each sample stands for one interval; the
 * time between samples (`timeDeltas`) includes idle time and is not used.
 */
import { readdir } from "node:fs/promises";
import { markdownTable } from "../lib/report";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Wall time the profile covers, and the part of it the JavaScript thread was busy (samples × interval). */
  wallMs: number;
  busyMs: number;
  stages: { stage: string; ms: number }[];
  functions: { name: string; where: string; selfMs: number }[];
}

/** The sampling interval the hub is started with (`--cpu-prof-interval`), in microseconds. */
export const PROFILE_INTERVAL_US = 1_000;

const STAGES: readonly { stage: string; matches: (frame: CallFrame) => boolean }[] = [
  {
    stage: "fan-out (envelopes, encode, publish)",
    matches: ({ url, functionName }) =>
      /packages\/channels\/src\/pubsub\.ts|events\/(fanout|recent|envelope)\.ts/.test(url) ||
      (/packages\/channels\/src\/serializer\//.test(url) && functionName === "encode"),
  },
  {
    stage: "logging (pino)",
    matches: ({ url }) => /node_modules\/pino|packages\/logger\//.test(url),
  },
  {
    stage: "stream state engine (reduce, clone, compare)",
    matches: ({ url }) => /server\/src\/stream\//.test(url),
  },
  {
    stage: "validation (zod, catalogue)",
    matches: ({ url }) => /packages\/shared\/src\/|node_modules\/zod\//.test(url),
  },
  {
    stage: "database (drizzle, driver, PGlite)",
    matches: ({ url, functionName }) =>
      /packages\/db\/|drizzle-orm|node_modules\/postgres\/|pglite/.test(url) ||
      url.startsWith("wasm") ||
      functionName.startsWith("wasm-function"),
  },
  {
    stage: "batcher and store",
    matches: ({ url }) => /events\/(batcher|store|spool)\.ts/.test(url),
  },
  { stage: "ingest (normalise)", matches: ({ url }) => /events\/ingest\.ts/.test(url) },
  {
    stage: "channel frames (decode, dispatch, replies)",
    matches: ({ url }) => /packages\/channels\/src\/|server\/src\/channels\//.test(url),
  },
  {
    stage: "HTTP (Hono, body JSON.parse)",
    matches: ({ url }) => /node_modules\/hono\/|server\/src\/http\//.test(url),
  },
  {
    stage: "garbage collection",
    matches: ({ functionName }) => functionName === "(garbage collector)",
  },
];
const OTHER_STAGE = "other";
const TOP_FUNCTIONS = 15;
const MICROS_PER_MS = 1_000;

/** Summarises every .cpuprofile in `dir`; null when there is none. */
export async function summariseProfiles(
  dir: string,
): Promise<{ summaries: ProfileSummary[]; text: string } | null> {
  const files = (await readdir(dir).catch(() => [])).filter((file) => file.endsWith(".cpuprofile"));
  if (files.length === 0) return null;
  const summaries: ProfileSummary[] = [];
  for (const file of files.sort()) {
    const profile = (await Bun.file(`${dir}/${file}`).json()) as CpuProfile;
    summaries.push(summarise(`${dir}/${file}`, profile));
  }
  return { summaries, text: summaries.map(describe).join("\n\n") };
}

export function summarise(file: string, profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stageOf = new Map<number, string>();
  const stageMicros = new Map<string, number>();
  const selfMicros = new Map<number, number>();
  let busyMicros = 0;
  const micros = PROFILE_INTERVAL_US;
  profile.samples.forEach((id) => {
    const node = byId.get(id);
    if (node === undefined || isIdle(node.callFrame)) return;
    busyMicros += micros;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + micros);
    const stage = cachedStage(id, byId, parentOf, stageOf);
    stageMicros.set(stage, (stageMicros.get(stage) ?? 0) + micros);
  });
  return {
    file,
    wallMs: (profile.endTime - profile.startTime) / MICROS_PER_MS,
    busyMs: busyMicros / MICROS_PER_MS,
    stages: [...stageMicros]
      .map(([stage, micros]) => ({ stage, ms: micros / MICROS_PER_MS }))
      .sort((a, b) => b.ms - a.ms),
    functions: topFunctions(byId, selfMicros),
  };
}

function isIdle(frame: CallFrame): boolean {
  return frame.functionName === "(idle)" || frame.functionName === "(root)";
}

/** The stage of the innermost frame on the node's stack that belongs to one. */
function cachedStage(
  id: number,
  byId: Map<number, ProfileNode>,
  parentOf: Map<number, number>,
  cache: Map<number, string>,
): string {
  const known = cache.get(id);
  if (known !== undefined) return known;
  const node = byId.get(id);
  const own = node === undefined ? undefined : STAGES.find((s) => s.matches(node.callFrame));
  const parent = parentOf.get(id);
  const stage =
    own?.stage ?? (parent === undefined ? OTHER_STAGE : cachedStage(parent, byId, parentOf, cache));
  cache.set(id, stage);
  return stage;
}

function topFunctions(byId: Map<number, ProfileNode>, selfMicros: Map<number, number>) {
  const byFunction = new Map<string, { name: string; where: string; selfMs: number }>();
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const where =
      frame.url === "" ? "[native code]" : `${shortPath(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName}@${where}`;
    const entry = byFunction.get(key) ?? {
      name: frame.functionName || "(anonymous)",
      where,
      selfMs: 0,
    };
    entry.selfMs += micros / MICROS_PER_MS;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, TOP_FUNCTIONS);
}

function shortPath(url: string): string {
  const at = url.search(/(apps|packages|node_modules)\//);
  return at === -1 ? url : url.slice(at);
}

function describe(summary: ProfileSummary): string {
  const share = (value: number) => `${((value / summary.busyMs) * 100).toFixed(1)} %`;
  const stages = markdownTable(
    ["stage", "ms", "share of busy"],
    summary.stages.map((s) => [s.stage, s.ms.toFixed(0), share(s.ms)]),
  );
  const functions = markdownTable(
    ["function (self time)", "where", "ms", "share of busy"],
    summary.functions.map((f) => [f.name, f.where, f.selfMs.toFixed(0), share(f.selfMs)]),
  );
  return [
    `Profile ${summary.file}: ${(summary.busyMs / 1000).toFixed(1)} s of JavaScript-thread samples in ${(summary.wallMs / 1000).toFixed(1)} s`,
    stages,
    functions,
  ].join("\n\n");
}
