import { z } from "zod";
import type { LaunchTemplate, LaunchTemplates, LaunchTemplateVersion } from "../launch-templates-model.ts";
import type { EmulatedAccount } from "../../account.ts";
import { AwsApiError } from "../../protocol/errors.ts";
import { paginate } from "../../protocol/pagination.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { applyFilters, filterList, flag, invalidParameter, rejectDryRun, requireKnownFilters } from "./common.ts";

/** DescribeLaunchTemplates and DescribeLaunchTemplateVersions over the fleet's launch templates, in EC2's XML names. */

const describeTemplatesSchema = z.strictObject({
  LaunchTemplateId: z.array(z.string().min(1)).optional(),
  LaunchTemplateName: z.array(z.string().min(1)).optional(),
  Filter: filterList.optional(),
  MaxResults: z.coerce.number().int().optional(),
  NextToken: z.string().min(1).optional(),
  DryRun: flag.optional(),
  IncludeManagedResources: flag.optional(),
});

const describeVersionsSchema = z.strictObject({
  LaunchTemplateId: z.string().min(1).optional(),
  LaunchTemplateName: z.string().min(1).optional(),
  /** The SDK's `Versions`. */
  LaunchTemplateVersion: z.array(z.string().min(1)).optional(),
  MinVersion: z.string().min(1).optional(),
  MaxVersion: z.string().min(1).optional(),
  Filter: filterList.optional(),
  MaxResults: z.coerce.number().int().optional(),
  NextToken: z.string().min(1).optional(),
  // Only SSM-parameter image ids have an alias to resolve; the fleet's versions use AMI ids.
  ResolveAlias: flag.optional(),
  DryRun: flag.optional(),
  IncludeManagedResources: flag.optional(),
});

const ALIASES = ["$Latest", "$Default"];

const checkMaxResults = (maxResults: number | undefined): void => {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > 200)) {
    throw invalidParameter(`Value ( ${maxResults} ) for parameter maxResults is invalid. Expect a value between 1 and 200.`);
  }
};

const idNotFound = (id: string): AwsApiError =>
  new AwsApiError("InvalidLaunchTemplateId.NotFound", `The specified launch template, with template ID ${id}, does not exist.`);

const nameNotFound = (): AwsApiError =>
  new AwsApiError("InvalidLaunchTemplateName.NotFoundException", "At least one of the launch templates specified in the request does not exist.");

const versionNotFound = (version: string, template: LaunchTemplate): AwsApiError =>
  new AwsApiError("InvalidLaunchTemplateId.VersionNotFound", `Could not find the specified version ${version} for the launch template with ID ${template.launchTemplateId}.`);

const requireId = (id: string): void => {
  if (!/^lt-[0-9a-f]{17}$/.test(id)) {
    throw new AwsApiError("InvalidLaunchTemplateId.Malformed", `The specified ID for the launch template, '${id}', is not valid. The ID must be in the form lt-xxxxxxxxxxxxxxxxx.`);
  }
};

const createdBy = (world: EmulatedAccount): string => `arn:aws:iam::${world.accountId}:root`;

const templateView = (template: LaunchTemplate, world: EmulatedAccount): Record<string, unknown> => ({
  launchTemplateId: template.launchTemplateId,
  launchTemplateName: template.launchTemplateName,
  createTime: new Date(template.createTimeMs),
  createdBy: createdBy(world),
  defaultVersionNumber: template.defaultVersionNumber,
  latestVersionNumber: template.versions.length,
});

interface VersionEntry {
  readonly template: LaunchTemplate;
  readonly version: LaunchTemplateVersion;
}

const versionView = ({ template, version }: VersionEntry, world: EmulatedAccount): Record<string, unknown> => ({
  launchTemplateId: template.launchTemplateId,
  launchTemplateName: template.launchTemplateName,
  versionNumber: version.versionNumber,
  createTime: new Date(version.createTimeMs),
  createdBy: createdBy(world),
  defaultVersion: version.versionNumber === template.defaultVersionNumber,
  launchTemplateData: { imageId: version.imageId, instanceType: version.instanceType },
});

const templateFilters = (name: string, template: LaunchTemplate): readonly string[] =>
  name === "launch-template-name" ? [template.launchTemplateName] : name === "create-time" ? [new Date(template.createTimeMs).toISOString()] : [];

const isTemplateFilter = (name: string): boolean => ["launch-template-name", "create-time", "tag-key"].includes(name) || name.startsWith("tag:");

const versionFilters = (name: string, { template, version }: VersionEntry): readonly string[] => {
  switch (name) {
    case "image-id":
      return [version.imageId];
    case "instance-type":
      return [version.instanceType];
    case "is-default-version":
      return [String(version.versionNumber === template.defaultVersionNumber)];
    case "create-time":
      return [new Date(version.createTimeMs).toISOString()];
    default:
      return [];
  }
};

