import { z } from "zod";
import { DEFAULT_SSL_POLICY, type Listener, type ListenerAction } from "../model.ts";
import { integer, list } from "../../protocol/coerce.ts";
import { AwsApiError, validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { requireLoadBalancer, requireTargetGroup } from "./lookup.ts";
import { listenerView } from "../views.ts";

/**
 * CreateListener on the account's Application Load Balancer, as the ELBv2 API reference describes
 * it (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html):
 * an ALB listens on HTTP or HTTPS; HTTPS needs exactly one default certificate and takes an
 * SslPolicy (ELBSecurityPolicy-2016-08 when none is given); one listener per port
 * (DuplicateListener); the default action forwards to a target group or redirects (a redirect to
 * HTTPS keeps host, path and query unless told otherwise). Certificates are not checked against ACM.
 */

const action = z.object({
  Type: z.enum(["forward", "redirect", "fixed-response", "authenticate-oidc", "authenticate-cognito"]),
  TargetGroupArn: z.string().min(1).optional(),
  RedirectConfig: z.object({
    Protocol: z.string().optional(),
    Port: z.string().optional(),
    StatusCode: z.enum(["HTTP_301", "HTTP_302"]),
  }).optional(),
});

const createListenerSchema = z.object({
  LoadBalancerArn: z.string().min(1),
  Protocol: z.string(),
  Port: integer.pipe(z.number().min(1).max(65535)),
  SslPolicy: z.string().min(1).optional(),
  Certificates: list(z.object({ CertificateArn: z.string().min(1) })).optional(),
  DefaultActions: list(action).pipe(z.array(action).min(1)),
});

function listenerAction(requested: z.output<typeof action>, requireGroup: (arn: string) => void): ListenerAction {
  if (requested.Type === "forward") {
    if (requested.TargetGroupArn === undefined) throw validationError("A target group ARN must be specified for a forward action");
    requireGroup(requested.TargetGroupArn);
    return { type: "forward", targetGroupArn: requested.TargetGroupArn };
  }
  if (requested.Type === "redirect") {
    const config = requested.RedirectConfig;
    if (config === undefined) throw validationError("A redirect configuration must be specified for a redirect action");
    // The emulator models the one redirect Ebb's checks look for: to HTTPS.
    if (config.Protocol !== "HTTPS") throw new AwsApiError("InvalidConfigurationRequest", "The emulator supports redirects to HTTPS only");
    return { type: "redirect", protocol: "HTTPS", port: config.Port ?? "443", statusCode: config.StatusCode };
  }
  throw new AwsApiError("InvalidConfigurationRequest", `The emulator does not model '${requested.Type}' actions`);
}

export const createListener: ActionHandler = (params, { world }) => {
  const request = createListenerSchema.parse(params);
  const loadBalancer = requireLoadBalancer(world, request.LoadBalancerArn);
  if (request.Protocol !== "HTTP" && request.Protocol !== "HTTPS") {
    throw validationError(`Listener protocol '${request.Protocol}' must be one of 'HTTPS, HTTP'`);
  }
  const certificates = request.Certificates ?? [];
  if (request.Protocol === "HTTPS" && certificates.length !== 1) throw validationError("A certificate must be specified for HTTPS listeners");
  if (request.Protocol === "HTTP" && (certificates.length > 0 || request.SslPolicy !== undefined)) {
    throw validationError("Certificates and an SSL policy can only be specified for HTTPS listeners");
  }
  if (world.elb.listeners().some((listener) => listener.loadBalancerArn === loadBalancer.loadBalancerArn && listener.port === request.Port)) {
    throw new AwsApiError("DuplicateListener", "A listener already exists on this port for this load balancer");
  }
  const first = request.DefaultActions[0];
  if (first === undefined) throw validationError("At least one default action must be specified");
  const protocol: Listener["protocol"] = request.Protocol;
  const listener: Listener = {
    listenerArn: world.elb.listenerArnFor(loadBalancer.loadBalancerArn, request.Port) ?? "",
    loadBalancerArn: loadBalancer.loadBalancerArn,
    port: request.Port,
    protocol,
    action: listenerAction(first, (arn) => void requireTargetGroup(world, arn)),
    ...(request.Protocol === "HTTPS" ? { sslPolicy: request.SslPolicy ?? DEFAULT_SSL_POLICY, certificateArns: certificates.map((certificate) => certificate.CertificateArn) } : {}),
  };
  world.elb.addListener(listener);
  return { Listeners: [listenerView(listener)] };
};
