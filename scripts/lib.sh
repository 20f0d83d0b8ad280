# Shared helpers for the scripts in this folder (sourced, not run).
# Keep this file free of side effects beyond defining functions and variables.

CHROMIUM=${LAB_CHROMIUM:-/usr/bin/chromium}
CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

# The private wasm toolchain built from Debian's rustc-web, keyed by that rustc's commit hash:
# its rlibs only load with the exact compiler that built them (E0514 otherwise).
debian_toolchain_dir() {
  [[ -x /usr/bin/rustc ]] || return 1
  local hash
  hash=$(/usr/bin/rustc -vV | sed -n 's/^commit-hash: //p')
  [[ -n $hash ]] || return 1
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/wasm-rust/$hash"
}

# Puts the wasm-capable rustc first on PATH (before ~/.cargo/bin, whose rustup proxies would win).
use_wasm_toolchain() {
  local tc
  case ":$PATH:" in *":$CARGO_HOME/bin:"*) ;; *) PATH="$CARGO_HOME/bin:$PATH" ;; esac
  if tc=$(debian_toolchain_dir) && [[ -f $tc/stamp ]]; then
    PATH="$tc/bin:$PATH"
  fi
  export PATH
}

# The exact wasm-bindgen version pinned in rust-wasm/Cargo.toml (wasm-bindgen = "=0.2.X").
pinned_wasm_bindgen() {
  local v
  v=$(sed -nE 's/^wasm-bindgen[[:space:]]*=[[:space:]]*(\{[^}]*version[[:space:]]*=[[:space:]]*)?"=([0-9.]+)".*/\2/p' rust-wasm/Cargo.toml | head -n1)
  [[ -n $v ]] || die "rust-wasm/Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = \"=0.2.X\")"
  echo "$v"
}
