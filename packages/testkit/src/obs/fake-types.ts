/** The fake OBS's public shape: its options, its controls and what they answer. */
import type { FakeObsClient } from "./dispatch";
import type { FakeObsStats } from "./outputs";
import type { FakeObsRequest } from "./request-log";
import type { FakeObsInput, FakeObsInputSpec, FakeObsScene } from "./state";

export interface FakeBrowserSource {
  name: string;
  /** `settings.url`, by which the hub finds the browser sources it serves. */
  url: string;
  width?: number;
  height?: number;
}

export interface FakeObsOptions {
  /** When set, Hello carries a challenge and Identify must answer it; otherwise no authentication. */
  password?: string;
  /** Scene names, top first as in OBS's list. Default `DEFAULT_FAKE_OBS_SCENES`. */
  scenes?: string[];
  /** The program scene at start. Default the first scene. */
  programScene?: string;
  /** Browser sources (`browser_source` inputs). Default none. */
  browserSources?: FakeBrowserSource[];
  /** Other inputs. Default one audio input, "Mic/Aux" (`pulse_input_capture`). */
  inputs?: FakeObsInputSpec[];
  /** Whether the virtual camera exists. Default true. */
  virtualCam?: boolean;
  /** Whether the replay buffer is enabled in the output settings. Default false, as OBS. */
  replayBuffer?: boolean;
  /** Where recordings are "written". Default "/home/streamer/Videos". */
  recordDirectory?: string;
  obsVersion?: string;
  /** Default "5.6.3". Before 5.3 (OBS 29 ships 5.1.0), Hello does not name OBS's version. */
  obsWebSocketVersion?: string;
  /** Default 0: a free port, kept across `restart()`. */
  port?: number;
}

export interface FakeObsPress {
  inputName: string;
  inputUuid: string;
  propertyName: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface FakeObsSnapshot {
  programScene: string;
  /** Null outside studio mode. */
  previewScene: string | null;
  studioMode: boolean;
  scenes: FakeObsScene[];
  inputs: FakeObsInput[];
  streaming: boolean;
  recording: boolean;
  recordPaused: boolean;
  /** The file of the last recording started, or null. */
  recordPath: string | null;
  virtualCam: boolean;
  replayBuffer: boolean;
}

export interface FakeObsCloseOptions {
  /** Send ExitStarted before closing, as OBS does when it quits. Default true. */
  exitStarted?: boolean;
  /** Drop every connection without a close frame, as when OBS crashes (implies no ExitStarted). */
  abrupt?: boolean;
}

export interface FakeObs {
  /** `ws://127.0.0.1:<port>`: OBS_WEBSOCKET_URL. */
  readonly url: string;
  readonly port: number;
  /** What OBS shows: scenes, studio mode, outputs. */
  snapshot(): FakeObsSnapshot;
  /** The streamer clicks a scene: CurrentProgramSceneChanged when it changes. Throws for an unknown scene. */
  setProgramScene(name: string): void;
  /** In studio mode, the streamer picks a preview scene: CurrentPreviewSceneChanged. */
  setPreviewScene(name: string): void;
  /**
   * The streamer turns studio mode on or off: StudioModeStateChanged. On, the program scene goes
   * to preview without a CurrentPreviewSceneChanged (obs-websocket 5.1 sends none): a client
   * learns the preview only by asking (GetCurrentPreviewScene, GetSceneList).
   */
  setStudioMode(enabled: boolean): void;
  /** The streamer adds, removes or reorders scenes: SceneListChanged. */
  setScenes(names: string[]): void;
  /**
   * The streamer renames a scene in OBS: SceneNameChanged, and nothing else, even for the scene on
   * program (as SetSceneName). Throws for an unknown scene or a name a source already has.
   */
  renameScene(name: string, newName: string): void;
  /** The streamer adds a browser source: InputCreated. */
  addBrowserSource(source: FakeBrowserSource): FakeObsInput;
  /** The streamer clicks Start Streaming in OBS: StreamStateChanged STARTING, then STARTED. */
  startStreamExternally(): void;
  /** The streamer clicks Stop Streaming in OBS: STOPPING, then STOPPED. */
  stopStreamExternally(): void;
  startRecordExternally(): void;
  stopRecordExternally(): void;
  setRecordPausedExternally(paused: boolean): void;
  setVirtualCamExternally(active: boolean): void;
  setReplayBufferExternally(active: boolean): void;
  /**
   * While true, every stream start fails (STARTING, then STOPPED), as with a wrong stream key or a
   * stream server that does not answer: StartStream itself succeeds.
   */
  failStreamStarts(fail: boolean): void;
  /** Overrides GetStats' figures (the rest stay plausible). */
  setStats(stats: Partial<FakeObsStats>): void;
  /** Identified connections. */
  clients(): FakeObsClient[];
  /** The last 1,000 requests, batched ones included, oldest first. */
  requests(): FakeObsRequest[];
  /** Buttons clicked by PressInputPropertiesButton (the last 1,000). */
  pressedButtons(): FakeObsPress[];
  /**
   * While true, requests and batches get no answer (OBS's UI thread is stuck); on false the held
   * ones are answered in order. Hello, Identify and events are not affected.
   */
  hang(hang: boolean): void;
  /** Requests held by `hang` and those dropped beyond its bound of 1,000. */
  heldRequests(): { waiting: number; dropped: number };
  /** OBS's Kick button: closes that client with 4011 SessionInvalidated. */
  kick(clientId: string): void;
  /** OBS quits: ExitStarted, outputs stop, every socket closes with 1001, the port is released. */
  close(options?: FakeObsCloseOptions): Promise<void>;
  /** OBS starts again on the same port, with its scenes and inputs, outputs stopped, a new salt. */
  restart(): Promise<void>;
  /** Releases everything; the fake cannot be restarted after. */
  stop(): Promise<void>;
}
