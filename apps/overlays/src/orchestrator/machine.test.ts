import { describe, expect, it } from "bun:test";
import {
  type Command,
  type Identified,
  type Input,
  initialState,
  type Layer,
  type MachineState,
  type Phase,
  phases,
  REPORTING,
  type Step,
  step,
} from "./machine";

interface Content extends Identified {
  data?: string;
}

const item = (id: string, data?: string): Content => (data === undefined ? { id } : { id, data });

type Wanted = Partial<Record<Layer, Content | null>>;

function sync(state: MachineState<Content>, wanted: Wanted): Step<Content> {
  return step(state, {
    type: "sync",
    layers: {
      foreground: wanted.foreground ?? null,
      midground: wanted.midground ?? null,
      background: wanted.background ?? null,
    },
  });
}

/** Reports every reporting command of a step back to the machine, one after another. */
function finish(stepped: Step<Content>): Step<Content> {
  let state = stepped.state;
  const commands: Command[] = [];
  for (const command of stepped.commands) {
    const report = REPORTING[command.animation];
    if (report === null) continue;
    const next = step(state, { type: report, layer: command.layer, run: command.run });
    state = next.state;
    commands.push(...next.commands);
  }
  return { state, commands };
}

/** A state reached from nothing by syncing `wanted` and finishing every animation it starts. */
function settled(wanted: Wanted): MachineState<Content> {
  let current = sync(initialState<Content>(), wanted);
  while (current.commands.some((command) => REPORTING[command.animation] !== null)) {
    current = finish(current);
  }
  return current.state;
}

const only = (commands: Command[]) => commands.map(({ layer, animation }) => [layer, animation]);

function expectPhases(state: MachineState<Content>, expected: Partial<Record<Layer, Phase>>) {
  expect(phases(state)).toEqual({
    foreground: "hidden",
    midground: "hidden",
    background: "hidden",
    ...expected,
  });
}

describe("one layer", () => {
  it("starts with every layer hidden and empty", () => {
    const state = initialState<Content>();
    expectPhases(state, {});
    expect(state.foreground.content).toBeNull();
  });

  it("enters content that is wanted: hidden → entering", () => {
    const { state, commands } = sync(initialState(), { background: item("a") });
    expectPhases(state, { background: "entering" });
    expect(state.background.content).toEqual(item("a"));
    expect(commands).toEqual([{ layer: "background", animation: "enter", run: 1 }]);
  });

  it("becomes active when the enter animation reports: entering → active", () => {
    const entering = sync(initialState(), { background: item("a") });
    const { state, commands } = step(entering.state, {
      type: "entered",
      layer: "background",
      run: 1,
    });
    expectPhases(state, { background: "active" });
    expect(commands).toEqual([]);
  });

  it("exits when the content goes away: active → exiting, keeping the content to animate out", () => {
    const { state, commands } = sync(settled({ background: item("a") }), {});
    expectPhases(state, { background: "exiting" });
    expect(state.background.content).toEqual(item("a"));
    expect(only(commands)).toEqual([["background", "exit"]]);
  });

  it("is hidden and empty once the exit animation reports: exiting → hidden", () => {
    const exiting = sync(settled({ background: item("a") }), {});
    const { state, commands } = finish(exiting);
    expectPhases(state, {});
    expect(state.background.content).toBeNull();
    expect(commands).toEqual([]);
  });

  it("exits from entering when the content goes away mid-enter", () => {
    const entering = sync(initialState(), { foreground: item("a") });
    const { state, commands } = sync(entering.state, {});
    expectPhases(state, { foreground: "exiting" });
    expect(commands).toEqual([{ layer: "foreground", animation: "exit", run: 2 }]);
  });

  it("does nothing when nothing is wanted and nothing shows", () => {
    const { state, commands } = sync(initialState(), {});
    expectPhases(state, {});
    expect(commands).toEqual([]);
  });

  it("updates content with the same id in place, without animating", () => {
    const active = settled({ midground: item("train", "count 1") });
    const { state, commands } = sync(active, { midground: item("train", "count 2") });
    expectPhases(state, { midground: "active" });
    expect(state.midground.content).toEqual(item("train", "count 2"));
    expect(commands).toEqual([]);
  });

  it("updates content with the same id while entering, without restarting the enter", () => {
    const entering = sync(initialState(), { midground: item("train", "count 1") });
    const { state, commands } = sync(entering.state, { midground: item("train", "count 2") });
    expectPhases(state, { midground: "entering" });
    expect(state.midground.content?.data).toBe("count 2");
    expect(commands).toEqual([]);
  });

  it("returns the same state for a repeated sync", () => {
    const active = settled({ foreground: item("a") });
    const { state, commands } = sync(active, { foreground: item("a") });
    expect(phases(state)).toEqual(phases(active));
    expect(commands).toEqual([]);
  });
});

