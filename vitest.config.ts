import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The localnet suite runs a real validator: its own config and step (`npm run test:localnet`).
    exclude: ["tests/localnet/**", "**/node_modules/**"],
    globalSetup: ["tests/setup/global.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: run files in parallel, each with its own runtimes.
    pool: "forks",
  },
});
