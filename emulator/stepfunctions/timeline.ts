import type { VirtualClockLike } from "./types.ts";

/** One execution as the timeline sees it: running unless it is waiting or blocked on a child. */
export class Participant {
  waits = 0;
  blocked = 0;

  get running(): boolean {
    return this.waits === 0 && this.blocked === 0;
  }
}

interface Waiter {
  readonly targetMs: number;
  readonly sequence: number;
  readonly participant: Participant;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
}

export const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Discrete-event time for Step Functions executions sharing one virtual clock. A Wait (or retry
 * interval, or Task latency) registers a wake-up time; when no execution is running, the clock
 * advances to the earliest wake-up and that waiter resumes. So concurrent executions interleave
 * as they would on AWS, and a 300 s Wait costs no wall time. (Inside one execution, concurrent
 * Map iterations or Parallel branches are approximated: one sleeping iteration lets time move.)
 */
export class VirtualTimeline {
  readonly clock: VirtualClockLike;
  readonly #participants = new Set<Participant>();
  readonly #waiters: Waiter[] = [];
  #sequence = 0;
  #pumpScheduled = false;
  #advancing = false;

  constructor(clock: VirtualClockLike) {
    this.clock = clock;
  }

  join(): Participant {
    const participant = new Participant();
    this.#participants.add(participant);
    return participant;
  }

  leave(participant: Participant): void {
    this.#participants.delete(participant);
    this.#schedulePump();
  }

  /** Resolves once virtual time reaches `targetMs` (at once if it already has); rejects on abort. */
  async sleepUntil(participant: Participant, targetMs: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    participant.waits += 1;
    try {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { targetMs, sequence: this.#sequence++, participant, resolve, reject };
        this.#waiters.push(waiter);
        signal?.addEventListener("abort", () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal.reason);
        }, { once: true });
        this.#schedulePump();
      });
    } finally {
      participant.waits -= 1;
    }
  }

  sleep(participant: Participant, seconds: number, signal?: AbortSignal): Promise<void> {
    return this.sleepUntil(participant, this.clock.nowMs + seconds * 1000, signal);
  }

  /** Marks the participant idle while it waits for work that needs virtual time (a child execution). */
  async blockedOn<T>(participant: Participant, work: Promise<T>): Promise<T> {
    participant.blocked += 1;
    this.#schedulePump();
    try {
      return await work;
    } finally {
      participant.blocked -= 1;
    }
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#advancing || this.#waiters.length === 0) return;
    for (const participant of this.#participants) if (participant.running) return;
    this.#waiters.sort((a, b) => a.targetMs - b.targetMs || a.sequence - b.sequence);
    const next = this.#waiters.shift();
    if (next === undefined) return;
    this.#advancing = true;
    try {
      const seconds = (next.targetMs - this.clock.nowMs) / 1000;
      if (seconds > 0) await this.clock.advance(seconds);
      next.resolve();
    } catch (error) {
      // The world failed to advance (a physics bug): the sleeper's execution fails with it.
      next.reject(error);
    } finally {
      this.#advancing = false;
    }
    // Let the resumed execution run (and register its next wait) before time moves again.
    await nextMacrotask();
    this.#schedulePump();
  }
}

const timelines = new WeakMap<VirtualClockLike, VirtualTimeline>();

/** Every runner on the same clock shares one timeline. */
export function timelineOf(clock: VirtualClockLike): VirtualTimeline {
  let timeline = timelines.get(clock);
  if (timeline === undefined) {
    timeline = new VirtualTimeline(clock);
    timelines.set(clock, timeline);
  }
  return timeline;
}
