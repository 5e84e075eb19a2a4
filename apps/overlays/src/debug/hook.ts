/**
 * `window.__landale`, the page's debug hook for tests and for a person in the browser console:
 *
 * - `page` — which overlay this is;
 * - `activeTweens()` — GSAP tweens and timelines still alive (0 when the page is idle);
 * - `timers()` — timeouts the page still owns (0 when idle);
 * - `layerStates()` — each layer's phase (`hidden`, `entering`, `active`, `interrupted`, `exiting`);
 * - `connection()` — the hub client's status (state, attempts, queue depth, invalid, …).
 *
 * Components register what they own in the page's `DebugRegistry`; the hook reads it live.
 */
import type { ClientStatus } from "@landale/client";
import { gsap } from "gsap";
import { createContext, createSignal, onCleanup, useContext } from "solid-js";
import type { Layer, Phase } from "../orchestrator/machine";

export type LayerStates = Partial<Record<Layer, Phase>>;

export interface LandaleDebugHook {
  page: string;
  activeTweens(): number;
  timers(): number;
  layerStates(): LayerStates;
  connection(): ClientStatus | null;
}

declare global {
  interface Window {
    __landale?: LandaleDebugHook;
  }
}

/** What the page's parts report to the hook; each registration ends with its owner. */
export interface DebugRegistry {
  layers(source: () => LayerStates): void;
  timers(source: () => number): void;
  connection(source: () => ClientStatus): void;
  /** Every registered layer's phase; reactive, for the debug panel. */
  layerStates(): LayerStates;
}

export const DebugContext = createContext<DebugRegistry>();

export function useDebugRegistry(): DebugRegistry | undefined {
  return useContext(DebugContext);
}

/** GSAP's live tweens and timelines: the global timeline drops each one as it ends or is killed. */
export function liveTweens(): number {
  return gsap.globalTimeline.getChildren(true, true, true).length;
}

/** Installs `window.__landale` for this page's owner and removes it on cleanup. */
export function installDebugHook(page: string): DebugRegistry {
  // Signals, so the debug panel follows sources registered after it rendered.
  const [layerSources, setLayerSources] = createSignal<readonly (() => LayerStates)[]>([]);
  const [timerSources, setTimerSources] = createSignal<readonly (() => number)[]>([]);
  const [connectionSource, setConnectionSource] = createSignal<(() => ClientStatus) | null>(null);

  const register = <T>(
    set: (change: (sources: readonly T[]) => readonly T[]) => void,
    source: T,
  ) => {
    set((sources) => [...sources, source]);
    onCleanup(() => set((sources) => sources.filter((other) => other !== source)));
  };
  const layerStates = (): LayerStates =>
    Object.assign({}, ...layerSources().map((source) => source()));

  const hook: LandaleDebugHook = {
    page,
    activeTweens: liveTweens,
    timers: () => timerSources().reduce((sum, source) => sum + source(), 0),
    layerStates,
    connection: () => connectionSource()?.() ?? null,
  };
  window.__landale = hook;
  onCleanup(() => {
    if (window.__landale === hook) delete window.__landale;
  });

  return {
    layers: (source) => register(setLayerSources, source),
    timers: (source) => register(setTimerSources, source),
    connection(source) {
      setConnectionSource(() => source);
      onCleanup(() => setConnectionSource((current) => (current === source ? null : current)));
    },
    layerStates,
  };
}
