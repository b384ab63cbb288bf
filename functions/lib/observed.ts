import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { runtime, type Runtime } from "../../core/runtime.ts";

type Handler<Result> = (event: unknown, context: Context) => Promise<Result>;
type Chain<Result> = middy.MiddyfiedHandler<unknown, Result, Error, Context>;

const text = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);

/** The ids that tie a log line to a deploy, a lifecycle action or a group, wherever the event carries them. */
export function correlationKeys(event: unknown): Record<string, string> {
  if (typeof event !== "object" || event === null) return {};
  const top = event as Record<string, unknown>;
  const detail = (typeof top.detail === "object" && top.detail !== null ? top.detail : {}) as Record<string, unknown>;
  const found = {
    deployId: text(top.deployId),
    remediationId: text(top.remediationId),
    lifecycleActionToken: text(top.lifecycleActionToken) ?? text(detail.LifecycleActionToken),
    groupName: text(top.groupName) ?? text(top.autoScalingGroupName) ?? text(detail.AutoScalingGroupName),
  };
  return Object.fromEntries(Object.entries(found).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Every handler's outer layer: the Lambda context and the event's correlation ids on each log
 * line (reset per invocation), and the metrics buffered during the invocation flushed as EMF.
 */
export function observe<Result>(chain: Chain<Result>, rt: Runtime): Chain<Result> {
  return chain
    .use(injectLambdaContext(rt.logger, { resetKeys: true }))
    .use(logMetrics(rt.metrics))
    .before((request) => {
      rt.logger.appendKeys(correlationKeys(request.event));
    });
}

/**
 * Builds the handler chain on first use against the runtime then in force (the environment's in
 * Lambda, the configured one in the simulation and tests), and again if that runtime changes.
 */
export function perRuntime<Result>(build: (rt: Runtime) => Handler<Result>): Handler<Result> {
  let built: { rt: Runtime; handler: Handler<Result> } | undefined;
  return (event, context) => {
    const rt = runtime();
    if (built?.rt !== rt) built = { rt, handler: build(rt) };
    return built.handler(event, context);
  };
}

/** A handler that takes its raw event (it validates it itself) with the runtime and context, observed. */
export function observedHandler<Result>(run: (event: unknown, rt: Runtime, context: Context) => Promise<Result>): Handler<Result> {
  return perRuntime((rt) => observe(middy(async (event: unknown, context: Context) => run(event, rt, context), { timeoutEarlyInMillis: 0 }), rt));
}
