import { fleetHour } from "./benchmarks/fleet-hour.ts";
import { largeFleetDeploy } from "./benchmarks/large-fleet-deploy.ts";
import { lambdaBundles } from "./benchmarks/lambda-bundles.ts";
import { strategyComparison } from "./benchmarks/strategy-comparison.ts";

/** Figures, plus table rows for a benchmark that measures many cases (the results page draws them). */
export interface BenchmarkOutput {
  readonly figures: Record<string, number>;
  readonly rows: readonly object[];
  readonly [extra: string]: unknown;
}

/** A named measurement: `run` returns figures (wall seconds, MB, rates...) keyed by what they mean, or figures and rows. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** Figures with a target: the run fails the target check when a figure exceeds it. */
  readonly targets?: Readonly<Record<string, number>>;
  run(): Promise<Record<string, number> | BenchmarkOutput>;
}

/** Every benchmark `npm run bench` knows; add new ones here. */
export const benchmarks: readonly Benchmark[] = [fleetHour, largeFleetDeploy, strategyComparison, lambdaBundles];
