/**
 * The dashboard's views and their paths under the hub's `/dashboard/` base. The hub answers
 * `index.html` for any path there, so each view has a real URL that survives a reload.
 */

export const VIEWS = [
  { id: "activity", label: "Activity", path: "" },
  { id: "queue", label: "Queue", path: "queue" },
  { id: "layers", label: "Layers", path: "layers" },
  { id: "takeover", label: "Takeover", path: "takeover" },
  { id: "twitch", label: "Twitch", path: "twitch" },
  { id: "obs", label: "OBS", path: "obs" },
  { id: "transcripts", label: "Transcripts", path: "transcripts" },
  { id: "context", label: "Stream context", path: "context" },
  { id: "simulator", label: "Simulator", path: "simulator" },
  { id: "services", label: "Services", path: "services" },
  { id: "health", label: "Health", path: "health" },
] as const;
export type ViewId = (typeof VIEWS)[number]["id"];

/** The view a location path shows; an unknown path shows the activity feed. */
export function viewOfPath(pathname: string, base: string): ViewId {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : pathname;
  const first = rest.replace(/^\/+/, "").split("/")[0] ?? "";
  return VIEWS.find((view) => view.path === first)?.id ?? "activity";
}

export function pathOfView(view: ViewId, base: string): string {
  const path = VIEWS.find((candidate) => candidate.id === view)?.path ?? "";
  return `${base.endsWith("/") ? base : `${base}/`}${path}`;
}
