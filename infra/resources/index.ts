import { pascalOf as pascal } from "../asl.ts";
import { policyDocument, type PolicyStatement } from "../iam.ts";
import { planStage, type StagePlan, type StateMachinePlan } from "../plan.ts";
import { readProjectSources } from "../project.ts";
import { loadStageSettings, type StageSettings } from "../stage-config.ts";
import { remediationAlarms } from "../alarms.ts";

/**
 * The SST program: materialises the stage plan (infra/plan.ts) as AWS resources. All decisions
 * (names, ARNs, rendered ASL, IAM statements) are made and checked in the plan; this file only
 * creates what it says.
 */

/** The plan's ARNs are computed for the stage file's account and region, so deploy nowhere else. */
async function assertDeployTarget(settings: StageSettings): Promise<void> {
  const [identity, region] = await Promise.all([aws.getCallerIdentity(), aws.getRegion()]);
  const problems: string[] = [];
  if (identity.accountId !== settings.account) problems.push(`account ${identity.accountId} (stage file: ${settings.account})`);
  if (region.region !== settings.region) problems.push(`region ${region.region} (stage file: ${settings.region})`);
  if (problems.length > 0) {
    throw new Error(`stages/${settings.stage}.json does not match the credentials in use: ${problems.join(", ")}`);
  }
}

const mutableStatements = (statements: readonly PolicyStatement[]) =>
  statements.map((statement) => ({
    effect: statement.effect ?? "allow",
    actions: [...statement.actions],
    resources: [...statement.resources],
    ...(statement.conditions === undefined
      ? {}
      : { conditions: statement.conditions.map((condition) => ({ ...condition, values: [...condition.values] })) }),
  }));

function createTables(plan: StagePlan): aws.dynamodb.Table[] {
  return plan.tables.map(
    (table) =>
      new aws.dynamodb.Table(`${pascal(table.key)}Table`, {
        name: table.name,
        billingMode: "PAY_PER_REQUEST",
        hashKey: table.hashKey,
        rangeKey: table.rangeKey,
        attributes: [table.hashKey, ...(table.rangeKey === undefined ? [] : [table.rangeKey])].map((name) => ({ name, type: "S" })),
        ttl: table.ttlAttribute === undefined ? undefined : { attributeName: table.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: table.key === "deploys" },
      }),
  );
}

function createFunctions(plan: StagePlan): Map<string, sst.aws.Function> {
  return new Map(
    plan.functions.map((fn) => [
      fn.name,
      new sst.aws.Function(`${pascal(fn.name)}Function`, {
        name: fn.resourceName,
        handler: fn.handler,
        runtime: "nodejs22.x",
        architecture: "arm64",
        timeout: `${fn.timeoutSeconds} seconds`,
        memory: `${fn.memoryMB} MB`,
        environment: { ...plan.environment },
        permissions: mutableStatements(fn.permissions),
      }),
    ]),
  );
}

