/** How the hub sends one push to everyone joined to a topic (the channel server's `broadcast`). */
export type Broadcast = (topic: string, event: string, payload: unknown) => void;
