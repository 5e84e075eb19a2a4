/**
 * Maps topics to channel handlers. A pattern is an exact topic (`stream:overlays`) or a prefix
 * ending in `*` (`events:*`, matching `events:` followed by anything); the first match wins, as in
 * Phoenix's `channel/3`.
 */
import type { ChannelHandler } from "./handler";

export interface Route<A> {
  pattern: string;
  handler: ChannelHandler<A>;
}

export class Router<A = unknown> {
  readonly #routes: { exact: string | null; prefix: string | null; route: Route<A> }[] = [];

  channel(pattern: string, handler: ChannelHandler<A>): this {
    const star = pattern.indexOf("*");
    if (star !== -1 && star !== pattern.length - 1) {
      throw new Error(`channel pattern "${pattern}": "*" may only end a pattern`);
    }
    const prefix = star === -1 ? null : pattern.slice(0, -1);
    this.#routes.push({
      exact: prefix === null ? pattern : null,
      prefix,
      route: { pattern, handler },
    });
    return this;
  }

  match(topic: string): Route<A> | null {
    for (const { exact, prefix, route } of this.#routes) {
      if (exact === topic || (prefix !== null && topic.startsWith(prefix))) return route;
    }
    return null;
  }
}

export function createRouter<A = unknown>(): Router<A> {
  return new Router<A>();
}
