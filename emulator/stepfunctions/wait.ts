import { jsonFields } from "./asl.ts";
import { TaskFailure } from "./errors.ts";
import type { WaitSpec } from "./prepare.ts";
import type { TaskRuntime } from "./tasks.ts";
import type { JsonValue } from "./types.ts";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function targetMs(spec: WaitSpec, parameters: Record<string, JsonValue>, nowMs: number): number {
  const seconds = spec.seconds ?? parameters.seconds;
  if (seconds !== undefined) {
    if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0) {
      throw new TaskFailure("States.Runtime", `Wait "${spec.stateName}": seconds must be a non-negative integer, got ${JSON.stringify(seconds)}`);
    }
    return nowMs + seconds * 1000;
  }
  const timestamp = spec.timestamp ?? parameters.timestamp;
  if (typeof timestamp !== "string" || !RFC3339.test(timestamp)) {
    throw new TaskFailure("States.Runtime", `Wait "${spec.stateName}": timestamp must be an RFC 3339 string, got ${JSON.stringify(timestamp)}`);
  }
  return Math.max(nowMs, Date.parse(timestamp));
}

/**
 * A Wait state, rewritten by prepareDefinition into a local Task whose Parameters carry the
 * effective input and the resolved SecondsPath/TimestampPath: sleeps on the virtual timeline.
 */
export async function runWait(spec: WaitSpec, parameters: JsonValue, runtime: TaskRuntime): Promise<JsonValue> {
  const fields = jsonFields(parameters);
  const wakeMs = targetMs(spec, fields, runtime.timeline.clock.nowMs);
  await runtime.timeline.sleepUntil(runtime.participant, wakeMs, runtime.signal);
  return fields.input ?? null;
}
