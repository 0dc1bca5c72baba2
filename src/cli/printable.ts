/**
 * Characters that can move the cursor, recolor or reorder terminal text: C0 and C1 controls,
 * Unicode format characters such as U+202E (right-to-left override), and line separators.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** Replaces every unsafe character with `?`, for one line of text from the server. */
export function printable(text: string): string {
  return text.replace(UNSAFE, "?");
}

/**
 * Formats a value as indented JSON with unsafe characters written as `\uXXXX` escapes, so the
 * output stays valid JSON. Line feeds are kept because JSON.stringify emits them only between
 * tokens: it already escapes those inside strings.
 *
 * @param indent spaces per level; 0 writes the value on one line, as NDJSON needs.
 */
export function printableJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE, (character) => {
    return character === "\n" ? character : escapeUtf16(character);
  });
}

function escapeUtf16(character: string): string {
  let escaped = "";
  for (let index = 0; index < character.length; index++) {
    escaped += `\\u${character.charCodeAt(index).toString(16).padStart(4, "0")}`;
  }

  return escaped;
}
