//! Symmetric RTP/RTCP destination latching for peers behind NAT.
//!
//! Invariants: the first valid packet latches the destination to its source; after that, the
//! destination only moves when [`RELATCH_THRESHOLD`] consecutive valid packets arrive from the
//! same new source, so a single stray packet can never hijack the stream.

use std::net::SocketAddr;

/// Consecutive packets from a new source needed to move an established latch.
pub const RELATCH_THRESHOLD: u32 = 3;

/// Tracks where to send media, learning it from where media comes from.
#[derive(Debug, Clone)]
pub struct Latch {
    destination: SocketAddr,
    latched: bool,
    candidate: Option<(SocketAddr, u32)>,
}

/// What a [`Latch`] decided about one packet's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatchDecision {
    /// The source is the current destination.
    Current,
    /// The destination moved to this source.
    Moved,
    /// The source differs from the destination and is only a candidate so far.
    Stray,
}

impl Latch {
    /// Starts unlatched, sending to the signalled address.
    pub fn new(signalled: SocketAddr) -> Self {
        Latch {
            destination: signalled,
            latched: false,
            candidate: None,
        }
    }

    /// Where packets should currently be sent.
    pub fn destination(&self) -> SocketAddr {
        self.destination
    }

    /// Records the source of one valid inbound packet.
    pub fn observe(&mut self, source: SocketAddr) -> LatchDecision {
        if source == self.destination {
            self.latched = true;
            self.candidate = None;
            return LatchDecision::Current;
        }
        let count = match self.candidate {
            Some((candidate, count)) if candidate == source => count + 1,
            _ => 1,
        };
        if !self.latched || count >= RELATCH_THRESHOLD {
            self.destination = source;
            self.latched = true;
            self.candidate = None;
            return LatchDecision::Moved;
        }
        self.candidate = Some((source, count));
        LatchDecision::Stray
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(port: u16) -> SocketAddr {
        SocketAddr::from(([192, 0, 2, 1], port))
    }

    #[test]
    fn first_packet_latches_and_strays_need_three_in_a_row() {
        let mut latch = Latch::new(address(4000));
        assert_eq!(latch.observe(address(5000)), LatchDecision::Moved);
        assert_eq!(latch.destination(), address(5000));
        assert_eq!(latch.observe(address(6000)), LatchDecision::Stray);
        assert_eq!(latch.observe(address(5000)), LatchDecision::Current);
        assert_eq!(latch.observe(address(6000)), LatchDecision::Stray);
        assert_eq!(latch.observe(address(6000)), LatchDecision::Stray);
        assert_eq!(latch.observe(address(6000)), LatchDecision::Moved);
        assert_eq!(latch.destination(), address(6000));
    }

    #[test]
    fn packets_from_signalled_address_confirm_it() {
        let mut latch = Latch::new(address(4000));
        assert_eq!(latch.observe(address(4000)), LatchDecision::Current);
        assert_eq!(latch.observe(address(4001)), LatchDecision::Stray);
        assert_eq!(latch.destination(), address(4000));
    }
}
