import type { VirtualClockLike } from "../stepfunctions/types.ts";
import type { EmulatedAccount } from "../account.ts";

export interface PacingOptions {
  /** Virtual seconds per real second; 0 leaves time to `POST /_ebb/advance`. */
  speed: number;
  /**
   * A monotonic real-time source in milliseconds, supplied by the caller: the emulator itself
   * never reads the wall clock, only the server's host process does, to pace it.
   */
  realNowMs: () => number;
  tickMs?: number;
}

export interface Pacer {
  /**
   * The clock Step Functions executions sleep on in server mode. Unlike the simulation's clock,
   * which jumps straight to the next wake-up, a sleeper here waits until paced time (or
   * `/_ebb/advance`) gets there, so a served deploy runs at `speed` like the rest of the world.
   */
  readonly clock: VirtualClockLike;
  stop(): void;
}

const DEFAULT_TICK_MS = 100;

// A global-timer promise rather than node:timers/promises, so tests can fake it like the ticker.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Advances the world by speed × elapsed real time, on a timer. Virtual time owed since the last
 * tick is one ledger shared with the clock's sleepers, so a short Task latency (much shorter than
 * a tick) is paid out at once and exactly, without ever letting the world run ahead of `speed`.
 */
export function startPacing(world: EmulatedAccount, options: PacingOptions): Pacer {
  const { speed, realNowMs } = options;
  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  let settledRealMs = realNowMs();
  const owedMs = (realMs: number): number => (realMs - settledRealMs) * speed;

  const timer = speed > 0
    ? setInterval(() => {
        const realMs = realNowMs();
        world.advanceTo(world.clock.nowMs + owedMs(realMs));
        settledRealMs = realMs;
      }, tickMs)
    : undefined;
  timer?.unref();

  const clock: VirtualClockLike = {
    get nowMs() {
      return world.clock.nowMs;
    },
    async advance(seconds: number) {
      const targetMs = world.clock.nowMs + seconds * 1000;
      while (world.clock.nowMs < targetMs) {
        const realMs = realNowMs();
        const reachableMs = world.clock.nowMs + (speed > 0 ? owedMs(realMs) : 0);
        if (reachableMs >= targetMs) {
          world.advanceTo(targetMs);
          // What real time paid for beyond the target stays owed to the next tick or sleeper.
          settledRealMs = realMs - (reachableMs - targetMs) / speed;
          break;
        }
        // At speed 0 only /_ebb/advance moves time: look again every tick.
        await sleep(speed > 0 ? Math.min(tickMs, Math.max(1, (targetMs - reachableMs) / speed)) : tickMs);
      }
      await world.events.flush();
    },
  };

  return { clock, stop: () => clearInterval(timer) };
}
