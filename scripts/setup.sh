#!/usr/bin/env bash
# Sets up everything the lab needs on a fresh machine, idempotently:
#   npm packages, a Rust toolchain that can target wasm32-unknown-unknown, wasm-pack,
#   the wasm-bindgen CLI pinned in rust-wasm/Cargo.toml, Debian's Chromium and Debian's Firefox ESR
#   (the lab's second engine, driven over WebDriver BiDi: `npm run lab -- --browser firefox`).
# A second run is a fast no-op. Every step says what it does and, on failure, what to do.
#
# Rust for wasm32: where rustup can add the target (a laptop or a GitHub runner) we use that.
# Where it cannot (no internet), Debian's rustc-web ships its std source, from which we build
# the wasm32 std once, offline, into a private toolchain dir keyed by the rustc commit hash
# (README "How the Rust→wasm toolchain is set up"; `use_wasm_toolchain` in scripts/lib.sh).
#
# Usage: scripts/setup.sh [--skip-npm] [--skip-rust] [--skip-chromium] [--skip-firefox]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib.sh

FIREFOX=${LAB_FIREFOX:-/usr/bin/firefox-esr}
skip_npm=0 skip_rust=0 skip_chromium=0 skip_firefox=0
for arg in "$@"; do
  case "$arg" in
    --skip-npm) skip_npm=1 ;;
    --skip-rust) skip_rust=1 ;;
    --skip-chromium) skip_chromium=1 ;;
    --skip-firefox) skip_firefox=1 ;;
    *) die "unknown option '$arg' (known: --skip-npm --skip-rust --skip-chromium --skip-firefox)" ;;
  esac
done

# ---------- npm packages ----------
setup_npm() {
  local stamp=node_modules/.package-lock.json
  if [[ -f $stamp && ! package-lock.json -nt $stamp ]]; then
    return 0
  fi
  step "npm ci (installing JS packages from package-lock.json)"
  npm ci --no-audit --no-fund || die "npm ci failed; is the npm registry reachable? (npm config get registry)"
  touch "$stamp"
}

# ---------- Debian packages ----------
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  step "apt-get install ${missing[*]}"
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || die "need root to install Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null || die "apt-get not found; install these yourself: ${missing[*]}"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; then
    "${sudo[@]}" apt-get update -q || true
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
      || die "could not install Debian packages: ${missing[*]}"
  fi
}

# ---------- Rust that targets wasm32 ----------
rustup_has_wasm() {
  command -v rustup >/dev/null || return 1
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && return 0
  # Downloading a target is for machines allowed to reach static.rust-lang.org (GitHub runners,
  # laptops): opt in with LAB_RUSTUP_TARGET_ADD=1. Elsewhere we build from Debian's packages.
  [[ ${LAB_RUSTUP_TARGET_ADD:-} == 1 || ${GITHUB_ACTIONS:-} == true ]] || return 1
  timeout 300 rustup target add wasm32-unknown-unknown
}

