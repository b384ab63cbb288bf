import { UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import {
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  paginateDescribeLaunchTemplateVersions,
  type DescribeLaunchTemplatesCommandInput,
  type DescribeLaunchTemplateVersionsCommandInput,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { resolveTargetVersion } from "../../../core/launch-template.ts";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { scenarioConfigSchema, type ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { World } from "../../../sim/world.ts";

const START_MS = Date.parse("2026-01-01T00:00:00Z");

/** The scenario publishes versions 2 and 3 of the app before the run; the fleet runs version 1. */
const worldWithReleases = (overrides: ScenarioConfigInput = {}): World =>
  new World(scenarioConfigSchema.parse({ app: { versions: { "2": {}, "3": { healthy: false } } }, ...overrides }));

const templateOf = async (ec2: EC2Client) => {
  const template = (await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["ebb-app"] }))).LaunchTemplates?.[0];
  return { launchTemplateId: template?.LaunchTemplateId ?? "", launchTemplateName: "ebb-app", version: "1" };
};

const imagesByVersion = async (ec2: EC2Client): Promise<Map<number, string>> => {
  const { LaunchTemplateVersions } = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "ebb-app" }));
  return new Map((LaunchTemplateVersions ?? []).map((version) => [version.VersionNumber ?? 0, version.LaunchTemplateData?.ImageId ?? ""]));
};

describe("EC2 DescribeLaunchTemplates", () => {
  it("shows the fleet's template with the versions the scenario published, by id, name and filter", async () => {
    const world = worldWithReleases();
    const { ec2 } = createAwsClients(world);
    const all = await ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(all.LaunchTemplates).toHaveLength(1);
    const template = all.LaunchTemplates?.[0];
    expect(template).toMatchObject({ LaunchTemplateName: "ebb-app", DefaultVersionNumber: 1, LatestVersionNumber: 3, CreatedBy: "arn:aws:iam::123456789012:root" });
    expect(template?.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(template?.CreateTime?.getTime()).toBeLessThan(START_MS);

    const byId = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [template?.LaunchTemplateId ?? ""] }));
    expect(byId.LaunchTemplates?.map((found) => found.LaunchTemplateName)).toEqual(["ebb-app"]);
    const filtered = await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "launch-template-name", Values: ["ebb-*"] }] }));
    expect(filtered.LaunchTemplates).toHaveLength(1);
    const none = await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "launch-template-name", Values: ["other"] }] }));
    expect(none.LaunchTemplates).toEqual([]);
  });

  it("refuses unknown names, unknown or malformed ids, unknown filters and out-of-range MaxResults with EC2's codes", async () => {
    const { ec2 } = createAwsClients(worldWithReleases());
    const cases: Array<[DescribeLaunchTemplatesCommandInput, string]> = [
      [{ LaunchTemplateNames: ["ebb-app", "missing"] }, "InvalidLaunchTemplateName.NotFoundException"],
      [{ LaunchTemplateIds: ["lt-0123456789abcdef0"] }, "InvalidLaunchTemplateId.NotFound"],
      [{ LaunchTemplateIds: ["template-1"] }, "InvalidLaunchTemplateId.Malformed"],
      [{ Filters: [{ Name: "owner", Values: ["me"] }] }, "InvalidParameterValue"],
      [{ MaxResults: 0 }, "InvalidParameterValue"],
    ];
    for (const [input, code] of cases) {
      await expect(ec2.send(new DescribeLaunchTemplatesCommand(input))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
    }
  });
});

