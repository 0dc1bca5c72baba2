/**
 * Settles like `promise`, or rejects with the signal's reason as soon as the signal aborts. An
 * injected `fetch` may ignore the signal, and the time limit and the caller's abort still hold.
 * A rejection of `promise` after the abort is handled here, so it is never unhandled.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
    }

    signal.addEventListener("abort", onAbort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort))
      .catch(() => {});
  });
}

/**
 * Returns the reason of an aborted signal, or a new `AbortError` when the reason is falsy, as in
 * `AbortSignal.abort(null)`. openapi-fetch does not rethrow a falsy error from `fetch`, and a
 * caller cannot read `name` from `null`, so such a reason is replaced. Any other reason is kept.
 */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason || new DOMException("This operation was aborted", "AbortError");
}
