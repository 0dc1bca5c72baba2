import type { BatchSummary } from "../analytics.ts";
import { printable } from "./printable.ts";
import { formatDuration, formatTable } from "./timeline.ts";

/** Number of paths of stages listed in the summary. */
const SHOWN_PATHS = 5;

const HEADERS = ["Stage", "Tasks", "Visits", "Active", "Idle", "Blur", "Rework", "Skipped"];

/** A task of a batch that failed, with the error to show. */
export interface BatchFailure {
  taskId: string;
  reason: unknown;
}

/**
 * Formats the stage summary of a batch: a table with one row per stage and a total row, the
 * most frequent paths of stages, and the failed tasks with the first few errors.
 *
 * @param failures the first failures, shown one a line.
 * @param failedCount the number of failed tasks, which may exceed `failures.length`.
 */
export function formatBatchSummary(
  summary: BatchSummary,
  failures: readonly BatchFailure[],
  failedCount: number,
): string {
  const tasks = summary.tasks + failedCount;
  const lines = [`Tasks: ${tasks} (${summary.tasks} succeeded, ${failedCount} failed)`];
  if (summary.tasks > 0) {
    const rows = summary.stages.map((stage) => [
      printable(stage.stage),
      String(stage.tasks),
      ...formatTotals(stage),
    ]);
    rows.push(["Total", String(summary.tasks), ...formatTotals(summary.total)]);
    lines.push("", formatTable(HEADERS, rows), "", "Paths:", ...formatPaths(summary));
  }

  if (failedCount > 0) {
    lines.push("", `Failed tasks: ${failedCount}`);
    for (const { taskId, reason } of failures) {
      lines.push(`  ${printable(taskId)}: ${describeFailure(reason)}`);
    }

    if (failedCount > failures.length) {
      lines.push(`  and ${failedCount - failures.length} more`);
    }
  }

  return lines.join("\n");
}

/** Names an error of a failed task as `AngoApiError: message`, in one printable line. */
export function describeFailure(reason: unknown): string {
  if (reason instanceof Error) {
    return printable(`${reason.name}: ${reason.message}`);
  }

  return printable(String(reason));
}

function formatTotals(totals: BatchSummary["total"]): string[] {
  return [
    String(totals.visits),
    formatDuration(totals.duration),
    formatDuration(totals.idleDuration),
    formatDuration(totals.blurDuration),
    String(totals.reworkEntries),
    String(totals.skippedEntries),
  ];
}

function formatPaths(summary: BatchSummary): string[] {
  const listed = summary.paths.slice(0, SHOWN_PATHS);
  const width = String(listed[0]?.tasks ?? 0).length;
  const lines = listed.map(({ path, tasks }) => {
    const stages = path.length === 0 ? "(no entries)" : path.map(printable).join(" > ");

    return `  ${String(tasks).padStart(width)}  ${stages}`;
  });
  const otherTasks =
    summary.otherPathTasks +
    summary.paths.slice(SHOWN_PATHS).reduce((sum, { tasks }) => sum + tasks, 0);
  if (otherTasks > 0) {
    lines.push(`  and ${otherTasks} tasks on other paths`);
  }

  return lines;
}
