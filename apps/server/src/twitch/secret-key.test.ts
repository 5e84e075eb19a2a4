import { afterEach, describe, expect, it } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyFromSetting, loadSecretKey, SECRET_KEY_FILE, SecretKeyError } from "./secret-key";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "landale-key-"));
  dirs.push(dir);
  return dir;
}
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));

describe("loadSecretKey", () => {
  it("generates the key file once, readable by the hub's user only, and reads it after", () => {
    const dir = dataDir();
    const first = loadSecretKey(null, dir);
    const path = join(dir, SECRET_KEY_FILE);
    expect(first.source).toBe("generated");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe(`${Buffer.from(first.bytes()).toString("base64")}\n`);

    const again = loadSecretKey(null, dir);
    expect(again.source).toBe("file");
    expect(hex(again.bytes())).toBe(hex(first.bytes()));
  });

  it("creates the data dir when it does not exist yet", () => {
    const dir = join(dataDir(), "nested", "data");
    expect(loadSecretKey(null, dir).bytes()).toHaveLength(32);
  });

  it("refuses a key file others may read, saying how to fix it", () => {
    const dir = dataDir();
    loadSecretKey(null, dir);
    const path = join(dir, SECRET_KEY_FILE);
    chmodSync(path, 0o644);
    expect(() => loadSecretKey(null, dir)).toThrow(SecretKeyError);
    expect(() => loadSecretKey(null, dir)).toThrow(`${path} has mode 0644`);
    expect(() => loadSecretKey(null, dir)).toThrow(`chmod 600 ${path}`);
  });

  it("refuses a key file that is not a key", () => {
    const dir = dataDir();
    writeFileSync(join(dir, SECRET_KEY_FILE), "not a key\n", { mode: 0o600 });
    expect(() => loadSecretKey(null, dir)).toThrow("is not a secret key");
  });

  it("uses LANDALE_SECRET_KEY instead of the file when set", () => {
    const dir = dataDir();
    const key = loadSecretKey(KEY.toString("base64"), dir);
    expect(key.source).toBe("configured");
    expect(hex(key.bytes())).toBe(KEY.toString("hex"));
    expect(() => statSync(join(dir, SECRET_KEY_FILE))).toThrow();
  });
});

describe("keyFromSetting", () => {
  it.each([
    ["hex", KEY.toString("hex")],
    ["base64", KEY.toString("base64")],
    ["base64url without padding", KEY.toString("base64url")],
  ])("takes 32 bytes as %s", (_, value) => {
    expect(hex(keyFromSetting(value).bytes())).toBe(KEY.toString("hex"));
  });

  it("stretches a passphrase to the same key every time", () => {
    const one = keyFromSetting("correct horse battery staple");
    const two = keyFromSetting("correct horse battery staple");
    expect(hex(one.bytes())).toBe(hex(two.bytes()));
    expect(hex(one.bytes())).not.toBe(hex(keyFromSetting("correct horse battery stapler").bytes()));
  });

  it("refuses a passphrase shorter than 16 characters", () => {
    expect(() => keyFromSetting("too short")).toThrow(SecretKeyError);
  });

  it("never shows its bytes when logged or serialised", () => {
    const key = keyFromSetting(KEY.toString("hex"));
    for (const shown of [JSON.stringify({ key }), Bun.inspect(key), String(key)]) {
      expect(shown).not.toContain(KEY.toString("hex"));
      expect(shown).not.toContain(KEY.toString("base64"));
    }
  });
});
