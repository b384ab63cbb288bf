import "../core/clients/sfn.ts";
import { startRemediation } from "../core/remediation/intake.ts";
import { runtime } from "../core/runtime.ts";

/** EventBridge target for the stage's alarms entering ALARM: one remediation execution per alarm episode. */
export const handler = async (event: unknown): Promise<unknown> => startRemediation(runtime(), event);
