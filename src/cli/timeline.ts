import type { TaskHistoryEntry } from "../schemas.ts";
import { printable } from "./printable.ts";

const HEADERS = ["#", "Stage", "Assignee", "Active", "Idle", "Rework", "Skipped", "Left stage"];

/**
 * Formats history entries as a table with one row per stage visit, followed by totals.
 * Durations are milliseconds in the API and are shown as `6m 52s` or `15.5s`.
 */
export function formatTimeline(entries: readonly TaskHistoryEntry[]): string {
  const rows = entries.map((entry, index) => [
    String(index + 1),
    printable(entry.stage),
    printable(entry.assignee ?? "-"),
    formatDuration(entry.duration),
    formatDuration(entry.idleDuration),
    formatFlag(entry.rework),
    formatFlag(entry.isSkipped),
    printable(entry.updatedAt ?? "-"),
  ]);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const lines = [HEADERS, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );

  return [...lines, "", formatTotals(entries)].join("\n");
}

function formatTotals(entries: readonly TaskHistoryEntry[]): string {
  let active = 0;
  let idle = 0;
  let rework = 0;
  let skipped = 0;
  for (const entry of entries) {
    active += entry.duration ?? 0;
    idle += entry.idleDuration ?? 0;
    rework += entry.rework === true ? 1 : 0;
    skipped += entry.isSkipped === true ? 1 : 0;
  }

  const count = entries.length === 1 ? "1 entry" : `${entries.length} entries`;

  return (
    `Total: ${count}, active ${formatDuration(active)}, idle ${formatDuration(idle)}, ` +
    `${rework} rework, ${skipped} skipped`
  );
}

/** Formats milliseconds as `1h 02m`, `6m 52s` or `15.5s`; `-` when the value is absent. */
export function formatDuration(milliseconds: number | undefined): string {
  if (milliseconds === undefined) {
    return "-";
  }

  const tenths = Math.round(milliseconds / 100);
  if (tenths < 600) {
    return `${tenths / 10}s`;
  }

  const wholeSeconds = Math.round(milliseconds / 1000);
  const hours = Math.floor(wholeSeconds / 3600);
  const minutes = Math.floor((wholeSeconds % 3600) / 60);
  if (hours > 0) {
    return `${hours}h ${String(minutes).padStart(2, "0")}m`;
  }

  return `${minutes}m ${String(wholeSeconds % 60).padStart(2, "0")}s`;
}

function formatFlag(value: boolean | undefined): string {
  if (value === undefined) {
    return "-";
  }

  return value ? "yes" : "no";
}
