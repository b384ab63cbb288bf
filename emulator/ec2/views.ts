import type { FleetInstance } from "../autoscaling/types.ts";

/** EC2's numeric state codes (the low byte of InstanceState.Code). */
export const stateCodes: Record<FleetInstance["ec2State"], number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
};

/** The tags AWS puts on an instance that an ASG launched from a launch template. */
export function instanceTags(instance: FleetInstance): { key: string; value: string }[] {
  return [
    { key: "aws:autoscaling:groupName", value: instance.autoScalingGroupName },
    { key: "aws:ec2launchtemplate:id", value: instance.launchTemplate.launchTemplateId },
    { key: "aws:ec2launchtemplate:version", value: instance.launchTemplate.version },
  ];
}

/** A DescribeInstances reservation for one instance, in EC2's XML element names. */
export function reservationView(
  instance: FleetInstance,
  account: { ownerId: string; region: string; vpcId: string },
): Record<string, unknown> {
  const running = instance.ec2State !== "terminated";
  const dnsSuffix = account.region === "us-east-1" ? "ec2.internal" : `${account.region}.compute.internal`;
  return {
    reservationId: `r-${instance.instanceId.slice(2)}`,
    ownerId: account.ownerId,
    groupSet: [],
    instancesSet: [
      {
        instanceId: instance.instanceId,
        imageId: instance.imageId,
        instanceState: { code: stateCodes[instance.ec2State], name: instance.ec2State },
        privateDnsName: running ? `ip-${instance.privateIpAddress.replaceAll(".", "-")}.${dnsSuffix}` : "",
        privateIpAddress: running ? instance.privateIpAddress : undefined,
        amiLaunchIndex: 0,
        launchTime: new Date(instance.launchTimeMs),
        placement: { availabilityZone: instance.availabilityZone, tenancy: "default" },
        vpcId: running ? account.vpcId : undefined,
        tagSet: instanceTags(instance),
      },
    ],
  };
}
