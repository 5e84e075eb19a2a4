import { afterEach, describe, expect, it } from "bun:test";
import { AppError } from "../errors";
import { Turns } from "./turns";

/** Holds the thread for `ms`, as parsing a large body does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe("Turns", () => {
  it("gives each step a turn of its own, in order, with a first step ahead of those waiting", async () => {
    const turns = new Turns();
    const order: string[] = [];
    const step = (name: string, first = false) =>
      turns.take(first).then(() => {
        order.push(name);
        // What the step starts in its turn finishes before the next step's turn.
        return Promise.resolve()
          .then(() => Promise.resolve())
          .then(() => order.push(`${name} done`));
      });
    // Nothing waits, so the first step has this turn; the others wait for theirs.
    await Promise.all([step("a"), step("b"), step("c"), step("window", true), step("d")]);
    expect(order).toEqual([
      "a",
      "a done",
      "window",
      "window done",
      "b",
      "b done",
      "c",
      "c done",
      "d",
      "d done",
    ]);
    expect(turns.stats()).toEqual({ waiting: 0, refused: 0 });
  });

  it("serves a socket between two steps, not after every step waiting", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
    stops.push(() => server.stop(true));
    const turns = new Turns();
    let stepsRun = 0;
    const steps = Array.from({ length: 200 }, () =>
      turns.take().then(() => {
        busy(2);
        stepsRun++;
      }),
    );
    const answered = fetch(server.url).then(async (response) => {
      await response.text();
      return stepsRun;
    });
    // Taken all in one turn, the steps would all have run before the answer was read.
    expect(await answered).toBeLessThan(steps.length);
    await Promise.all(steps);
    expect(stepsRun).toBe(steps.length);
  });

  it("refuses a step past its limit with 503 backpressure, counted, but never a first one", async () => {
    const turns = new Turns(2);
    // The first has this turn at once; the next two wait.
    const waiting = [turns.take(), turns.take(), turns.take()];
    const refused = await turns.take().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, code: "backpressure" });
    const first = turns.take(true);
    expect(turns.stats()).toEqual({ waiting: 3, refused: 1 });
    await Promise.all([...waiting, first]);
    expect(turns.stats()).toEqual({ waiting: 0, refused: 1 });
  });

  it("lets every waiting step go on at stop, and later ones without waiting", async () => {
    const turns = new Turns();
    const gone: string[] = [];
    const waiting = ["a", "b", "c"].map((name) => turns.take().then(() => gone.push(name)));
    expect(turns.stats().waiting).toBe(2);
    turns.stop();
    await Promise.all(waiting);
    expect(gone).toEqual(["a", "b", "c"]);
    await turns.take();
    expect(turns.stats()).toEqual({ waiting: 0, refused: 0 });
  });
});