const isVersionFilter = (name: string): boolean => ["image-id", "instance-type", "is-default-version", "create-time"].includes(name);

export const describeLaunchTemplates: ActionHandler = (params, { world }) => {
  const request = describeTemplatesSchema.parse(params);
  rejectDryRun(request.DryRun);
  checkMaxResults(request.MaxResults);
  requireKnownFilters(request.Filter, isTemplateFilter);
  const all = world.autoscaling.launchTemplates.all();
  for (const id of request.LaunchTemplateId ?? []) {
    requireId(id);
    if (!all.some((template) => template.launchTemplateId === id)) throw idNotFound(id);
  }
  if ((request.LaunchTemplateName ?? []).some((name) => !all.some((template) => template.launchTemplateName === name))) throw nameNotFound();
  const named = request.LaunchTemplateId !== undefined || request.LaunchTemplateName !== undefined;
  const wanted = all.filter(
    (template) =>
      !named || (request.LaunchTemplateId ?? []).includes(template.launchTemplateId) || (request.LaunchTemplateName ?? []).includes(template.launchTemplateName),
  );
  const { page, nextToken } = paginate(applyFilters(wanted, request.Filter, templateFilters), {
    maxResults: request.MaxResults,
    nextToken: request.NextToken,
    growsAt: "end",
    invalidToken: invalidParameter,
  });
  return { launchTemplates: page.map((template) => templateView(template, world)), nextToken };
};

/** The versions a request names, newest first; `$Latest` / `$Default` alone may span every template. */
function selectVersions(templates: LaunchTemplates, request: z.output<typeof describeVersionsSchema>): VersionEntry[] {
  const versions = request.LaunchTemplateVersion;
  const ranged = request.MinVersion !== undefined || request.MaxVersion !== undefined;
  if (request.LaunchTemplateId === undefined && request.LaunchTemplateName === undefined) {
    if (versions === undefined || versions.length === 0 || ranged || !versions.every((version) => ALIASES.includes(version))) {
      throw new AwsApiError(
        "MissingParameter",
        "To describe the launch template data for all your launch templates, for 'Versions' specify '$Latest', '$Default', or both, and omit 'LaunchTemplateId', 'LaunchTemplateName', and version ranges.",
      );
    }
    return templates.all().flatMap((template) => uniqueVersions(templates, template, versions));
  }
  if (request.LaunchTemplateId !== undefined && request.LaunchTemplateName !== undefined) {
    throw new AwsApiError("InvalidParameterCombination", "Specify either the launch template ID or the launch template name, but not both.");
  }
  if (request.LaunchTemplateId !== undefined) requireId(request.LaunchTemplateId);
  const template = templates.find(request);
  if (template === undefined) throw request.LaunchTemplateId !== undefined ? idNotFound(request.LaunchTemplateId) : nameNotFound();
  if (versions !== undefined && ranged) {
    throw new AwsApiError("InvalidParameterCombination", "Versions cannot be specified together with MinVersion or MaxVersion.");
  }
  if (versions !== undefined) return uniqueVersions(templates, template, versions).sort((a, b) => b.version.versionNumber - a.version.versionNumber);
  const min = versionBound("MinVersion", request.MinVersion, 1);
  const max = versionBound("MaxVersion", request.MaxVersion, Number.MAX_SAFE_INTEGER);
  return template.versions
    .filter((version) => version.versionNumber >= min && version.versionNumber <= max)
    .reverse()
    .map((version) => ({ template, version }));
}

function uniqueVersions(templates: LaunchTemplates, template: LaunchTemplate, names: readonly string[]): VersionEntry[] {
  const found = new Map<number, VersionEntry>();
  for (const name of names) {
    const version = templates.version(template, name);
    if (version === undefined) throw versionNotFound(name, template);
    found.set(version.versionNumber, { template, version });
  }
  return [...found.values()];
}

function versionBound(parameter: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw invalidParameter(`The value '${value}' for parameter ${parameter} is invalid: it must be a version number.`);
  return Number(value);
}

export const describeLaunchTemplateVersions: ActionHandler = (params, { world }) => {
  const request = describeVersionsSchema.parse(params);
  rejectDryRun(request.DryRun);
  checkMaxResults(request.MaxResults);
  requireKnownFilters(request.Filter, isVersionFilter);
  const selected = applyFilters(selectVersions(world.autoscaling.launchTemplates, request), request.Filter, versionFilters);
  const { page, nextToken } = paginate(selected, {
    maxResults: request.MaxResults,
    nextToken: request.NextToken,
    // Newest first: a version published between pages appears at the start.
    growsAt: request.LaunchTemplateId === undefined && request.LaunchTemplateName === undefined ? "end" : "start",
    invalidToken: invalidParameter,
  });
  return { launchTemplateVersionSet: page.map((entry) => versionView(entry, world)), nextToken };
};
