//! Publishes queued or awaiting ACK/NACK, keyed by `msgSerial` (RTN7, RTN19a; ably-js
//! `protocol.ts`/`messagequeue.ts`). Bounded by `max_pending`.

use std::collections::VecDeque;

use crate::error::Error;
use crate::io::{Event, PublishId};
use crate::protocol::{ErrorInfo, ProtocolMessage, PublishResult};

#[derive(Debug)]
struct Pending {
    id: PublishId,
    /// The frame; `msg_serial` is `Some` once it has been sent on a transport.
    pm: ProtocolMessage,
}

/// Queue in send order: sent items (with contiguous serials) first, then queued ones.
#[derive(Debug)]
pub(crate) struct PendingQueue {
    items: VecDeque<Pending>,
    max: usize,
    /// How many items at the front have a serial: the rest are unsent. Keeps assigning serials
    /// O(1) per publish instead of a scan of the whole queue (quadratic in pipeline depth).
    sent: usize,
    /// Next `msgSerial` to assign (RTN7b): starts at 0 per connection.
    next_serial: u64,
}

impl PendingQueue {
    pub(crate) fn new(max: usize) -> Self {
        PendingQueue {
            items: VecDeque::new(),
            max,
            sent: 0,
            next_serial: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Queues a publish without a serial (not yet sent).
    pub(crate) fn push(&mut self, id: PublishId, pm: ProtocolMessage) -> Result<(), Error> {
        if self.items.len() >= self.max {
            return Err(Error::queue_full("pending publishes", self.max));
        }
        self.items.push_back(Pending { id, pm });
        Ok(())
    }

    /// Gives every unsent publish the next serial (RTN7b); returns the serials to send, in order.
    pub(crate) fn assign_serials(&mut self, out: &mut impl FnMut(u64)) {
        for p in self.items.range_mut(self.sent..) {
            p.pm.msg_serial = Some(self.next_serial);
            out(self.next_serial);
            self.next_serial += 1;
        }
        self.sent = self.items.len();
    }

    /// After a successful resume (RTN15c6): every publish is sent again, sent ones keeping their
    /// serials, queued ones taking new ones.
    pub(crate) fn resend_all(&mut self, out: &mut impl FnMut(u64)) {
        for p in self.items.range(..self.sent) {
            if let Some(s) = p.pm.msg_serial {
                out(s);
            }
        }
        self.assign_serials(out);
    }

    /// New connection (first connect or failed resume, RTN15c7/RTN19a2): serials restart at
    /// `start` (0, or the recovery key's `msgSerial` after a recovery, RTN16f) and every publish
    /// is renumbered and sent again.
    pub(crate) fn renumber_all(&mut self, start: u64, out: &mut impl FnMut(u64)) {
        self.next_serial = start;
        for p in &mut self.items {
            p.pm.msg_serial = None;
        }
        self.sent = 0;
        self.assign_serials(out);
    }

    /// The `msgSerial` the next publish will take (for the recovery key, RTN16g1).
    pub(crate) fn next_serial(&self) -> u64 {
        self.next_serial
    }

    /// Forget serials on a terminal state; the next connection starts at 0 (RTN8c).
    pub(crate) fn reset(&mut self) {
        self.next_serial = 0;
    }

    /// The frame for a serial still pending.
    pub(crate) fn get(&self, serial: u64) -> Option<&ProtocolMessage> {
        // Sent items have contiguous serials from the front.
        let first = self.items.front()?.pm.msg_serial?;
        let i = usize::try_from(serial.checked_sub(first)?).ok()?;
        self.items
            .get(i)
            .map(|p| &p.pm)
            .filter(|pm| pm.msg_serial == Some(serial))
    }

    /// ACK/NACK (RTN7a): completes every sent publish from the head up to `serial + count - 1`;
    /// earlier ones are implicitly covered. `res[i]` belongs to serial `serial + i`.
    /// Returns how many completed (0 = nothing pending matched: the peer's mistake, ignored).
    pub(crate) fn complete(
        &mut self,
        serial: u64,
        count: u32,
        outcome: Result<Option<Vec<PublishResult>>, ErrorInfo>,
        events: &mut VecDeque<Event>,
    ) -> usize {
        let end = serial.saturating_add(u64::from(count));
        let mut res = match &outcome {
            Ok(Some(r)) => r.iter(),
            _ => [].iter(),
        };
        let mut done = 0;
        while let Some(s) = self.items.front().and_then(|p| p.pm.msg_serial) {
            if s >= end {
                break;
            }
            let Some(p) = self.items.pop_front() else {
                break;
            };
            self.sent = self.sent.saturating_sub(1);
            let result = match &outcome {
                Ok(_) if s >= serial => Ok(res.next().cloned().unwrap_or_default()),
                Ok(_) => Ok(PublishResult::default()),
                Err(e) => Err(e.clone()),
            };
            events.push_back(Event::Published { id: p.id, result });
            done += 1;
        }
        done
    }

    /// Fails everything (RTN7e: suspended, closed, failed).
    pub(crate) fn fail_all(&mut self, err: &ErrorInfo, events: &mut VecDeque<Event>) {
        self.sent = 0;
        for p in self.items.drain(..) {
            events.push_back(Event::Published {
                id: p.id,
                result: Err(err.clone()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;

    fn serials(f: impl FnOnce(&mut dyn FnMut(u64))) -> Vec<u64> {
        let mut v = Vec::new();
        f(&mut |s| v.push(s));
        v
    }

    // RTN7b: serials are assigned once, in order, only to publishes not yet sent, across
    // completions, resumes (RTN15c6) and new connections (RTN15c7).
    #[test]
    fn rtn7b_serials_go_to_unsent_publishes_only() {
        let mut q = PendingQueue::new(10);
        let push =
            |q: &mut PendingQueue, id| q.push(PublishId(id), ProtocolMessage::new(Action::Message));
        push(&mut q, 0).unwrap();
        push(&mut q, 1).unwrap();
        assert_eq!(serials(|out| q.assign_serials(&mut |s| out(s))), [0, 1]);
        push(&mut q, 2).unwrap();
        assert_eq!(serials(|out| q.assign_serials(&mut |s| out(s))), [2]);
        assert_eq!(
            serials(|out| q.assign_serials(&mut |s| out(s))),
            [] as [u64; 0]
        );
        let mut events = VecDeque::new();
        assert_eq!(q.complete(0, 1, Ok(None), &mut events), 1);
        push(&mut q, 3).unwrap(); // queued while disconnected
        assert_eq!(serials(|out| q.resend_all(&mut |s| out(s))), [1, 2, 3]);
        assert_eq!(serials(|out| q.renumber_all(0, &mut |s| out(s))), [0, 1, 2]);
        assert_eq!(q.complete(0, 3, Ok(None), &mut events), 3);
        assert_eq!(q.len(), 0);
        push(&mut q, 4).unwrap();
        assert_eq!(serials(|out| q.assign_serials(&mut |s| out(s))), [3]);
        q.fail_all(&ErrorInfo::failed(), &mut events);
        push(&mut q, 5).unwrap();
        assert_eq!(serials(|out| q.assign_serials(&mut |s| out(s))), [4]);
    }
}
