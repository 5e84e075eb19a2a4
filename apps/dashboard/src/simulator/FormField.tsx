/** A simulator form field: its label, input, hint and error, tied together by their ids. */
import { type JSX, Show } from "solid-js";
import { type FormIssue, issueText } from "./build";
import { FIELD_LABELS, type SimulatorField, type SimulatorForm } from "./form";

/** The issue under a field; its id is what the input's `aria-describedby` names. */
export function FieldError(props: {
  field: SimulatorField;
  issue: FormIssue | undefined;
}): JSX.Element {
  return (
    <Show when={props.issue}>
      {(issue) => (
        <p id={`sim-${props.field}-error`} class="field-error">
          {issueText(issue())}
        </p>
      )}
    </Show>
  );
}

/** A text input; `numeric` asks for the number keypad, the form parses the text when it sends. */
export function TextField(props: {
  field: Exclude<SimulatorField, "anonymous">;
  form: SimulatorForm;
  issue: FormIssue | undefined;
  update: (change: Partial<SimulatorForm>) => void;
  numeric?: boolean;
  wide?: boolean;
  hint?: string;
}) {
  const id = `sim-${props.field}`;
  const describedBy = () =>
    [props.issue ? `${id}-error` : null, props.hint ? `${id}-hint` : null]
      .filter(Boolean)
      .join(" ") || undefined;
  return (
    <div class="field" data-wide={props.wide ? "" : undefined}>
      <label for={id}>{FIELD_LABELS[props.field]}</label>
      <input
        id={id}
        type="text"
        inputmode={props.numeric ? "numeric" : undefined}
        autocomplete="off"
        value={props.form[props.field] as string}
        onInput={(event) => props.update({ [props.field]: event.currentTarget.value })}
        aria-invalid={props.issue !== undefined}
        aria-describedby={describedBy()}
      />
      <Show when={props.hint}>
        <span id={`${id}-hint`} class="field-hint">
          {props.hint}
        </span>
      </Show>
      <FieldError field={props.field} issue={props.issue} />
    </div>
  );
}
