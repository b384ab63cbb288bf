import { afterEach, describe, expect, it, vi } from "vitest";
import { startPacing } from "../../../emulator/protocol/pacer.ts";
import { newWorld } from "../../support/protocol.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("server-mode pacing", () => {
  it("advances virtual time by speed × the real time that passed, and stops when told", () => {
    vi.useFakeTimers();
    const world = newWorld();
    let realMs = 5_000;
    const { stop } = startPacing(world, { speed: 20, realNowMs: () => realMs, tickMs: 100 });
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

describe("the paced clock Step Functions sleeps on", () => {
  const fakeTime = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });

  it("wakes a sleeper when paced time reaches it, never running ahead of speed", async () => {
    fakeTime();
    const world = newWorld();
    const { clock, stop } = startPacing(world, { speed: 10, realNowMs: () => Date.now(), tickMs: 100 });
    let woke = false;
    const sleeping = Promise.resolve(clock.advance(30)).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(woke).toBe(false);
    expect(world.elapsedSeconds).toBeCloseTo(20, 6);
    await vi.advanceTimersByTimeAsync(1_000);
    await sleeping;
    expect(woke).toBe(true);
    expect(world.elapsedSeconds).toBeCloseTo(30, 6);
    stop();
  });

  it("pays a sleep shorter than a tick at once from the time owed, exactly", async () => {
    fakeTime();
    const world = newWorld();
    const { clock, stop } = startPacing(world, { speed: 50, realNowMs: () => Date.now(), tickMs: 100 });
    const sleeping = Promise.resolve(clock.advance(0.1));
    await vi.advanceTimersByTimeAsync(2);
    await sleeping;
    expect(world.elapsedSeconds).toBeCloseTo(0.1, 6);
    // The ledger is shared: the next tick adds only what real time paid for since.
    await vi.advanceTimersByTimeAsync(98);
    expect(world.elapsedSeconds).toBeCloseTo(5, 6);
    stop();
  });

  it("at speed 0 waits for time to be advanced from outside", async () => {
    fakeTime();
    const world = newWorld();
    const { clock } = startPacing(world, { speed: 0, realNowMs: () => Date.now(), tickMs: 100 });
    let woke = false;
    const sleeping = Promise.resolve(clock.advance(60)).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(woke).toBe(false);
    expect(world.elapsedSeconds).toBe(0);
    world.advance(60);
    await vi.advanceTimersByTimeAsync(100);
    await sleeping;
    expect(woke).toBe(true);
    expect(world.elapsedSeconds).toBe(60);
  });
});
