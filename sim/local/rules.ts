import { resourceName } from "../../infra/arns.ts";
import { deployedEventRules, type EventRuleScope } from "../../infra/events.ts";
import { LAMBDA_DEFAULT_SETTINGS, lambdaContext, type LambdaFunctionSettings, type TaskHandlers } from "../../emulator/stepfunctions/index.ts";
import type { World } from "../world.ts";

/**
 * Subscribes on the World's event bus the EventBridge rules `sst deploy` creates for the stage:
 * the same patterns from infra/, only those whose handler exists, each invoking its handler with
 * the event as Lambda would. Returns the rule names (to unsubscribe them).
 */
export function subscribeEventRules(
  world: World, stage: string, scope: EventRuleScope, handlers: TaskHandlers, functions: Readonly<Record<string, LambdaFunctionSettings>>,
): string[] {
  const account = { region: world.config.region, account: world.config.accountId };
  return deployedEventRules(scope, Object.keys(handlers)).map((rule) => {
    const handler = handlers[rule.targetFunction];
    if (handler === undefined) throw new Error(`functions/${rule.targetFunction}.ts has no handler`);
    const ruleName = resourceName(stage, rule.id, "rule");
    world.events.subscribe(ruleName, rule.pattern, (event) =>
      handler(structuredClone(event), lambdaContext(account, world.clock, rule.targetFunction, world.nextRequestId(), functions[rule.targetFunction] ?? LAMBDA_DEFAULT_SETTINGS)));
    return ruleName;
  });
}
