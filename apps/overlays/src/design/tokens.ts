/**
 * The overlays' design tokens, in one place: the 1920×1080 canvas, a base-12 spacing scale, the
 * palette, the type scale and motion timings. CSS reads them as custom properties
 * (`--space-2`, `--color-panel`, `--text-xl`, …) written onto the root element by `applyTokens`;
 * GSAP reads the same values from here.
 */

/** OBS browser-source size: every page is a transparent canvas of exactly this. */
export const CANVAS = { width: 1920, height: 1080 } as const;

/** The spacing unit: every distance is a multiple of it. */
export const UNIT = 12;

/** `space[n]` is n units: 12, 24, 36, 48, 72, 96, 144 px. */
export const SPACE = {
  0: 0,
  1: UNIT,
  2: UNIT * 2,
  3: UNIT * 3,
  4: UNIT * 4,
  6: UNIT * 6,
  8: UNIT * 8,
  12: UNIT * 12,
} as const;

export const RADIUS = { sm: UNIT / 2, md: UNIT, lg: UNIT * 2, pill: 999 } as const;

/**
 * Dark, slightly warm panels that read over any game, with one accent per kind of moment so the
 * audience learns them: teal follows, violet subs, pink gifts, amber bits, coral raids, sky
 * redemptions.
 */
export const PALETTE = {
  ink: "#0b0d12",
  panel: "rgba(14, 16, 23, 0.88)",
  panelRaised: "rgba(24, 27, 38, 0.94)",
  line: "rgba(255, 255, 255, 0.10)",
  text: "#f5f2ea",
  muted: "#a9afbd",
  faint: "#6d7485",
  follow: "#39d3c3",
  sub: "#9d7dff",
  gift: "#ff5fa8",
  cheer: "#ffb547",
  raid: "#ff6b4a",
  redeem: "#4fb6ff",
  hype: "#ff4fd8",
  warning: "#ffcc4d",
  shadow: "rgba(0, 0, 0, 0.45)",
} as const;

export type Accent = "follow" | "sub" | "gift" | "cheer" | "raid" | "redeem" | "hype" | "neutral";

/** System fonts only: a browser source must never wait on a download. */
export const FONT = {
  sans: '"Inter", "SF Pro Display", "Segoe UI Variable Display", "Segoe UI", system-ui, "Helvetica Neue", Arial, sans-serif',
  mono: '"JetBrains Mono", "SF Mono", "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace',
} as const;

/** Type sizes in px, sized to be read on a 1080p stream from across a room. */
export const TYPE = {
  xs: 18,
  sm: 24,
  md: 30,
  lg: 36,
  xl: 48,
  "2xl": 72,
  "3xl": 96,
  "4xl": 144,
} as const;

export const WEIGHT = { regular: 500, bold: 700, black: 850 } as const;

/** Seconds, as GSAP takes them. */
export const MOTION = {
  enter: 0.6,
  exit: 0.4,
  interrupt: 0.3,
  resume: 0.5,
  stagger: 0.06,
  /** Reduced motion: opacity only, and quick. */
  fade: 0.2,
  easeIn: "power2.in",
  easeOut: "power3.out",
  easeInOut: "power2.inOut",
} as const;

/** Every token as a CSS custom property, name → value. */
export function cssVariables(): Record<string, string> {
  const variables: Record<string, string> = {
    "--canvas-width": `${CANVAS.width}px`,
    "--canvas-height": `${CANVAS.height}px`,
    "--font-sans": FONT.sans,
    "--font-mono": FONT.mono,
  };
  for (const [step, px] of Object.entries(SPACE)) variables[`--space-${step}`] = `${px}px`;
  for (const [name, px] of Object.entries(RADIUS)) variables[`--radius-${name}`] = `${px}px`;
  for (const [name, color] of Object.entries(PALETTE)) variables[`--color-${kebab(name)}`] = color;
  for (const [name, px] of Object.entries(TYPE)) variables[`--text-${name}`] = `${px}px`;
  for (const [name, weight] of Object.entries(WEIGHT)) variables[`--weight-${name}`] = `${weight}`;
  return variables;
}

/** Writes the tokens onto `root` (the document element) so every stylesheet can use them. */
export function applyTokens(root: HTMLElement): void {
  for (const [name, value] of Object.entries(cssVariables())) root.style.setProperty(name, value);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
