/**
 * The hub's secret key: 32 bytes that seal what it stores for Twitch (`sealed.ts`). From
 * `LANDALE_SECRET_KEY` when set — 32 bytes as hex (64 digits) or base64 (standard or URL-safe),
 * else any passphrase of at least 16 characters stretched with scrypt — or else from
 * `<dataDir>/secret.key`, generated once with mode 0600 and refused when anyone else may read it.
 */

import { scryptSync } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export const KEY_BYTES = 32;
export const SECRET_KEY_FILE = "secret.key";
/** scrypt's cost for a passphrase: 2^15 × 8 × 128 bytes = 32 MiB, a fraction of a second once. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
/** A fixed salt: the same passphrase must give the same key on every start. */
const SCRYPT_SALT = "landale-secret-key-v1";

const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/** Key bytes behind a private field, so that logging or serialising a holder never shows them. */
export class SecretKey {
  readonly #bytes: Uint8Array;
  /** Where it came from: `LANDALE_SECRET_KEY`, the key file, or the key file just generated. */
  readonly source: "configured" | "file" | "generated";

  constructor(bytes: Uint8Array, source: SecretKey["source"]) {
    if (bytes.length !== KEY_BYTES) throw new SecretKeyError(`a secret key is ${KEY_BYTES} bytes`);
    this.#bytes = Uint8Array.from(bytes);
    this.source = source;
  }

  bytes(): Uint8Array {
    return this.#bytes;
  }

  toJSON() {
    return { source: this.source };
  }
}

/** The key `LANDALE_SECRET_KEY` stands for (hex, base64, else a passphrase). */
export function keyFromSetting(value: string): SecretKey {
  const trimmed = value.trim();
  if (HEX_KEY.test(trimmed)) return new SecretKey(Buffer.from(trimmed, "hex"), "configured");
  if (BASE64_KEY.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replaceAll("-", "+").replaceAll("_", "/"), "base64");
    if (bytes.length === KEY_BYTES) return new SecretKey(bytes, "configured");
  }
  if (value.length < 16) {
    throw new SecretKeyError(
      "LANDALE_SECRET_KEY must be 32 bytes as base64 or hex, or a passphrase of at least 16 characters",
    );
  }
  return new SecretKey(scryptSync(value, SCRYPT_SALT, KEY_BYTES, SCRYPT), "configured");
}

/**
 * The hub's key: `configured` (LANDALE_SECRET_KEY) when set, else `<dataDir>/secret.key`, made
 * on first start. The file is created exclusively (`wx`) and fsynced, then read back like any
 * existing one, so two hubs starting at once on one data dir end up with the same key.
 */
export function loadSecretKey(configured: string | null, dataDir: string): SecretKey {
  if (configured !== null) return keyFromSetting(configured);
  const path = join(dataDir, SECRET_KEY_FILE);
  const generated = writeNewKeyFile(dataDir, path);
  const key = readKeyFile(path);
  return generated ? new SecretKey(key, "generated") : new SecretKey(key, "file");
}

function writeNewKeyFile(dataDir: string, path: string): boolean {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    const bytes = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
    writeSync(fd, `${Buffer.from(bytes).toString("base64")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readKeyFile(path: string): Uint8Array {
  // Windows has no POSIX modes to check: its ACLs are the data dir's business there.
  if (process.platform !== "win32") {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new SecretKeyError(
        `${path} has mode ${mode.toString(8).padStart(4, "0")}: other users could read the key that ` +
          `seals the stored Twitch grant. Run \`chmod 600 ${path}\` (the hub's user only) and start again.`,
      );
    }
  }
  const text = readFileSync(path, "utf8").trim();
  const bytes = Buffer.from(text, "base64");
  if (!BASE64_KEY.test(text) || bytes.length !== KEY_BYTES) {
    throw new SecretKeyError(
      `${path} is not a secret key (${KEY_BYTES} bytes as base64 on one line). Restore it from a ` +
        "backup; or delete it to have a new one generated, and then sign in to Twitch again.",
    );
  }
  return bytes;
}
