import type * as v from "valibot";
import type { AngoValidationIssue } from "./errors.ts";
import { describeType } from "./input.ts";

/**
 * Converts the first `max` valibot issues to paths and JSON types. A union that fails on an
 * object or array is replaced by the issues of its object options, so that the path reaches the
 * invalid field.
 */
export function toValidationIssues(
  issues: readonly v.BaseIssue<unknown>[],
  max: number,
): AngoValidationIssue[] {
  const converted: AngoValidationIssue[] = [];
  for (const issue of issues) {
    if (converted.length >= max) {
      break;
    }

    const nested = issue.type === "union" ? unionDetails(issue) : [];
    if (nested.length > 0) {
      converted.push(...toValidationIssues(nested, max - converted.length));
    } else {
      converted.push(toValidationIssue(issue));
    }
  }

  return converted;
}

function unionDetails(issue: v.BaseIssue<unknown>): v.BaseIssue<unknown>[] {
  if (typeof issue.input !== "object" || issue.input === null || issue.issues === undefined) {
    return [];
  }

  const outer = issue.path ?? [];

  return issue.issues
    .filter((inner) => (inner.path?.length ?? 0) > 0)
    .map((inner) => {
      const innerPath = inner.path ?? [];
      const isAbsolute =
        innerPath.length > outer.length &&
        outer.every((item, index) => item.key === innerPath[index]?.key);

      return {
        ...inner,
        path: (isAbsolute ? innerPath : [...outer, ...innerPath]) as typeof inner.path,
      };
    });
}

function toValidationIssue(issue: v.BaseIssue<unknown>): AngoValidationIssue {
  const items = issue.path ?? [];
  const path = formatPath(items);
  if (issue.input === undefined) {
    const lastKey = items.at(-1)?.key;
    const isMissingKey = issue.expected === `"${String(lastKey)}"`;

    return {
      path,
      expected: isMissingKey ? "a required property" : (issue.expected ?? issue.type),
      received: "missing",
    };
  }

  return { path, expected: issue.expected ?? issue.type, received: describeType(issue.input) };
}

/** Formats a valibot issue path as `data.taskHistory[3].stage`. */
function formatPath(items: readonly { key: unknown }[]): string {
  let path = "";
  for (const { key } of items) {
    if (typeof key === "number") {
      path += `[${key}]`;
    } else if (typeof key === "string" && /^[A-Za-z_$][\w$-]*$/.test(key)) {
      path += path === "" ? key : `.${key}`;
    } else {
      path += `[${JSON.stringify(String(key))}]`;
    }
  }

  return path;
}
