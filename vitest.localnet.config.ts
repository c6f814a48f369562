import { defineConfig } from "vitest/config";

// The localnet suite: real Surfpool validators started and stopped by the tests themselves
// (`npm run test:localnet`, after `scripts/localnet-setup.sh`). Files run one at a time: each
// starts validators and keeper daemons, and the machine has two cores.
export default defineConfig({
  test: {
    include: ["tests/localnet/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: "forks",
  },
});
