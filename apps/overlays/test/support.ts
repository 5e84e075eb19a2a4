/**
 * Test support for the overlay browser tests: the real hub as a child process (testkit's
 * `spawnHub`: `bun apps/server/src/main.ts`, as a user runs it) serving the built overlays, its
 * REST API, a Twitch-shaped follow and raid, and the pages opened in Chromium at the OBS
 * browser-source size.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { StreamState } from "@landale/shared";
import { type HubProcess as SpawnedHub, spawnHub } from "@landale/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { LandaleDebugHook, LayerStates } from "../src/debug/hook";
import type { Layer, Phase } from "../src/orchestrator/machine";
import type { PageName } from "../src/page/pages";

const HUB_MAIN = new URL("../../server/src/main.ts", import.meta.url).pathname;
const OVERLAYS_DIST = new URL("../dist/", import.meta.url).pathname;
export const TEST_OUTPUT = new URL("../test-output/", import.meta.url).pathname;

/** The OBS browser-source size every page is built for. */
export const VIEWPORT = { width: 1920, height: 1080 } as const;

export interface HubProcess {
  readonly url: string;
  /** Kills the hub with SIGKILL (no shutdown, as a crash) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data dir; resolves once it is ready. */
  start(): Promise<void>;
  /** Kills it and removes its data dir. */
  stop(): Promise<void>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

/**
 * Starts a hub with a temp data dir and no token (testkit's `spawnHub`) and waits until it is
 * ready; `env` adds settings, e.g. Twitch's base URLs pointing at a fake. The caller stops it: a
 * hub started in `beforeAll` outlives each test.
 */
export async function startHubProcess(env: Record<string, string> = {}): Promise<HubProcess> {
  if (!existsSync(join(OVERLAYS_DIST, "omnibar", "index.html"))) {
    throw new Error(`no built overlays in ${OVERLAYS_DIST}: run \`bun run build\` first`);
  }
  let current: SpawnedHub = await spawnHub({ main: HUB_MAIN, env, stopAfter: "caller" });
  const { url, port, dataDir } = current;

  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      // The hub takes writes only as JSON, body or not.
      headers: method === "GET" ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text === "" ? null : JSON.parse(text)) as T;
  };

  return {
    url,
    kill: () => current.kill("SIGKILL"),
    async start() {
      current = await spawnHub({ main: HUB_MAIN, env, port, dataDir, stopAfter: "caller" });
    },
    async stop() {
      await current.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    },
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    delete: (path) => request("DELETE", path),
  };
}

const BROADCASTER = {
  broadcaster_user_id: "1337",
  broadcaster_user_login: "landale",
  broadcaster_user_name: "Landale",
};

/** A `channel.follow` as Twitch's EventSub sends it, as `POST /api/events` takes it. */
export function follow(userName: string, id = `follow-${userName}`) {
  return {
    id,
    type: "channel.follow",
    data: {
      user_id: `${Bun.hash(userName)}`,
      user_login: userName.toLowerCase(),
      user_name: userName,
      ...BROADCASTER,
      followed_at: new Date().toISOString(),
    },
  };
}

/** A `channel.raid`: the biggest alert, shown on the full-screen stage too. */
export function raid(userName: string, viewers: number, id = `raid-${userName}`) {
  return {
    id,
    type: "channel.raid",
    data: {
      from_broadcaster_user_id: `${Bun.hash(userName)}`,
      from_broadcaster_user_login: userName.toLowerCase(),
      from_broadcaster_user_name: userName,
      to_broadcaster_user_id: BROADCASTER.broadcaster_user_id,
      to_broadcaster_user_login: BROADCASTER.broadcaster_user_login,
      to_broadcaster_user_name: BROADCASTER.broadcaster_user_name,
      viewers,
    },
  };
}

/**
 * One layer's `data-state` as the page showed it: a MutationObserver reads the attribute when its
 * callback runs, so a state set and replaced within one task (never painted) is not noted.
 */
export interface Transition {
  layer: string;
  state: string;
}

declare global {
  interface Window {
    __transitions?: Transition[];
    __enters?: number;
  }
}

export interface OpenOptions {
  /**
   * From before the page renders, note each layer's `data-state` change in
   * `window.__transitions` ("transitions"), or only count the foreground's enters in
   * `window.__enters` ("enters": constant memory, for a soak).
   */
  record?: "transitions" | "enters";
  /** Runs before the page loads, e.g. to listen to its socket or add an init script. */
  prepare?: (page: Page) => unknown;
}

