//! Small self-contained helpers (kept in-crate to keep dependencies and wasm size down).

pub(crate) mod base64;
pub(crate) mod decimal;
pub(crate) mod percent;
pub(crate) mod rng;
