import { serviceRegistry } from "../services.ts";
import type { EmulatedAccount } from "../account.ts";
import { EmulatorRouter } from "./router.ts";

const routers = new WeakMap<EmulatedAccount, EmulatorRouter>();

/** The world's one router: every client and the HTTP server share its Describe token buckets. */
export function routerFor(world: EmulatedAccount): EmulatorRouter {
  let router = routers.get(world);
  if (router === undefined) {
    router = new EmulatorRouter(world, serviceRegistry);
    routers.set(world, router);
  }
  return router;
}
