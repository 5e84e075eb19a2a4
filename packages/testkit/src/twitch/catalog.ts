/**
 * The fake Helix's built-in content: a few real Twitch categories, global and channel emotes, and
 * a creator goal, in Helix's field shapes. Image URLs point at the fake itself (`/static-cdn/…`,
 * the paths Twitch's CDN uses) so a browser test never leaves the machine.
 */
import type { FakeTwitchUser } from "./state";

export interface Category {
  id: string;
  name: string;
  igdb_id: string;
}

export const CATEGORIES: readonly Category[] = [
  { id: "509658", name: "Just Chatting", igdb_id: "" },
  { id: "33214", name: "Fortnite", igdb_id: "1905" },
  { id: "27471", name: "Minecraft", igdb_id: "121" },
  { id: "32982", name: "Grand Theft Auto V", igdb_id: "1020" },
  { id: "21779", name: "League of Legends", igdb_id: "115" },
  { id: "516575", name: "VALORANT", igdb_id: "126459" },
  { id: "32399", name: "Counter-Strike", igdb_id: "241" },
  { id: "29595", name: "Dota 2", igdb_id: "2963" },
  { id: "511224", name: "Apex Legends", igdb_id: "114795" },
  { id: "18122", name: "World of Warcraft", igdb_id: "123" },
  { id: "512953", name: "Elden Ring", igdb_id: "119133" },
  { id: "1469308723", name: "Software and Game Development", igdb_id: "" },
  { id: "509660", name: "Art", igdb_id: "" },
  { id: "26936", name: "Music", igdb_id: "" },
  { id: "509670", name: "Science & Technology", igdb_id: "" },
  { id: "1678052513", name: "Retro", igdb_id: "" },
];

export interface FakeGoal {
  id: string;
  broadcaster_id: string;
  broadcaster_name: string;
  broadcaster_login: string;
  type:
    | "follower"
    | "subscription"
    | "subscription_count"
    | "new_subscription"
    | "new_subscription_count";
  description: string;
  current_amount: number;
  target_amount: number;
  created_at: string;
}

export function defaultGoals(user: FakeTwitchUser): FakeGoal[] {
  return [
    {
      id: "1woowvbkiNv8BRxEWSqmQz6Zk92",
      broadcaster_id: user.id,
      broadcaster_name: user.display_name,
      broadcaster_login: user.login,
      type: "follower",
      description: "Follow goal for Helix testing",
      current_amount: 27062,
      target_amount: 30000,
      created_at: "2021-08-16T17:22:23Z",
    },
  ];
}

/** An emote as Get Channel Emotes / Get Global Emotes answer it (the tier fields: channel only). */
export interface FakeEmote {
  id: string;
  name: string;
  /** Twitch always sends the three; a test may leave some out to see a client fall back. */
  images: { url_1x?: string; url_2x?: string; url_4x?: string };
  format: string[];
  scale: string[];
  theme_mode: string[];
  tier?: string;
  emote_type?: string;
  emote_set_id?: string;
}

/** Where the fake serves images from: `<base>/static-cdn`. */
export function imageBase(base: string): string {
  return `${base}/static-cdn`;
}

/** Get Games' template form; Search Categories answers the 52x72 size, as Twitch does. */
export function boxArtUrl(base: string, id: string, size = "{width}x{height}"): string {
  return `${imageBase(base)}/ttv-boxart/${id}-${size}.jpg`;
}

export function emoteTemplate(base: string): string {
  return `${imageBase(base)}/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}`;
}

const GLOBAL_EMOTES = [
  { id: "25", name: "Kappa" },
  { id: "354", name: "4Head" },
  { id: "41", name: "Kreygasm" },
  { id: "86", name: "BibleThump" },
  { id: "245", name: "ResidentSleeper" },
  { id: "30259", name: "HeyGuys" },
  { id: "64138", name: "SeemsGood" },
  { id: "425618", name: "LUL" },
];

function emoteImages(base: string, id: string) {
  const url = (scale: string) => `${imageBase(base)}/emoticons/v2/${id}/static/light/${scale}`;
  return { url_1x: url("1.0"), url_2x: url("2.0"), url_4x: url("3.0") };
}

const EMOTE_FORMS = {
  format: ["static"],
  scale: ["1.0", "2.0", "3.0"],
  theme_mode: ["light", "dark"],
};

export function globalEmotes(base: string): FakeEmote[] {
  return GLOBAL_EMOTES.map(({ id, name }) => ({
    id,
    name,
    images: emoteImages(base, id),
    ...EMOTE_FORMS,
  }));
}

/** A subscriber emote per tier, named after the broadcaster as channel emotes are. */
export function channelEmotes(base: string, user: FakeTwitchUser): FakeEmote[] {
  const prefix =
    user.login
      .replace(/[^a-z0-9]/gi, "")
      .slice(0, 10)
      .toLowerCase() || "fake";
  return (["1000", "2000", "3000"] as const).map((tier, index) => {
    const id = `emotesv2_${user.id}${index}`;
    return {
      id,
      name: `${prefix}${["Hype", "Love", "Wave"][index]}`,
      images: emoteImages(base, id),
      tier,
      emote_type: "subscriptions",
      emote_set_id: `${user.id}${tier}`,
      ...EMOTE_FORMS,
    };
  });
}

/** What every image path answers: a small purple square (tests need a picture, not Twitch's). */
export function placeholderImage(): Response {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28"><rect width="28" height="28" fill="#9146ff"/></svg>';
  return new Response(svg, { headers: { "content-type": "image/svg+xml" } });
}
