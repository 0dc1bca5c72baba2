/**
 * Removes the API key from a text. With `wasCut`, the text is the start of a longer one, so a
 * start of the key at its end is removed too.
 */
export type Redact = (text: string, wasCut?: boolean) => string;

const REDACTED = "[redacted]";
const MAX_CAUSE_DEPTH = 4;
const MAX_NESTED_ERRORS = 10;
const SPECIAL_KEYS = new Set(["name", "message", "cause"]);

/**
 * Creates a function that replaces every occurrence of `secret` in a text with `[redacted]`, in
 * any letter case and in the forms that a JSON encoder writes: `"` and `\` escaped, and `/`
 * escaped too, as some encoders do. When the replacement forms the secret again, which happens
 * for a secret that starts with the end of `[redacted]`, the whole text is replaced.
 */
export function createRedactor(secret: string): Redact {
  // NOTE: a server that echoes the key in another form (percent-encoded, base64, HTML entities,
  // or split by characters that the client removes, such as control characters) is not detected.
  const forms = secretForms(secret);
  const source = forms.map(escapeRegExp).join("|");
  const everyForm = new RegExp(source, "gi");
  const anyForm = new RegExp(source, "i");

  return (text, wasCut = false) => {
    let redacted = text.replace(everyForm, REDACTED);
    if (wasCut) {
      redacted = removeCutSecret(redacted, forms);
    }

    return anyForm.test(redacted) ? REDACTED : redacted;
  };
}

/** Replaces the longest start of any form of the secret that ends the text. */
function removeCutSecret(text: string, forms: string[]): string {
  const end = text.toLowerCase();
  for (const form of forms) {
    const start = form.toLowerCase();
    for (let length = Math.min(start.length - 1, end.length); length > 0; length--) {
      if (end.endsWith(start.slice(0, length))) {
        return `${text.slice(0, text.length - length)}${REDACTED}`;
      }
    }
  }

  return text;
}

/** Lists the secret as sent and as JSON strings contain it, longest first. */
function secretForms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([secret, escaped, escaped.replaceAll("/", "\\/")]);

  return [...forms].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Copies an error thrown by `fetch` without the secret. The copy is an `Error` with the same
 * `name`, `message`, `stack` and other text, number and boolean properties, each text redacted,
 * and with `cause` and nested `errors` copied the same way. Other property values are dropped.
 *
 * A server controls part of some runtime errors. The `fetch` of Node 20 (undici) stores the raw
 * bytes of a malformed response in `cause.data`, so a server that echoes the `apikey` header in
 * an invalid response puts the key there.
 */
export function redactError(error: unknown, redact: Redact, depth = 0): unknown {
  if (typeof error === "string") {
    return redact(error);
  }

  if (typeof error !== "object" || error === null || depth >= MAX_CAUSE_DEPTH) {
    return typeof error === "object" ? undefined : error;
  }

  const copy = new Error(redact(String(readProperty(error, "message") ?? "")));
  copy.name = redact(String(readProperty(error, "name") ?? "Error"));
  for (const key of Object.getOwnPropertyNames(error)) {
    const value = SPECIAL_KEYS.has(key)
      ? undefined
      : copyValue(readProperty(error, key), redact, depth);
    if (value !== undefined) {
      const enumerable = Object.getOwnPropertyDescriptor(error, key)?.enumerable ?? false;
      Object.defineProperty(copy, key, { value, enumerable, writable: true, configurable: true });
    }
  }

  const cause = readProperty(error, "cause");
  if (cause !== undefined) {
    copy.cause = redactError(cause, redact, depth + 1);
  }

  return copy;
}

function copyValue(value: unknown, redact: Redact, depth: number): unknown {
  if (typeof value === "string") {
    return redact(value);
  }

  if (typeof value === "number" || typeof value === "boolean") {
    return value;
  }

  if (Array.isArray(value)) {
    return value.slice(0, MAX_NESTED_ERRORS).map((item) => redactError(item, redact, depth + 1));
  }

  return typeof value === "object" && value !== null && value instanceof Error
    ? redactError(value, redact, depth + 1)
    : undefined;
}

/** Reads a property that may be a throwing getter, as `stack` can be in some runtimes. */
function readProperty(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
