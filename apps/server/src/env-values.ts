/** The kinds of value the hub's settings take, as zod schemas: secrets, lists, URLs, host names. */
import { isIP } from "node:net";
import { z } from "zod";
import { normalizeHostName } from "./auth";

export const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === "" ? null : value))
  .refine((value) => value === null || value.length >= 16, "must be at least 16 characters");

export const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );

/** An absolute URL with one of `schemes`, stored without a trailing slash. */
export const baseUrl = (schemes: readonly string[], fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === "" ? fallback : value))
    .refine(
      (value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        return schemes.includes(url.protocol.slice(0, -1)) && url.search === "" && url.hash === "";
      },
      `must be a ${schemes.join(":// or ")}:// URL without query or fragment`,
    )
    .transform((value) => value.replace(/\/+$/, ""));

export const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === "" ? null : value));

const DNS_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** Names the Host header may carry: DNS names or IP addresses, no scheme, port or wildcard. */
export const hostList = commaList
  .transform((names) => names.map(normalizeHostName))
  .superRefine((names, ctx) => {
    for (const name of names) {
      if (isIP(name) === 0 && !DNS_NAME.test(name)) {
        ctx.addIssue({
          code: "custom",
          message: `"${name}" is not a host name or IP address (list names only: no scheme, port or *)`,
        });
      }
    }
  });
