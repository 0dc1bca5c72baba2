import type { TaskHistoryEntry } from "./schemas.ts";

/** Counts and times of a set of history entries. Durations are milliseconds. */
export interface StageTotals {
  /** Number of entries: one per visit of a stage. */
  visits: number;
  /** Sum of `duration`, the time the assignee was active. */
  duration: number;
  /** Sum of `idleDuration`, the time the task was open without activity. */
  idleDuration: number;
  /** Sum of `blurDuration`, the time the task was open in a background window or tab. */
  blurDuration: number;
  /** Number of entries with `rework: true`. */
  reworkEntries: number;
  /** Number of entries with `isSkipped: true`. */
  skippedEntries: number;
}

/** Totals of one workflow stage. */
export interface StageSummary extends StageTotals {
  /** Id of the stage (`stageId`), or its name for entries without an id. */
  stageId: string;
  /** Name of the stage (`stage`). */
  stage: string;
}

/** Stage summary of one task history. */
export interface HistorySummary {
  /** Names of the stages that the task went through, in the order of the entries. */
  path: string[];
  /** One summary per stage, in the order of the first visit. */
  stages: StageSummary[];
  /** Totals of every entry. */
  total: StageTotals;
}

/** Totals of one workflow stage over many tasks. */
export interface StageAggregate extends StageSummary {
  /** Number of tasks that visited the stage at least once. */
  tasks: number;
}

/** How many tasks took one path of stages. */
export interface PathCount {
  /** Stage names in the order of the visits. */
  path: string[];
  /** Number of tasks that took exactly this path. */
  tasks: number;
}

/** Stage summary of many task histories. */
export interface BatchSummary {
  /** Number of histories added. */
  tasks: number;
  /** One aggregate per stage, in the order of the first visit. */
  stages: StageAggregate[];
  /** Totals of every entry of every task. */
  total: StageTotals;
  /** Paths of stages with the number of tasks that took each, most frequent first, then by name. */
  paths: PathCount[];
  /** Number of tasks whose path is not in `paths`: paths after the first 1,000 distinct ones. */
  otherPathTasks: number;
}

/** Accumulates history summaries one at a time, so that a batch needs no list of histories. */
export interface StageAggregator {
  /** Adds the summary of one task. */
  add(summary: HistorySummary): void;
  /** Returns the summary of every task added so far. */
  result(): BatchSummary;
}

/** Number of distinct paths that an aggregator counts one by one. */
const MAX_TRACKED_PATHS = 1_000;

/**
 * Summarizes one task history by stage: visits, active, idle and blur time, rework and skipped
 * entries, and the path of stages in the order of the entries. Stages are distinguished by
 * `stageId`, or by name when an entry has no id. Missing idle and blur times count as 0.
 */
export function summarizeHistory(entries: readonly TaskHistoryEntry[]): HistorySummary {
  const stages = new Map<string, StageSummary>();
  const total = emptyTotals();
  const path: string[] = [];
  for (const entry of entries) {
    const stageId = entry.stageId ?? entry.stage;
    let stage = stages.get(stageId);
    if (stage === undefined) {
      stage = { stageId, stage: entry.stage, ...emptyTotals() };
      stages.set(stageId, stage);
    }

    addEntry(stage, entry);
    addEntry(total, entry);
    path.push(entry.stage);
  }

  return { path, stages: [...stages.values()], total };
}

/** Creates a {@link StageAggregator} that sums stage summaries over many tasks. */
export function createStageAggregator(): StageAggregator {
  const stages = new Map<string, StageAggregate>();
  const total = emptyTotals();
  const paths = new Map<string, PathCount>();
  let tasks = 0;
  let otherPathTasks = 0;

  function add(summary: HistorySummary): void {
    tasks++;
    addTotals(total, summary.total);
    for (const stage of summary.stages) {
      let aggregate = stages.get(stage.stageId);
      if (aggregate === undefined) {
        aggregate = { stageId: stage.stageId, stage: stage.stage, tasks: 0, ...emptyTotals() };
        stages.set(stage.stageId, aggregate);
      }

      aggregate.tasks++;
      addTotals(aggregate, stage);
    }

    const key = JSON.stringify(summary.path);
    const known = paths.get(key);
    if (known !== undefined) {
      known.tasks++;
    } else if (paths.size < MAX_TRACKED_PATHS) {
      paths.set(key, { path: summary.path, tasks: 1 });
    } else {
      otherPathTasks++;
    }
  }

  function result(): BatchSummary {
    return {
      tasks,
      stages: [...stages.values()].map((stage) => ({ ...stage })),
      total: { ...total },
      paths: [...paths.entries()]
        .sort(([firstKey, first], [secondKey, second]) => {
          return second.tasks - first.tasks || (firstKey < secondKey ? -1 : 1);
        })
        .map(([, count]) => ({ ...count })),
      otherPathTasks,
    };
  }

  return { add, result };
}

function emptyTotals(): StageTotals {
  return {
    visits: 0,
    duration: 0,
    idleDuration: 0,
    blurDuration: 0,
    reworkEntries: 0,
    skippedEntries: 0,
  };
}

function addEntry(totals: StageTotals, entry: TaskHistoryEntry): void {
  totals.visits++;
  totals.duration += entry.duration;
  totals.idleDuration += entry.idleDuration ?? 0;
  totals.blurDuration += entry.blurDuration ?? 0;
  totals.reworkEntries += entry.rework ? 1 : 0;
  totals.skippedEntries += entry.isSkipped ? 1 : 0;
}

function addTotals(totals: StageTotals, other: StageTotals): void {
  totals.visits += other.visits;
  totals.duration += other.duration;
  totals.idleDuration += other.idleDuration;
  totals.blurDuration += other.blurDuration;
  totals.reworkEntries += other.reworkEntries;
  totals.skippedEntries += other.skippedEntries;
}
