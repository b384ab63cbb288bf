import { setTimeout as sleep } from "node:timers/promises";
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, type ExecutionStatus, type SFNClient } from "@aws-sdk/client-sfn";
import { Listr } from "listr2";
import { DeployStateError } from "../../core/errors.ts";
import type { DeployProgress } from "../../core/progress/read.ts";
import type { CommandOutput } from "../output.ts";
import { changeLines, progressLines } from "./render.ts";

export const FINISHED_EXECUTION: ReadonlySet<ExecutionStatus | undefined> = new Set<ExecutionStatus | undefined>(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

export interface FollowOptions {
  sfn: SFNClient;
  executionArn: string;
  /** Reads the deploy's records; absent when no stage is known (only the execution's status is shown). */
  readProgress?: () => Promise<DeployProgress>;
  pollSeconds: number;
  output: CommandOutput;
  /** Redraw in place (a terminal) rather than one line per change. */
  live: boolean;
  /** Print nothing while following (--output json prints the end state only). */
  quiet: boolean;
  /** Aborted by Ctrl-C: stop following, leave the deploy running. */
  signal: AbortSignal;
  /** Keep following a stopped execution until its deploy record is settled (an abort waits for the settle path). */
  untilSettled?: boolean;
}

export interface FollowResult {
  described: DescribeExecutionCommandOutput;
  progress: DeployProgress | undefined;
  detached: boolean;
}

async function progressOrNone(read: FollowOptions["readProgress"]): Promise<DeployProgress | undefined> {
  if (read === undefined) return undefined;
  try {
    return await read();
  } catch (error) {
    // Before the workflow's first states have run there is no record yet.
    if (error instanceof DeployStateError) return undefined;
    throw error;
  }
}

const settled = (progress: DeployProgress | undefined): boolean => progress === undefined || progress.outcome !== undefined;

/** One poll at a time until the execution has finished (and, if asked, its deploy is settled) or Ctrl-C. */
async function poll(options: FollowOptions, show: (described: DescribeExecutionCommandOutput, progress: DeployProgress | undefined) => void): Promise<FollowResult> {
  let hadRecord = false;
  for (;;) {
    const described = await options.sfn.send(new DescribeExecutionCommand({ executionArn: options.executionArn }));
    const progress = await progressOrNone(options.readProgress);
    hadRecord ||= progress !== undefined;
    show(described, progress);
    const finished = FINISHED_EXECUTION.has(described.status);
    // A deploy stopped before its record existed has nothing to settle.
    if (finished && (options.untilSettled !== true || settled(progress) || !hadRecord)) return { described, progress, detached: false };
    try {
      await sleep(options.pollSeconds * 1000, undefined, { signal: options.signal });
    } catch {
      return { described, progress, detached: true };
    }
  }
}

function statusOnly(described: DescribeExecutionCommandOutput): string[] {
  return [`status ${String(described.status)}`];
}

/** Follows with one line per change (no terminal, or a log). */
function followByLines(options: FollowOptions): Promise<FollowResult> {
  const seen = new Map<string, string>();
  let reported: string | undefined;
  return poll(options, (described, progress) => {
    if (options.quiet) return;
    if (described.status !== reported) {
      reported = described.status;
      if (progress === undefined) for (const line of statusOnly(described)) options.output.out(line);
    }
    if (progress !== undefined) for (const line of changeLines(progress, String(described.status), seen)) options.output.out(line);
  });
}

/** Follows on a terminal: the view redrawn in place under one task. */
async function followLive(options: FollowOptions, title: string): Promise<FollowResult> {
  let result: FollowResult | undefined;
  await new Listr(
    [{
      title,
      task: async (_context, task) => {
        result = await poll(options, (described, progress) => {
          task.output = (progress === undefined ? statusOnly(described) : progressLines(progress, String(described.status))).join("\n");
        });
        task.title = result.detached ? `${title}: detached, the deploy goes on` : `${title}: ${String(result.described.status)}`;
      },
      // The bar keeps the last write whole: one write is the whole view, redrawn in place.
      rendererOptions: { outputBar: 1, persistentOutput: true },
    }],
    { renderer: "default", fallbackRenderer: "simple", registerSignalListeners: false, rendererOptions: { collapseErrors: false } },
  ).run();
  if (result === undefined) throw new Error("following the deploy produced no result");
  return result;
}

export function followDeploy(options: FollowOptions, title: string): Promise<FollowResult> {
  return options.live && !options.quiet ? followLive(options, title) : followByLines(options);
}

/** Ctrl-C while following detaches instead of killing the process mid-output; a second one exits at once. */
export function detachOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onInterrupt) };
}
