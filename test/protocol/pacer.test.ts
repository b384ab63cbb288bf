import { afterEach, describe, expect, it, vi } from "vitest";
import { startPacing } from "../../emulator/protocol/pacer.ts";
import { newWorld } from "./helpers.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("server-mode pacing", () => {
  it("advances virtual time by speed × the real time that passed, and stops when told", () => {
    vi.useFakeTimers();
    const world = newWorld();
    let realMs = 5_000;
    const stop = startPacing(world, { speed: 20, realNowMs: () => realMs, tickMs: 100 });
    for (let tick = 0; tick < 10; tick++) {
      realMs += 100;
      vi.advanceTimersByTime(100);
    }
    expect(world.elapsedSeconds).toBeCloseTo(20, 6);
    stop();
    realMs += 1_000;
    vi.advanceTimersByTime(1_000);
    expect(world.elapsedSeconds).toBeCloseTo(20, 6);
  });

  it("leaves time alone at speed 0", () => {
    vi.useFakeTimers();
    const world = newWorld();
    let realMs = 0;
    startPacing(world, { speed: 0, realNowMs: () => realMs });
    realMs += 10_000;
    vi.advanceTimersByTime(10_000);
    expect(world.elapsedSeconds).toBe(0);
  });
});
