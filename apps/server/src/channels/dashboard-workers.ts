/**
 * The workers' part of the dashboard: the `worker:*` commands of `dashboard:main`, the older
 * `dashboard:services` topic (`start`/`stop`/`restart`/`get_status` with `{service}`), and
 * `services_status` pushed on both whenever a worker's state or health changes. A hub run
 * without a supervisor (tests, `LANDALE_WORKERS=none`) reports no workers.
 */
import { type ChannelHandler, error, ok } from "@landale/channels";
import {
  DASHBOARD,
  DASHBOARD_SERVICES,
  PUSH,
  type ServicesStatus,
  WORKER_COMMANDS,
  WorkerCommand,
  type WorkerCommandName,
} from "@landale/shared";
import type { Principal } from "../auth";
import type { Broadcast } from "../broadcast";
import { AppError } from "../errors";
import type { WorkerSupervisor } from "../workers/supervisor";
import { commandPayload } from "./payload";
import { answersPing } from "./ping";

const NONE: ServicesStatus = { workers: [] };

export function isWorkerCommand(event: string): event is WorkerCommandName {
  return (WORKER_COMMANDS as readonly string[]).includes(event);
}

export function servicesStatus(workers: WorkerSupervisor | null): ServicesStatus {
  return workers?.status() ?? NONE;
}

export async function workerCommand(
  workers: WorkerSupervisor | null,
  command: WorkerCommandName,
  payload: unknown,
): Promise<ServicesStatus> {
  if (command === "worker:get_status") return servicesStatus(workers);
  const { name } = commandPayload(WorkerCommand, payload);
  if (workers === null) throw new AppError(404, "unknown_worker", `no worker named "${name}"`);
  switch (command) {
    case "worker:start":
      return workers.start(name);
    case "worker:stop":
      return workers.stop(name);
    case "worker:restart":
      return workers.restart(name);
  }
}

/** `dashboard:services`, for the older clients: control scope, the same commands unprefixed. */
export function createServicesChannel(workers: WorkerSupervisor | null): ChannelHandler<Principal> {
  return answersPing({
    join(_topic, _payload, ctx) {
      if (ctx.assigns.scope !== "control") {
        return error({
          code: "forbidden",
          message: `${DASHBOARD_SERVICES.name} needs the control scope`,
        });
      }
      return ok({});
    },
    afterJoin(ctx) {
      ctx.push(PUSH.servicesStatus, servicesStatus(workers));
    },
    handleIn(event, payload, ctx) {
      const command = `worker:${event}`;
      if (!(DASHBOARD_SERVICES.commands as readonly string[]).includes(event)) {
        return error({
          code: "unhandled_event",
          message: `${DASHBOARD_SERVICES.name} takes ${DASHBOARD_SERVICES.commands.join(", ")} and ping`,
        });
      }
      const reply = ctx.deferReply();
      Promise.resolve()
        .then(() => workerCommand(workers, command as WorkerCommandName, payload ?? {}))
        .then(
          (answer) => reply(ok(answer)),
          (err: unknown) =>
            reply(
              error(
                err instanceof AppError
                  ? err.body()
                  : { code: "internal", message: `${event} failed` },
              ),
            ),
        );
      return undefined;
    },
  });
}

/** Pushes `services_status` on both topics whenever it changes, until the returned function is called. */
export function startServicesPush(
  broadcast: Broadcast,
  workers: WorkerSupervisor | null,
): () => void {
  if (workers === null) return () => {};
  return workers.onChange((status) => {
    broadcast(DASHBOARD.name, PUSH.servicesStatus, status);
    broadcast(DASHBOARD_SERVICES.name, PUSH.servicesStatus, status);
  });
}
