/**
 * The choice of serializer: the client picks one with the `vsn` socket param, none or "1.0.0" →
 * V1, "2.0.0" → V2 (Phoenix.Socket's `serializer` option). An unknown `vsn` is refused.
 */
import type { Serializer } from "./serializer";
import { v1 } from "./v1";
import { v2 } from "./v2";

export const DEFAULT_VSN = "1.0.0";
export const SERIALIZERS: readonly Serializer[] = [v1, v2];

/** The serializer for a `vsn` socket param, or null when that version is not supported. */
export function negotiate(vsn: string | null): Serializer | null {
  const wanted = vsn ?? DEFAULT_VSN;
  return SERIALIZERS.find((s) => s.vsn === wanted) ?? null;
}

export { type Serializer, v1, v2 };
