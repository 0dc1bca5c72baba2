/**
 * Type-level drift check between the valibot schemas in `src/schemas.ts` and the types that
 * openapi-typescript generates from the OpenAPI spec. `tsc -p tsconfig.json` checks this file,
 * and nothing executes it.
 *
 * Each pair must be mutually assignable and have the same known keys, with the same optional
 * modifiers and the same value types, at every nesting level.
 */

import type * as v from "valibot";

import type {
  AngoErrorBody,
  ErrorBodySchema,
  TaskHistoryEntry,
  TaskHistoryEntrySchema,
  TaskHistoryItemResponse,
  TaskHistoryItemResponseSchema,
  TaskHistoryListResponse,
  TaskHistoryListResponseSchema,
} from "../../src/schemas.ts";

/** Compiles only when `T` is `true`. */
type Assert<T extends true> = T;

/** Exact type identity, which distinguishes `{ a: string }` from `{ a: string; b?: string }`. */
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** `Key` itself, or `never` when `Key` is the key type of an index signature. */
type KnownKey<Key> = string extends Key
  ? never
  : number extends Key
    ? never
    : symbol extends Key
      ? never
      : Key;

/**
 * `T` with every index signature removed, recursively through objects, arrays and unions.
 * The mapped type is homomorphic, so it keeps each key's optional modifier, and it flattens
 * intersections such as valibot's `{ ... } & { [key: string]: unknown }` into one object.
 */
type WithoutIndexSignatures<T> = T extends readonly (infer Item)[]
  ? WithoutIndexSignatures<Item>[]
  : T extends object
    ? { [Key in keyof T as KnownKey<Key>]: WithoutIndexSignatures<T[Key]> }
    : T;

/**
 * Whether `A` and `B` describe the same JSON shape. Mutual assignability alone is too weak:
 * both sides carry `[key: string]: unknown`, so an optional key present on one side only
 * still passes it. Comparing the types without index signatures for identity catches that.
 */
type SameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? Equals<WithoutIndexSignatures<A>, WithoutIndexSignatures<B>>
    : false
  : false;

type EntryOutput = v.InferOutput<typeof TaskHistoryEntrySchema>;
type ListResponseOutput = v.InferOutput<typeof TaskHistoryListResponseSchema>;
type ItemResponseOutput = v.InferOutput<typeof TaskHistoryItemResponseSchema>;
type ErrorBodyOutput = v.InferOutput<typeof ErrorBodySchema>;

export type SchemasMatchGeneratedTypes = [
  Assert<SameShape<EntryOutput, TaskHistoryEntry>>,
  Assert<SameShape<ListResponseOutput, TaskHistoryListResponse>>,
  Assert<SameShape<ItemResponseOutput, TaskHistoryItemResponse>>,
  Assert<SameShape<ErrorBodyOutput, AngoErrorBody>>,
];

type Loose = { [key: string]: unknown };
type ItemWithB = { a: string; b?: number } & Loose;
type ItemWithoutB = { a: string } & Loose;

export type SameShapeIgnoresIndexSignatures = Assert<
  SameShape<{ a: string; b?: number } & Loose, { a: string; b?: number }>
>;

export type SameShapeRejectsMismatches = [
  // @ts-expect-error: an optional key on one side only, which mutual assignability accepts.
  Assert<SameShape<{ a: string; b?: string } & Loose, { a: string } & Loose>>,

  // @ts-expect-error: a required key missing on one side.
  Assert<SameShape<{ a: string; b: string } & Loose, { a: string } & Loose>>,

  // @ts-expect-error: the same key is optional on one side and required on the other.
  Assert<SameShape<{ a: string; b?: string } & Loose, { a: string; b: string } & Loose>>,

  // @ts-expect-error: `string` against `string | null`.
  Assert<SameShape<{ a: string } & Loose, { a: string | null } & Loose>>,

  // @ts-expect-error: an extra optional key inside an array element.
  Assert<SameShape<{ items: ItemWithB[] }, { items: ItemWithoutB[] }>>,

  // @ts-expect-error: an extra optional key inside one member of a union.
  Assert<SameShape<{ u: string | ({ a?: string } & Loose) }, { u: string | Loose }>>,

  // @ts-expect-error: the entry schema gains an optional key that the spec lacks.
  Assert<SameShape<EntryWithExtraKeyOutput, TaskHistoryEntry>>,
];

/** Output of `TaskHistoryEntrySchema` with one more optional string key. */
type EntryWithExtraKeyOutput = v.InferOutput<
  v.LooseObjectSchema<
    (typeof TaskHistoryEntrySchema)["entries"] & {
      extraKey: v.OptionalSchema<v.StringSchema<undefined>, undefined>;
    },
    undefined
  >
>;
