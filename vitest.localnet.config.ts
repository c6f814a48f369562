import { defineConfig } from "vitest/config";

// The localnet suite: real Surfpool validators started and stopped by the tests themselves
// (`npm run test:localnet`, after `scripts/localnet-setup.sh`). Files run one at a time: each
// starts validators and keeper daemons, and the machine has two cores.
export default defineConfig({
  test: {
    include: ["tests/localnet/**/*.test.ts"],
    testTimeout: 900_000,
    // A start deploys the program through the loader: minutes on a busy machine.
    hookTimeout: 900_000,
    fileParallelism: false,
    pool: "forks",
  },
});
