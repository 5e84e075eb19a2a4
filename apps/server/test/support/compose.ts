/**
 * Reads docker-compose.yml and .env files the way Docker Compose does, for the test that checks
 * the compose file against the configuration schemas without a Docker engine: YAML parsed by Bun,
 * `${…}` interpolation applied to every value, an env file's lines, a service's environment as its
 * env_file overlaid by its `environment`.
 */
import { z } from "zod";

export const ROOT = new URL("../../../../", import.meta.url).pathname;

const Service = z.looseObject({
  image: z.string().optional(),
  env_file: z.string().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  healthcheck: z.looseObject({ test: z.array(z.string()) }).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
});

const ComposeFile = z.looseObject({
  services: z.record(z.string(), Service),
  volumes: z.record(z.string(), z.null()).optional(),
});

export type ComposeFile = z.infer<typeof ComposeFile>;
export type Service = z.infer<typeof Service>;

/** Every `${NAME…}` the text interpolates. */
export function interpolatedNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? ""))];
}

/** Compose's interpolation of one value: `${X}`, `${X:-d}`, `${X-d}`, `${X:?e}`, `${X?e}`, `$$`. */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$/g,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (match === "$$") return "$";
      if (name === undefined) throw new Error(`unsupported interpolation in "${value}"`);
      const set = vars[name];
      const missing = op?.startsWith(":") ? set === undefined || set === "" : set === undefined;
      if (op === undefined) return set ?? "";
      if (!missing) return set ?? "";
      if (op.endsWith("?")) throw new Error(`required variable ${name} is missing: ${arg}`);
      return arg ?? "";
    },
  );
}

function interpolateAll(node: unknown, vars: Record<string, string>): unknown {
  if (typeof node === "string") return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, vars));
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, item]) => [key, interpolateAll(item, vars)]),
    );
  }
  return node;
}

export async function readText(path: string): Promise<string> {
  return Bun.file(`${ROOT}${path}`).text();
}

/** docker-compose.yml with `vars` (the shell's and the project's .env) interpolated. */
export function loadCompose(text: string, vars: Record<string, string>): ComposeFile {
  return ComposeFile.parse(interpolateAll(Bun.YAML.parse(text), vars));
}

const ENV_LINE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** An env file's variables as Compose reads them (`KEY=value`; `#` lines are comments). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n").map((l) => l.trim())) {
    const match = ENV_LINE.exec(line);
    if (match === null) continue;
    const raw = (match[2] ?? "").trim();
    vars[match[1] ?? ""] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return vars;
}

/** Every variable an env file documents: the set ones and the commented `# NAME=default` ones. */
export function documentedNames(text: string): string[] {
  return [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? "");
}

/** What a service's processes see: its env_file, overlaid by its `environment`. */
export function serviceEnv(
  service: Service,
  envFile: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = service.env_file === undefined ? {} : { ...envFile };
  for (const [key, value] of Object.entries(service.environment ?? {})) env[key] = String(value);
  return env;
}

export interface PortMapping {
  hostIp: string;
  host: number;
  container: number;
}

/** `[ip:]host:container` (IPv4 or no address; one port each). */
export function parsePort(spec: string): PortMapping {
  const parts = spec.split(":");
  const [hostIp, host, container] = parts.length === 3 ? parts : ["0.0.0.0", ...parts];
  return { hostIp: hostIp ?? "", host: Number(host), container: Number(container) };
}
