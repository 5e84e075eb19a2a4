/**
 * Serves a built front-end (overlays, dashboard) under a path: `/<base>/<page>` answers
 * `<root>/<page>/index.html`, anything else a file under `<root>` (hashed assets cache for a
 * year, pages never, so OBS always loads the current build); a single-page app answers its
 * `index.html` for any other path. Paths cannot leave `root`; a path that does not decode (bad
 * percent-encoding, a NUL) answers 400, one too long for the file system 404.
 */
import { existsSync } from "node:fs";
import { resolve, sep } from "node:path";
import { Hono } from "hono";
import { AppError } from "../errors";

const IMMUTABLE = "public, max-age=31536000, immutable";

export interface StaticSiteOptions {
  /** A single-page app: a path that is no file answers the root `index.html`. */
  spa?: boolean;
}

export function staticSite(root: string, name: string, options: StaticSiteOptions = {}): Hono {
  const base = resolve(root);
  const routes = new Hono();
  routes.get("/*", async (c) => {
    // The raw path, decoded once here (Hono's `c.req.path` is already partly decoded).
    const relative = decodePath(new URL(c.req.url).pathname.split("/").slice(2).join("/"));
    const target = resolve(base, relative);
    if (target !== base && !target.startsWith(base + sep))
      throw new AppError(404, "not_found", "no such file");
    const file = relative === "" ? null : await existingFile(target);
    if (file !== null) {
      return new Response(file, {
        headers: { "cache-control": relative.startsWith("assets/") ? IMMUTABLE : "no-cache" },
      });
    }
    const page = await existingFile(resolve(target, "index.html"));
    if (page !== null) return new Response(page, { headers: { "cache-control": "no-cache" } });
    if (!existsSync(base)) {
      throw new AppError(503, "not_built", `the ${name} is not built yet: run \`bun run build\``);
    }
    const app = Bun.file(resolve(base, "index.html"));
    if (options.spa && !relative.startsWith("assets/") && (await app.exists())) {
      return new Response(app, { headers: { "cache-control": "no-cache" } });
    }
    throw new AppError(404, "not_found", `no ${name} page "${relative}"`);
  });
  return routes;
}

/** The file at `path` when there is one; a name too long for the file system names none. */
async function existingFile(path: string): Promise<Bun.BunFile | null> {
  try {
    const file = Bun.file(path);
    return (await file.exists()) ? file : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENAMETOOLONG") return null;
    throw err;
  }
}

function decodePath(raw: string): string {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new AppError(400, "invalid_path", "the path has malformed percent-encoding");
  }
  if (path.includes("\0")) throw new AppError(400, "invalid_path", "the path contains a NUL byte");
  return path;
}
