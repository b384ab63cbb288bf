import type { World } from "../world.ts";

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

/** Advances the world by speed × elapsed real time, on a timer. Returns a function that stops it. */
export function startPacing(world: World, options: PacingOptions): () => void {
  if (!(options.speed > 0)) return () => undefined;
  let lastMs = options.realNowMs();
  const timer = setInterval(() => {
    const nowMs = options.realNowMs();
    world.advance(((nowMs - lastMs) / 1000) * options.speed);
    lastMs = nowMs;
  }, options.tickMs ?? 100);
  timer.unref();
  return () => clearInterval(timer);
}
