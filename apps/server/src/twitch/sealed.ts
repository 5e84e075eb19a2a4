/**
 * Sealing: AES-256-GCM with a random 12-byte IV, as `v1.<iv>.<ciphertext + tag>` (base64url).
 * The additional data binds a sealed value to where it is stored (e.g. its row id), so a value
 * copied to another place does not open there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretKey } from "./secret-key";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

export class SealError extends Error {
  constructor(
    readonly code: "malformed" | "wrong_key",
    message: string,
  ) {
    super(message);
    this.name = "SealError";
  }
}

export function seal(key: SecretKey, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes(), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export function open(key: SecretKey, sealed: string, aad: string): string {
  const match = SEALED.exec(sealed);
  if (match === null) {
    throw new SealError("malformed", "the sealed value is not v1.<iv>.<ciphertext> (base64url)");
  }
  const iv = Buffer.from(match[1] as string, "base64url");
  const body = Buffer.from(match[2] as string, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key.bytes(), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SealError(
      "wrong_key",
      "the sealed value does not open with this secret key: the key changed since it was sealed " +
        "(LANDALE_SECRET_KEY, or LANDALE_DATA_DIR/secret.key), or the value was altered",
    );
  }
}
