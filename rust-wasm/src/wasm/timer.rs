//! The driver's one timer: a global `setTimeout` that owns its closure (gloo
//! `timers/callback.rs`) and clears itself on drop.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js;
use crate::Instant;

/// Longest delay `setTimeout` accepts (2^31 - 1 ms).
const MAX_DELAY_MS: u64 = i32::MAX as u64;

pub(super) struct Timer {
    callback: Closure<dyn FnMut()>,
    handle: Option<JsValue>,
    deadline: Option<Instant>,
}

impl Timer {
    pub(super) fn new(callback: impl FnMut() + 'static) -> Self {
        Timer {
            callback: Closure::new(callback),
            handle: None,
            deadline: None,
        }
    }

    /// Arms for `deadline` if it differs from the armed one (re-arming only on a change).
    /// A deadline later than the armed one keeps the armed timer: it fires early, the core finds
    /// nothing due, and the driver re-arms then. The idle timer (RTN23a) moves later on every
    /// inbound frame; re-arming for it would cost a clearTimeout + setTimeout pair per frame.
    pub(super) fn arm(&mut self, deadline: Option<Instant>, now: Instant) {
        match (deadline, self.deadline) {
            (wanted, armed) if wanted == armed => return,
            (Some(wanted), Some(armed)) if wanted > armed && self.handle.is_some() => return,
            _ => {}
        }
        self.cancel();
        if let Some(at) = deadline {
            let ms = at
                .as_millis()
                .saturating_sub(now.as_millis())
                .min(MAX_DELAY_MS);
            self.handle = Some(js::set_timeout(
                self.callback.as_ref().unchecked_ref(),
                ms as i32,
            ));
        }
        self.deadline = deadline;
    }

    /// The timeout fired: nothing is armed any more, so the next `arm` always sets one (even for
    /// the same deadline, should the browser have fired a little early).
    pub(super) fn fired(&mut self) {
        self.handle = None;
        self.deadline = None;
    }

    fn cancel(&mut self) {
        if let Some(h) = self.handle.take() {
            js::clear_timeout(&h);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.cancel();
    }
}
