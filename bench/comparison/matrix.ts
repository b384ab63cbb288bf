import type { ScenarioConfig } from "../../sim/config/schema.ts";
import type { Strategy } from "../../sim/report/report.ts";
import { loadScenario, parseScenarioConfig } from "../../sim/scenarios.ts";

/** The fleets compared: the default demo fleet, and seeds/000's ChatPulse target group (the chatpulse scenario). */
export const FLEETS = { default: "rolling-deploy", chatpulse: "chatpulse" } as const;
export type FleetName = keyof typeof FLEETS;

export const SIZES = [12, 100, 1000] as const;

/** Every run may take this long (virtual) before its strategy is stopped: long enough for a one-at-a-time script at 100 instances. */
const MAX_VIRTUAL_SECONDS = 4 * 3600;

export interface ComparedStrategy {
  readonly name: string;
  readonly strategy: Strategy;
  readonly label: string;
  /** The fleet and run as this strategy meets them. */
  adapt(config: ScenarioConfig): ScenarioConfig;
}

const asIs = (config: ScenarioConfig): ScenarioConfig => config;

const withRun = (config: ScenarioConfig, run: Partial<ScenarioConfig["run"]>): ScenarioConfig => ({ ...config, run: { ...config.run, ...run } as ScenarioConfig["run"] });

const deployInput = (config: ScenarioConfig): Record<string, unknown> => (config.run.kind === "rolling-deploy" ? config.run.input : {});

/** Ebb's registration mode and hooks, exactly as the instance-refresh-hooks scenario sets the fleet up. */
const hooksFleet = (): Pick<ScenarioConfig["fleet"], "targetRegistration" | "lifecycleHooks" | "terminationPolicy"> => {
  const { targetRegistration, lifecycleHooks, terminationPolicy } = loadScenario("instance-refresh-hooks").fleet;
  return { targetRegistration, lifecycleHooks, terminationPolicy };
};

export const STRATEGIES: readonly ComparedStrategy[] = [
  { name: "ebb", strategy: "ebb", label: "Ebb (rolling deploy)", adapt: asIs },
  { name: "seed-script", strategy: "seed-script", label: "rolling-deploy.sh (seeds/004)", adapt: asIs },
  {
    name: "instance-refresh-defaults",
    strategy: "instance-refresh",
    label: "Instance Refresh, AWS defaults",
    adapt: (config) => withRun(config, { refreshPreferences: "aws-defaults" }),
  },
  {
    name: "instance-refresh-seed000",
    strategy: "instance-refresh",
    label: "Instance Refresh, seeds/000 (50%, 30 s delay)",
    adapt: (config) => ({
      ...withRun(config, { input: { ...deployInput(config), minHealthyPercent: 50 } }),
      targetGroup: { ...config.targetGroup, deregistrationDelaySeconds: 30 },
    }),
  },
  {
    name: "instance-refresh-hooks",
    strategy: "instance-refresh",
    label: "Instance Refresh + Ebb's hooks",
    adapt: (config) => ({ ...config, fleet: { ...config.fleet, ...hooksFleet() } }),
  },
];

/**
 * The one-at-a-time script needs about 115 virtual s per server: 32 virtual hours at 1,000
 * instances. It is stopped after an hour there (outcome Aborted, its figures those of that hour).
 */
const SCRIPT_HOUR = { "seed-script": 3600 } as const;
const maxVirtualSecondsOf = (strategy: string, instances: number): number =>
  instances >= 1000 && strategy in SCRIPT_HOUR ? SCRIPT_HOUR["seed-script"] : MAX_VIRTUAL_SECONDS;

export interface Cell {
  readonly strategy: ComparedStrategy;
  readonly fleet: FleetName;
  readonly instances: number;
}

export const strategyNamed = (name: string): ComparedStrategy => {
  const found = STRATEGIES.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`unknown compared strategy "${name}" (known: ${STRATEGIES.map((known) => known.name).join(", ")})`);
  return found;
};

/** The fleet's scenario at `instances`, every instance holding what one held in the scenario. */
export function cellConfig(cell: Cell): ScenarioConfig {
  const base = loadScenario(FLEETS[cell.fleet]);
  const sessionsPerInstance = base.clients.sessions / Math.max(1, base.fleet.desiredCapacity);
  const { maxSize: _scenarioMax, ...fleet } = base.fleet;
  const sized = parseScenarioConfig(
    {
      ...base,
      scenario: `bench-${cell.fleet}-${cell.instances}`,
      fleet: { ...fleet, desiredCapacity: cell.instances },
      clients: { ...base.clients, sessions: Math.round(sessionsPerInstance * cell.instances) },
      run: { ...base.run, maxVirtualSeconds: maxVirtualSecondsOf(cell.strategy.name, cell.instances) },
    },
    `bench cell ${cell.fleet}/${cell.instances}`,
  );
  return cell.strategy.adapt(sized);
}

/**
 * Instance Refresh with Ebb's hooks runs one hook workflow per launch and per termination on the
 * local Step Functions runner: about 80 s of wall time per 100 instances, so it stops at 100.
 */
const largestSize: Readonly<Record<string, number>> = { "instance-refresh-hooks": 100 };

export const allCells = (): Cell[] =>
  (Object.keys(FLEETS) as FleetName[]).flatMap((fleet) =>
    SIZES.flatMap((instances) =>
      STRATEGIES.filter((strategy) => instances <= (largestSize[strategy.name] ?? Number.POSITIVE_INFINITY)).map((strategy) => ({ strategy, fleet, instances })),
    ),
  );
