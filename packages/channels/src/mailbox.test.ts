import { describe, expect, it } from "bun:test";
import { Mailbox, settle } from "./mailbox";

describe("Mailbox", () => {
  it("runs an async task's successor only once it has settled", async () => {
    const mailbox = new Mailbox(10);
    const ran: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    mailbox.enqueue(() => {
      ran.push("slow start");
      return held.then(() => {
        ran.push("slow end");
      });
    });
    const done = new Promise<void>((resolve) => {
      mailbox.enqueue(() => {
        ran.push("next");
        resolve();
      });
    });
    expect(ran).toEqual(["slow start"]);
    release();
    await done;
    expect(ran).toEqual(["slow start", "slow end", "next"]);
  });

  it("runs a task queued from inside the running one after it", () => {
    const mailbox = new Mailbox(10);
    const ran: string[] = [];
    mailbox.enqueue(() => {
      mailbox.enqueue(() => {
        ran.push("inner");
      });
      ran.push("outer");
    });
    expect(ran).toEqual(["outer", "inner"]);
  });

  it("refuses a task when the limit is waiting, running nothing", () => {
    const mailbox = new Mailbox(2);
    const pending = new Promise<void>(() => {});
    let ranRefused = false;
    expect(mailbox.enqueue(() => pending)).toBe(true);
    expect(mailbox.enqueue(() => {})).toBe(true);
    expect(
      mailbox.enqueue(() => {
        ranRefused = true;
      }),
    ).toBe(false);
    expect(ranRefused).toBe(false);
  });
});

describe("settle", () => {
  it("hands a sync value over in the same tick", () => {
    let value = 0;
    expect(
      settle(
        () => 1,
        (v) => (value = v),
        () => {},
      ),
    ).toBeUndefined();
    expect(value).toBe(1);
  });

  it("hands a throw or a rejection to onError", async () => {
    const errors: unknown[] = [];
    settle(
      () => {
        throw new Error("sync");
      },
      () => {},
      (err) => errors.push(err),
    );
    await settle(
      () => Promise.reject(new Error("async")),
      () => {},
      (err) => errors.push(err),
    );
    expect(errors.map((err) => (err as Error).message)).toEqual(["sync", "async"]);
  });
});