describe("new content on a shown layer", () => {
  it("re-animates an active layer: the old content exits, then the new one enters", () => {
    const exiting = sync(settled({ foreground: item("a") }), { foreground: item("b") });
    expectPhases(exiting.state, { foreground: "exiting" });
    expect(exiting.state.foreground.content).toEqual(item("a"));
    expect(only(exiting.commands)).toEqual([["foreground", "exit"]]);

    const entering = finish(exiting);
    expectPhases(entering.state, { foreground: "entering" });
    expect(entering.state.foreground.content).toEqual(item("b"));
    expect(only(entering.commands)).toEqual([["foreground", "enter"]]);
  });

  it("re-animates an entering layer: the half-entered content exits first", () => {
    const entering = sync(initialState(), { foreground: item("a") });
    const exiting = sync(entering.state, { foreground: item("b") });
    expectPhases(exiting.state, { foreground: "exiting" });
    expect(only(finish(exiting).commands)).toEqual([["foreground", "enter"]]);
    expect(finish(exiting).state.foreground.content).toEqual(item("b"));
  });

  it("enters only the latest content when it changes twice during one exit", () => {
    const exiting = sync(settled({ foreground: item("a") }), { foreground: item("b") });
    const changed = sync(exiting.state, { foreground: item("c") });
    expect(changed.commands).toEqual([]);
    const run = exiting.commands[0]?.run ?? -1;
    const { state, commands } = step(changed.state, { type: "exited", layer: "foreground", run });
    expect(state.foreground.content).toEqual(item("c"));
    expect(only(commands)).toEqual([["foreground", "enter"]]);
  });
});

describe("a show during exiting", () => {
  it("is remembered and entered once the exit finishes", () => {
    const exiting = sync(settled({ background: item("a") }), {});
    const shown = sync(exiting.state, { background: item("b") });
    expectPhases(shown.state, { background: "exiting" });
    expect(shown.commands).toEqual([]);

    const run = exiting.commands[0]?.run ?? -1;
    const { state, commands } = step(shown.state, { type: "exited", layer: "background", run });
    expectPhases(state, { background: "entering" });
    expect(state.background.content).toEqual(item("b"));
    expect(only(commands)).toEqual([["background", "enter"]]);
  });

  it("re-enters the same content that was being taken away", () => {
    const exiting = sync(settled({ background: item("a") }), {});
    const back = sync(exiting.state, { background: item("a") });
    const run = exiting.commands[0]?.run ?? -1;
    const { state, commands } = step(back.state, { type: "exited", layer: "background", run });
    expectPhases(state, { background: "entering" });
    expect(only(commands)).toEqual([["background", "enter"]]);
  });

  it("ends hidden when the show is withdrawn again before the exit finishes", () => {
    const exiting = sync(settled({ background: item("a") }), {});
    const shown = sync(exiting.state, { background: item("b") });
    const withdrawn = sync(shown.state, {});
    const run = exiting.commands[0]?.run ?? -1;
    const { state, commands } = step(withdrawn.state, { type: "exited", layer: "background", run });
    expectPhases(state, {});
    expect(commands).toEqual([]);
  });
});

describe("stale completions", () => {
  it("ignores an entered whose run is not the layer's current one", () => {
    const entering = sync(initialState(), { foreground: item("a") });
    const { state, commands } = step(entering.state, {
      type: "entered",
      layer: "foreground",
      run: 99,
    });
    expect(state).toBe(entering.state);
    expect(commands).toEqual([]);
  });

  it("ignores the entered of an enter that an exit replaced", () => {
    const entering = sync(initialState(), { foreground: item("a") });
    const exiting = sync(entering.state, {});
    const { state } = step(exiting.state, { type: "entered", layer: "foreground", run: 1 });
    expectPhases(state, { foreground: "exiting" });
  });

  it("ignores an exited when the layer is not exiting", () => {
    const active = settled({ foreground: item("a") });
    const { state } = step(active, { type: "exited", layer: "foreground", run: 1 });
    expect(state).toBe(active);
  });

  it("ignores an entered for a layer that is not entering", () => {
    const active = settled({ foreground: item("a") });
    const { state } = step(active, {
      type: "entered",
      layer: "foreground",
      run: active.foreground.run,
    });
    expect(state).toBe(active);
  });

  it("gives every command of a layer a new run", () => {
    let current = sync(initialState(), { foreground: item("a") });
    const runs = [current.commands[0]?.run];
    current = sync(current.state, { foreground: item("b") });
    runs.push(current.commands[0]?.run);
    current = finish(current);
    runs.push(current.commands[0]?.run);
    expect(runs).toEqual([1, 2, 3]);
  });
});

