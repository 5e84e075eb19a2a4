/**
 * The requests the fake OBS answers, each as obs-websocket 5.6 does (src/requesthandler/*.cpp):
 * the same response fields, status codes and comments, and the same quirks (GetSceneList lists
 * the bottom scene first). The output requests are in `requests-outputs.ts`.
 */
import { OBS_RPC_VERSION, OBS_STATUS, type ObsRequestResult } from "./protocol";
import {
  fail,
  optionalString,
  present,
  type RequestContext,
  RequestFailure,
  type RequestHandler,
  requireBoolean,
  requireInput,
  requireScene,
  requireString,
  toObject,
} from "./request-fields";
import { outputHandlers } from "./requests-outputs";

/** A browser source's properties (obs-browser): one button, the rest settings. */
const BROWSER_PROPERTIES: Record<string, "button" | "setting"> = {
  is_local_file: "setting",
  local_file: "setting",
  url: "setting",
  width: "setting",
  height: "setting",
  fps_custom: "setting",
  fps: "setting",
  reroute_audio: "setting",
  css: "setting",
  shutdown: "setting",
  restart_when_active: "setting",
  webpage_control_level: "setting",
  refreshnocache: "button",
};
const PROPERTIES_BY_KIND: Record<string, Record<string, "button" | "setting">> = {
  browser_source: BROWSER_PROPERTIES,
};

const IMAGE_FORMATS = ["bmp", "jpeg", "jpg", "pbm", "pgm", "png", "ppm", "xbm", "xpm"];

const handlers: Record<string, RequestHandler> = {
  ...outputHandlers,
  GetVersion: ({ versions }) => ({
    obsVersion: versions.obsVersion,
    obsWebSocketVersion: versions.obsWebSocketVersion,
    rpcVersion: OBS_RPC_VERSION,
    availableRequests: Object.keys(handlers),
    supportedImageFormats: IMAGE_FORMATS,
    platform: versions.platform,
    platformDescription: versions.platformDescription,
  }),
  GetStats: ({ state, messages }) => ({
    ...state.stats(),
    webSocketSessionIncomingMessages: messages.incoming,
    webSocketSessionOutgoingMessages: messages.outgoing,
  }),

  GetSceneList: ({ state }) => {
    const program = state.program();
    const preview = state.preview();
    return {
      currentProgramSceneName: program.sceneName,
      currentProgramSceneUuid: program.sceneUuid,
      currentPreviewSceneName: preview?.sceneName ?? null,
      currentPreviewSceneUuid: preview?.sceneUuid ?? null,
      scenes: state.sceneList(),
    };
  },
  GetCurrentProgramScene: ({ state }) => {
    const { sceneName, sceneUuid } = state.program();
    return {
      sceneName,
      sceneUuid,
      currentProgramSceneName: sceneName,
      currentProgramSceneUuid: sceneUuid,
    };
  },
  SetCurrentProgramScene: (context) => {
    context.state.setProgram(requireScene(context));
    return undefined;
  },
  SetSceneName: (context) => {
    const scene = requireScene(context);
    const sceneName = requireString(context, "newSceneName");
    if (context.state.scene(sceneName) || context.state.input(sceneName)) {
      fail(OBS_STATUS.ResourceAlreadyExists, "A source already exists by that new scene name.");
    }
    context.state.renameScene(scene, sceneName);
    return undefined;
  },
  GetCurrentPreviewScene: ({ state }) => {
    const preview = state.preview() ?? fail(OBS_STATUS.StudioModeNotActive);
    const { sceneName, sceneUuid } = preview;
    return {
      sceneName,
      sceneUuid,
      currentPreviewSceneName: sceneName,
      currentPreviewSceneUuid: sceneUuid,
    };
  },
  SetCurrentPreviewScene: (context) => {
    if (!context.state.studioMode()) fail(OBS_STATUS.StudioModeNotActive);
    context.state.setPreview(requireScene(context));
    return undefined;
  },
  GetStudioModeEnabled: ({ state }) => ({ studioModeEnabled: state.studioMode() }),
  SetStudioModeEnabled: (context) => {
    context.state.setStudioMode(requireBoolean(context, "studioModeEnabled"));
    return undefined;
  },

  GetInputList: (context) => {
    const kind = present(context, "inputKind") ? optionalString(context, "inputKind") : undefined;
    const inputs = context.state.inputs(kind);
    return { inputs: inputs.map(({ inputSettings: _, ...listed }) => listed) };
  },
  GetInputSettings: (context) => {
    const input = requireInput(context);
    return { inputSettings: structuredClone(input.inputSettings), inputKind: input.inputKind };
  },
  PressInputPropertiesButton: (context) => {
    const input = requireInput(context);
    const propertyName = requireString(context, "propertyName");
    const property = PROPERTIES_BY_KIND[input.inputKind]?.[propertyName];
    if (!property) fail(OBS_STATUS.ResourceNotFound, "Unable to find a property by that name.");
    if (property !== "button") {
      fail(OBS_STATUS.InvalidResourceType, "The property found is not a button.");
    }
    context.pressed(input.inputName, input.inputUuid, propertyName);
    return undefined;
  },
};

/** OBS's RequestHandler::ProcessRequest: the common checks, then the named handler. */
export function processRequest(
  requestType: string,
  requestData: unknown,
  context: Omit<RequestContext, "data" | "hasData">,
): ObsRequestResult {
  const data = toObject(requestData);
  if (data === null && requestData !== undefined && requestData !== null) {
    return {
      code: OBS_STATUS.InvalidRequestFieldType,
      comment: "Your request data is not an object.",
    };
  }
  if (requestType === "") {
    return {
      code: OBS_STATUS.MissingRequestType,
      comment: "Your request's `requestType` may not be empty.",
    };
  }
  const handler = Object.hasOwn(handlers, requestType) ? handlers[requestType] : undefined;
  if (!handler) {
    return { code: OBS_STATUS.UnknownRequestType, comment: "Your request type is not valid." };
  }
  try {
    const responseData = handler({ ...context, hasData: data !== null, data: data ?? {} });
    return responseData ? { code: OBS_STATUS.Success, responseData } : { code: OBS_STATUS.Success };
  } catch (error) {
    if (!(error instanceof RequestFailure)) throw error;
    return error.comment === undefined
      ? { code: error.code }
      : { code: error.code, comment: error.comment };
  }
}
