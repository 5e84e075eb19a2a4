/**
 * What every browser test of the dashboard sets up: the built dashboard looked for (turbo's test
 * task builds it; `bun run build` by hand), a real hub the file starts its own way, one Chromium
 * page at 1920×1080 (Debian's Chromium through playwright-core) whose errors fail the test they
 * happen in, and all of it stopped after the file. Call `useDashboardPage` once, at the top of a
 * test file.
 */
import { afterAll, afterEach, beforeAll, expect, setDefaultTimeout } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createClient, type LandaleClient } from "@landale/client";
import { type HubProcess, launchBrowser, spawnHub } from "@landale/testkit";

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
export type Page = Awaited<ReturnType<Browser["newPage"]>>;

/** The hub's entry, for `spawnHub({ main: HUB_MAIN })`. */
export const HUB_MAIN = new URL("../../../server/src/main.ts", import.meta.url).pathname;
const BUILT = new URL("../../dist/index.html", import.meta.url).pathname;
/** Where screenshots go. */
export const OUTPUT = new URL("../../test-output/", import.meta.url).pathname;
const TEST_TIMEOUT_MS = 60_000;
const DEFAULT_WAIT_MS = 15_000;

export interface DashboardPage {
  /** The hub `start` gave (or the last one `replaceHub` was handed). */
  readonly hub: HubProcess;
  readonly page: Page;
  /** Opens `path` under `/dashboard/` of `at` (by default `hub`) and signs in with `token`. */
  signIn(token: string, options?: { path?: string; at?: HubProcess }): Promise<void>;
  /** Clicks a view in the navigation and waits for its title. */
  go(view: string): Promise<void>;
  /** Saves the page as `test-output/<name>.png`. */
  screenshot(name: string, fullPage?: boolean): Promise<void>;
  /** For a file that restarts its hub: the one to use, and stop, from now on. */
  replaceHub(hub: HubProcess): void;
}

export function useDashboardPage(
  start: () => Promise<HubProcess>,
  options: { waitMs?: number } = {},
): DashboardPage {
  setDefaultTimeout(TEST_TIMEOUT_MS);
  let hub: HubProcess | null = null;
  let browser: Browser | null = null;
  let page: Page | null = null;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT)) {
      throw new Error(
        `no built dashboard at ${BUILT}: run \`bun run build\` in apps/dashboard first`,
      );
    }
    mkdirSync(OUTPUT, { recursive: true });
    hub = await start();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    context.setDefaultTimeout(options.waitMs ?? DEFAULT_WAIT_MS);
    context.on("page", (opened) =>
      opened.on("pageerror", (error) => pageErrors.push(error.message)),
    );
    page = await context.newPage();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await hub?.stop();
  });

  const opened = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`the ${what} is not open yet`);
    return value;
  };
  const session: DashboardPage = {
    get hub() {
      return opened(hub, "hub");
    },
    get page() {
      return opened(page, "page");
    },
    async signIn(token, { path = "", at = session.hub } = {}) {
      await session.page.goto(`${at.url}/dashboard/${path}`);
      await session.page.getByLabel("Control token").fill(token);
      await session.page.getByRole("button", { name: "Sign in" }).click();
      await session.page.locator(".connection[data-state='open']").waitFor();
    },
    async go(view) {
      await session.page
        .getByRole("navigation", { name: "Views" })
        .getByRole("link", { name: view })
        .click();
      await session.page.locator("#view-title").filter({ hasText: view }).waitFor();
    },
    async screenshot(name, fullPage = false) {
      await session.page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage });
    },
    replaceHub(next) {
      hub = next;
    },
  };
  return session;
}

/**
 * `useDashboardPage` on a hub that also takes `tokens.worker`, with a client signed in with it as a
 * worker is (`worker()`), closed after the file: for the views a worker feeds.
 */
export function useDashboardWithWorker(
  tokens: { control: string; worker: string },
  options: { waitMs?: number } = {},
): DashboardPage & { worker(): LandaleClient } {
  let worker: LandaleClient | null = null;
  const dashboard = useDashboardPage(async () => {
    const hub = await spawnHub({
      main: HUB_MAIN,
      env: { LANDALE_TOKEN: tokens.control, LANDALE_WORKER_TOKEN: tokens.worker },
      stopAfter: "caller",
    });
    worker = createClient({ url: hub.socketUrl, params: { token: tokens.worker } });
    return hub;
  }, options);
  afterAll(() => worker?.close());
  return Object.assign(dashboard, {
    worker() {
      if (worker === null) throw new Error("the worker's client is not open yet");
      return worker;
    },
  });
}
