import { createServer, type Server } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAbort } from "../../cli/commands/abort.ts";
import { runDoctorCommand } from "../../cli/commands/doctor.ts";
import { runHistory, type HistoryRow } from "../../cli/commands/history.ts";
import { runPlan, type PlanReport } from "../../cli/commands/plan.ts";
import { runStatus } from "../../cli/commands/status.ts";
import { runDeploy } from "../../cli/deploy/run.ts";
import { EXIT_CODES } from "../../cli/errors.ts";
import { DEFAULT_CLIENT_TIMEOUTS } from "../../core/doctor/index.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { serveLocalAccount, type LocalAccount } from "../../sim/local/account.ts";
import { World } from "../../sim/world.ts";
import { capturedOutput, deployFlags } from "./support.ts";

// A ~850 virtual-second deploy in about 17 real seconds, slow enough that a Task's 120 virtual
// seconds stay well above what a handler takes on a busy machine.
const SPEED = 50;
const noEnvironment = {};

const listening = (): Promise<{ server: Server; port: number }> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port }));
  });

describe("the operator's commands against `ebb emulator` (HTTP, paced time, --local --endpoint)", { timeout: 120_000 }, () => {
  let account: LocalAccount;
  let local: { local: true; endpoint: string };

  beforeAll(async () => {
    const world = new World(scenarioConfigSchema.parse({ scenario: "cli-operations" }));
    account = await serveLocalAccount(world, { port: 0, speed: SPEED, realNowMs: () => performance.now() });
    local = { local: true, endpoint: account.url };
  });

  afterAll(async () => {
    await account.close();
  });

  it("ebb deploy follows the deploy from its records: batches, instance phases, capacity against the minimum, ETA", async () => {
    const output = capturedOutput();
    const input = JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "2" });
    const code = await runDeploy({ ...deployFlags({ inputJson: input, name: "ops-v2", pollSeconds: 0.3 }), stateMachineArn: undefined, ...local }, output, noEnvironment);
    expect(code, output.stderr.join("\n")).toBe(EXIT_CODES.succeeded);
    const text = output.stdout.join("\n");
    expect(output.stdout[0]).toBe("started arn:aws:states:us-east-1:123456789012:execution:rolling-deploy:ops-v2");
    for (let batch = 1; batch <= 4; batch += 1) expect(text).toMatch(new RegExp(`batch ${batch}/4 · draining · eta \\d`));
    expect(text).toMatch(/- i-\w+ \(us-east-1[abc]\) {2}deregistered, draining, \d+ connections left/);
    expect(text).toMatch(/- i-\w+ \(us-east-1[abc]\) {2}terminating/);
    expect(text).toMatch(/\+ i-\w+ \(us-east-1[abc]\) {2}(booting|registered, health checking|health checks passed)/);
    expect(text).toContain("healthy 9 of 12 (minimum 9)");
    expect(text).not.toContain("BELOW MINIMUM");
    // One line per change: an instance's phase is printed once per phase, not once per poll.
    const draining = output.stdout.filter((line) => /i-0000000000000001 .*draining/.test(line));
    expect(draining).toHaveLength(1);
    expect(output.stdout.at(-1)).toMatch(/^deploy ops-v2 Succeeded in \d+m\d\ds \(4 batches\)/);
  });

  it("ebb status and ebb history read the records back", async () => {
    const status = capturedOutput();
    expect(await runStatus("ops-v2", { ...local, pollSeconds: 1, output: "json" }, status)).toBe(EXIT_CODES.succeeded);
    const shown = JSON.parse(status.stdout.join("\n")) as { status: string; progress: { status: string; batch: { index: number; count: number } } };
    expect(shown.status).toBe("SUCCEEDED");
    expect(shown.progress.status).toBe("Succeeded");
    expect(shown.progress.batch).toMatchObject({ index: 3, count: 4 });

    // The last events come from GetExecutionHistory: the workflow's final states, then the outcome.
    const events = capturedOutput();
    expect(await runStatus("ops-v2", { ...local, pollSeconds: 1, output: "text", events: 3 }, events)).toBe(EXIT_CODES.succeeded);
    const eventLines = events.stdout.join("\n").split("\n");
    const shownEvents = eventLines.slice(eventLines.indexOf("last 3 events of the execution:") + 1);
    expect(shownEvents).toHaveLength(3);
    expect(shownEvents[2]).toMatch(/^ {2}# +\d+ 2026-\S+ ExecutionSucceeded$/);
    expect(shownEvents[0]).toMatch(/SucceedStateEntered \w+$/);
    expect(shownEvents[1]).toMatch(/SucceedStateExited \w+$/);

    const history = capturedOutput();
    expect(await runHistory({ ...local, limit: 10, output: "json" }, history)).toBe(EXIT_CODES.succeeded);
    const rows = JSON.parse(history.stdout.join("\n")) as HistoryRow[];
    expect(rows.map((row) => [row.deployId, row.outcome, row.targetVersion, row.batches])).toEqual([["ops-v2", "Succeeded", "2", 4]]);
    expect(rows[0]?.durationSeconds).toBeGreaterThan(300);
  });

  it("ebb plan dry-runs the real workflow and predicts duration, forced disconnects and the reconnect peak", async () => {
    const output = capturedOutput();
    const code = await runPlan({ ...local, inputJson: JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "1" }), name: "ops-plan", output: "json" }, output);
    expect(code, output.stderr.join("\n")).toBe(EXIT_CODES.succeeded);
    const report = JSON.parse(output.stdout.join("\n")) as PlanReport;
    expect(report.plan.batches).toHaveLength(4);
    expect(report.plan.batches.every((batch) => Object.keys(batch.availabilityZones).length === 3)).toBe(true);
    expect(report.predictedSeconds).toBe(report.plan.predictedSeconds);
    expect(report.predictedSeconds).toBeGreaterThan(0);
    // The default app sheds 40/s for up to 300 s: a batch's ~3,000 connections all hand off, none is cut.
    expect(report.forcedDisconnects).toBe(0);
    expect(report.batches[0]?.connections).toBeGreaterThan(2000);
    expect(report.peakReconnectsPerMinute).toBe(Math.max(...report.batches.map((batch) => batch.peakReconnectsPerMinute)));
  });

  it("ebb abort --rollback stops the deploy, waits for the settle path, then rolls back only the batches done", async () => {
    const started = capturedOutput();
    const input = JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "1" });
    expect(await runDeploy({ ...deployFlags({ inputJson: input, name: "ops-back", wait: false }), stateMachineArn: undefined, ...local }, started, noEnvironment)).toBe(EXIT_CODES.succeeded);
    // Until the first batch has been replaced (about 150 virtual seconds).
    for (let tries = 0; tries < 100; tries += 1) {
      const status = capturedOutput();
      await runStatus("ops-back", { ...local, pollSeconds: 1, output: "json" }, status);
      const progress = (JSON.parse(status.stdout.join("\n")) as { progress?: { batch?: { index: number } } }).progress;
      if ((progress?.batch?.index ?? 0) >= 1) break;
      await sleep(100);
    }
    const aborted = capturedOutput();
    expect(await runAbort("ops-back", { ...local, rollback: true, pollSeconds: 0.1, settleSeconds: 60, output: "text" }, aborted)).toBe(EXIT_CODES.succeeded);
    const text = aborted.stdout.join("\n");
    expect(text).toContain("settled: Failed (the rolling-deploy execution ops-back was ABORTED)");
    expect(text).toContain("started arn:aws:states:us-east-1:123456789012:execution:rolling-deploy:ops-back-rollback");

    const rollback = capturedOutput();
    expect(await runStatus("ops-back-rollback", { ...local, follow: true, pollSeconds: 0.2, output: "json" }, rollback)).toBe(EXIT_CODES.succeeded);
    const history = capturedOutput();
    await runHistory({ ...local, limit: 10, output: "json" }, history);
    const rows = JSON.parse(history.stdout.join("\n")) as HistoryRow[];
    const back = rows.find((row) => row.deployId === "ops-back");
    const undo = rows.find((row) => row.deployId === "ops-back-rollback");
    expect(back?.outcome).toBe("Failed");
    expect(undo?.outcome).toBe("Succeeded");
    // Back to v2 for what ops-back had replaced: fewer batches than a whole deploy.
    expect(undo?.targetVersion).toBe("2");
    expect(undo?.batches).toBeLessThan(4);
  });

  it("says every expected mistake in one line, exit 2, and changes nothing", async () => {
    const unknown = capturedOutput();
    expect(await runStatus("nope", { ...local, pollSeconds: 1, output: "text" }, unknown)).toBe(EXIT_CODES.badInput);
    expect(unknown.stderr).toEqual([`no deploy nope in ${account.url} (ebb history lists them)`]);

    const finished = capturedOutput();
    expect(await runAbort("ops-v2", { ...local, pollSeconds: 1, settleSeconds: 1, output: "text" }, finished)).toBe(EXIT_CODES.badInput);
    expect(finished.stderr[0]).toMatch(/^deploy ops-v2 is not running \(SUCCEEDED\)/);

    const reused = capturedOutput();
    const input = JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "1" });
    expect(await runDeploy({ ...deployFlags({ inputJson: input, name: "ops-v2" }), stateMachineArn: undefined, ...local }, reused, noEnvironment)).toBe(EXIT_CODES.badInput);
    expect(reused.stderr).toEqual(["an execution named ops-v2 already exists for this state machine (names are unique for 90 days): choose another --name"]);

    const machine = capturedOutput();
    const missing = "arn:aws:states:us-east-1:123456789012:stateMachine:nope";
    expect(await runDeploy({ ...deployFlags({ inputJson: input, stateMachineArn: missing }), ...local }, machine, noEnvironment)).toBe(EXIT_CODES.badInput);
    expect(machine.stderr).toEqual([`no state machine ${missing} in ${account.url}: deploy the stage first (npx sst deploy --stage NAME) or check --state-machine-arn`]);

    const badPath = capturedOutput();
    const flags = { ...local, endpoint: undefined, scenario: "rolling-deploy", json: "/dev/null/out.json", output: "text" as const, ...DEFAULT_CLIENT_TIMEOUTS, heartbeatGraceSeconds: 25 };
    expect(await runDoctorCommand(flags, badPath).catch((error: Error) => error.message)).toMatch(/^cannot write \/dev\/null\/out\.json:\n {2}- /);
  });

  it("refuses an endpoint that does not answer, exit 2", async () => {
    const { server, port } = await listening();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const output = capturedOutput();
    expect(await runHistory({ local: true, endpoint: `http://127.0.0.1:${port}`, limit: 1, output: "text" }, output)).toBe(EXIT_CODES.badInput);
    expect(output.stderr).toEqual([`cannot reach http://127.0.0.1:${port}:\n  - ECONNREFUSED (is \`ebb emulator\` running there?)`]);
  });
});