describe("priorities", () => {
  it("a higher layer entering interrupts the active lower one: active → interrupted", () => {
    const { state, commands } = sync(settled({ background: item("ticker") }), {
      foreground: item("alert"),
      background: item("ticker"),
    });
    expectPhases(state, { foreground: "entering", background: "interrupted" });
    expect(only(commands)).toEqual([
      ["foreground", "enter"],
      ["background", "interrupt"],
    ]);
  });

  it("interrupts a lower layer that is still entering: entering → interrupted", () => {
    const entering = sync(initialState(), { background: item("ticker") });
    const { state, commands } = sync(entering.state, {
      foreground: item("alert"),
      background: item("ticker"),
    });
    expectPhases(state, { foreground: "entering", background: "interrupted" });
    expect(only(commands)).toContainEqual(["background", "interrupt"]);
    // The interrupted enter's completion no longer counts.
    const late = step(state, { type: "entered", layer: "background", run: 1 });
    expectPhases(late.state, { foreground: "entering", background: "interrupted" });
  });

  it("shows only the highest layer when all three are wanted at once", () => {
    const { state, commands } = sync(initialState(), {
      foreground: item("alert"),
      midground: item("train"),
      background: item("ticker"),
    });
    expectPhases(state, { foreground: "entering" });
    expect(only(commands)).toEqual([["foreground", "enter"]]);
    expect(state.midground.wanted).toEqual(item("train"));
  });

  it("keeps a lower layer hidden while a higher one holds the stage, then enters it", () => {
    const covered = sync(settled({ foreground: item("alert") }), {
      foreground: item("alert"),
      background: item("ticker"),
    });
    expectPhases(covered.state, { foreground: "active" });
    expect(covered.commands).toEqual([]);

    const exiting = sync(covered.state, { background: item("ticker") });
    expectPhases(exiting.state, { foreground: "exiting" });
    const after = finish(exiting);
    expectPhases(after.state, { background: "entering" });
    expect(only(after.commands)).toEqual([["background", "enter"]]);
  });

  it("interrupts every lower layer: the midground and the already-interrupted background", () => {
    const ticker = settled({ background: item("ticker") });
    const train = finish(sync(ticker, { midground: item("train"), background: item("ticker") }));
    expectPhases(train.state, { midground: "active", background: "interrupted" });

    const alert = sync(train.state, {
      foreground: item("alert"),
      midground: item("train"),
      background: item("ticker"),
    });
    expectPhases(alert.state, {
      foreground: "entering",
      midground: "interrupted",
      background: "interrupted",
    });
    expect(only(alert.commands)).toEqual([
      ["foreground", "enter"],
      ["midground", "interrupt"],
    ]);
  });

  it("resumes only the highest interrupted layer when the higher one exits", () => {
    const ticker = settled({ background: item("ticker") });
    const train = finish(sync(ticker, { midground: item("train"), background: item("ticker") }));
    const alert = finish(
      sync(train.state, {
        foreground: item("alert"),
        midground: item("train"),
        background: item("ticker"),
      }),
    );
    expectPhases(alert.state, {
      foreground: "active",
      midground: "interrupted",
      background: "interrupted",
    });

    const exiting = sync(alert.state, { midground: item("train"), background: item("ticker") });
    expectPhases(exiting.state, {
      foreground: "exiting",
      midground: "interrupted",
      background: "interrupted",
    });
    expect(only(exiting.commands)).toEqual([["foreground", "exit"]]);

    const resumed = finish(exiting);
    expectPhases(resumed.state, { midground: "entering", background: "interrupted" });
    expect(only(resumed.commands)).toEqual([["midground", "resume"]]);

    const active = finish(resumed);
    expectPhases(active.state, { midground: "active", background: "interrupted" });
  });

  it("resumes the background once no higher layer is left: interrupted → entering → active", () => {
    const ticker = settled({ background: item("ticker") });
    const alert = finish(sync(ticker, { foreground: item("alert"), background: item("ticker") }));
    const resumed = finish(sync(alert.state, { background: item("ticker") }));
    expectPhases(resumed.state, { background: "entering" });
    expect(only(resumed.commands)).toEqual([["background", "resume"]]);
    expectPhases(finish(resumed).state, { background: "active" });
  });

  it("keeps lower layers interrupted while the higher one is exiting", () => {
    const alert = finish(
      sync(settled({ background: item("ticker") }), {
        foreground: item("alert"),
        background: item("ticker"),
      }),
    );
    const { state } = sync(alert.state, { background: item("ticker") });
    expectPhases(state, { foreground: "exiting", background: "interrupted" });
  });

  it("does not interrupt a lower layer that is exiting; it finishes and waits hidden", () => {
    const exiting = sync(settled({ background: item("old") }), { background: item("new") });
    const alert = sync(exiting.state, { foreground: item("alert"), background: item("new") });
    expectPhases(alert.state, { foreground: "entering", background: "exiting" });
    const afterExit = step(alert.state, {
      type: "exited",
      layer: "background",
      run: exiting.commands[0]?.run ?? -1,
    });
    expectPhases(afterExit.state, { foreground: "entering" });
    expect(afterExit.commands).toEqual([]);
    expect(afterExit.state.background.wanted).toEqual(item("new"));
  });

  it("updates an interrupted layer's data in place and resumes it with the new data", () => {
    const alert = finish(
      sync(settled({ midground: item("train", "1") }), {
        foreground: item("alert"),
        midground: item("train", "1"),
      }),
    );
    const updated = sync(alert.state, { foreground: item("alert"), midground: item("train", "2") });
    expect(updated.commands).toEqual([]);
    expectPhases(updated.state, { foreground: "active", midground: "interrupted" });
    const resumed = finish(sync(updated.state, { midground: item("train", "2") }));
    expect(resumed.state.midground.content?.data).toBe("2");
    expect(only(resumed.commands)).toEqual([["midground", "resume"]]);
  });

  it("exits an interrupted layer whose content goes away: interrupted → exiting → hidden", () => {
    const alert = finish(
      sync(settled({ midground: item("train") }), {
        foreground: item("alert"),
        midground: item("train"),
      }),
    );
    const gone = sync(alert.state, { foreground: item("alert") });
    expectPhases(gone.state, { foreground: "active", midground: "exiting" });
    expect(only(gone.commands)).toEqual([["midground", "exit"]]);
    expectPhases(finish(gone).state, { foreground: "active" });
  });

  it("exits an interrupted layer whose content changes, and enters the new one when uncovered", () => {
    const alert = finish(
      sync(settled({ midground: item("train-1") }), {
        foreground: item("alert"),
        midground: item("train-1"),
      }),
    );
    const changed = finish(sync(alert.state, { foreground: item("alert"), midground: item("t2") }));
    expectPhases(changed.state, { foreground: "active" });
    expect(changed.commands).toEqual([]);
    const uncovered = finish(sync(changed.state, { midground: item("t2") }));
    expectPhases(uncovered.state, { midground: "entering" });
    expect(uncovered.state.midground.content).toEqual(item("t2"));
    expect(only(uncovered.commands)).toEqual([["midground", "enter"]]);
  });

  it("lets a new alert replace the old one while lower layers stay interrupted", () => {
    const alert = finish(
      sync(settled({ background: item("ticker") }), {
        foreground: item("a1"),
        background: item("ticker"),
      }),
    );
    const next = sync(alert.state, { foreground: item("a2"), background: item("ticker") });
    expectPhases(next.state, { foreground: "exiting", background: "interrupted" });
    const entered = finish(next);
    expectPhases(entered.state, { foreground: "entering", background: "interrupted" });
    expect(only(entered.commands)).toEqual([["foreground", "enter"]]);
  });

  it("a midground entering interrupts the background but is itself below the foreground", () => {
    const alert = settled({ foreground: item("alert") });
    const { state, commands } = sync(alert, {
      foreground: item("alert"),
      midground: item("train"),
    });
    expectPhases(state, { foreground: "active" });
    expect(commands).toEqual([]);
  });

  it("interrupts a resuming layer again when a new higher layer arrives", () => {
    const alert = finish(
      sync(settled({ background: item("ticker") }), {
        foreground: item("a1"),
        background: item("ticker"),
      }),
    );
    const resuming = finish(sync(alert.state, { background: item("ticker") }));
    expectPhases(resuming.state, { background: "entering" });
    const again = sync(resuming.state, { foreground: item("a2"), background: item("ticker") });
    expectPhases(again.state, { foreground: "entering", background: "interrupted" });
    expect(only(again.commands)).toEqual([
      ["foreground", "enter"],
      ["background", "interrupt"],
    ]);
  });
});

describe("purity", () => {
  it("never changes the state it is given", () => {
    const before = settled({ background: item("ticker") });
    const snapshot = structuredClone(before);
    const inputs: Input<Content>[] = [
      {
        type: "sync",
        layers: { foreground: item("a"), midground: null, background: item("ticker") },
      },
      { type: "entered", layer: "background", run: before.background.run },
      { type: "exited", layer: "background", run: before.background.run },
    ];
    for (const input of inputs) step(before, input);
    expect(before).toEqual(snapshot);
  });
});
