/** The details of the chosen kind of event: only the fields that kind's event carries. */
import { For, Show } from "solid-js";
import type { FormIssue } from "./build";
import { FieldError, TextField } from "./FormField";
import { FIELD_LABELS, KIND_FIELDS, type SimulatorField, type SimulatorForm } from "./form";

/** The text fields after the viewer and the tier, in the order they are shown. */
const DETAILS: readonly {
  field: Exclude<SimulatorField, "anonymous">;
  numeric?: boolean;
  wide?: boolean;
  hint?: (form: SimulatorForm) => string | undefined;
}[] = [
  { field: "count", numeric: true },
  { field: "bits", numeric: true, hint: () => "1,000 or more is a big cheer." },
  { field: "viewers", numeric: true },
  { field: "reward" },
  { field: "cost", numeric: true, hint: () => "Channel points." },
  {
    field: "message",
    wide: true,
    hint: (form) =>
      form.kind === "redemption" ? "What the viewer typed, if the reward asks." : undefined,
  },
  { field: "emotes", wide: true, hint: () => "Words in the message to send as emotes." },
];

export function KindFields(props: {
  form: SimulatorForm;
  issueFor: (field: SimulatorField) => FormIssue | undefined;
  update: (change: Partial<SimulatorForm>) => void;
}) {
  const shows = (field: SimulatorField) => KIND_FIELDS[props.form.kind].includes(field);
  return (
    <div class="simulator-fields">
      <Show when={shows("user")}>
        <TextField
          field="user"
          form={props.form}
          issue={props.issueFor("user")}
          update={props.update}
          hint="Display name; the login is made from it."
        />
      </Show>
      <Show when={shows("anonymous")}>
        <div class="field checkbox-field">
          <label class="checkbox">
            <input
              id="sim-anonymous"
              type="checkbox"
              checked={props.form.anonymous}
              onChange={(event) => props.update({ anonymous: event.currentTarget.checked })}
            />
            Anonymous
          </label>
        </div>
      </Show>
      <Show when={shows("tier")}>
        <div class="field">
          <label for="sim-tier">{FIELD_LABELS.tier}</label>
          <select
            id="sim-tier"
            value={props.form.tier}
            onChange={(event) => props.update({ tier: event.currentTarget.value })}
            aria-invalid={props.issueFor("tier") !== undefined}
          >
            <option value="1000">Tier 1</option>
            <option value="2000">Tier 2</option>
            <option value="3000">Tier 3</option>
          </select>
          <FieldError field="tier" issue={props.issueFor("tier")} />
        </div>
      </Show>
      <For each={DETAILS}>
        {(detail) => (
          <Show when={shows(detail.field)}>
            <TextField
              field={detail.field}
              form={props.form}
              issue={props.issueFor(detail.field)}
              update={props.update}
              numeric={detail.numeric}
              wide={detail.wide}
              hint={detail.hint?.(props.form)}
            />
          </Show>
        )}
      </For>
      <Show when={KIND_FIELDS[props.form.kind].length === 0}>
        <p class="muted simulator-none">No details: the event carries the channel only.</p>
      </Show>
    </div>
  );
}
