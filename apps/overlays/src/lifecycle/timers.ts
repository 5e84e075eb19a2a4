/**
 * Timeouts with an owner: each one is cleared when the owner is cleaned up, and the number still
 * pending is counted so the debug hook can show that an idle page has none.
 */
import { onCleanup } from "solid-js";
import { useDebugRegistry } from "../debug/hook";

export interface Timers {
  /** Runs `callback` after `ms`; returns the function that cancels it. */
  after(ms: number, callback: () => void): () => void;
  pending(): number;
}

export function createTimers(): Timers {
  const handles = new Set<ReturnType<typeof setTimeout>>();
  onCleanup(() => {
    for (const handle of handles) clearTimeout(handle);
    handles.clear();
  });
  const timers: Timers = {
    after(ms, callback) {
      const handle = setTimeout(() => {
        handles.delete(handle);
        callback();
      }, ms);
      handles.add(handle);
      return () => {
        clearTimeout(handle);
        handles.delete(handle);
      };
    },
    pending: () => handles.size,
  };
  useDebugRegistry()?.timers(timers.pending);
  return timers;
}
