#!/usr/bin/env bash
# Idempotent setup of what the local network needs, run only by localnet commands and tests:
#
#   1. Debian packages: promtool (package `prometheus`), which checks ops/prometheus/alerts.yml,
#      and libssl-dev + pkg-config, so the launcher links the system OpenSSL instead of
#      compiling one from source (openssl-sys's vendored build; minutes on a loaded machine);
#   2. the launcher `localnet/target/<profile>/continuum-localnet` (an offline Surfpool simnet),
#      built with rustup's cargo (Surfpool's tree needs rustc >= 1.95; Debian's /usr/bin rustc is
#      kept for the SBF build). A fresh build takes ~15 minutes on these machines, so it is
#      skipped when the binary is newer than every launcher source.
#
# CONTINUUM_LOCALNET_PROFILE=release builds an optimised launcher (~18 min, faster runtime);
# CARGO_BUILD_JOBS is honoured (the default leaves one core to others: jobs = 1; all cores when
# CI=true); CONTINUUM_LOCALNET_TARGET_DIR moves the build cache (default
# ~/.cache/continuum/localnet-target).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[localnet-setup]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[localnet-setup] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# --- 1. Debian packages -------------------------------------------------------------------------
missing=()
command -v promtool >/dev/null || missing+=(prometheus)
for p in libssl-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "Debian packages present (promtool: $(promtool --version 2>&1 | head -1))"
else
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq || die "apt-get update failed"
  # Only the promtool binary is wanted from `prometheus`: keep its service from starting (a
  # container usually has a policy-rc.d already; one created here is removed again).
  made_policy=""; rc=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  if [ -n "$made_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
  [ $rc -eq 0 ] || die "apt-get install failed for: ${missing[*]}"
  command -v promtool >/dev/null || die "promtool still missing after installing prometheus"
fi

# --- 2. the launcher ----------------------------------------------------------------------------
PROFILE="${CONTINUUM_LOCALNET_PROFILE:-debug}"
case "$PROFILE" in debug) PROFILE_FLAG=() ;; release) PROFILE_FLAG=(--release) ;; *) die "CONTINUUM_LOCALNET_PROFILE must be debug or release" ;; esac
BIN="localnet/target/$PROFILE/continuum-localnet"
TARGET_DIR="${CONTINUUM_LOCALNET_TARGET_DIR:-$HOME/.cache/continuum/localnet-target}"
# One job by default (the build shares the machine); every core under CI.
if [ -n "${CARGO_BUILD_JOBS:-}" ]; then JOBS="$CARGO_BUILD_JOBS"; elif [ "${CI:-}" = "true" ]; then JOBS="$(nproc)"; else JOBS=1; fi
CARGO="${CARGO_HOME:-$HOME/.cargo}/bin/cargo"
[ -x "$CARGO" ] || die "rustup's cargo not found at $CARGO (run scripts/setup.sh; rustup stable >= 1.95)"

sources=(localnet/Cargo.toml localnet/Cargo.lock localnet/.cargo/config.toml localnet/src/*.rs)
stale=""
if [ -x "$BIN" ]; then
  for f in "${sources[@]}"; do [ "$f" -nt "$BIN" ] && { stale="$f"; break; }; done
fi
if [ -x "$BIN" ] && [ -z "$stale" ]; then
  say "launcher up to date: $BIN"
else
  [ -n "$stale" ] && say "launcher older than $stale: rebuilding"
  say "building the launcher ($PROFILE; a fresh build takes ~15 min; progress below)"
  start=$(date +%s)
  # --locked: the committed Cargo.lock is the set of versions known to build with rustc 1.95.
  # OPENSSL_NO_VENDOR: link Debian's libssl (step 1) rather than build OpenSSL from source.
  # The build directory lives outside the checkout (a clean clone then recompiles only the
  # launcher itself, not Surfpool's ~800 crates); the binary is copied to $BIN.
  (cd localnet && CARGO_TARGET_DIR="$TARGET_DIR" OPENSSL_NO_VENDOR=1 CARGO_BUILD_JOBS="$JOBS" nice -n 10 "$CARGO" build --locked "${PROFILE_FLAG[@]}" --bin continuum-localnet) \
    || die "launcher build failed (see output above)"
  mkdir -p "$(dirname "$BIN")"
  cp "$TARGET_DIR/$PROFILE/continuum-localnet" "$BIN"
  touch "$BIN"   # mark it newer than the sources it was built from
  say "launcher built in $(( $(date +%s) - start )) s: $BIN"
fi
say "localnet ready"