build_debian_wasm_std() {
  # Debian's rust-web packages: the compiler, its std source and a matching LLVM/lld.
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 gcc
  local tc; tc=$(debian_toolchain_dir)
  if [[ -f $tc/stamp ]]; then return 0; fi
  local vendor=/usr/lib/rustlib/src/rust/library/vendor
  [[ -d $vendor ]] || die "$vendor missing: the rust-web-src package is incomplete"

  step "building the wasm32 std from Debian's rust-web-src into $tc (once, ~1 min)"
  local work; work=$(mktemp -d)
  mkdir -p "$work/stdbuild/src" "$work/stdbuild/.cargo" "$work/cargo-home"
  cat >"$work/stdbuild/Cargo.toml" <<'TOML'
[package]
name = "stdbuild"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
opt-level = 3
TOML
  echo '#![no_std]' >"$work/stdbuild/src/lib.rs"
  cat >"$work/stdbuild/.cargo/config.toml" <<TOML
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$vendor"
TOML
  (
    cd "$work/stdbuild"
    unset RUSTFLAGS CARGO_BUILD_TARGET CARGO_TARGET_DIR
    CARGO_HOME=$work/cargo-home RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Cembed-bitcode=yes \
      /usr/bin/cargo build --offline --release --target wasm32-unknown-unknown \
      -Zbuild-std=std,panic_abort,test
  ) || die "building the wasm32 std failed (see the cargo output above)"

  local libdir=$tc/lib/rustlib/wasm32-unknown-unknown/lib
  rm -rf "$tc"
  mkdir -p "$libdir" "$tc/bin"
  find "$work/stdbuild/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' \
    ! -name 'libstdbuild-*' -exec cp {} "$libdir/" \;
  for d in x86_64-unknown-linux-gnu src etc; do
    [[ -e /usr/lib/rustlib/$d ]] && ln -s "/usr/lib/rustlib/$d" "$tc/lib/rustlib/$d"
  done
  for tool in rustc rustdoc; do
    cat >"$tc/bin/$tool" <<SH
#!/bin/sh
# $tool with the self-built wasm32 std (scripts/setup.sh); adds --sysroot unless given.
for a in "\$@"; do case "\$a" in --sysroot|--sysroot=*) exec /usr/bin/$tool "\$@";; esac; done
exec /usr/bin/$tool --sysroot "$tc" "\$@"
SH
    chmod +x "$tc/bin/$tool"
  done
  ln -s /usr/bin/cargo "$tc/bin/cargo"
  rm -rf "$work"
  /usr/bin/rustc -vV >"$tc/stamp" # written last: its presence means the dir is complete
  echo "wasm32 std ready: $(ls "$libdir" | wc -l) rlibs in $libdir"
}

setup_rust() {
  if [[ -f $(debian_toolchain_dir 2>/dev/null)/stamp ]]; then
    : # already built
  elif rustup_has_wasm; then
    echo "using rustup's wasm32-unknown-unknown target"
  else
    build_debian_wasm_std
  fi
  use_wasm_toolchain
  [[ -d $(rustc --target wasm32-unknown-unknown --print target-libdir) ]] \
    || die "rustc on PATH ($(command -v rustc)) has no wasm32 std"
  command -v cc >/dev/null || apt_install gcc

  if [[ $(wasm-pack --version 2>/dev/null) != "wasm-pack 0.15.0" ]]; then
    step "cargo install wasm-pack 0.15.0 (a few minutes, once)"
    cargo install wasm-pack --version 0.15.0 --locked || die "cargo install wasm-pack failed"
  fi
  local want; want=$(pinned_wasm_bindgen)
  if [[ $(wasm-bindgen --version 2>/dev/null) != "wasm-bindgen $want" ]]; then
    step "cargo install wasm-bindgen-cli $want (pinned in rust-wasm/Cargo.toml; a few minutes, once)"
    # --locked first (reproducible); a registry mirror may lack a locked dependency version,
    # then let cargo resolve compatible versions it does have.
    cargo install wasm-bindgen-cli --version "$want" --locked --force \
      || cargo install wasm-bindgen-cli --version "$want" --force \
      || die "cargo install wasm-bindgen-cli $want failed"
  fi
}

setup_chromium() {
  [[ -x $CHROMIUM ]] && return 0
  apt_install chromium
  [[ -x $CHROMIUM ]] || die "chromium installed but $CHROMIUM is missing; set LAB_CHROMIUM to its path"
}

setup_firefox() {
  [[ -x $FIREFOX ]] && return 0
  apt_install firefox-esr
  [[ -x $FIREFOX ]] || die "firefox-esr installed but $FIREFOX is missing; set LAB_FIREFOX to its path"
}

((skip_npm)) || setup_npm
((skip_rust)) || setup_rust
((skip_chromium)) || setup_chromium
((skip_firefox)) || setup_firefox
echo "setup: ready (rustc $(rustc -V | cut -d' ' -f2), $(wasm-pack --version 2>/dev/null || echo 'no wasm-pack'), chromium at $CHROMIUM, firefox at $FIREFOX)"
