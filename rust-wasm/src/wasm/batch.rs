//! Packs one frame's messages (or one ACK's serials) for JS in a single crossing: every string
//! field back to back in one `String`, numbers and offsets in one `Vec<f64>`, binary payloads in
//! one `Vec<u8>`. JS (`js/messages.js`, `js/publishes.js`) slices the string with `substring`.
//! Offsets into the string count UTF-16 units, as `substring` does.

#[cfg(feature = "realtime")]
use crate::{protocol::PublishResult, PublishId};
use crate::{Data, Message};

/// Numbers per message; `js/messages.js` reads the same layout.
const STRIDE: usize = 19;

/// Reusable buffers for one batch.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) text: String,
    pub(super) nums: Vec<f64>,
    pub(super) bytes: Vec<u8>,
    /// Length of `text` in UTF-16 units.
    utf16: usize,
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.nums.clear();
        self.bytes.clear();
        self.utf16 = 0;
    }

    /// Appends `s` to the text and pushes its `start, end`; `-1, -1` when absent.
    fn push_str(&mut self, s: Option<&str>) {
        let Some(s) = s else {
            self.nums.extend_from_slice(&[-1.0, -1.0]);
            return;
        };
        let start = self.utf16;
        self.text.push_str(s);
        self.utf16 += if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        self.nums
            .extend_from_slice(&[start as f64, self.utf16 as f64]);
    }

    /// Packs `messages` in the layout of `js/messages.js`: data kind, data start/end, then id,
    /// name, clientId, connectionId, encoding, extras (JSON), serial (start/end each), then
    /// timestamp (NaN if absent) and action (−1 if absent).
    pub(super) fn pack_messages(&mut self, messages: &[Message]) {
        self.clear();
        self.nums.reserve(messages.len() * STRIDE);
        let mut extras = String::new();
        for m in messages {
            match &m.data {
                Data::None => self.nums.extend_from_slice(&[0.0, -1.0, -1.0]),
                Data::Text(s) => {
                    self.nums.push(1.0);
                    self.push_str(Some(s));
                }
                Data::Binary(b) => {
                    let start = self.bytes.len();
                    self.bytes.extend_from_slice(b);
                    self.nums
                        .extend_from_slice(&[2.0, start as f64, self.bytes.len() as f64]);
                }
                Data::Json(s) => {
                    self.nums.push(3.0);
                    self.push_str(Some(s));
                }
            }
            self.push_str(m.id.as_deref());
            self.push_str(m.name.as_deref());
            self.push_str(m.client_id.as_deref());
            self.push_str(m.connection_id.as_deref());
            self.push_str(m.encoding.as_deref());
            let extras = m.extras.as_ref().map(|e| {
                extras.clear();
                extras.push_str(&e.to_json());
                extras.as_str()
            });
            self.push_str(extras);
            self.push_str(m.serial.as_deref());
            self.nums.push(m.timestamp.map_or(f64::NAN, |t| t as f64));
            self.nums.push(m.action.map_or(-1.0, f64::from));
        }
    }

    #[cfg(feature = "realtime")]
    /// Packs ACKed publishes for `js/publishes.js`: per publish its id, the number of serials,
    /// then each serial's `start, end` (−1 for null).
    pub(super) fn pack_acks(&mut self, acks: &[(PublishId, PublishResult)]) {
        self.clear();
        for (id, r) in acks {
            self.nums.push(id.0 as f64);
            self.nums.push(r.serials.len() as f64);
            for s in &r.serials {
                self.push_str(s.as_deref());
            }
        }
    }
}
