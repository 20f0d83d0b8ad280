#!/usr/bin/env bash
# `npm test`: sets up whatever is missing, then runs every test layer:
#   typecheck, lint (Biome), vitest (TS unit), cargo test (Rust, native), the Rust core's
#   instruction counts under Valgrind against bench/instructions.json (fails on +2%; no timing),
#   Playwright e2e (Debian Chromium).
# Usage: scripts/test.sh [unit|rust|instructions|e2e ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

layers=("$@")
((${#layers[@]})) || layers=(unit rust instructions e2e)

bash scripts/setup.sh
use_wasm_toolchain
bash scripts/build-wasm.sh # the TS side imports rust-wasm/pkg, so typecheck needs it too

for layer in "${layers[@]}"; do
  case "$layer" in
    unit)
      step "typecheck (tsc -b: the web, Node and test projects)"
      npm run --silent typecheck
      step "lint and format check (Biome)"
      npm run --silent lint
      step "unit tests (vitest)"
      npx vitest run
      ;;
    rust)
      bash scripts/test-rust.sh
      ;;
    instructions)
      step "instruction counts of the Rust core (Callgrind via gungraun; fails on +2%)"
      command -v valgrind >/dev/null || {
        step "apt-get install valgrind"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valgrind ||
          { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valgrind; } ||
          die "valgrind missing: install it (apt-get install valgrind)"
      }
      npm run --silent bench:instructions
      ;;
    e2e)
      step "build (vite): dist/, and the test build dist-e2e/ (dist/ plus the pages only tests open)"
      npx vite build --logLevel warn
      npx vite build -c e2e/vite.config.ts --logLevel warn
      step "end-to-end tests (Playwright, $CHROMIUM)"
      npx playwright test -c e2e/playwright.config.ts
      ;;
    *) die "unknown test layer '$layer' (known: unit rust instructions e2e)" ;;
  esac
done
step "all tests passed (${layers[*]})"
