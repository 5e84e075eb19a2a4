/** A view's heading, one line of what it is for, and its toolbar; the heading takes focus after navigation. */
import { type JSX, Show } from "solid-js";

export function ViewHeader(props: { title: string; lead?: string; children?: JSX.Element }) {
  return (
    <div class="view-header">
      <div class="view-heading">
        <h1 id="view-title" tabindex="-1">
          {props.title}
        </h1>
        <Show when={props.lead}>
          <p class="muted">{props.lead}</p>
        </Show>
      </div>
      <Show when={props.children}>
        <div class="button-row">{props.children}</div>
      </Show>
    </div>
  );
}