function createStateMachine(
  plan: StagePlan,
  machine: StateMachinePlan,
  dependencies: ReadonlyArray<$util.Resource>,
): aws.sfn.StateMachine {
  const id = pascal(machine.name);
  const { stage, account, workflowLogging } = plan.settings;
  const role = new aws.iam.Role(`${id}StateMachineRole`, {
    name: machine.roleName,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "states.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  });
  const rolePolicy =
    machine.statements.length === 0
      ? undefined
      : new aws.iam.RolePolicy(`${id}StateMachinePolicy`, { role: role.id, policy: JSON.stringify(policyDocument(machine.statements)) });
  const logGroup =
    workflowLogging === "OFF"
      ? undefined
      : new aws.cloudwatch.LogGroup(`${id}StateMachineLogs`, {
          name: `/aws/vendedlogs/states/${machine.resourceName}`,
          retentionInDays: stage === "production" ? 90 : 14,
        });
  return new aws.sfn.StateMachine(
    `${id}StateMachine`,
    {
      name: machine.resourceName,
      type: "STANDARD",
      roleArn: role.arn,
      definition: JSON.stringify(machine.definition),
      loggingConfiguration:
        logGroup === undefined
          ? { level: "OFF" }
          : { level: workflowLogging, includeExecutionData: true, logDestination: $interpolate`${logGroup.arn}:*` },
    },
    { dependsOn: [...dependencies, ...(rolePolicy === undefined ? [] : [rolePolicy])] },
  );
}

function createEventRules(plan: StagePlan, functions: ReadonlyMap<string, sst.aws.Function>): void {
  for (const rule of plan.rules) {
    const target = functions.get(rule.targetFunction);
    if (target === undefined) throw new Error(`Event rule ${rule.resourceName} targets functions/${rule.targetFunction}.ts, which was not created`);
    const id = pascal(rule.id);
    const eventRule = new aws.cloudwatch.EventRule(`${id}Rule`, {
      name: rule.resourceName,
      description: rule.description,
      eventPattern: JSON.stringify(rule.pattern),
    });
    new aws.lambda.Permission(`${id}Invoke`, {
      action: "lambda:InvokeFunction",
      function: target.name,
      principal: "events.amazonaws.com",
      sourceArn: eventRule.arn,
    });
    new aws.cloudwatch.EventTarget(`${id}Target`, { rule: eventRule.name, arn: target.arn });
  }
}

/** Services that invoke a function directly (the ASG's termination policy) get a resource-based permission each. */
function createServiceInvokePermissions(plan: StagePlan, functions: ReadonlyMap<string, sst.aws.Function>): void {
  for (const fn of plan.functions) {
    const target = functions.get(fn.name);
    if (fn.invokedBy === undefined || target === undefined) continue;
    new aws.lambda.Permission(`${pascal(fn.name)}ServiceInvoke`, { action: "lambda:InvokeFunction", function: target.name, principal: fn.invokedBy });
  }
}

/** The scheduled functions (the reconciler), on EventBridge Scheduler. */
function createSchedules(plan: StagePlan, functions: ReadonlyMap<string, sst.aws.Function>): void {
  for (const schedule of plan.schedules) {
    const target = functions.get(schedule.targetFunction);
    if (target === undefined) throw new Error(`Schedule ${schedule.resourceName} targets functions/${schedule.targetFunction}.ts, which was not created`);
    new sst.aws.CronV2(`${pascal(schedule.id)}Schedule`, { schedule: schedule.scheduleExpression, function: target.arn });
  }
}

/** The remediation alarms on each of the stage's target groups (looked up by name or ARN). */
async function createRemediationAlarms(plan: StagePlan): Promise<void> {
  const { settings } = plan;
  const targets = await Promise.all(
    settings.targetGroups.map(async (nameOrArn) => {
      const group = await aws.lb.getTargetGroup(nameOrArn.startsWith("arn:") ? { arn: nameOrArn } : { name: nameOrArn });
      const loadBalancerArn = group.loadBalancerArns[0];
      if (loadBalancerArn === undefined) throw new Error(`Target group ${nameOrArn} is behind no load balancer: its UnHealthyHostCount is never published`);
      const loadBalancer = await aws.lb.getLoadBalancer({ arn: loadBalancerArn });
      return { targetGroupName: group.name, targetGroupDimension: group.arnSuffix, loadBalancerDimension: loadBalancer.arnSuffix };
    }),
  );
  for (const [index, spec] of remediationAlarms(settings.alarmNamePrefix, settings.runtime.remediation.alarm, targets).entries()) {
    new aws.cloudwatch.MetricAlarm(`RemediationAlarm${index}`, {
      name: spec.AlarmName,
      alarmDescription: spec.AlarmDescription,
      namespace: spec.Namespace,
      metricName: spec.MetricName,
      statistic: spec.Statistic,
      dimensions: Object.fromEntries(spec.Dimensions.map((dimension) => [dimension.Name, dimension.Value])),
      period: spec.Period,
      evaluationPeriods: spec.EvaluationPeriods,
      datapointsToAlarm: spec.DatapointsToAlarm,
      threshold: spec.Threshold,
      comparisonOperator: spec.ComparisonOperator,
      treatMissingData: spec.TreatMissingData,
    });
  }
}

/**
 * Per group the target tracking policy (AWS then creates its AlarmHigh/AlarmLow alarms) and the
 * connection skew alarm; the publisher feeding them is one of the schedules.
 */
function createScaling(plan: StagePlan): void {
  const scaling = plan.scaling;
  if (scaling === undefined) return;
  // Group names may hold characters a logical name cannot: resources are numbered in the stage's group order.
  scaling.policies.forEach((policy, index) => {
    const metric = policy.TargetTrackingConfiguration.CustomizedMetricSpecification;
    new aws.autoscaling.Policy(`ConnectionsPolicy${index}`, {
      name: policy.PolicyName,
      autoscalingGroupName: policy.AutoScalingGroupName,
      policyType: policy.PolicyType,
      estimatedInstanceWarmup: policy.EstimatedInstanceWarmup,
      targetTrackingConfiguration: {
        targetValue: policy.TargetTrackingConfiguration.TargetValue,
        disableScaleIn: policy.TargetTrackingConfiguration.DisableScaleIn,
        customizedMetricSpecification: {
          namespace: metric.Namespace,
          metricName: metric.MetricName,
          statistic: metric.Statistic,
          metricDimensions: metric.Dimensions.map((dimension) => ({ name: dimension.Name, value: dimension.Value })),
        },
      },
    });
  });
  scaling.skewAlarms.forEach((alarm, index) => {
    new aws.cloudwatch.MetricAlarm(`ConnectionSkewAlarm${index}`, {
      name: alarm.AlarmName,
      alarmDescription: alarm.AlarmDescription,
      namespace: alarm.Namespace,
      metricName: alarm.MetricName,
      dimensions: Object.fromEntries(alarm.Dimensions.map((dimension) => [dimension.Name, dimension.Value])),
      statistic: alarm.Statistic,
      period: alarm.Period,
      evaluationPeriods: alarm.EvaluationPeriods,
      datapointsToAlarm: alarm.DatapointsToAlarm,
      threshold: alarm.Threshold,
      comparisonOperator: alarm.ComparisonOperator,
      treatMissingData: alarm.TreatMissingData,
    });
  });
}

export async function deploy() {
  const root = $cli.paths.root;
  const settings = await loadStageSettings(root, $app.stage);
  const plan = planStage(settings, await readProjectSources(root));
  await assertDeployTarget(settings);

  createTables(plan);
  const functions = createFunctions(plan);
  const machines = new Map<string, aws.sfn.StateMachine>();
  for (const machine of plan.stateMachines) {
    const children = machine.children.flatMap((child) => machines.get(child) ?? []);
    machines.set(machine.name, createStateMachine(plan, machine, [...functions.values(), ...children]));
  }
  createEventRules(plan, functions);
  createServiceInvokePermissions(plan, functions);
  createSchedules(plan, functions);
  await createRemediationAlarms(plan);
  createScaling(plan);
  return {
    stateMachineArn: plan.root.arn,
    consoleUrl: plan.root.consoleUrl,
  };
}
