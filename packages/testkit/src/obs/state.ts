/**
 * What the fake OBS knows — its scenes, inputs and studio mode, plus its outputs (`outputs.ts`) —
 * and the events each change announces, in the order and shape obs-websocket 5.6 sends them.
 */
import { createObsOutputs, type ObsOutputsOptions } from "./outputs";
import { OBS_EVENT_SUBSCRIPTION as SUB } from "./protocol";

export interface FakeObsScene {
  sceneName: string;
  sceneUuid: string;
}

export interface FakeObsInput {
  inputName: string;
  inputUuid: string;
  inputKind: string;
  unversionedInputKind: string;
  inputKindCaps: number;
  /** What GetInputSettings answers: like OBS, only the settings given, not the kind's defaults. */
  inputSettings: Record<string, unknown>;
}

export interface FakeObsInputSpec {
  inputName: string;
  inputKind: string;
  inputSettings?: Record<string, unknown>;
  inputKindCaps?: number;
}

export interface ObsStateOptions extends ObsOutputsOptions {
  scenes: string[];
  inputs: FakeObsInputSpec[];
}

/** The output flags of a browser source (video, audio, custom draw, interaction, no duplicate, sRGB). */
const BROWSER_SOURCE_CAPS = 1 + 2 + 8 + 32 + 128 + 32768;
const KNOWN_CAPS: Record<string, number> = { browser_source: BROWSER_SOURCE_CAPS };
/** An audio input's flags (audio, no duplicate). */
const DEFAULT_CAPS = 2 + 128;
/** obs-browser's defaults, which InputCreated reports as `defaultInputSettings`. */
const DEFAULT_SETTINGS: Record<string, Record<string, unknown>> = {
  browser_source: {
    css: "body { background-color: rgba(0, 0, 0, 0); margin: 0px auto; overflow: hidden; }",
    fps: 30,
    fps_custom: false,
    height: 600,
    reroute_audio: false,
    restart_when_active: false,
    shutdown: false,
    url: "https://obsproject.com/browser-source",
    webpage_control_level: 1,
    width: 800,
  },
};

export type ObsState = ReturnType<typeof createObsState>;

export function createObsState(options: ObsStateOptions) {
  const { emit } = options;
  const makeScene = (sceneName: string): FakeObsScene => ({
    sceneName,
    sceneUuid: crypto.randomUUID(),
  });
  let scenes = options.scenes.map(makeScene);
  const first = scenes[0];
  if (!first) throw new Error("OBS always has at least one scene");
  let program = first;
  let preview = first;
  let studioMode = false;
  const inputs = new Map<string, FakeObsInput>();
  const sceneList = () =>
    scenes.map((scene, index) => ({ ...scene, sceneIndex: scenes.length - index - 1 })).reverse();
  const sourceNameTaken = (name: string) =>
    inputs.has(name) || scenes.some((scene) => scene.sceneName === name);

  const state = {
    ...createObsOutputs(options),
    /** Scenes as OBS's scene list shows them, top first. */
    scenes: () => scenes.map((scene) => ({ ...scene })),
    /** GetSceneList's `scenes`: bottom first, `sceneIndex` 0 being the bottom scene, as OBS answers. */
    sceneList,
    program: () => ({ ...program }),
    /** The preview scene; null outside studio mode, as OBS answers. */
    preview: () => (studioMode ? { ...preview } : null),
    studioMode: () => studioMode,
    scene: (name: string) => scenes.find((scene) => scene.sceneName === name),
    sceneByUuid: (uuid: string) => scenes.find((scene) => scene.sceneUuid === uuid),
    input: (name: string) => inputs.get(name),
    inputByUuid: (uuid: string) => [...inputs.values()].find((input) => input.inputUuid === uuid),
    inputs: (kind?: string) =>
      [...inputs.values()]
        .filter((input) => !kind || input.inputKind === kind)
        .map((input) => ({ ...input, inputSettings: structuredClone(input.inputSettings) })),

    setProgram(scene: FakeObsScene) {
      if (scene.sceneUuid === program.sceneUuid) return;
      program = scene;
      emit(SUB.Scenes, "CurrentProgramSceneChanged", { ...scene });
    },
    setPreview(scene: FakeObsScene) {
      if (scene.sceneUuid === preview.sceneUuid) return;
      preview = scene;
      emit(SUB.Scenes, "CurrentPreviewSceneChanged", { ...scene });
    },
    setStudioMode(enabled: boolean) {
      if (enabled === studioMode) return;
      studioMode = enabled;
      // OBS opens studio mode with the program scene in preview, without a preview event.
      if (enabled) preview = program;
      emit(SUB.Ui, "StudioModeStateChanged", { studioModeEnabled: enabled });
    },
    /**
     * Renames a scene (SetSceneName, or the streamer in OBS's Scenes dock): SceneNameChanged only.
     * OBS sends no SceneListChanged for a rename, and no program or preview event for the scene
     * on program or in preview, whose new name GetSceneList and GetCurrentProgramScene answer.
     */
    renameScene(scene: FakeObsScene, sceneName: string) {
      if (sourceNameTaken(sceneName)) throw new Error(`a source is already named "${sceneName}"`);
      const oldSceneName = scene.sceneName;
      // Program and preview hold the same object: they follow the rename, as in OBS.
      scene.sceneName = sceneName;
      emit(SUB.Scenes, "SceneNameChanged", {
        sceneUuid: scene.sceneUuid,
        oldSceneName,
        sceneName,
      });
    },
    /** Replaces the scene list (kept names keep their uuids); the program moves if its scene went. */
    setScenes(names: string[]) {
      if (names.length === 0) throw new Error("OBS always has at least one scene");
      const clash = names.find((name) => inputs.has(name));
      if (clash) throw new Error(`an input is already named "${clash}"`);
      scenes = names.map((name) => state.scene(name) ?? makeScene(name));
      emit(SUB.Scenes, "SceneListChanged", { scenes: sceneList() });
      const top = scenes[0]!;
      if (!state.scene(program.sceneName)) state.setProgram(top);
      if (!state.scene(preview.sceneName)) {
        if (studioMode) state.setPreview(program);
        else preview = program;
      }
    },
    /** Adds an input; `announce` sends InputCreated, as when the streamer adds one in OBS. */
    addInput(spec: FakeObsInputSpec, announce = true): FakeObsInput {
      if (sourceNameTaken(spec.inputName)) {
        throw new Error(`a source is already named "${spec.inputName}"`);
      }
      const input: FakeObsInput = {
        inputName: spec.inputName,
        inputUuid: crypto.randomUUID(),
        inputKind: spec.inputKind,
        unversionedInputKind: spec.inputKind.replace(/_v\d+$/, ""),
        inputKindCaps: spec.inputKindCaps ?? KNOWN_CAPS[spec.inputKind] ?? DEFAULT_CAPS,
        inputSettings: structuredClone(spec.inputSettings ?? {}),
      };
      inputs.set(input.inputName, input);
      if (announce) {
        emit(SUB.Inputs, "InputCreated", {
          ...structuredClone(input),
          defaultInputSettings: structuredClone(DEFAULT_SETTINGS[input.inputKind] ?? {}),
        });
      }
      return input;
    },
  };
  for (const spec of options.inputs) state.addInput(spec, false);
  return state;
}
