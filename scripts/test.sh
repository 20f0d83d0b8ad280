#!/usr/bin/env bash
# `npm test`: sets up whatever is missing, then runs every test layer:
#   typecheck, lint (Biome), vitest (TS unit), cargo test (Rust, native), Playwright e2e (Debian Chromium).
# Usage: scripts/test.sh [unit|rust|e2e ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

layers=("$@")
((${#layers[@]})) || layers=(unit rust e2e)

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
    e2e)
      step "build (vite): dist/, and the test build dist-e2e/ (dist/ plus the pages only tests open)"
      npx vite build --logLevel warn
      npx vite build -c e2e/vite.config.ts --logLevel warn
      step "end-to-end tests (Playwright, $CHROMIUM)"
      npx playwright test -c e2e/playwright.config.ts
      ;;
    *) die "unknown test layer '$layer' (known: unit rust e2e)" ;;
  esac
done
step "all tests passed (${layers[*]})"
