import { nameHash } from "./ids.ts";
import type { LaunchTemplateRef } from "../autoscaling/types.ts";

/** The instance type every version of the scenario's launch template uses. */
export const INSTANCE_TYPE = "c6i.large";

export interface LaunchTemplateSelector {
  LaunchTemplateId?: string | undefined;
  LaunchTemplateName?: string | undefined;
  Version?: string | undefined;
}

export interface LaunchTemplateVersion {
  readonly versionNumber: number;
  readonly createTimeMs: number;
  readonly imageId: string;
  readonly instanceType: string;
}

export interface LaunchTemplate {
  readonly launchTemplateId: string;
  readonly launchTemplateName: string;
  readonly createTimeMs: number;
  readonly defaultVersionNumber: number;
  /** Version 1 first; numbers are never reused. */
  readonly versions: LaunchTemplateVersion[];
}

const isVersionNumber = (version: string): boolean => /^[1-9]\d*$/.test(version);

/** Each version has its own AMI, so a version can be recognised by the image it launches. */
const imageIdFor = (template: LaunchTemplateRef): string =>
  `ami-0${nameHash(`${template.launchTemplateId}:${template.version}`, 16)}`;

/**
 * EC2 launch templates as the fleet uses them: an id, a name and numbered versions, each with
 * its own AMI. `$Latest` / `$Default` resolve to a version number when an instance launches.
 */
export class LaunchTemplates {
  readonly #templates: LaunchTemplate[] = [];

  /**
   * Creates a template whose versions 1..N already exist, N the highest version number named in
   * `versionNames` (the scenario's starting version and app.versions): published before the run.
   */
  create(launchTemplateName: string, versionNames: readonly string[], createTimeMs: number): LaunchTemplate {
    const template: LaunchTemplate = {
      launchTemplateId: `lt-0${nameHash(`lt/${launchTemplateName}`, 16)}`,
      launchTemplateName,
      createTimeMs,
      defaultVersionNumber: 1,
      versions: [],
    };
    const highest = Math.max(1, ...versionNames.filter(isVersionNumber).map(Number));
    while (template.versions.length < highest) this.#addVersion(template, createTimeMs);
    this.#templates.push(template);
    return template;
  }

  all(): readonly LaunchTemplate[] {
    return this.#templates;
  }

  find(selector: LaunchTemplateSelector): LaunchTemplate | undefined {
    return this.#templates.find((candidate) =>
      selector.LaunchTemplateId !== undefined
        ? candidate.launchTemplateId === selector.LaunchTemplateId
        : candidate.launchTemplateName === selector.LaunchTemplateName,
    );
  }

  /** Resolves an ASG API selector; returns an AWS-style message when it names no template or no such version. */
  resolve(selector: LaunchTemplateSelector, fallbackVersion = "$Default"): LaunchTemplateRef | string {
    if ((selector.LaunchTemplateId === undefined) === (selector.LaunchTemplateName === undefined)) {
      return "Valid requests must contain either launchTemplateId or LaunchTemplateName";
    }
    const template = this.find(selector);
    if (template === undefined) {
      return selector.LaunchTemplateId !== undefined
        ? `The specified launch template, with template ID ${selector.LaunchTemplateId}, does not exist.`
        : `The specified launch template, with template name ${selector.LaunchTemplateName}, does not exist.`;
    }
    const version = selector.Version ?? fallbackVersion;
    if (isVersionNumber(version) && this.version(template, version) === undefined) {
      return `Could not find the specified version ${version} for the launch template with ID ${template.launchTemplateId}.`;
    }
    return { launchTemplateId: template.launchTemplateId, launchTemplateName: template.launchTemplateName, version };
  }

  /** The version a version string names now: a number, `$Latest` or `$Default`. */
  version(template: LaunchTemplate, version: string): LaunchTemplateVersion | undefined {
    const number = version === "$Latest" ? template.versions.length : version === "$Default" ? template.defaultVersionNumber : isVersionNumber(version) ? Number(version) : 0;
    return template.versions[number - 1];
  }

  /** The AMI an instance launched from this reference gets. */
  imageId(ref: LaunchTemplateRef): string {
    const template = this.find({ LaunchTemplateId: ref.launchTemplateId });
    const version = template === undefined ? undefined : this.version(template, ref.version);
    return version?.imageId ?? imageIdFor(ref);
  }

  #addVersion(template: LaunchTemplate, createTimeMs: number): void {
    const versionNumber = template.versions.length + 1;
    const imageId = imageIdFor({ launchTemplateId: template.launchTemplateId, launchTemplateName: template.launchTemplateName, version: String(versionNumber) });
    template.versions.push({ versionNumber, createTimeMs, imageId, instanceType: INSTANCE_TYPE });
  }
}

export const sameTemplate = (a: LaunchTemplateRef, b: LaunchTemplateRef): boolean =>
  a.launchTemplateId === b.launchTemplateId && a.version === b.version;
