import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/elbv2.ts";
import { z } from "zod";
import { publishFleetMetrics } from "../core/scaling/publisher.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** Scheduled every minute: each group's connection-aware scaling metrics in namespace Ebb. */
export const handler = taskHandler(
  "publish-fleet-metrics",
  // The schedule's event carries nothing the publisher needs; anything but an object is a wiring mistake.
  z.looseObject({}),
  (_event, rt) => publishFleetMetrics(rt),
);
