import { spawn } from "node:child_process";
import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STATE_MACHINE_ARN } from "./support.ts";

const root = join(import.meta.dirname, "..", "..");

/** Runs `node bin/ebb.js ...args` as a user would, on the Node running the tests. */
function ebb(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "ebb.js"), ...args], { cwd: root, env: { ...process.env, AWS_ENDPOINT_URL: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const listening = (): Promise<{ server: Server; port: number }> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port }));
  });

const noStackTrace = (text: string): void => expect(text).not.toMatch(/^\s+at /m);

describe("ebb exit codes and messages (spawned like a user's shell)", { timeout: 120_000 }, () => {
  it("suggests the closest scenario for a typo, exit 2", async () => {
    const run = await ebb("simulate", "--scenario", "rolling-deploi", "--no-progress");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ebb: unknown scenario "rolling-deploi" \(did you mean "rolling-deploy"\?\)/);
    noStackTrace(run.stderr);
  });

  it("names every bad field of a scenario config, and an unreadable file, exit 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ebb-cli-"));
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ fleet: { desiredCapacity: -1 }, bogus: 1 }));
    const invalid = await ebb("simulate", "--config", bad, "--no-progress");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/fleet\.desiredCapacity: /);
    expect(invalid.stderr).toMatch(/Unrecognized key: "bogus"/);
    noStackTrace(invalid.stderr);
    const missing = await ebb("simulate", "--config", join(dir, "missing.json"), "--no-progress");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ebb: cannot read .*missing\.json:\n  - ENOENT/);
    noStackTrace(missing.stderr);
  });

  it("exits 1 when the simulated deploy does not succeed, 0 when it does", async () => {
    const failed = await ebb("simulate", "--scenario", "invalid-input", "--no-progress");
    expect(failed.stdout).toMatch(/Failed/);
    expect(failed.code).toBe(1);
    const planned = await ebb("simulate", "--scenario", "dry-run", "--no-progress");
    expect(planned.code).toBe(0);
  });

  it("refuses a port in use with one message, exit 2", async () => {
    const { server, port } = await listening();
    try {
      const run = await ebb("emulator", "--port", String(port));
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`ebb: cannot listen on 127.0.0.1:${port}:\n  - the port is in use: choose another with --port, or --port 0 for a free one\n`);
    } finally {
      server.close();
    }
  });

  it("reports an endpoint that does not answer, exit 2", async () => {
    const { server, port } = await listening();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const input = JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "2" });
    const run = await ebb("deploy", "--state-machine-arn", STATE_MACHINE_ARN, "--input-json", input, "--endpoint-url", `http://127.0.0.1:${port}`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^cannot reach Step Functions at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    noStackTrace(run.stderr);
  });

  it("ebb doctor --local --scenario misconfigured --json out.json: the checklists' mistakes, exit 1; a path it cannot write, exit 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ebb-doctor-"));
    const out = join(dir, "out.json");
    const run = await ebb("doctor", "--local", "--scenario", "misconfigured", "--json", out);
    expect(run.code).toBe(1);
    const report = JSON.parse(await readFile(out, "utf8")) as { groups: { findings: { id: string }[] }[] };
    const ids = report.groups.flatMap((group) => group.findings.map((finding) => finding.id));
    expect(ids).toEqual(expect.arrayContaining(["alb-idle-timeout", "deregistration-delay", "asg-health-check-type", "terminate-hook-missing"]));
    expect(run.stdout).toMatch(/^WARNING alb-idle-timeout /m);
    const badPath = await ebb("doctor", "--local", "--scenario", "rolling-deploy", "--json", "/dev/null/out.json");
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toMatch(/^ebb: cannot write \/dev\/null\/out\.json:\n {2}- /);
    noStackTrace(badPath.stderr);
  });

  it("prints the version, exit 0", async () => {
    const run = await ebb("--version");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("exits 2 on a usage mistake, 0 for --help", async () => {
    expect((await ebb("simulate", "--seed", "x")).code).toBe(2);
    expect((await ebb("--help")).code).toBe(0);
  });
});
