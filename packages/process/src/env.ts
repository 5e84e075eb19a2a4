/**
 * The shapes a worker's settings take in its environment, shared so each reads the same way in
 * every worker: blank is unset, ports are 0–65535, URLs are http(s) without a trailing slash,
 * switches are 1/0/true/false.
 */
import { z } from "zod";

/** A trimmed value, or null when unset or blank. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? null : value.trim()));

/** A TCP port (0 for any free one). */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

/** A whole number in [min, max] (milliseconds, counts). */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** An http:// or https:// URL without its trailing slashes, or `fallback` when unset. */
export const httpUrl = (fallback: string | null) =>
  optionalText
    .transform((value) => value ?? fallback)
    .refine(
      (value) =>
        value === null || (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)),
      "must be an http:// or https:// URL",
    )
    .transform((value) => (value === null ? null : value.replace(/\/+$/, "")));

/** A switch: "1" or "true" is on; unset, "", "0" or "false" is off. */
export const flag = z
  .enum(["", "0", "1", "false", "true"])
  .default("")
  .transform((value) => value === "1" || value === "true");
