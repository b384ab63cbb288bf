import type { ServiceModel } from "../types.ts";
import { describeInstances } from "./describe-instances.ts";

/** EC2: what the control plane reads about instances. The ASG owns their lifecycle. */
export const ec2Service: ServiceModel = {
  name: "ec2",
  actions: { DescribeInstances: describeInstances },
};
