/** Maximum number of bytes of an unused body that the client reads and drops. */
const MAX_DRAINED_BYTES = 256 * 1024;

/**
 * Reads a body as bytes, but stops after `maxBytes`. A longer body is cancelled, and its first
 * `maxBytes` are returned with `complete: false`.
 */
export async function readBodyBytes(
  response: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; complete: boolean }> {
  const reader = response.body?.getReader();
  if (reader === undefined) {
    return { bytes: new Uint8Array(0), complete: true };
  }

  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return { bytes: concat(chunks, length), complete: true };
    }

    if (length + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - length));
      await reader.cancel();

      return { bytes: concat(chunks, maxBytes), complete: false };
    }

    chunks.push(value);
    length += value.byteLength;
  }
}

/** Decodes UTF-8 as `Response.text()` does: invalid bytes become U+FFFD and a BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }

  return bytes;
}

/**
 * Reads and drops a body that the client does not use, so that the runtime can reuse the
 * connection: Node and Deno close a connection whose body is cancelled before its end. A body
 * longer than {@link MAX_DRAINED_BYTES} is cancelled instead.
 */
export async function discardBody(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (reader === undefined) {
    return;
  }

  try {
    for (let drained = 0; drained <= MAX_DRAINED_BYTES;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }

      drained += value.byteLength;
    }

    await reader.cancel();
  } catch {
    // The connection failed while the body was dropped, so there is nothing left to reuse.
  }
}
