import { describe, expect, it } from "bun:test";
import { createTokenStore, TOKEN_KEY, type TokenStorage } from "./token";

function memoryStorage(): TokenStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

describe("createTokenStore", () => {
  it("keeps the token in storage and removes it on forget", () => {
    const storage = memoryStorage();
    const store = createTokenStore(storage);
    expect(store.read()).toBeNull();
    store.save("a-token-of-24-characters");
    expect(storage.map.get(TOKEN_KEY)).toBe("a-token-of-24-characters");
    expect(createTokenStore(storage).read()).toBe("a-token-of-24-characters");
    store.forget();
    expect(store.read()).toBeNull();
    expect(storage.map.has(TOKEN_KEY)).toBe(false);
  });

  it("keeps the token for the page when storage throws", () => {
    const broken: TokenStorage = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
      removeItem: () => {
        throw new Error("denied");
      },
    };
    const store = createTokenStore(broken);
    store.save("t");
    expect(store.read()).toBe("t");
    store.forget();
    expect(store.read()).toBeNull();
  });
});
