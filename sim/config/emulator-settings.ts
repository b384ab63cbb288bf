import type { AutoScalingSettings } from "../../emulator/autoscaling/ports.ts";
import type { LoadBalancingSettings } from "../../emulator/elbv2/ports.ts";
import { defaultMaxSize, type ScenarioConfig } from "./schema.ts";

/** The scenario's group as Auto Scaling starts it: sizes resolved, every version the scenario names published. */
export const autoScalingSettings = ({ fleet, app, aws }: ScenarioConfig): AutoScalingSettings => ({
  ...fleet,
  customTerminationPolicy: aws.autoscaling.customTerminationPolicy,
  minSize: fleet.minSize ?? 0,
  maxSize: fleet.maxSize ?? defaultMaxSize(fleet.desiredCapacity),
  publishedVersions: [String(fleet.launchTemplateVersions), fleet.launchTemplateVersion, ...Object.keys(app.versions)],
});

/** The scenario's load balancer: its target group, in the fleet's zones. */
export const loadBalancingSettings = ({ targetGroup, fleet }: ScenarioConfig): LoadBalancingSettings => ({
  targetGroup,
  availabilityZones: fleet.availabilityZones,
});
