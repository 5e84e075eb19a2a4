/**
 * Where the dashboard keeps the control token: the browser's `localStorage`, under one key, so a
 * streamer signs in once per browser and can sign out (remove it) at any time.
 */

export const TOKEN_KEY = "landale.dashboard.token";

/** The part of `Storage` used here, so tests can pass a map. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface TokenStore {
  read(): string | null;
  save(token: string): void;
  forget(): void;
}

export function createTokenStore(storage: TokenStorage | null): TokenStore {
  // Storage can be missing or throw (private windows, disabled storage): then the token lives
  // only as long as the page.
  let memory: string | null = null;
  return {
    read() {
      try {
        const stored = storage?.getItem(TOKEN_KEY) ?? null;
        return stored === null || stored.trim() === "" ? memory : stored;
      } catch {
        return memory;
      }
    },
    save(token) {
      memory = token;
      try {
        storage?.setItem(TOKEN_KEY, token);
      } catch {
        // kept in memory only
      }
    },
    forget() {
      memory = null;
      try {
        storage?.removeItem(TOKEN_KEY);
      } catch {
        // nothing stored
      }
    },
  };
}
