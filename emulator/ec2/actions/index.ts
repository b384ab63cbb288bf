import type { ServiceModel } from "../../protocol/service-types.ts";
import { describeInstances } from "./describe-instances.ts";
import { describeInstanceStatus } from "./describe-instance-status.ts";
import { describeLaunchTemplates, describeLaunchTemplateVersions } from "./launch-templates.ts";

/** EC2: what the control plane reads about instances and launch templates. The ASG owns the instances' lifecycle. */
export const ec2Service: ServiceModel = {
  name: "ec2",
  actions: {
    DescribeInstances: describeInstances,
    DescribeInstanceStatus: describeInstanceStatus,
    DescribeLaunchTemplates: describeLaunchTemplates,
    DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
  },
};
