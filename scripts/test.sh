#!/usr/bin/env bash
# The whole test suite: every quality gate, in the order a failure is cheapest to report.
#   setup (idempotent installs) -> rustfmt -> clippy -D warnings -> SBF + host build ->
#   cargo test (host; also exports the program interface for the IDL test) ->
#   math vectors regenerated from Rust -> tsc --noEmit -> vitest on bankrun and LiteSVM
#   (writes docs/compute-units.md) -> localnet setup (promtool, the Surfpool launcher: ~15 min on
#   a fresh machine, cached after) -> vitest on a real local Surfpool network.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step "setup";            bash scripts/setup.sh
step "cargo fmt --check"; cargo fmt --all --check
step "cargo clippy";     cargo clippy --workspace --all-targets --quiet -- -D warnings
step "build";            bash scripts/build.sh
step "cargo test";       cargo test --workspace --release --quiet
if [ -f crates/continuum-math/examples/gen_vectors.rs ]; then
  step "math vectors";   cargo run --release --quiet -p continuum-math --example gen_vectors
fi
step "tsc --noEmit";     npx tsc --noEmit -p tsconfig.json
step "vitest";           CONTINUUM_CU_FULL_RUN=1 npx vitest run
step "localnet setup";   bash scripts/localnet-setup.sh
step "vitest (localnet)"; npx vitest run --config vitest.localnet.config.ts
step "all checks passed"
