import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The whole control plane runs in a test process; a handler's own carriage is checked statically.
    setupFiles: ["test/setup/every-client.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
