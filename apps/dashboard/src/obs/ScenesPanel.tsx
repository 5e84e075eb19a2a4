/**
 * OBS's scenes as buttons: one click puts a scene on program (the one there is highlighted). In
 * studio mode a preview column stands beside it, as in OBS, with a button that sends the preview
 * to program; studio mode itself is switched from here. Every change comes back as a status push.
 */
import type { ObsStatus } from "@landale/shared";
import { For, Show } from "solid-js";
import { sceneMarks } from "./status";
import { createObsCommands, type ObsLink } from "./store";

type Column = "program" | "preview";

export function ScenesPanel(props: {
  link: ObsLink;
  scenes: ObsStatus["scenes"];
  blocked: string | null;
}) {
  const commands = createObsCommands(props.link);
  // Scene buttons stay on while a switch is in flight: disabling them would drop the focus, and
  // a second switch is as harmless as the first.
  const off = () => props.blocked !== null;
  const studio = () => props.scenes.studio_mode;

  function choose(column: Column, name: string): void {
    if (sceneMarks(props.scenes, name)[column]) return;
    void commands.run(column === "program" ? "obs:set_current_scene" : "obs:set_preview_scene", {
      scene_name: name,
    });
  }

  return (
    <section class="panel obs-scenes" aria-labelledby="obs-scenes-title">
      <div class="panel-header">
        <h2 id="obs-scenes-title">Scenes</h2>
        <button
          type="button"
          class="button"
          data-size="small"
          data-testid="obs-studio-mode"
          data-enabled={studio() ? "" : undefined}
          aria-pressed={studio()}
          disabled={off() || commands.busy() === "obs:set_studio_mode"}
          onClick={() => void commands.run("obs:set_studio_mode", { enabled: !studio() })}
        >
          Studio mode: {studio() ? "on" : "off"}
        </button>
      </div>

      <Show when={props.blocked}>
        {(reason) => (
          <p class="notice" data-tone="warn" data-testid="obs-scenes-blocked">
            {reason()}
          </p>
        )}
      </Show>

      <Show
        when={props.scenes.list.length > 0}
        fallback={
          <p class="empty" data-testid="obs-no-scenes">
            {props.blocked === null
              ? "OBS has no scenes."
              : "The scenes show once the hub is connected to OBS."}
          </p>
        }
      >
        <p class="panel-note">
          {studio()
            ? "Studio mode: pick a scene to prepare in preview, then send it to program — or put one on program directly."
            : "One click puts a scene on stream."}
        </p>
        <div class="obs-scene-columns" data-studio={studio() ? "" : undefined}>
          <Show when={studio()}>
            <SceneColumn
              kind="preview"
              title="Preview"
              scenes={props.scenes}
              off={off()}
              onChoose={choose}
            />
            <div class="obs-transition">
              <button
                type="button"
                class="button"
                data-variant="primary"
                data-testid="obs-transition"
                disabled={off() || props.scenes.preview === null}
                onClick={() => {
                  const preview = props.scenes.preview;
                  if (preview !== null)
                    void commands.run("obs:set_current_scene", { scene_name: preview });
                }}
              >
                Preview to program →
              </button>
            </div>
          </Show>
          <SceneColumn
            kind="program"
            title="Program"
            scenes={props.scenes}
            off={off()}
            onChoose={choose}
          />
        </div>
      </Show>

      <Show when={commands.error()}>
        {(message) => (
          <p class="notice" data-tone="danger" role="alert" data-testid="obs-scenes-error">
            {message()}
          </p>
        )}
      </Show>
    </section>
  );
}

function SceneColumn(props: {
  kind: Column;
  title: string;
  scenes: ObsStatus["scenes"];
  off: boolean;
  onChoose: (column: Column, name: string) => void;
}) {
  return (
    <div class="obs-scene-column" data-column={props.kind}>
      <h3 id={`obs-${props.kind}-title`}>{props.title}</h3>
      <ul class="obs-scene-list" aria-labelledby={`obs-${props.kind}-title`}>
        {/* By name, so a status push keeps the buttons (and the focus) where they are. */}
        <For each={props.scenes.list}>
          {(name) => {
            const marks = () => sceneMarks(props.scenes, name);
            return (
              <li>
                <button
                  type="button"
                  class="button obs-scene"
                  data-testid={props.kind === "program" ? "obs-scene" : "obs-preview-scene"}
                  data-scene={name}
                  data-program={marks().program ? "" : undefined}
                  data-preview={marks().preview ? "" : undefined}
                  aria-pressed={marks()[props.kind]}
                  disabled={props.off}
                  onClick={() => props.onChoose(props.kind, name)}
                >
                  {name}
                </button>
              </li>
            );
          }}
        </For>
      </ul>
    </div>
  );
}
