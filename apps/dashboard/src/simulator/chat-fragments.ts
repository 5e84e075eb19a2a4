/** A typed chat message as Twitch's fragments: text, emotes and mentions. */
import { loginOf, userIdOf } from "./viewers";

/**
 * Twitch's fragments for a typed message: words in `emotes` become emote fragments, `@name`
 * mentions, everything between them text — so overlays and the feed see emotes as Twitch sends
 * them.
 */
export function chatFragments(text: string, emotes: string) {
  const emoteSet = new Set(emotes.split(/[\s,]+/).filter((word) => word !== ""));
  const fragments: {
    type: string;
    text: string;
    cheermote: null;
    emote: { id: string; emote_set_id: string; owner_id: string; format: string[] } | null;
    mention: { user_id: string; user_name: string; user_login: string } | null;
  }[] = [];
  let pending = "";
  const flush = () => {
    if (pending !== "") fragments.push(plain(pending));
    pending = "";
  };
  // Split keeping the whitespace, so the fragments join back into the exact text.
  for (const part of text.split(/(\s+)/)) {
    if (emoteSet.has(part)) {
      flush();
      fragments.push({
        type: "emote",
        text: part,
        cheermote: null,
        emote: { id: `sim-${part}`, emote_set_id: "0", owner_id: "0", format: ["static"] },
        mention: null,
      });
    } else if (/^@\w+$/.test(part)) {
      flush();
      const mentioned = part.slice(1);
      const login = loginOf(mentioned);
      fragments.push({
        type: "mention",
        text: part,
        cheermote: null,
        emote: null,
        mention: { user_id: userIdOf(login), user_name: mentioned, user_login: login },
      });
    } else {
      pending += part;
    }
  }
  flush();
  return fragments;
}

function plain(text: string) {
  return { type: "text", text, cheermote: null, emote: null, mention: null };
}
