import { createClientWithTiming } from "../../src/client.ts";
import type { TaskHistoryClient, TaskHistoryClientOptions } from "../../src/index.ts";
import type { RetryTiming } from "../../src/retry.ts";

/** A client whose backoff waits are recorded and skipped, with the jitter fixed at its middle. */
export interface RecordingClient {
  client: TaskHistoryClient;
  /** Every wait that the client asked for, in milliseconds. */
  sleeps: number[];
}

/** Creates a client that records its retry waits instead of sleeping. */
export function createRecordingClient(options: TaskHistoryClientOptions): RecordingClient {
  const sleeps: number[] = [];
  const timing: RetryTiming = {
    sleep: (delayMs, signal) => {
      sleeps.push(delayMs);

      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    },
    random: () => 0.5,
  };

  return { client: createClientWithTiming(options, timing), sleeps };
}
