/**
 * `/api/obs/*` (control scope): the REST mirror of the `obs:*` commands on `dashboard:main` —
 * status, scenes, stats, outputs, inputs and version; the stream and the recording; the program
 * and preview scenes, studio mode; refreshing the browser sources that show this hub's pages.
 * Bodies and answers are the shapes in `@landale/shared` (`api/obs.ts`); OBS's refusals answer
 * with OBS's words (`../obs/failures`).
 */
import { ObsSceneName, ObsStudioMode } from "@landale/shared";
import { Hono } from "hono";
import { invalidInput } from "../errors";
import type { OutputAction } from "../obs/commands";
import type { ObsService } from "../obs/service";
import { jsonBody } from "./body";

const OUTPUT_ACTIONS: readonly OutputAction[] = ["start", "stop", "toggle"];

export function obsRoutes(obs: ObsService): Hono {
  const app = new Hono()
    .get("/status", (c) => c.json(obs.status()))
    .get("/scenes", async (c) => c.json(await obs.scenes()))
    .get("/stats", async (c) => c.json(await obs.stats()))
    .get("/outputs", async (c) => c.json(await obs.outputs()))
    .get("/inputs", async (c) => c.json(await obs.inputs()))
    .get("/version", async (c) => c.json(await obs.version()))
    .post("/record/pause", async (c) => c.json(await obs.pauseRecord(true)))
    .post("/record/resume", async (c) => c.json(await obs.pauseRecord(false)))
    .post("/scene/program", async (c) => {
      const input = ObsSceneName.safeParse(await jsonBody(c.req.raw));
      if (!input.success) throw invalidInput(400, "invalid_scene", input.error);
      return c.json(await obs.setProgramScene(input.data.scene_name));
    })
    .post("/scene/preview", async (c) => {
      const input = ObsSceneName.safeParse(await jsonBody(c.req.raw));
      if (!input.success) throw invalidInput(400, "invalid_scene", input.error);
      return c.json(await obs.setPreviewScene(input.data.scene_name));
    })
    .post("/studio-mode", async (c) => {
      const input = ObsStudioMode.safeParse(await jsonBody(c.req.raw));
      if (!input.success) throw invalidInput(400, "invalid_studio_mode", input.error);
      return c.json(await obs.setStudioMode(input.data.enabled));
    })
    .post("/browser-sources/refresh", async (c) => c.json(await obs.refreshBrowserSources()));
  for (const action of OUTPUT_ACTIONS) {
    app.post(`/stream/${action}`, async (c) => c.json(await obs.stream(action)));
    app.post(`/record/${action}`, async (c) => c.json(await obs.record(action)));
  }
  return app;
}
