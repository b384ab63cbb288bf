import type { Invariant } from "./types.ts";

/** A crash drops its host's connections; nothing else may close a connection by force. */
export const forcedOnlyByCrashes: Invariant = {
  name: "forced disconnects only from crashed hosts",
  check({ report }) {
    const { crash: _crash, ...others } = report.connections.forcedDisconnectsBy;
    const cut = Object.entries(others).filter(([, count]) => count > 0);
    return cut.length === 0 ? undefined : `connections closed by force not by a crash: ${cut.map(([cause, count]) => `${cause} ${count}`).join(", ")}`;
  },
};
