import type { AccountContext } from "../account.ts";
import type { InstanceConnections, TargetHealthProbe } from "../ports.ts";
import type { HealthCheckSettings } from "./target-group.ts";

/** What Elastic Load Balancing reads of the world: the account, and the connections and health-check answers of the targets. */
export interface LoadBalancingWorld extends AccountContext {
  readonly physics: InstanceConnections & TargetHealthProbe;
}

export interface ListenerSettings {
  readonly port: number;
  readonly protocol: "HTTP" | "HTTPS";
  /** `forward` to the target group, or `redirect-https`: answer 301 to HTTPS on port 443. */
  readonly action: "forward" | "redirect-https";
  /** HTTPS only: the security policy and the ACM certificate. */
  readonly sslPolicy?: string | undefined;
  readonly certificateArn?: string | undefined;
}

/** The account's one ALB, its listener and its target group, as they stand at the start. */
export interface LoadBalancingSettings {
  readonly targetGroup: {
    readonly name: string;
    readonly loadBalancerName: string;
    readonly port: number;
    /** Seconds a new target stays `initial` / Elb.RegistrationInProgress before its first health check. */
    readonly registrationSeconds: number;
    readonly healthCheck: Readonly<HealthCheckSettings>;
    readonly deregistrationDelaySeconds: number;
    /** Seconds after DeregisterTargets during which some load balancer nodes still route new connections to the target. */
    readonly deregistrationPropagationSeconds: number;
    readonly algorithm: "round_robin" | "least_connections";
    readonly idleTimeoutSeconds: number;
    /** The load balancer's listeners: each forwards to the target group or redirects to HTTPS. */
    readonly listeners?: readonly ListenerSettings[];
  };
  /** The load balancer's zones (one subnet each). */
  readonly availabilityZones: readonly string[];
}
