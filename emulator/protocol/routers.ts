import { serviceRegistry } from "../services.ts";
import type { World } from "../../sim/world.ts";
import { EmulatorRouter } from "./router.ts";

const routers = new WeakMap<World, EmulatorRouter>();

/** The world's one router: every client and the HTTP server share its Describe token buckets. */
export function routerFor(world: World): EmulatorRouter {
  let router = routers.get(world);
  if (router === undefined) {
    router = new EmulatorRouter(world, serviceRegistry);
    routers.set(world, router);
  }
  return router;
}
