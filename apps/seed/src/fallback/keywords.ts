/**
 * Keyword topics for the offline fallback: the words said and chatted most in the window, less
 * stopwords (the `stopword` package's English list and chat's own filler), numbers, links and
 * emote names. A word counts once per utterance or message, so one chatter repeating it is not a
 * topic.
 */
import { eng } from "stopword";

/**
 * What speech and chat say all the time and means nothing as a topic; the package's English list
 * is short (it keeps "not", "when", "oh", "guys").
 */
const FILLER = (
  "not will when why does off again own few nor don so no yes yep yeah nah oh hey guys today " +
  "time good go see look lot say want let back even maybe pretty kind lol lmao okay just like " +
  "really gonna wanna gotta thing things know think going right now well one actually chat " +
  "don't i'm it's that's you're can't there's let's what's didn't doesn't isn't won't i've " +
  "i'll we're they're dont im thats"
).split(" ");
const STOPWORDS: ReadonlySet<string> = new Set([...eng, ...FILLER]);
const MIN_WORD_CHARS = 3;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;
const LINK = /\bhttps?:\/\/\S+/gi;

/**
 * The `limit` most frequent keywords in `texts`, most frequent first (ties: first seen first).
 * Words seen twice or more win; with none, the first few words seen once stand in.
 */
export function keywords(
  texts: readonly string[],
  options: { limit: number; exclude?: Iterable<string> },
): string[] {
  const excluded = new Set([...(options.exclude ?? [])].map((word) => word.toLowerCase()));
  const counts = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const match of text.replace(LINK, " ").matchAll(TOKEN)) {
      const word = match[0].toLowerCase().replace(/['’]+$/, "");
      if (!isKeyword(word) || excluded.has(word) || seen.has(word)) continue;
      seen.add(word);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  // Map keeps insertion order and the sort is stable: ties stay in the order first seen.
  const ranked = [...counts.entries()].sort(([, a], [, b]) => b - a);
  const repeated = ranked.filter(([, count]) => count >= 2);
  const chosen = repeated.length > 0 ? repeated : ranked.slice(0, Math.min(3, options.limit));
  return chosen.slice(0, options.limit).map(([word]) => word);
}

function isKeyword(word: string): boolean {
  return (
    word.length >= MIN_WORD_CHARS &&
    !/^\p{N}+$/u.test(word) &&
    !STOPWORDS.has(word) &&
    !STOPWORDS.has(word.replace(/’/g, "'"))
  );
}
