import type { z } from "zod";
import { serviceRegistry } from "../../emulator/services.ts";
import { defaultMaxSize } from "./schema.ts";

/** The parts of a parsed scenario that name other parts (instances, alarms, actions, versions). */
export interface ReferencingConfig {
  readonly fleet: {
    readonly desiredCapacity: number;
    readonly minSize?: number | undefined;
    readonly maxSize?: number | undefined;
    readonly protectedInstances: readonly number[];
  };
  readonly clients: { readonly initialShares: readonly number[] };
  readonly app: { readonly versions: Readonly<Record<string, unknown>>; readonly alarms: readonly { readonly alarmName: string }[] };
  readonly faults: {
    readonly api: readonly { readonly service: string; readonly action: string }[];
    readonly crashes: readonly { readonly instanceIndex: number }[];
    readonly flapping: readonly { readonly instanceIndex: number }[];
    readonly ssm: readonly { readonly instanceIndex?: number | undefined }[];
    readonly alarms: readonly { readonly alarmName: string }[];
  };
}

type Path = (string | number)[];

/** Launch template versions are positive integers; `$Latest` and `$Default` are not versions of their own. */
const VERSION_NUMBER = /^[1-9]\d*$/;

/**
 * Every field that names something the scenario does not have, one issue each, so a fault or
 * setting is never silently ignored: instance indexes past the starting fleet, alarms not in
 * app.alarms, actions the service does not have, versions that are not numbers, and ASG bounds
 * that AWS's CreateAutoScalingGroup would refuse.
 */
export function checkReferences(config: ReferencingConfig, context: z.RefinementCtx): void {
  const issue = (path: Path, message: string): void => context.addIssue({ code: "custom", path, message });
  const { fleet, app, faults, clients } = config;
  const fleetSize = fleet.desiredCapacity;
  const indexed = [
    ...faults.crashes.map((crash, i) => ({ path: ["faults", "crashes", i, "instanceIndex"], index: crash.instanceIndex })),
    ...faults.flapping.map((flap, i) => ({ path: ["faults", "flapping", i, "instanceIndex"], index: flap.instanceIndex })),
    ...faults.ssm.flatMap((fault, i) => (fault.instanceIndex === undefined ? [] : [{ path: ["faults", "ssm", i, "instanceIndex"], index: fault.instanceIndex }])),
    ...fleet.protectedInstances.map((index, i) => ({ path: ["fleet", "protectedInstances", i], index })),
  ];
  if (clients.initialShares.length > fleetSize) {
    issue(["clients", "initialShares"], `${clients.initialShares.length} shares for a fleet that starts with ${fleetSize} instances`);
  }
  for (const { path, index } of indexed) {
    if (index >= fleetSize) issue(path, `no instance with launch index ${index}: the fleet starts with ${fleetSize} (indexes 0–${fleetSize - 1})`);
  }
  const alarmNames = new Set(app.alarms.map((alarm) => alarm.alarmName));
  faults.alarms.forEach((forced, i) => {
    if (!alarmNames.has(forced.alarmName)) issue(["faults", "alarms", i, "alarmName"], `no alarm "${forced.alarmName}" in app.alarms`);
  });
  faults.api.forEach((fault, i) => {
    const actions = Object.keys(serviceRegistry[fault.service as keyof typeof serviceRegistry]?.actions ?? {});
    if (fault.action !== "*" && !actions.includes(fault.action)) {
      issue(["faults", "api", i, "action"], `${fault.service} has no action "${fault.action}" (known: ${actions.join(", ")})`);
    }
  });
  for (const key of Object.keys(app.versions)) {
    if (!VERSION_NUMBER.test(key)) issue(["app", "versions", key], `"${key}" is not a launch template version number`);
  }
  const minSize = fleet.minSize ?? 0;
  const maxSize = fleet.maxSize ?? defaultMaxSize(fleet.desiredCapacity);
  if (minSize > maxSize) issue(["fleet", "minSize"], `minSize ${minSize} is greater than maxSize ${maxSize}`);
  if (fleet.desiredCapacity < minSize || fleet.desiredCapacity > maxSize) {
    issue(["fleet", "desiredCapacity"], `desiredCapacity ${fleet.desiredCapacity} is outside [minSize ${minSize}, maxSize ${maxSize}]`);
  }
}
