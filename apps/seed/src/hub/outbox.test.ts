import { describe, expect, it } from "bun:test";
import { PushError, type Reply } from "@landale/client";
import { createLogger } from "@landale/logger";
import type { StreamContext } from "@landale/shared";
import { Outbox } from "./outbox";

const logger = createLogger({ name: "seed-test", level: "silent" });

/** Enough of a context for the outbox, which only reads its id. */
const context = (id: string) => ({ id }) as StreamContext;

/** A hub side that answers each push with the next scripted outcome (then ok). */
function hub(script: Array<Reply | PushError>) {
  const sent: string[] = [];
  const send = async (ctx: StreamContext): Promise<Reply> => {
    sent.push(ctx.id);
    const next = script.shift() ?? { status: "ok", response: { id: ctx.id } };
    if (next instanceof PushError) throw next;
    return next;
  };
  return { sent, send };
}

describe("Outbox", () => {
  it("sends contexts in order, one at a time", async () => {
    const { sent, send } = hub([]);
    const outbox = new Outbox({ send, capacity: 10, retryDelay: () => 1, logger });
    for (const id of ["a", "b", "c"]) outbox.add(context(id));
    await outbox.drained();
    expect(sent).toEqual(["a", "b", "c"]);
    expect(outbox.stats()).toMatchObject({ depth: 0, acked: 3, resends: 0 });
  });

  it("resends the same context until the hub acknowledges it", async () => {
    const { sent, send } = hub([
      new PushError("timeout", "no reply"),
      { status: "error", response: { code: "store_failed", message: "db down" } },
    ]);
    const outbox = new Outbox({ send, capacity: 10, retryDelay: () => 1, logger });
    outbox.add(context("a"));
    outbox.add(context("b"));
    await outbox.drained();
    expect(sent).toEqual(["a", "a", "a", "b"]);
    expect(outbox.stats()).toMatchObject({ acked: 2, resends: 2, refused: 0 });
  });

  it("drops a context the hub refuses as invalid instead of resending it", async () => {
    const { sent, send } = hub([
      { status: "error", response: { code: "invalid_context", message: "bad" } },
    ]);
    const outbox = new Outbox({ send, capacity: 10, retryDelay: () => 1, logger });
    outbox.add(context("bad"));
    outbox.add(context("good"));
    await outbox.drained();
    expect(sent).toEqual(["bad", "good"]);
    expect(outbox.stats()).toMatchObject({ acked: 1, refused: 1 });
  });

  it("drops the oldest waiting context past its capacity, never the one on the wire", async () => {
    let release: (reply: Reply) => void = () => {};
    const sent: string[] = [];
    const send = (ctx: StreamContext) => {
      sent.push(ctx.id);
      return sent.length === 1
        ? new Promise<Reply>((resolve) => {
            release = resolve;
          })
        : Promise.resolve<Reply>({ status: "ok", response: {} });
    };
    const outbox = new Outbox({ send, capacity: 2, retryDelay: () => 1, logger });
    for (const id of ["a", "b", "c"]) outbox.add(context(id));
    expect(outbox.stats()).toMatchObject({ depth: 2, dropped: 1 });
    release({ status: "ok", response: {} });
    await outbox.drained();
    expect(sent).toEqual(["a", "c"]);
  });

  it("gives up what waits when stopped", async () => {
    const { send } = hub([new PushError("timeout", "no reply")]);
    const outbox = new Outbox({ send, capacity: 10, retryDelay: () => 60_000, logger });
    outbox.add(context("a"));
    const drained = outbox.drained();
    outbox.stop();
    await drained;
    expect(outbox.stats().depth).toBe(0);
  });
});
