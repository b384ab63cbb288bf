import { z } from "zod";
import { duplicateInstanceId, invalidCommandId, invocationDoesNotExist } from "../errors.ts";
import { invalidNextToken } from "../../protocol/errors.ts";
import { paginate } from "../../protocol/pagination.ts";
import type { ServiceModel } from "../../protocol/service-types.ts";
import { commandView, invocationDetail, invocationSummary } from "../views.ts";

const sendCommandSchema = z.strictObject({
  DocumentName: z.string().min(3).max(128),
  DocumentVersion: z.string().optional(),
  InstanceIds: z.array(z.string().min(1)).min(1).max(50),
  Parameters: z.record(z.string(), z.array(z.string())).default({}),
  Comment: z.string().max(100).optional(),
  TimeoutSeconds: z.number().int().min(30).max(2592000).optional(),
  MaxConcurrency: z.string().optional(),
  MaxErrors: z.string().optional(),
});

const getCommandInvocationSchema = z.strictObject({
  CommandId: z.string().length(36),
  InstanceId: z.string().min(1),
  PluginName: z.string().optional(),
});

const listCommandInvocationsSchema = z.strictObject({
  CommandId: z.string().length(36).optional(),
  InstanceId: z.string().min(1).optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: z.string().min(1).optional(),
  Details: z.boolean().optional(),
});

const cancelCommandSchema = z.strictObject({
  CommandId: z.string().length(36),
  InstanceIds: z.array(z.string().min(1)).max(50).optional(),
});

const listCommandsSchema = z.strictObject({
  CommandId: z.string().length(36).optional(),
  InstanceId: z.string().min(1).optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: z.string().min(1).optional(),
});

const describeInstanceInformationSchema = z.strictObject({
  Filters: z.array(z.strictObject({ Key: z.string().min(1), Values: z.array(z.string().min(1)).min(1) })).optional(),
  InstanceInformationFilterList: z.array(z.strictObject({ key: z.string().min(1), valueSet: z.array(z.string().min(1)).min(1) })).optional(),
  MaxResults: z.number().int().min(5).max(50).optional(),
  NextToken: z.string().min(1).optional(),
});

/** SSM Run Command, the app's drain signal (see emulator/ssm). */
export const ssmService: ServiceModel = {
  name: "ssm",
  actions: {
    SendCommand(params, { world }) {
      const request = sendCommandSchema.parse(params);
      const command = world.ssm.sendCommand({
        documentName: request.DocumentName,
        instanceIds: request.InstanceIds,
        commands: request.Parameters["commands"],
        executionTimeout: request.Parameters["executionTimeout"],
        comment: request.Comment,
        timeoutSeconds: request.TimeoutSeconds,
      });
      return { Command: commandView(command, world.ssm.invocations({ commandId: command.commandId })) };
    },
    CancelCommand(params, { world }) {
      const request = cancelCommandSchema.parse(params);
      if (new Set(request.InstanceIds).size !== (request.InstanceIds?.length ?? 0)) throw duplicateInstanceId();
      world.ssm.cancelCommand(request.CommandId, request.InstanceIds);
      return {};
    },
    GetCommandInvocation(params, { world }) {
      const request = getCommandInvocationSchema.parse(params);
      const view = world.ssm.invocation(request.CommandId, request.InstanceId);
      if (view === undefined) throw invocationDoesNotExist();
      return invocationDetail(view);
    },
    ListCommands(params, { world }) {
      const request = listCommandsSchema.parse(params);
      if (request.CommandId !== undefined && world.ssm.command(request.CommandId) === undefined) throw invalidCommandId();
      const commands = world.ssm
        .commands()
        .filter((command) => request.CommandId === undefined || command.commandId === request.CommandId)
        .filter((command) => request.InstanceId === undefined || command.instanceIds.includes(request.InstanceId))
        .toReversed();
      const { page, nextToken } = paginate(commands, { maxResults: request.MaxResults ?? 50, nextToken: request.NextToken, growsAt: "start", invalidToken: invalidNextToken });
      return { Commands: page.map((command) => commandView(command, world.ssm.invocations({ commandId: command.commandId }))), NextToken: nextToken };
    },
    DescribeInstanceInformation(params, { world }) {
      const request = describeInstanceInformationSchema.parse(params);
      const ids = [
        ...(request.Filters ?? []).filter((filter) => filter.Key === "InstanceIds").flatMap((filter) => filter.Values),
        ...(request.InstanceInformationFilterList ?? []).filter((filter) => filter.key === "InstanceIds").flatMap((filter) => filter.valueSet),
      ];
      const nodes = world.ssm.managedNodes(ids.length === 0 ? undefined : ids);
      const { page, nextToken } = paginate(nodes, { maxResults: request.MaxResults ?? 50, nextToken: request.NextToken, growsAt: "end", invalidToken: invalidNextToken });
      return {
        InstanceInformationList: page.map((node) => ({
          InstanceId: node.instanceId,
          PingStatus: node.pingStatus,
          LastPingDateTime: new Date(node.lastPingMs),
          ResourceType: "EC2Instance",
          PlatformType: "Linux",
          AgentVersion: "3.3.0.0",
        })),
        NextToken: nextToken,
      };
    },
    ListCommandInvocations(params, { world }) {
      const request = listCommandInvocationsSchema.parse(params);
      if (request.CommandId !== undefined && world.ssm.command(request.CommandId) === undefined) throw invalidCommandId();
      const views = world.ssm.invocations({ commandId: request.CommandId, instanceId: request.InstanceId });
      const { page, nextToken } = paginate(views, {
        maxResults: request.MaxResults ?? 50,
        nextToken: request.NextToken,
        growsAt: "start",
        invalidToken: invalidNextToken,
      });
      return { CommandInvocations: page.map((view) => invocationSummary(view, request.Details === true)), NextToken: nextToken };
    },
  },
};
