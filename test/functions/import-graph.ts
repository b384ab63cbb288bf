import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

/** The SDK clients a runtime can carry, and the package that builds each. */
export const CLIENT_PACKAGES = {
  autoScaling: "@aws-sdk/client-auto-scaling",
  elbv2: "@aws-sdk/client-elastic-load-balancing-v2",
  cloudWatch: "@aws-sdk/client-cloudwatch",
  ec2: "@aws-sdk/client-ec2",
  ssm: "@aws-sdk/client-ssm",
  sfn: "@aws-sdk/client-sfn",
  dynamo: "@aws-sdk/client-dynamodb",
  eventBridge: "@aws-sdk/client-eventbridge",
} as const;
export type ClientName = keyof typeof CLIENT_PACKAGES;

// Value imports and re-exports only: `import type` is erased and never reaches a bundle.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/g;

export interface ImportGraph {
  readonly files: readonly string[];
  readonly packages: ReadonlySet<string>;
  /** `clients.<name>` used anywhere in the graph's own code. */
  readonly clientsUsed: ReadonlySet<ClientName>;
}

export const importGraph = (entry: string, root: string): ImportGraph => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const clientsUsed = new Set<ClientName>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    const destructured = [...source.matchAll(/\{([^{}]*)\}\s*=\s*[\w.]*\bclients\b/g)].flatMap((match) => (match[1] ?? "").split(","));
    const accessed = [...source.matchAll(/\bclients\.(\w+)/g)].map((match) => match[1] ?? "");
    for (const raw of [...destructured, ...accessed]) {
      const name = raw.split(":")[0]?.trim() ?? "";
      if (name in CLIENT_PACKAGES) clientsUsed.add(name as ClientName);
    }
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? "";
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier);
        if (existsSync(target)) visit(target);
      } else if (!specifier.startsWith("node:")) {
        packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? specifier));
      }
    }
  };
  visit(entry);
  return { files: [...seen].map((file) => relative(root, file)).sort(), packages, clientsUsed };
};
