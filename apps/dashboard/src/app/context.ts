/** What the signed-in app shares with its views: the live stream state, the feed, navigation. */
import { createContext, useContext } from "solid-js";
import type { Feed } from "../feed/store";
import type { LiveState } from "../stream/live";
import type { ViewId } from "./routes";

export interface AppState {
  live: LiveState;
  feed: Feed;
  navigate(view: ViewId): void;
}

export const AppContext = createContext<AppState>();

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (app === undefined) throw new Error("useApp() outside the signed-in app");
  return app;
}
