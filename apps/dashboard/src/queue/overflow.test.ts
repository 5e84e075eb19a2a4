import { describe, expect, it } from "bun:test";
import { overflowNote } from "./overflow";

describe("overflowNote", () => {
  it("counts the alerts overflow dropped, one or many", () => {
    expect(overflowNote(1)).toStartWith("1 alert dropped by overflow");
    expect(overflowNote(1200)).toStartWith("1,200 alerts dropped by overflow");
  });

  it("does not claim the count starts with the hub: it is saved with the stream state", () => {
    // `queue_state.dropped` is restored with the rest of the stream state after a restart.
    expect(overflowNote(3)).not.toContain("since start-up");
    expect(overflowNote(3)).toContain("kept across hub restarts");
  });
});
