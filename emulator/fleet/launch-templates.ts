import { nameHash } from "./ids.ts";
import type { LaunchTemplateRef } from "./types.ts";

export interface LaunchTemplateSelector {
  LaunchTemplateId?: string | undefined;
  LaunchTemplateName?: string | undefined;
  Version?: string | undefined;
}

interface LaunchTemplate {
  readonly launchTemplateId: string;
  readonly launchTemplateName: string;
}

/**
 * EC2 launch templates as far as the ASG needs them: an id and a name. Every version string is
 * accepted (a deploy names the version it wants); each version has its own AMI.
 */
export class LaunchTemplates {
  readonly #templates: LaunchTemplate[] = [];

  create(launchTemplateName: string): LaunchTemplate {
    const template = { launchTemplateId: `lt-0${nameHash(`lt/${launchTemplateName}`, 16)}`, launchTemplateName };
    this.#templates.push(template);
    return template;
  }

  /** Resolves an API selector; returns an AWS-style message when it names no template. */
  resolve(selector: LaunchTemplateSelector, fallbackVersion = "$Default"): LaunchTemplateRef | string {
    if ((selector.LaunchTemplateId === undefined) === (selector.LaunchTemplateName === undefined)) {
      return "Valid requests must contain either launchTemplateId or LaunchTemplateName";
    }
    const template = this.#templates.find((candidate) =>
      selector.LaunchTemplateId !== undefined
        ? candidate.launchTemplateId === selector.LaunchTemplateId
        : candidate.launchTemplateName === selector.LaunchTemplateName,
    );
    if (template === undefined) {
      return selector.LaunchTemplateId !== undefined
        ? `The specified launch template, with template ID ${selector.LaunchTemplateId}, does not exist.`
        : `The specified launch template, with template name ${selector.LaunchTemplateName}, does not exist.`;
    }
    return { ...template, version: selector.Version ?? fallbackVersion };
  }
}

export const imageIdFor = (template: LaunchTemplateRef): string =>
  `ami-0${nameHash(`${template.launchTemplateId}:${template.version}`, 16)}`;

export const sameTemplate = (a: LaunchTemplateRef, b: LaunchTemplateRef): boolean =>
  a.launchTemplateId === b.launchTemplateId && a.version === b.version;
