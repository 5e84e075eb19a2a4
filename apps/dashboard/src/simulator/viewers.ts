/** Simulated viewers: the login and stable user id Twitch would give a typed display name. */

/** A login Twitch would allow from a display name: lower case, letters, digits and `_`. */
export function loginOf(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "");
}

/** A stable numeric user id for a login, so the same simulated viewer is one user in history. */
export function userIdOf(login: string): string {
  if (login === "") return "";
  let hash = 2166136261;
  for (let i = 0; i < login.length; i++) {
    hash ^= login.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return String(100_000_000 + ((hash >>> 0) % 900_000_000));
}

/** The `user_*` fields of an event for the viewer with this display name. */
export function viewer(name: string) {
  const login = loginOf(name);
  return { user_id: userIdOf(login), user_login: login, user_name: name };
}

/** The `user_*` fields of an anonymous gift or cheer, as Twitch sends them. */
export const ANONYMOUS = { user_id: null, user_login: null, user_name: null };
