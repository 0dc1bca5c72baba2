/**
 * Runtime validation of Ango Hub task history responses, mirroring the schemas in
 * `openapi/ango-task-history.yaml`, plus the response types generated from that spec.
 *
 * Every object schema is a `looseObject`, because the API adds fields over time and an unknown
 * field must not make a response invalid. Ids and timestamps are plain strings without a
 * pattern, because the vendor's own samples contain placeholder ids and the date `2026-01-00`.
 * `tests/types/schemas-match.check.ts` fails type checking when these schemas and the
 * generated types drift apart.
 */

import * as v from "valibot";

import type { components } from "../generated/ango-api.ts";

type Schemas = components["schemas"];

/** Body of a successful `GET /v2/task/{taskId}/history` response. */
export type TaskHistoryListResponse = Schemas["TaskHistoryListResponse"];

/** Body of a successful `GET /v2/taskHistory/{taskHistoryId}` response. */
export type TaskHistoryItemResponse = Schemas["TaskHistoryItemResponse"];

/** Snapshot of a labeling task as it left one workflow stage. */
export type TaskHistoryEntry = Schemas["TaskHistoryEntry"];

/** Asset embedded in a history entry. Some entries contain only the asset id instead. */
export type Asset = Schemas["Asset"];

/** Body of an error response (status 400, 401, 403, 404, 429 or 500). */
export type AngoErrorBody = Schemas["ErrorBody"];

const DurationSchema = v.pipe(v.number(), v.minValue(0));

const NonNegativeIntegerSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

const AnnotationMetadataSchema = v.looseObject({
  createdAt: v.union([v.string(), v.number()]),
  createdBy: v.string(),
  createdIn: v.string(),
});

const classificationEntries = {
  objectId: v.string(),
  schemaId: v.string(),
  tool: v.string(),
  title: v.string(),
  answer: v.unknown(),
  metadata: v.optional(AnnotationMetadataSchema),
};

/**
 * Output of `ClassificationSchema`. TypeScript cannot infer the type of a schema that refers to
 * itself, so the recursive `classifications` key is written out here and the other keys are
 * inferred from `classificationEntries`.
 */
type ClassificationOutput = v.InferOutput<
  v.LooseObjectSchema<typeof classificationEntries, undefined>
> & {
  classifications?: ClassificationOutput[];
};

// Only the getter has an explicit type, so the outermost level of the schema keeps its inferred
// type and the drift check detects any change to the `classifications` entry itself.
const ClassificationSchema = v.looseObject({
  ...classificationEntries,
  classifications: v.optional(
    v.array(v.lazy((): v.GenericSchema<ClassificationOutput> => ClassificationSchema)),
  ),
});

const BoundingBoxSchema = v.looseObject({
  x: v.number(),
  y: v.number(),
  width: v.number(),
  height: v.number(),
});

const AnnotationToolSchema = v.looseObject({
  objectId: v.string(),
  schemaId: v.string(),
  title: v.string(),
  classifications: v.array(ClassificationSchema),
  metadata: v.optional(AnnotationMetadataSchema),
  "bounding-box": v.optional(BoundingBoxSchema),
  polygon: v.optional(v.array(v.array(v.number()))),
});

const RelationSchema = v.looseObject({
  objectId: v.string(),
  schemaId: v.string(),
  tool: v.string(),
  title: v.string(),
  from: v.string(),
  to: v.string(),
});

const AnswerSchema = v.looseObject({
  tools: v.array(AnnotationToolSchema),
  classifications: v.array(ClassificationSchema),
  relations: v.array(RelationSchema),
});

const AssetMetadataSchema = v.looseObject({
  width: v.optional(v.number()),
  height: v.optional(v.number()),
});

const AssetSchema = v.looseObject({
  _id: v.string(),
  id: v.string(),
  data: v.string(),
  externalId: v.string(),
  project: v.string(),
  organization: v.string(),
  editorType: v.string(),
  metadata: AssetMetadataSchema,
  batches: v.array(v.string()),
  isPrivate: v.boolean(),
  storage: v.unknown(),
  uploadStatus: v.string(),
  labelTasks: v.array(v.string()),
  deleted: v.boolean(),
  dataset: v.optional(v.array(v.unknown())),
  overlay: v.optional(v.array(v.unknown())),
  attachments: v.optional(v.array(v.unknown())),
  createdAt: v.optional(v.string()),
  createdBy: v.optional(v.string()),
  head: v.optional(v.string()),
  isPreLabeled: v.optional(v.boolean()),
});

/**
 * Validates one history entry. The asset is either its id or the embedded asset object, and
 * durations are non-negative numbers of milliseconds.
 */
export const TaskHistoryEntrySchema = v.looseObject({
  _id: v.string(),
  id: v.optional(v.string()),
  labelTaskId: v.string(),
  answer: AnswerSchema,
  createdAt: v.string(),
  project: v.string(),
  organization: v.string(),
  asset: v.union([v.string(), AssetSchema]),
  deleted: v.boolean(),
  stage: v.string(),
  stageId: v.optional(v.string()),
  assignee: v.nullable(v.string()),
  consensusDetailed: v.optional(v.array(v.unknown())),
  consensusIteration: v.optional(NonNegativeIntegerSchema),
  rework: v.boolean(),
  benchmarkDetailed: v.optional(v.array(v.unknown())),
  duration: DurationSchema,
  idleDuration: v.optional(DurationSchema),
  blurDuration: v.optional(DurationSchema),
  updatedAt: v.string(),
  updatedBy: v.nullable(v.string()),
  batches: v.array(v.string()),
  type: v.optional(v.string()),
  isSkipped: v.boolean(),
});

/** Validates the body of a successful `GET /v2/task/{taskId}/history` response. */
export const TaskHistoryListResponseSchema = v.looseObject({
  status: v.literal("success"),
  data: v.looseObject({
    taskHistory: v.array(TaskHistoryEntrySchema),
    total: NonNegativeIntegerSchema,
  }),
});

/** Validates the body of a successful `GET /v2/taskHistory/{taskHistoryId}` response. */
export const TaskHistoryItemResponseSchema = v.looseObject({
  status: v.literal("success"),
  data: v.looseObject({
    taskHistory: TaskHistoryEntrySchema,
  }),
});

/** Validates an error body: a `status` of `fail` or `error` and a `message`. */
export const ErrorBodySchema = v.looseObject({
  status: v.picklist(["fail", "error"]),
  message: v.string(),
});
