import { VirtualClock } from "../../../emulator/clock.ts";
import type { StepFunctionsHost } from "../../../emulator/stepfunctions/actions/index.ts";
import { Rng } from "../../../sim/random.ts";
import type { ExecutionStatusChangeEvent, VirtualClockLike } from "../../../emulator/stepfunctions/index.ts";

export const START_MS = Date.parse("2026-01-01T00:00:00Z");

/** A virtual clock that records every advance, so tests can check exactly how time moved. */
export function recordingClock(): VirtualClockLike & { readonly advances: number[] } {
  const clock = new VirtualClock(START_MS);
  const advances: number[] = [];
  return {
    advances,
    get nowMs() {
      return clock.nowMs;
    },
    advance(seconds: number) {
      advances.push(seconds);
      clock.setMs(clock.nowMs + seconds * 1000);
    },
  };
}

/** The slice of World the Step Functions service needs, without the fleet physics. */
export function testHost(): StepFunctionsHost & { flushes: number; published: ExecutionStatusChangeEvent[] } {
  const clock = new VirtualClock(START_MS);
  const rng = new Rng(7);
  let requests = 0;
  const host = {
    clock,
    region: "us-east-1",
    accountId: "123456789012",
    rng,
    flushes: 0,
    published: [] as ExecutionStatusChangeEvent[],
    events: {
      flush: async () => {
        host.flushes += 1;
      },
      publish: (event: ExecutionStatusChangeEvent) => host.published.push(event),
    },
    advance: (seconds: number) => clock.setMs(clock.nowMs + seconds * 1000),
    nextRequestId: () => `req-${++requests}`,
  };
  return host;
}

export const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** An error class whose `name` is the Lambda errorType, like a typed error in a handler. */
export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
