#!/usr/bin/env bash
# Idempotent toolchain setup for Continuum (see README "How the build works").
#
#   1. Debian packages: rustc-web/cargo-web/rust-web-src 1.96 (std sources for -Zbuild-std),
#      llvm-22-dev + lld-22 (the exact LLVM rustc-web links against), plus what the linker links with.
#   2. sbpf-linker 0.1.9 built from crates.io against Debian's LLVM 22 (bitcode versions must match).
#   3. rustup components used by the host gates (rustfmt, clippy).
#   4. npm packages from package-lock.json.
#
# Every step checks first and is skipped when already satisfied. Runs as root without prompts.
set -euo pipefail
cd "$(dirname "$0")/.."

SBPF_LINKER_VERSION=0.1.9
APT_PACKAGES=(rustc-web cargo-web rust-web-src llvm-22 llvm-22-dev lld-22 libpolly-22-dev libzstd-dev zlib1g-dev libxml2-dev libffi-dev libedit-dev libncurses-dev pkg-config build-essential)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[setup] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# --- 1. Debian packages --------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
else
  say "Debian packages present"
fi
[ -x /usr/bin/rustc ] || die "/usr/bin/rustc missing after install (package rustc-web)"
/usr/bin/rustc --version | grep -q '^rustc 1\.9[6-9]' || die "need rustc >= 1.96 at /usr/bin/rustc, found: $(/usr/bin/rustc --version)"
[ -d /usr/lib/rustlib/src/rust/library ] || die "std sources missing (package rust-web-src)"
[ -x /usr/lib/llvm-22/bin/llvm-config ] || die "LLVM 22 missing (package llvm-22-dev)"

# --- 2. sbpf-linker ------------------------------------------------------------------------------
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -x "$CARGO_BIN/sbpf-linker" ] && "$CARGO_BIN/sbpf-linker" --version 2>/dev/null | grep -q "$SBPF_LINKER_VERSION"; then
  say "sbpf-linker $SBPF_LINKER_VERSION present"
else
  say "building sbpf-linker $SBPF_LINKER_VERSION against LLVM 22 (several minutes on a fresh machine)"
  PATH=/usr/bin:$PATH LLVM_PREFIX=/usr/lib/llvm-22 LLVM_SYS_221_PREFIX=/usr/lib/llvm-22 \
    cargo install sbpf-linker --version "$SBPF_LINKER_VERSION" --locked \
      --no-default-features --features upstream-gallery-22 \
    || die "cargo install sbpf-linker $SBPF_LINKER_VERSION failed (see output above)"
fi

# --- 3. rustup components for host gates ---------------------------------------------------------
if command -v rustup >/dev/null; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || { say "rustup component add $c"; rustup component add "$c"; }
  done
fi

# --- 4. npm packages -----------------------------------------------------------------------------
if [ -f package.json ]; then
  # `npm install`, not `npm ci`: the registry reachable here serves only this platform's builds of
  # the runtimes' native optional packages (litesvm-darwin-*, ... are 404), so the lockfile can't
  # list them and `npm ci` rejects it as out of sync. `npm install` honours the lockfile otherwise.
  if [ ! -f node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    npm install --no-audit --no-fund || die "npm install failed"
  else
    say "npm packages present"
  fi
fi
say "toolchain ready"