describe("EC2 DescribeLaunchTemplateVersions", () => {
  it("lists every version newest first, each with its own AMI, and the fleet runs version 1's AMI", async () => {
    const world = worldWithReleases();
    const { ec2 } = createAwsClients(world);
    const { LaunchTemplateVersions: versions } = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "ebb-app" }));
    expect(versions?.map((version) => [version.VersionNumber, version.DefaultVersion])).toEqual([[3, false], [2, false], [1, true]]);
    expect(new Set(versions?.map((version) => version.LaunchTemplateData?.ImageId)).size).toBe(3);
    expect(versions?.[0]?.LaunchTemplateData).toEqual({ ImageId: expect.stringMatching(/^ami-0[0-9a-f]{16}$/), InstanceType: "c6i.large" });
    const reservations = (await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
    const fleetImages = new Set(reservations.flatMap((reservation) => reservation.Instances ?? []).map((instance) => instance.ImageId));
    expect([...fleetImages]).toEqual([(await imagesByVersion(ec2)).get(1)]);
  });

  it("selects by number, $Latest, $Default and version range, and pages with MaxResults/NextToken", async () => {
    const { ec2 } = createAwsClients(worldWithReleases());
    const numbers = async (input: DescribeLaunchTemplateVersionsCommandInput) =>
      ((await ec2.send(new DescribeLaunchTemplateVersionsCommand(input))).LaunchTemplateVersions ?? []).map((version) => version.VersionNumber);
    const { launchTemplateId } = await templateOf(ec2);
    expect(await numbers({ LaunchTemplateId: launchTemplateId, Versions: ["$Latest"] })).toEqual([3]);
    expect(await numbers({ LaunchTemplateName: "ebb-app", Versions: ["$Default", "1", "2"] })).toEqual([2, 1]);
    expect(await numbers({ LaunchTemplateName: "ebb-app", MinVersion: "2" })).toEqual([3, 2]);
    expect(await numbers({ LaunchTemplateName: "ebb-app", MinVersion: "1", MaxVersion: "2" })).toEqual([2, 1]);
    expect(await numbers({ Versions: ["$Latest", "$Default"] })).toEqual([3, 1]);
    expect(await numbers({ LaunchTemplateName: "ebb-app", Filters: [{ Name: "is-default-version", Values: ["true"] }] })).toEqual([1]);

    const pages = [];
    for await (const page of paginateDescribeLaunchTemplateVersions({ client: ec2, pageSize: 2 }, { LaunchTemplateName: "ebb-app" })) pages.push(page);
    expect(pages.map((page) => page.LaunchTemplateVersions?.map((version) => version.VersionNumber))).toEqual([[3, 2], [1]]);
  });

  it("refuses a missing version, a missing template and a request without template or aliases", async () => {
    const { ec2 } = createAwsClients(worldWithReleases());
    const { launchTemplateId } = await templateOf(ec2);
    const failure = (input: DescribeLaunchTemplateVersionsCommandInput) => ec2.send(new DescribeLaunchTemplateVersionsCommand(input));
    await expect(failure({ LaunchTemplateId: launchTemplateId, Versions: ["9"] })).rejects.toMatchObject({
      name: "InvalidLaunchTemplateId.VersionNotFound",
      message: `Could not find the specified version 9 for the launch template with ID ${launchTemplateId}.`,
    });
    await expect(failure({ LaunchTemplateName: "missing" })).rejects.toMatchObject({ name: "InvalidLaunchTemplateName.NotFoundException" });
    await expect(failure({ LaunchTemplateId: "lt-0123456789abcdef0" })).rejects.toMatchObject({ name: "InvalidLaunchTemplateId.NotFound" });
    await expect(failure({ Versions: ["1"] })).rejects.toMatchObject({ name: "MissingParameter" });
    await expect(failure({ LaunchTemplateId: launchTemplateId, LaunchTemplateName: "ebb-app" })).rejects.toMatchObject({ name: "InvalidParameterCombination" });
    await expect(failure({ LaunchTemplateName: "ebb-app", MaxResults: 201 })).rejects.toMatchObject({ name: "InvalidParameterValue" });
  });
});

describe("the deploy's launch template lookups (core/launch-template.ts)", () => {
  it("resolves $Latest and $Default, and finds the version that uses an AMI", async () => {
    const { ec2 } = createAwsClients(worldWithReleases());
    const template = await templateOf(ec2);
    const images = await imagesByVersion(ec2);
    expect(await resolveTargetVersion(ec2, template, { launchTemplateVersion: "$Latest" })).toEqual({ version: "3" });
    expect(await resolveTargetVersion(ec2, template, { launchTemplateVersion: "$Default" })).toEqual({ version: "1" });
    expect(await resolveTargetVersion(ec2, template, { launchTemplateVersion: "$Latest", imageId: images.get(2) ?? "" })).toEqual({ version: "2" });
    const unknown = await resolveTargetVersion(ec2, template, { launchTemplateVersion: "$Latest", imageId: "ami-0ffffffffffffffff" });
    expect(unknown).toMatchObject({ problem: expect.stringContaining("no version of launch template ebb-app uses ami-0ffffffffffffffff") });
  });

  // Replaces a test that pinned the emulator creating versions on demand (any number named by
  // UpdateAutoScalingGroup "was published just before"): AWS refuses a version that does not exist.
  it("refuses to point the group at a version that was never published, and launches $Latest's AMI", async () => {
    const world = new World(scenarioConfigSchema.parse({ fleet: { desiredCapacity: 1, launchTemplateVersions: 2 }, clients: { sessions: 0 }, aws: { apiLatencyMs: 0 } }));
    const { ec2, autoScaling } = createAwsClients(world);
    expect((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates?.[0]?.LatestVersionNumber).toBe(2);
    const refused = autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "ebb-demo-asg", LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "999999999" } }));
    await expect(refused).rejects.toMatchObject({ name: "ValidationError", message: expect.stringMatching(/Could not find the specified version 999999999 for the launch template/) });
    expect((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates?.[0]?.LatestVersionNumber).toBe(2);
    const latest = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "ebb-app", Versions: ["$Latest"] }))).LaunchTemplateVersions?.[0];
    expect(latest?.VersionNumber).toBe(2);

    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "ebb-demo-asg", LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "$Latest" }, DesiredCapacity: 2, MaxSize: 2 }),
    );
    world.advance(5);
    const launched = world.autoscaling.instances().find((instance) => instance.launchTemplate.version === "$Latest");
    expect(launched?.imageId).toBe(latest?.LaunchTemplateData?.ImageId);
  });
});
