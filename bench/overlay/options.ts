/** The overlay bench's command line: alerts per page, `--quick`, one page only, docs or not. */
import { parseArgs } from "node:util";
import { PAGE_NAMES, type PageName } from "./scenario";

export interface Options {
  pages: PageName[];
  /** Measured alerts per page (after a short warm-up). */
  alerts: number;
  /** Repeats of a measurement that other processes disturbed. */
  retries: number;
  /** True when the run used the standard pages and counts, so its figures may go in the docs. */
  standard: boolean;
  writeDocs: boolean;
}

const STANDARD_ALERTS = 100;
const QUICK_ALERTS = 15;
const MAX_ALERTS = 5_000;
const DEFAULT_RETRIES = 1;
const MAX_RETRIES = 5;

export const USAGE = `bun run bench:overlay [flags]

  --quick             ${QUICK_ALERTS} alerts per page: a fast check
  --alerts N          measured alerts per page (default ${STANDARD_ALERTS})
  --page NAME         only this page: ${PAGE_NAMES.join(" | ")}
  --retries N         repeat a page other processes disturbed, up to N times (default ${DEFAULT_RETRIES})
  --no-docs           do not rewrite docs/BENCHMARKS.md
  --help

Needs the overlays built (\`bun run build\`) and Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
Only a standard run (no --quick, --alerts or --page) rewrites docs/BENCHMARKS.md; every run writes
JSON to bench/results/.
`;

export function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      alerts: { type: "string" },
      page: { type: "string" },
      retries: { type: "string" },
      "no-docs": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const pages = PAGE_NAMES.filter((page) => values.page === undefined || page === values.page);
  if (pages.length === 0)
    throw new Error(`unknown page "${values.page}": ${PAGE_NAMES.join(" | ")}`);
  const alerts = optionalInt(values.alerts, "alerts", 1, MAX_ALERTS);
  const standard = !values.quick && alerts === undefined && values.page === undefined;
  return {
    pages,
    alerts: alerts ?? (values.quick ? QUICK_ALERTS : STANDARD_ALERTS),
    retries: optionalInt(values.retries, "retries", 0, MAX_RETRIES) ?? DEFAULT_RETRIES,
    standard,
    writeDocs: standard && !values["no-docs"],
  };
}

function optionalInt(raw: string | undefined, name: string, min: number, max: number) {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number in [${min}, ${max}], got "${raw}"`);
  }
  return value;
}
