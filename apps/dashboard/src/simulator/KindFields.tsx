/** The details of the chosen kind of event: only the fields that kind's event carries. */
import { Show } from "solid-js";
import type { FormIssue } from "./build";
import { FieldError, TextField } from "./FormField";
import { FIELD_LABELS, KIND_FIELDS, type SimulatorField, type SimulatorForm } from "./form";

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
      <Show when={shows("count")}>
        <TextField
          field="count"
          form={props.form}
          issue={props.issueFor("count")}
          update={props.update}
          numeric
        />
      </Show>
      <Show when={shows("bits")}>
        <TextField
          field="bits"
          form={props.form}
          issue={props.issueFor("bits")}
          update={props.update}
          numeric
          hint="1,000 or more is a big cheer."
        />
      </Show>
      <Show when={shows("viewers")}>
        <TextField
          field="viewers"
          form={props.form}
          issue={props.issueFor("viewers")}
          update={props.update}
          numeric
        />
      </Show>
      <Show when={shows("reward")}>
        <TextField
          field="reward"
          form={props.form}
          issue={props.issueFor("reward")}
          update={props.update}
        />
      </Show>
      <Show when={shows("cost")}>
        <TextField
          field="cost"
          form={props.form}
          issue={props.issueFor("cost")}
          update={props.update}
          numeric
          hint="Channel points."
        />
      </Show>
      <Show when={shows("message")}>
        <TextField
          field="message"
          form={props.form}
          issue={props.issueFor("message")}
          update={props.update}
          wide
          hint={
            props.form.kind === "redemption"
              ? "What the viewer typed, if the reward asks."
              : undefined
          }
        />
      </Show>
      <Show when={shows("emotes")}>
        <TextField
          field="emotes"
          form={props.form}
          issue={props.issueFor("emotes")}
          update={props.update}
          wide
          hint="Words in the message to send as emotes."
        />
      </Show>
      <Show when={KIND_FIELDS[props.form.kind].length === 0}>
        <p class="muted simulator-none">No details: the event carries the channel only.</p>
      </Show>
    </div>
  );
}
