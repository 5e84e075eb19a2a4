/**
 * The parts of an alert both the omnibar and the full-screen stage show: each renders only when
 * the alert has it, with the `data-part` hook and `data-reveal` for the entrance stagger.
 */
import { type Accessor, Show } from "solid-js";
import type { AlertView } from "./alerts";

type Part = (props: { view: Accessor<AlertView> }) => ReturnType<typeof Show>;

export const AlertName: Part = (props) => (
  <span data-part="name" data-reveal>
    {props.view().name}
  </span>
);

export const AlertDetail: Part = (props) => (
  <Show when={props.view().detail}>
    {(detail) => (
      <span data-part="detail" data-reveal>
        {detail()}
      </span>
    )}
  </Show>
);

export const AlertAmount: Part = (props) => (
  <Show when={props.view().amount}>
    {(amount) => (
      <span data-part="amount" data-reveal>
        <strong>{amount()}</strong> {props.view().unit}
      </span>
    )}
  </Show>
);

export const AlertMessage: Part = (props) => (
  <Show when={props.view().message}>
    {(message) => (
      <span data-part="message" data-reveal>
        “{message()}”
      </span>
    )}
  </Show>
);
