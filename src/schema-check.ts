import type * as v from "valibot";

/** A check of a JSON value that allocates nothing and returns only whether the value is valid. */
export type ValueCheck = (input: unknown) => boolean;

/** The fields of valibot schemas and actions that the compiler reads. */
interface SchemaNode {
  kind?: string;
  type: string;
  pipe?: readonly SchemaNode[];
  entries?: Readonly<Record<string, SchemaNode>>;
  item?: SchemaNode;
  wrapped?: SchemaNode;
  default?: unknown;
  options?: readonly unknown[];
  literal?: unknown;
  requirement?: unknown;
  getter?: (input: unknown) => SchemaNode;
}

const compiled = new WeakMap<object, ValueCheck | null>();

/** Keys that valibot's object schemas leave out of their output. */
const RESERVED_KEYS = ["__proto__", "constructor", "prototype"];

/**
 * Returns a check that accepts exactly the values that `schema` accepts and would return
 * unchanged, or `undefined` when the schema uses a type or action that the compiler does not
 * know. Callers run the check first and run valibot when it fails, for its output or its issues.
 *
 * valibot copies every object and array that it validates, which made validation of a 2 MB
 * history take about three times as long as its `JSON.parse`. The check reads the value without
 * copies. A value that passes can be used as it is, because these schemas have no defaults,
 * transformations or fallbacks. Two kinds of valid value would change in valibot's copy, so the
 * check leaves them to valibot. The first is an array where an object is expected, which valibot
 * copies into a plain object. The second is an object with an own `__proto__`, `constructor` or
 * `prototype` key: valibot drops the key, so that later merges of the result cannot change a
 * prototype.
 */
export function compileSchemaCheck(schema: v.GenericSchema): ValueCheck | undefined {
  return compileNode(schema as unknown as SchemaNode) ?? undefined;
}

function compileNode(node: SchemaNode): ValueCheck | null {
  const known = compiled.get(node);
  if (known !== undefined) {
    return known;
  }

  const check = node.pipe === undefined ? compileSchema(node) : compilePipe(node.pipe);
  compiled.set(node, check);

  return check;
}

function compilePipe(pipe: readonly SchemaNode[]): ValueCheck | null {
  const [first, ...actions] = pipe;
  const schemaCheck = first === undefined ? null : compileSchema(first);
  const actionChecks = actions.map(compileAction);
  if (schemaCheck === null || actionChecks.includes(null)) {
    return null;
  }

  const checks = actionChecks as ValueCheck[];

  return (input) => schemaCheck(input) && checks.every((check) => check(input));
}

function compileAction(action: SchemaNode): ValueCheck | null {
  if (action.type === "min_value" && typeof action.requirement === "number") {
    const minimum = action.requirement;

    return (input) => (input as number) >= minimum;
  }

  if (action.type === "integer") {
    return (input) => Number.isInteger(input);
  }

  return null;
}

function compileSchema(node: SchemaNode): ValueCheck | null {
  switch (node.type) {
    case "string":
      return (input) => typeof input === "string";
    case "number":
      return (input) => typeof input === "number" && !Number.isNaN(input);
    case "boolean":
      return (input) => typeof input === "boolean";
    case "unknown":
      return () => true;
    case "literal":
      return (input) => input === node.literal;
    case "picklist": {
      const options = node.options ?? [];

      return (input) => options.includes(input);
    }

    case "nullable":
    case "optional":
      return compileWrapped(node);
    case "array":
      return compileArray(node);
    case "loose_object":
      return compileLooseObject(node);
    case "union":
      return compileUnion(node);
    case "lazy":
      return compileLazy(node);
    default:
      return null;
  }
}

function compileWrapped(node: SchemaNode): ValueCheck | null {
  const wrapped = node.wrapped === undefined ? null : compileNode(node.wrapped);
  if (wrapped === null || node.default !== undefined) {
    return null;
  }

  const empty = node.type === "nullable" ? null : undefined;

  return (input) => input === empty || wrapped(input);
}

function compileArray(node: SchemaNode): ValueCheck | null {
  const item = node.item === undefined ? null : compileNode(node.item);
  if (item === null) {
    return null;
  }

  return (input) => {
    if (!Array.isArray(input)) {
      return false;
    }

    for (let index = 0; index < input.length; index++) {
      if (!item(input[index])) {
        return false;
      }
    }

    return true;
  };
}

/** Mirrors valibot's `looseObject`: any non-null object passes its type check, arrays too. */
function compileLooseObject(node: SchemaNode): ValueCheck | null {
  const keys: string[] = [];
  const checks: ValueCheck[] = [];
  const optional: boolean[] = [];
  for (const [key, entry] of Object.entries(node.entries ?? {})) {
    const check = compileNode(entry);
    if (check === null) {
      return null;
    }

    keys.push(key);
    checks.push(check);
    optional.push(entry.type === "optional");
  }

  return (input) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return false;
    }

    const object = input as Record<string, unknown>;
    if (RESERVED_KEYS.some((key) => Object.hasOwn(object, key))) {
      return false;
    }

    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const valid = key in object ? (checks[index] as ValueCheck)(object[key]) : optional[index];
      if (!valid) {
        return false;
      }
    }

    return true;
  };
}

function compileUnion(node: SchemaNode): ValueCheck | null {
  const options = (node.options ?? []).map((option) => compileNode(option as SchemaNode));
  if (options.includes(null)) {
    return null;
  }

  const checks = options as ValueCheck[];

  return (input) => {
    for (let index = 0; index < checks.length; index++) {
      if ((checks[index] as ValueCheck)(input)) {
        return true;
      }
    }

    return false;
  };
}

/** Compiles the schema that `getter` returns when it is first needed, which allows recursion. */
function compileLazy(node: SchemaNode): ValueCheck | null {
  const getter = node.getter;
  if (getter === undefined) {
    return null;
  }

  let lastSchema: SchemaNode | undefined;
  let lastCheck: ValueCheck | null = null;

  return (input) => {
    const schema = getter(input);
    if (schema !== lastSchema) {
      lastSchema = schema;
      lastCheck = compileNode(schema);
    }

    return lastCheck === null ? false : lastCheck(input);
  };
}