/** Opens `/overlays/<page>` at 1920×1080 in a context of its own; waits until its socket is open. */
export async function openPage(
  browser: Browser,
  hub: HubProcess,
  page: PageName,
  options: OpenOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const tab = await context.newPage();
    if (options.record !== undefined) await tab.addInitScript(watchStates, options.record);
    await options.prepare?.(tab);
    await tab.goto(`${hub.url}/overlays/${page}`);
    await tab.waitForFunction(() => window.__landale?.connection()?.state === "open");
    return { context, page: tab };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Runs in the page before its scripts: notes (or counts) the layers' `data-state` changes. */
function watchStates(mode: "transitions" | "enters"): void {
  const transitions: { layer: string; state: string }[] = [];
  if (mode === "transitions") window.__transitions = transitions;
  else window.__enters = 0;
  new MutationObserver((records) => {
    for (const record of records) {
      const { layer, state } = (record.target as HTMLElement).dataset;
      if (layer === undefined || state === undefined) continue;
      if (mode === "transitions") transitions.push({ layer, state });
      else if (layer === "foreground" && state === "entering")
        window.__enters = (window.__enters ?? 0) + 1;
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
}

/** The states one layer went through, as recorded, with repeats of the same state collapsed. */
export async function statesOf(page: Page, layer: Layer): Promise<string[]> {
  const transitions = await page.evaluate(() => window.__transitions ?? []);
  return transitions
    .filter((transition) => transition.layer === layer)
    .map((transition) => transition.state)
    .filter((state, index, states) => state !== states[index - 1]);
}

/** The page's debug hook, read in the page. */
export function hookOf(page: Page): Promise<{
  layers: LayerStates;
  tweens: number;
  timers: number;
  connection: ReturnType<LandaleDebugHook["connection"]>;
}> {
  return page.evaluate(() => {
    const hook = window.__landale;
    if (hook === undefined) throw new Error("the page has no window.__landale");
    return {
      layers: hook.layerStates(),
      tweens: hook.activeTweens(),
      timers: hook.timers(),
      connection: hook.connection(),
    };
  });
}

/** Waits until the page has no GSAP tween and no timer left, nothing entering or exiting. */
export async function waitForIdle(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const hook = window.__landale;
      if (hook === undefined) return false;
      const moving = Object.values(hook.layerStates()).some(
        (phase) => phase === "entering" || phase === "exiting",
      );
      return !moving && hook.activeTweens() === 0 && hook.timers() === 0;
    },
    undefined,
    { timeout },
  );
}

/** Waits until `layer` is in `phase` and its text includes `text` (when given). */
export async function waitForLayer(
  page: Page,
  layer: Layer,
  phases: readonly Phase[],
  text?: string,
  timeout = 30_000,
): Promise<void> {
  await page.waitForFunction(
    ({ layer, phases, text }) => {
      const element = document.querySelector<HTMLElement>(`[data-layer="${layer}"]`);
      if (element === null) return false;
      const inPhase = phases.includes(element.dataset.state ?? "");
      return inPhase && (text === undefined || (element.textContent ?? "").includes(text));
    },
    { layer, phases: [...phases] as string[], text },
    { timeout },
  );
}

/** What one layer's element says about itself: its phase and its content's kind and type. */
export interface LayerElement {
  state: string | null;
  kind: string | null;
  type: string | null;
  text: string;
}

export function layerElement(page: Page, layer: Layer): Promise<LayerElement> {
  return page.evaluate((layer) => {
    const element = document.querySelector<HTMLElement>(`[data-layer="${layer}"]`);
    return {
      state: element?.dataset.state ?? null,
      kind: element?.dataset.kind ?? null,
      type: element?.dataset.type ?? null,
      text: element?.textContent ?? "",
    };
  }, layer);
}

/** How long one look waits for the page to match one reading of the hub's state. */
const MATCH_ATTEMPT_MS = 2_000;

/**
 * Waits until the omnibar, at rest, shows what the hub's state says (`GET /api/stream/state`):
 * the highest layer with content is active with that content's type, a lower one with content is
 * covered (interrupted, or hidden if it never got the stage), and a layer without content is
 * hidden. The state is read again when the page has not matched it for a while, as the hub may
 * have moved on (the ticker turns every 15 s). Fails naming the differences.
 */
export async function waitForOmnibarToMatchHub(
  page: Page,
  hub: HubProcess,
  timeout = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const { layers } = await hub.get<StreamState>("/api/stream/state");
    const wanted = Object.fromEntries(
      Object.entries(layers).map(([layer, content]) => [layer, content?.type ?? null]),
    );
    try {
      const left = Math.max(1, Math.min(MATCH_ATTEMPT_MS, deadline - Date.now()));
      await page.waitForFunction(omnibarShows, wanted, { timeout: left });
      return;
    } catch (error) {
      if (!(error instanceof Error && error.name === "TimeoutError") || Date.now() >= deadline) {
        const differences = await page.evaluate(() => window.__omnibarDifferences ?? []);
        throw new Error(`the omnibar does not show the hub's state: ${differences.join("; ")}`, {
          cause: error,
        });
      }
    }
  }
}

declare global {
  interface Window {
    __omnibarDifferences?: string[];
  }
}

/** Runs in the page: whether it shows `wanted` (layer → content type), noting what differs. */
function omnibarShows(wanted: Record<string, string | null>): boolean {
  const hook = window.__landale;
  if (hook === undefined || hook.activeTweens() > 0) return false;
  const differences: string[] = [];
  let covered = false;
  for (const layer of ["foreground", "midground", "background"]) {
    const type = wanted[layer] ?? null;
    const element = document.querySelector<HTMLElement>(`[data-layer="${layer}"]`);
    const state = element?.dataset.state ?? "missing";
    if (type === null) {
      if (state !== "hidden") differences.push(`${layer} is ${state}, the hub has nothing`);
      continue;
    }
    const expected = covered ? ["interrupted", "hidden"] : ["active"];
    if (!expected.includes(state)) {
      differences.push(`${layer} is ${state}, expected ${expected.join(" or ")} (${type})`);
    } else if (state !== "hidden" && element?.dataset.type !== type) {
      differences.push(`${layer} shows ${element?.dataset.type}, the hub has ${type}`);
    }
    covered = true;
  }
  window.__omnibarDifferences = differences;
  return differences.length === 0;
}

/** Saves a 1920×1080 PNG of the page, transparent where the page is, under `test-output/`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const path = join(TEST_OUTPUT, `${name}.png`);
  await page.screenshot({ path, omitBackground: true });
  return path;
}
