import { z } from "zod";
import type { FleetInstance } from "../../autoscaling/types.ts";
import { AwsApiError } from "../../protocol/errors.ts";

/** EC2 query request pieces shared by the Describe actions (wire names: `Filter.N.Name`, `Filter.N.Value.M`). */

export const filterList = z.array(z.strictObject({ Name: z.string().min(1), Value: z.array(z.string()).default([]) }));

/** A boolean parameter as EC2 query requests carry it. */
export const flag = z.enum(["true", "false"]);

export const invalidParameter = (message: string): AwsApiError => new AwsApiError("InvalidParameterValue", message);

/** A request that only asks whether it would be allowed: the emulator allows everything. */
export function rejectDryRun(dryRun: "true" | "false" | undefined): void {
  if (dryRun === "true") throw new AwsApiError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", { statusCode: 412 });
}

/** EC2 filter values may use `*` and `?` wildcards. */
function matchesValue(pattern: string, subject: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === subject;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${source}$`).test(subject);
}

/** Keeps the items every filter matches (a filter matches when any of its values matches any subject). */
export function applyFilters<T>(
  items: readonly T[],
  filters: z.output<typeof filterList> | undefined,
  subjects: (name: string, item: T) => readonly string[],
): T[] {
  let kept = [...items];
  for (const filter of filters ?? []) {
    kept = kept.filter((item) => subjects(filter.Name, item).some((subject) => filter.Value.some((pattern) => matchesValue(pattern, subject))));
  }
  return kept;
}

/** Refuses the first filter name an action does not know, as EC2 does. */
export function requireKnownFilters(filters: z.output<typeof filterList> | undefined, isKnown: (name: string) => boolean): void {
  const unknown = (filters ?? []).find((filter) => !isKnown(filter.Name));
  if (unknown !== undefined) throw invalidParameter(`The filter '${unknown.Name}' is invalid`);
}

/**
 * The instances a Describe call names, in launch order: every one when it names none, and
 * InvalidInstanceID.NotFound for an id that does not exist. InstanceIds cannot be combined with
 * MaxResults (DescribeInstances and DescribeInstanceStatus API references).
 */
export function namedInstances(all: Iterable<FleetInstance>, instanceIds: readonly string[] | undefined, maxResults: number | undefined): FleetInstance[] {
  if (instanceIds !== undefined && maxResults !== undefined) {
    throw new AwsApiError("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
  }
  const instances = [...all].sort((a, b) => a.launchIndex - b.launchIndex);
  if (instanceIds === undefined) return instances;
  const missing = instanceIds.filter((id) => !instances.some((instance) => instance.instanceId === id));
  if (missing.length > 0) {
    throw new AwsApiError("InvalidInstanceID.NotFound", `The instance ID${missing.length > 1 ? "s" : ""} '${missing.join(", ")}' do${missing.length > 1 ? "" : "es"} not exist`);
  }
  return instances.filter((instance) => instanceIds.includes(instance.instanceId));
}
