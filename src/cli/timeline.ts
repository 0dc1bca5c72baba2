import { summarizeHistory } from "../analytics.ts";
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

  return [formatTable(HEADERS, rows), "", formatTotals(entries)].join("\n");
}

function formatTotals(entries: readonly TaskHistoryEntry[]): string {
  const { total } = summarizeHistory(entries);
  const count = total.visits === 1 ? "1 entry" : `${total.visits} entries`;

  return (
    `Total: ${count}, active ${formatDuration(total.duration)}, ` +
    `idle ${formatDuration(total.idleDuration)}, ` +
    `${total.reworkEntries} rework, ${total.skippedEntries} skipped`
  );
}

/** Formats rows as columns padded to their widest cell, separated by two spaces. */
export function formatTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const lines = [headers, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );

  return lines.join("\n");
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
