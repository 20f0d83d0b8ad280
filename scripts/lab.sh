#!/usr/bin/env bash
# `npm run lab`: sets up whatever is missing, builds the app, and runs the lab's main job
# headless in Debian's Chromium, printing the results (src/cli/lab.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# Arguments first: a typo should not wait for the Rust toolchain, the wasm build and Vite.
bash scripts/setup.sh --skip-rust --skip-chromium --skip-firefox
LAB_CHECK_ARGS_ONLY=1 npx tsx src/cli/lab.ts "$@"
bash scripts/setup.sh
bash scripts/build-wasm.sh
step "vite build"
npx vite build --logLevel warn
exec npx tsx src/cli/lab.ts "$@"
