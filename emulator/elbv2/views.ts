import type { Listener, LoadBalancer } from "./model.ts";
import type { TargetGroup } from "./target-group.ts";
import type { TargetHealthView } from "../autoscaling/types.ts";

/** ELBv2 API shapes (field names as in @aws-sdk/client-elastic-load-balancing-v2). */

/** Route 53 zone of ALBs in us-east-1 (every region has its own; the emulator uses one). */
const ALB_HOSTED_ZONE_ID = "Z35SXDOTRQ7X7K";

export const loadBalancerView = (loadBalancer: LoadBalancer) => ({
  LoadBalancerArn: loadBalancer.loadBalancerArn,
  DNSName: loadBalancer.dnsName,
  CanonicalHostedZoneId: ALB_HOSTED_ZONE_ID,
  CreatedTime: new Date(loadBalancer.createdTimeMs),
  LoadBalancerName: loadBalancer.loadBalancerName,
  Scheme: "internet-facing",
  VpcId: loadBalancer.vpcId,
  State: { Code: "active" },
  Type: "application",
  AvailabilityZones: loadBalancer.availabilityZones.map((zone) => ({ ZoneName: zone.zoneName, SubnetId: zone.subnetId, LoadBalancerAddresses: [] })),
  SecurityGroups: loadBalancer.securityGroups,
  IpAddressType: "ipv4",
});

export const loadBalancerAttributes = (loadBalancer: LoadBalancer) => [
  { Key: "idle_timeout.timeout_seconds", Value: String(loadBalancer.idleTimeoutSeconds) },
  { Key: "deletion_protection.enabled", Value: "false" },
  { Key: "access_logs.s3.enabled", Value: "false" },
  { Key: "routing.http2.enabled", Value: "true" },
  { Key: "routing.http.drop_invalid_header_fields.enabled", Value: "false" },
  { Key: "load_balancing.cross_zone.enabled", Value: "true" },
  { Key: "client_keep_alive.seconds", Value: "3600" },
];

export const listenerView = (listener: Listener) => ({
  ListenerArn: listener.listenerArn,
  LoadBalancerArn: listener.loadBalancerArn,
  Port: listener.port,
  Protocol: listener.protocol,
  ...(listener.sslPolicy === undefined ? {} : { SslPolicy: listener.sslPolicy }),
  ...(listener.certificateArns === undefined ? {} : { Certificates: listener.certificateArns.map((CertificateArn) => ({ CertificateArn })) }),
  DefaultActions: [
    listener.action.type === "forward"
      ? {
          Type: "forward",
          TargetGroupArn: listener.action.targetGroupArn,
          Order: 1,
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: listener.action.targetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
        }
      : {
          Type: "redirect",
          Order: 1,
          RedirectConfig: { Protocol: listener.action.protocol, Port: listener.action.port, Host: "#{host}", Path: "/#{path}", Query: "#{query}", StatusCode: listener.action.statusCode },
        },
  ],
});

export const targetGroupView = (group: TargetGroup, vpcId: string) => ({
  TargetGroupArn: group.targetGroupArn,
  TargetGroupName: group.targetGroupName,
  Protocol: "HTTP",
  Port: group.port,
  VpcId: vpcId,
  HealthCheckProtocol: "HTTP",
  HealthCheckPort: "traffic-port",
  HealthCheckEnabled: group.healthCheck.enabled,
  HealthCheckIntervalSeconds: group.healthCheck.intervalSeconds,
  HealthCheckTimeoutSeconds: group.healthCheck.timeoutSeconds,
  HealthyThresholdCount: group.healthCheck.healthyThreshold,
  UnhealthyThresholdCount: group.healthCheck.unhealthyThreshold,
  HealthCheckPath: group.healthCheck.path,
  Matcher: { HttpCode: "200" },
  LoadBalancerArns: group.loadBalancerArns,
  TargetType: "instance",
  ProtocolVersion: "HTTP1",
  IpAddressType: "ipv4",
});

export const targetGroupAttributes = (group: TargetGroup) => [
  { Key: "deregistration_delay.timeout_seconds", Value: String(group.deregistrationDelaySeconds) },
  { Key: "deregistration_delay.connection_termination.enabled", Value: "false" },
  { Key: "load_balancing.algorithm.type", Value: group.algorithm },
  { Key: "load_balancing.algorithm.anomaly_mitigation", Value: "off" },
  { Key: "load_balancing.cross_zone.enabled", Value: "use_load_balancer_configuration" },
  { Key: "slow_start.duration_seconds", Value: "0" },
  { Key: "stickiness.enabled", Value: "false" },
  { Key: "stickiness.type", Value: "lb_cookie" },
  { Key: "stickiness.lb_cookie.duration_seconds", Value: "86400" },
  { Key: "stickiness.app_cookie.cookie_name", Value: "" },
  { Key: "stickiness.app_cookie.duration_seconds", Value: "86400" },
  { Key: "target_group_health.dns_failover.minimum_healthy_targets.count", Value: "1" },
  { Key: "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", Value: "1" },
];

export const targetHealthDescription = (id: string, port: number, health: TargetHealthView) => ({
  Target: { Id: id, Port: port },
  HealthCheckPort: String(port),
  TargetHealth: { State: health.state, Reason: health.reason, Description: health.description },
});
