import { mkdtemp, readFile, writeFile, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { stageConfigSchema } from "../../core/stage.ts";
import { StageConfigError } from "../../infra/errors.ts";
import { loadStageSettings, parseStageSettings, tableNames } from "../../infra/stage-config.ts";

const root = join(import.meta.dirname, "..", "..");
const example = JSON.parse(await readFile(join(root, "stages", "dev.json"), "utf8")) as Record<string, unknown>;

const problemsOf = (stage: string, raw: unknown): readonly string[] => {
  try {
    parseStageSettings(stage, raw);
  } catch (error) {
    if (error instanceof StageConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the stage configuration to be rejected");
};

describe("the shipped example, stages/dev.json", () => {
  it("loads, and its runtime part is a valid EBB_STAGE_CONFIG", async () => {
    const settings = await loadStageSettings(root, "dev");
    expect(settings).toMatchObject({
      stage: "dev",
      account: "123456789012",
      region: "us-east-1",
      targetGroups: ["ebb-app-tg"],
      alarmNamePrefix: "ebb-demo-",
      workflowLogging: "OFF",
    });
    expect(settings.runtime.autoScalingGroups).toEqual(["ebb-demo-asg"]);
    expect(settings.runtime.tables).toEqual(tableNames("dev"));
    expect(stageConfigSchema.parse(JSON.parse(JSON.stringify(settings.runtime)))).toEqual(settings.runtime);
  });

  it("needs only the deploy-time fields; the runtime ones have defaults", () => {
    const minimal = {
      account: "123456789012",
      region: "eu-west-1",
      autoScalingGroups: ["chat"],
      launchTemplates: ["lt-0abcdef0123456789"],
      targetGroups: ["chat-tg"],
      alarmNamePrefix: "chat-",
    };
    const settings = parseStageSettings("prod", minimal);
    expect(settings.instanceRoles).toEqual([]);
    expect(settings.runtime.targetRegistration).toBe("asg");
    expect(settings.runtime.connectionMetric.namespace).toBe("Ebb/App");
  });
});

describe("invalid stage files", () => {
  it("reject an unknown field, at the top and nested", () => {
    expect(problemsOf("dev", { ...example, autoscalingGroups: ["typo"] })).toEqual(['(file): Unrecognized key: "autoscalingGroups"']);
    const nested = { ...example, estimates: { bootSeconds: 60, shedRate: 40 } };
    expect(problemsOf("dev", nested)).toEqual(['estimates: Unrecognized key: "shedRate"']);
  });

  it("reject an Auto Scaling group name that would be an IAM wildcard", () => {
    const problems = problemsOf("dev", { ...example, autoScalingGroups: ["ebb-*"] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^autoScalingGroups\.0: an Auto Scaling group name/);
  });

  it("list every problem at once, from both the deploy-time and the runtime fields", () => {
    const problems = problemsOf("dev", {
      ...example,
      account: "1234",
      region: "Virginia",
      autoScalingGroups: ["ebb-demo-asg", "ebb-demo-asg"],
      targetGroups: [],
      launchTemplates: ["my-template"],
      instanceRoles: ["arn:aws:iam::123456789012:role/*"],
      alarmNamePrefix: "*",
      workflowLogging: "VERBOSE",
      targetRegistration: "lambda",
      deployDefaults: { batchSize: "150%" },
      tables: { locks: "mine" },
      colour: "blue",
    });
    const fields = problems.map((problem) => problem.split(":")[0]);
    expect(fields).toEqual(
      expect.arrayContaining([
        "tables",
        "account",
        "region",
        "autoScalingGroups",
        "targetGroups",
        "launchTemplates.0",
        "instanceRoles.0",
        "alarmNamePrefix",
        "workflowLogging",
        "targetRegistration",
        "deployDefaults.batchSize",
        "(file)",
      ]),
    );
    expect(problems.some((problem) => problem.includes('"colour"'))).toBe(true);
    expect(new Set(problems).size).toBe(problems.length);
  });

  it("reject target groups outside the stage's account or region, and registration targets not granted", () => {
    const foreign = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/ebb-app-tg/0123456789abcdef";
    expect(problemsOf("dev", { ...example, targetGroups: [foreign] })).toEqual([
      `targetGroups.0: ${foreign} is not in account 123456789012, region us-east-1`,
    ]);
    const other = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other-tg/0123456789abcdef";
    expect(problemsOf("dev", { ...example, targetRegistration: "ebb", targetGroupArns: [other] })).toEqual([
      `targetGroupArns.0: ${other} is not listed in targetGroups, so Ebb would not be allowed to register in it`,
    ]);
    expect(problemsOf("dev", { ...example, targetRegistration: "ebb" })).toEqual([
      'targetGroupArns: targetRegistration "ebb" needs the target groups Ebb registers new instances in',
    ]);
    const granted = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ebb-app-tg/0123456789abcdef";
    expect(parseStageSettings("dev", { ...example, targetRegistration: "ebb", targetGroupArns: [granted] }).runtime.targetGroupArns).toEqual([granted]);
  });

  it("reject a bad stage name and a file that is not an object", () => {
    expect(problemsOf("Prod_1", example)[0]).toMatch(/^stage "Prod_1"/);
    expect(problemsOf("dev", ["not", "an", "object"])).toEqual(["(file): expected a JSON object"]);
  });

  it("report a missing or malformed file clearly", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ebb-stage-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await expect(loadStageSettings(dir, "dev")).rejects.toThrow(/cannot read the stage file/);
    await mkdir(join(dir, "stages"));
    await writeFile(join(dir, "stages", "dev.json"), "{ nope");
    await expect(loadStageSettings(dir, "dev")).rejects.toThrow(/not valid JSON/);
  });
});
