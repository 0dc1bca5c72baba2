import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createStageAggregator, summarizeHistory, type TaskHistoryEntry } from "../src/index.ts";
import { readFixture } from "./helpers/servers.ts";

const REVIEW_ID = "9b2f6c1e-4a7d-4f3b-8c21-5e0d7a9f1b34";

function fixtureEntries(name: string): TaskHistoryEntry[] {
  const body = readFixture(name) as {
    data: { taskHistory: TaskHistoryEntry | TaskHistoryEntry[] };
  };
  const { taskHistory } = body.data;

  return Array.isArray(taskHistory) ? taskHistory : [taskHistory];
}

const FIVE_STAGES = fixtureEntries("synthetic-five-stage-history.json");

describe("summarizeHistory", () => {
  test("five-stage path keeps rework order", () => {
    const summary = summarizeHistory(FIVE_STAGES);

    assert.deepEqual(summary.path, ["Start", "Label", "Review", "Label", "Review"]);
  });

  test("five-stage totals per stage", () => {
    const summary = summarizeHistory(FIVE_STAGES);

    assert.deepEqual(summary.stages, [
      {
        stageId: "Start",
        stage: "Start",
        visits: 1,
        duration: 0,
        idleDuration: 0,
        blurDuration: 0,
        reworkEntries: 0,
        skippedEntries: 0,
      },
      {
        stageId: "Label",
        stage: "Label",
        visits: 2,
        duration: 412_350 + 188_400,
        idleDuration: 31_000 + 15_500,
        blurDuration: 12_000,
        reworkEntries: 1,
        skippedEntries: 0,
      },
      {
        stageId: REVIEW_ID,
        stage: "Review",
        visits: 2,
        duration: 95_020 + 60_110,
        idleDuration: 0,
        blurDuration: 2_500,
        reworkEntries: 1,
        skippedEntries: 0,
      },
    ]);
  });

  test("five-stage total of entries", () => {
    const { total } = summarizeHistory(FIVE_STAGES);

    assert.deepEqual(total, {
      visits: 5,
      duration: 755_880,
      idleDuration: 46_500,
      blurDuration: 14_500,
      reworkEntries: 2,
      skippedEntries: 0,
    });
  });

  test("missing idle and blur count as zero", () => {
    const summary = summarizeHistory(fixtureEntries("docs-2023-task-history-item.json"));

    assert.equal(summary.stages.length, 1);
    assert.equal(summary.stages[0]?.stageId, "Label");
    assert.equal(summary.total.duration, 468_000);
    assert.equal(summary.total.idleDuration, 0);
    assert.equal(summary.total.blurDuration, 0);
  });

  test("same name, other stage ids", () => {
    const label = FIVE_STAGES[1];
    assert.ok(label);
    const summary = summarizeHistory([label, { ...label, stageId: "second-label" }]);

    assert.deepEqual(
      summary.stages.map((stage) => [stage.stageId, stage.stage, stage.visits]),
      [
        ["Label", "Label", 1],
        ["second-label", "Label", 1],
      ],
    );
  });

  test("skipped entries are counted", () => {
    const [start] = FIVE_STAGES;
    assert.ok(start);
    const summary = summarizeHistory([start, { ...start, isSkipped: true }]);

    assert.equal(summary.stages[0]?.skippedEntries, 1);
    assert.equal(summary.total.skippedEntries, 1);
  });

  test("empty history has no stages", () => {
    const summary = summarizeHistory([]);

    assert.deepEqual(summary.path, []);
    assert.deepEqual(summary.stages, []);
    assert.equal(summary.total.visits, 0);
  });
});

describe("createStageAggregator", () => {
  test("sums stages over tasks", () => {
    const aggregator = createStageAggregator();
    aggregator.add(summarizeHistory(FIVE_STAGES));
    aggregator.add(summarizeHistory(FIVE_STAGES));
    aggregator.add(summarizeHistory(fixtureEntries("docs-2026-task-history-list.json")));
    const result = aggregator.result();

    assert.equal(result.tasks, 3);
    assert.deepEqual(
      result.stages.map((stage) => [stage.stageId, stage.tasks, stage.visits]),
      [
        ["Start", 2, 2],
        ["Label", 3, 5],
        [REVIEW_ID, 2, 4],
      ],
    );
    const label = result.stages[1];
    assert.equal(label?.duration, 2 * (412_350 + 188_400) + 20_000);
    assert.equal(label.reworkEntries, 2);
    assert.equal(result.total.visits, 11);
    assert.equal(result.total.duration, 2 * 755_880 + 20_000);
  });

  test("paths are counted, most frequent first", () => {
    const aggregator = createStageAggregator();
    aggregator.add(summarizeHistory(fixtureEntries("docs-2026-task-history-list.json")));
    aggregator.add(summarizeHistory(FIVE_STAGES));
    aggregator.add(summarizeHistory(FIVE_STAGES));
    const { paths, otherPathTasks } = aggregator.result();

    assert.deepEqual(paths, [
      { path: ["Start", "Label", "Review", "Label", "Review"], tasks: 2 },
      { path: ["Label"], tasks: 1 },
    ]);
    assert.equal(otherPathTasks, 0);
  });

  test("equal path counts sort by name", () => {
    const aggregator = createStageAggregator();
    aggregator.add(summarizeHistory(FIVE_STAGES));
    aggregator.add(summarizeHistory(fixtureEntries("docs-2026-task-history-list.json")));

    assert.deepEqual(
      aggregator.result().paths.map(({ path }) => path[0]),
      ["Label", "Start"],
    );
  });

  test("distinct paths beyond 1,000 are grouped", () => {
    const aggregator = createStageAggregator();
    const [label] = FIVE_STAGES;
    assert.ok(label);
    for (let index = 0; index < 1_005; index++) {
      aggregator.add(summarizeHistory([{ ...label, stage: `Stage ${index}` }]));
    }
    const result = aggregator.result();

    assert.equal(result.paths.length, 1_000);
    assert.equal(result.otherPathTasks, 5);
    assert.equal(result.tasks, 1_005);
  });

  test("result is a snapshot", () => {
    const aggregator = createStageAggregator();
    aggregator.add(summarizeHistory(FIVE_STAGES));
    const first = aggregator.result();
    aggregator.add(summarizeHistory(FIVE_STAGES));

    assert.equal(first.tasks, 1);
    assert.equal(first.stages[0]?.visits, 1);
    assert.equal(first.total.visits, 5);
    assert.equal(first.paths[0]?.tasks, 1);
  });
});
