import { setTimeout as sleep } from "node:timers/promises";
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, type ExecutionStatus, type SFNClient } from "@aws-sdk/client-sfn";
import { Listr } from "listr2";
import { DeployStateError } from "../../core/errors.ts";
import type { DeployProgress } from "../../core/progress/read.ts";
import type { CommandOutput } from "../output.ts";
import { changeLines, progressLines } from "./render.ts";

export const FINISHED_EXECUTION: ReadonlySet<ExecutionStatus | undefined> = new Set<ExecutionStatus | undefined>(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

/** What is followed besides the execution: its records read, shown live or as changes, and when they are settled. */
export interface FollowView<Progress> {
  /** For messages: "deploy", "drain". */
  noun: string;
  /** undefined before the workflow's first states have written a record. */
  read(): Promise<Progress | undefined>;
  lines(progress: Progress, executionStatus: string): string[];
  changes(progress: Progress, executionStatus: string, seen: Map<string, string>): string[];
  settled(progress: Progress): boolean;
}

export interface FollowOptions<Progress = DeployProgress> {
  sfn: SFNClient;
  executionArn: string;
  /** Absent when no stage is known (only the execution's status is shown). */
  view?: FollowView<Progress>;
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

export interface FollowResult<Progress = DeployProgress> {
  described: DescribeExecutionCommandOutput;
  progress: Progress | undefined;
  detached: boolean;
}

/** The deploy's view: its records (core/progress), the kubectl-style lines. */
export function deployView(read: () => Promise<DeployProgress>): FollowView<DeployProgress> {
  return {
    noun: "deploy",
    read: async () => {
      try {
        return await read();
      } catch (error) {
        // Before the workflow's first states have run there is no record yet.
        if (error instanceof DeployStateError) return undefined;
        throw error;
      }
    },
    lines: progressLines,
    changes: changeLines,
    settled: (progress) => progress.outcome !== undefined,
  };
}

/** One poll at a time until the execution has finished (and, if asked, its records are settled) or Ctrl-C. */
async function poll<Progress>(options: FollowOptions<Progress>, show: (described: DescribeExecutionCommandOutput, progress: Progress | undefined) => void): Promise<FollowResult<Progress>> {
  let hadRecord = false;
  for (;;) {
    const described = await options.sfn.send(new DescribeExecutionCommand({ executionArn: options.executionArn }));
    const progress = await options.view?.read();
    hadRecord ||= progress !== undefined;
    show(described, progress);
    const finished = FINISHED_EXECUTION.has(described.status);
    const settled = progress === undefined || options.view === undefined || options.view.settled(progress);
    // Stopped before its record existed: nothing to settle.
    if (finished && (options.untilSettled !== true || settled || !hadRecord)) return { described, progress, detached: false };
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
function followByLines<Progress>(options: FollowOptions<Progress>): Promise<FollowResult<Progress>> {
  const seen = new Map<string, string>();
  let reported: string | undefined;
  return poll(options, (described, progress) => {
    if (options.quiet) return;
    if (described.status !== reported) {
      reported = described.status;
      if (progress === undefined) for (const line of statusOnly(described)) options.output.out(line);
    }
    if (progress !== undefined && options.view !== undefined) for (const line of options.view.changes(progress, String(described.status), seen)) options.output.out(line);
  });
}

/** Follows on a terminal: the view redrawn in place under one task. */
async function followLive<Progress>(options: FollowOptions<Progress>, title: string): Promise<FollowResult<Progress>> {
  let result: FollowResult<Progress> | undefined;
  await new Listr(
    [{
      title,
      task: async (_context, task) => {
        result = await poll(options, (described, progress) => {
          task.output = (progress === undefined || options.view === undefined ? statusOnly(described) : options.view.lines(progress, String(described.status))).join("\n");
        });
        task.title = result.detached ? `${title}: detached, the ${options.view?.noun ?? "execution"} goes on` : `${title}: ${String(result.described.status)}`;
      },
      // The bar keeps the last write whole: one write is the whole view, redrawn in place.
      rendererOptions: { outputBar: 1, persistentOutput: true },
    }],
    { renderer: "default", fallbackRenderer: "simple", registerSignalListeners: false, rendererOptions: { collapseErrors: false } },
  ).run();
  if (result === undefined) throw new Error("following the execution produced no result");
  return result;
}

/** Follows an execution and, with a view, its records, until it ends or Ctrl-C detaches. */
export function followExecution<Progress>(options: FollowOptions<Progress>, title: string): Promise<FollowResult<Progress>> {
  return options.live && !options.quiet ? followLive(options, title) : followByLines(options);
}

/** A deploy's execution and, when `readProgress` is given (a stage is known), its records. */
export function followDeploy(options: Omit<FollowOptions, "view"> & { readProgress?: () => Promise<DeployProgress> }, title: string): Promise<FollowResult> {
  const { readProgress, ...rest } = options;
  return followExecution(readProgress === undefined ? rest : { ...rest, view: deployView(readProgress) }, title);
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
