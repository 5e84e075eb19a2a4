/** Events the database refused after the hub acknowledged them, with why (docs/FAULTS.md). */
import type { QuarantineList } from "@landale/shared";
import { For } from "solid-js";
import { formatCount } from "../format/format";

export function QuarantinePanel(props: { list: QuarantineList }) {
  return (
    <section class="panel chart-panel" aria-labelledby="quarantine-title">
      <div class="panel-header">
        <h2 id="quarantine-title">Quarantined events</h2>
        <p class="panel-note">
          Acknowledged, then refused by the database: kept in the data dir's quarantine file. The
          most recent {props.list.events.length} of {formatCount(props.list.total)}.
        </p>
      </div>
      <table class="quarantine" data-testid="quarantine-list">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.list.events}>
            {(entry) => (
              <tr>
                <td class="mono">{entry.quarantined_at}</td>
                <td class="mono">
                  {entry.event.type} #{entry.event.seq} ({entry.event.id})
                </td>
                <td>{entry.reason}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
