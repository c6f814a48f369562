#!/usr/bin/env bash
# Builds the on-chain program to target/deploy/continuum.so (SBPF v0) and the host crates.
#
# Why this shape (details in README "How the build works"):
# - Solana's platform-tools can't be installed here, so the program is compiled by Debian's
#   upstream rustc 1.96 for `bpfel-unknown-none` (tier 3: needs -Zbuild-std, hence
#   RUSTC_BOOTSTRAP=1 and rust-web-src), emitting LLVM 22 bitcode;
# - sbpf-linker (built against the same LLVM 22) links that bitcode into an SBPF v0 ELF.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }

export PATH="/usr/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v sbpf-linker >/dev/null || { echo "[build] sbpf-linker not found: run 'npm run setup'" >&2; exit 1; }

say "SBF build (rustc $(/usr/bin/rustc --version | cut -d' ' -f2), bpfel-unknown-none, build-std)"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --release \
  --target bpfel-unknown-none -p continuum -Zbuild-std=core,alloc

mkdir -p target/deploy tests/fixtures
so=target/bpfel-unknown-none/release/libcontinuum.so
[ -f "$so" ] || { echo "[build] $so was not produced" >&2; exit 1; }
cp "$so" target/deploy/continuum.so
cp "$so" tests/fixtures/continuum.so   # solana-bankrun loads programs from tests/fixtures
# e_machine (offset 18, u16 LE) must be 247 (EM_BPF) for the loaders.
machine=$(od -An -t u2 -j 18 -N 2 target/deploy/continuum.so | tr -d ' ')
[ "$machine" = "247" ] || { echo "[build] unexpected e_machine $machine (want 247)" >&2; exit 1; }
# The program must never panic. The ELF is stripped, so the only source paths left in it are the
# `core::panic::Location`s of reachable panic paths (an index, a slice, a `clamp`, an unwrap):
# each is a bug (and a pointer in read-only data this toolchain can't relocate).
panics=$(strings target/deploy/continuum.so | grep -E '\.rs$' || true)
if [ -n "$panics" ]; then
  echo "[build] panic paths compiled into the program (return errors instead):" >&2
  echo "$panics" >&2
  exit 1
fi
say "target/deploy/continuum.so: $(stat -c %s target/deploy/continuum.so) bytes, e_machine $machine, no panic paths"

say "host build"
cargo build --workspace --quiet
