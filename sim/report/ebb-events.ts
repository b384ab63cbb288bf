import { PROGRESS_EVENT_SOURCE } from "../../core/progress-events/publish.ts";
import type { World } from "../world.ts";

export interface EventsSummary {
  /** Ebb's own progress events the bus accepted, by detail-type. */
  ebb: Record<string, number>;
}

/** Counted from what the bus took, so an event a retried step put twice counts twice, as a subscriber would see it. */
export function eventsSummary(world: World): EventsSummary {
  const ebb: Record<string, number> = {};
  for (const event of world.events.published()) {
    if (event.source === PROGRESS_EVENT_SOURCE) ebb[event["detail-type"]] = (ebb[event["detail-type"]] ?? 0) + 1;
  }
  return { ebb };
}
