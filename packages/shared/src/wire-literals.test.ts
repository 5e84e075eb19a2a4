/**
 * Topic names and push event names are spelled only here, in `./wire`: every .ts/.tsx file of
 * apps/, packages/ and bench/ (this package, node_modules and dist aside) is parsed, and each
 * string literal — `"…"`, `'…'`, or a template without interpolation — that is a topic name, a
 * family's prefix or a push name fails the test, as does any literal or template that starts
 * with a family's prefix (`"events:all"`, `` `overlay:${name}` ``). Comments and JSX text are
 * not literals, so they may name the wire in prose.
 *
 * `takeover` and `takeover_clear` are pushes and also the commands that cause them (and
 * `takeover` an overlay page and a dashboard view): a command may be written as a literal, as
 * `CommandName` types it. Those two are flagged only where they name an event received or
 * broadcast — an argument of `on`, `off`, `broadcast`, `subscribe` or `useSubscription`; a
 * `push` of them is a client's command. The few other names that mean something else too are
 * listed in ALLOWED by file and why.
 */
import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "@babel/parser";
import {
  DASHBOARD,
  EVENTS,
  INGEST,
  OVERLAY,
  PUSH,
  STREAM_OVERLAYS,
  STREAM_QUEUE,
  TRANSCRIPTION_LIVE,
  TRANSCRIPTION_SESSION,
  WIRE_NAMES,
} from "./wire";

const ROOT = join(import.meta.dir, "../../..");
const SCANNED = ["apps", "packages", "bench"];
const SKIPPED = new Set(["node_modules", "dist"]);
const OWN = "packages/shared";
const PREFIXES = [EVENTS.prefix, TRANSCRIPTION_SESSION.prefix, OVERLAY.prefix];
/** Parsing every file of the repository takes seconds on a loaded machine. */
const SCAN_TIMEOUT_MS = 60_000;

/** Push names that are also commands a client may send. */
const COMMANDS_TOO: readonly string[] = Object.values(PUSH).filter((name) =>
  [STREAM_OVERLAYS, STREAM_QUEUE, INGEST, DASHBOARD, TRANSCRIPTION_LIVE, EVENTS.topic("all")].some(
    (topic) => (topic.commands as readonly string[]).includes(name),
  ),
);
/** Calls whose arguments name events received or broadcast, never commands. */
const RECEIVING = new Set(["on", "off", "broadcast", "subscribe", "useSubscription"]);

interface Allowed {
  file: string;
  name: string;
  reason: string;
}

const ALLOWED: Allowed[] = [
  { file: "packages/db/src/schema.ts", name: PUSH.streamState, reason: "the table's name" },
];

interface Found {
  /** `file:line`, the file relative to the repository. */
  at: string;
  literal: string;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name) && relative(ROOT, path) !== OWN)
        files.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

/** A literal's text that spells the wire, if it does. */
function wireName(text: string, whole: boolean): string | null {
  if (whole && WIRE_NAMES.includes(text)) return text;
  return PREFIXES.some((prefix) => text.startsWith(prefix)) ? text : null;
}

/** Every literal in `source` that spells the wire, with its line. */
function spelled(source: string, file: string): { line: number; literal: string }[] {
  const ast = parse(source, {
    sourceType: "module",
    plugins: file.endsWith(".tsx") ? ["typescript", "jsx"] : ["typescript"],
  });
  const found: { line: number; literal: string }[] = [];
  const visit = (node: unknown, receiving: boolean): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, receiving);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const current = node as Node;
    const line = current.loc?.start.line ?? 0;
    if (current.type === "StringLiteral" && typeof current.value === "string") {
      const name = wireName(current.value, true);
      if (name !== null && (receiving || !COMMANDS_TOO.includes(name))) {
        found.push({ line, literal: name });
      }
    } else if (current.type === "TemplateLiteral" && current.quasis !== undefined) {
      // Only a template without interpolation is the name itself; one with it may start with a
      // prefix spelled out.
      const head = current.quasis[0]?.value.cooked ?? "";
      const name = wireName(head, current.quasis.length === 1);
      if (name !== null && (receiving || !COMMANDS_TOO.includes(name))) {
        found.push({ line, literal: name });
      }
    }
    if (current.type === "CallExpression") {
      visit(current.callee, receiving);
      visit(current.arguments, RECEIVING.has(calleeName(current.callee)));
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== "loc" && !key.endsWith("Comments")) visit(value, receiving);
    }
  };
  visit(ast.program, false);
  return found;
}

interface Node {
  type?: string;
  value?: unknown;
  quasis?: { value: { cooked?: string | null } }[];
  loc?: { start: { line: number } };
  callee?: Node;
  arguments?: Node[];
  name?: string;
  property?: Node;
}

/** `on` for `channel.on(…)` and `on(…)`. */
function calleeName(callee: Node | undefined): string {
  if (callee?.type === "Identifier") return callee.name ?? "";
  if (callee?.type === "MemberExpression") return callee.property?.name ?? "";
  return "";
}

function spelledOutside(): Found[] {
  const found: Found[] = [];
  for (const top of SCANNED) {
    for (const path of sourceFiles(join(ROOT, top))) {
      const file = relative(ROOT, path);
      for (const { line, literal } of spelled(readFileSync(path, "utf8"), file)) {
        if (ALLOWED.some((allowed) => allowed.file === file && allowed.name === literal)) continue;
        found.push({ at: `${file}:${line}`, literal });
      }
    }
  }
  return found;
}

describe("the wire vocabulary outside packages/shared", () => {
  it("finds a spelled-out name in a string, a plain template and a prefixed template, not in comments or JSX text", () => {
    const source = [
      `// "stream_state" in a comment`,
      `const a = "stream:queue";`,
      "const b = `event_batch`;",
      `const c = \`events:\${filter}\`;`,
      `const d = <p>takeover</p>;`,
      `const e = "stream_state_saved";`,
    ].join("\n");
    expect(spelled(source, "x.tsx")).toEqual([
      { line: 2, literal: "stream:queue" },
      { line: 3, literal: "event_batch" },
      { line: 4, literal: "events:" },
    ]);
  });

  it("finds a name that is also a command only where an event is received or broadcast", () => {
    const source = [
      `client.push(STREAM_OVERLAYS, "takeover", {});`,
      `run("takeover_clear");`,
      `channel.on("takeover", show);`,
      `broadcast(topic, "takeover_clear", cleared);`,
      `useSubscription(STREAM_OVERLAYS, "takeover", show);`,
    ].join("\n");
    expect(COMMANDS_TOO).toEqual([PUSH.takeover, PUSH.takeoverClear]);
    expect(spelled(source, "x.ts")).toEqual([
      { line: 3, literal: "takeover" },
      { line: 4, literal: "takeover_clear" },
      { line: 5, literal: "takeover" },
    ]);
  });

  it(
    "is spelled by no other file: each names topics and pushes through ./wire",
    () => {
      const found = spelledOutside().map(({ at, literal }) => `${at} ${JSON.stringify(literal)}`);
      expect(found).toEqual([]);
    },
    SCAN_TIMEOUT_MS,
  );

  it("allows only names that are wire names, in files that exist", () => {
    for (const allowed of ALLOWED) {
      expect(WIRE_NAMES).toContain(allowed.name);
      expect(readFileSync(join(ROOT, allowed.file), "utf8")).toContain(`"${allowed.name}"`);
    }
  });
});
