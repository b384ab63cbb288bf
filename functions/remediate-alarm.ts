import "../core/clients/sfn.ts";
import { startRemediation } from "../core/remediation/intake.ts";
import { observedHandler } from "./lib/observed.ts";

/** EventBridge target for the stage's alarms entering ALARM: one remediation execution per alarm episode. */
export const handler = observedHandler((event, rt) => startRemediation(rt, event));
