import type { AccountContext } from "../account.ts";
import type { EventPublisher } from "../events/types.ts";

/** What CloudWatch reads of the world: the account, and the bus its alarms announce state changes on. */
export interface CloudWatchWorld extends AccountContext {
  readonly events: EventPublisher;
}
