import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { launchTemplateSpecifier } from "./fleet.ts";
import type { LaunchTemplateRef } from "./types.ts";

/** EC2's answer to DescribeLaunchTemplateVersions naming a version that does not exist. */
const VERSION_NOT_FOUND = "InvalidLaunchTemplateId.VersionNotFound";

/**
 * Resolves the deploy's target to a launch template version number. A numeric version is taken
 * as is; `$Latest` / `$Default` are looked up; an AMI must already be the image of a version of
 * the group's launch template (publishing a version is the supported path: Ebb does not create
 * launch template versions). Returns the version, or a problem to report.
 */
export async function resolveTargetVersion(
  ec2: EC2Client,
  template: LaunchTemplateRef,
  target: { launchTemplateVersion: string; imageId?: string | undefined },
): Promise<{ version: string } | { problem: string }> {
  if (target.imageId !== undefined) return versionWithImage(ec2, template, target.imageId);
  if (/^\d+$/.test(target.launchTemplateVersion)) return existingVersion(ec2, template, target.launchTemplateVersion);
  const response = await ec2.send(new DescribeLaunchTemplatesCommand(
      template.launchTemplateId !== "" ? { LaunchTemplateIds: [template.launchTemplateId] } : { LaunchTemplateNames: [template.launchTemplateName] },
    ));
  const found = response.LaunchTemplates?.[0];
  const number = target.launchTemplateVersion === "$Latest" ? found?.LatestVersionNumber : found?.DefaultVersionNumber;
  if (number === undefined) {
    return { problem: `launchTemplateVersion: cannot resolve ${target.launchTemplateVersion} of launch template ${template.launchTemplateName || template.launchTemplateId}` };
  }
  return { version: String(number) };
}

/** A version number is deployable only if it exists: the group would launch nothing otherwise. */
async function existingVersion(ec2: EC2Client, template: LaunchTemplateRef, version: string): Promise<{ version: string } | { problem: string }> {
  try {
    const response = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ ...launchTemplateSpecifier(template), Versions: [version] }));
    if ((response.LaunchTemplateVersions ?? []).some((found) => String(found.VersionNumber) === version)) return { version };
  } catch (error) {
    if (!(error instanceof Error) || error.name !== VERSION_NOT_FOUND) throw error;
  }
  return { problem: `launchTemplateVersion: version ${version} of launch template ${template.launchTemplateName || template.launchTemplateId} does not exist` };
}

async function versionWithImage(ec2: EC2Client, template: LaunchTemplateRef, imageId: string): Promise<{ version: string } | { problem: string }> {
  let best: number | undefined;
  let nextToken: string | undefined;
  do {
    const response = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ ...launchTemplateSpecifier(template), NextToken: nextToken }),
    );
    for (const version of response.LaunchTemplateVersions ?? []) {
      if (version.LaunchTemplateData?.ImageId === imageId && version.VersionNumber !== undefined) {
        best = Math.max(best ?? 0, version.VersionNumber);
      }
    }
    nextToken = response.NextToken;
  } while (nextToken !== undefined);
  if (best === undefined) {
    return {
      problem: `imageId: no version of launch template ${template.launchTemplateName || template.launchTemplateId} uses ${imageId}; create a launch template version with this AMI (aws ec2 create-launch-template-version) and deploy it with launchTemplateVersion`,
    };
  }
  return { version: String(best) };
}
