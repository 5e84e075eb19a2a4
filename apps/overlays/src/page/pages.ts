/** The overlay pages: each is `<name>/index.html` here and `GET /overlays/<name>` on the hub. */
export const PAGES = ["omnibar", "alerts", "takeover", "captions"] as const;
export type PageName = (typeof PAGES)[number];
