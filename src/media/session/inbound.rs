//! Inbound half of [`MediaSession`]: validating RTP and RTCP datagrams, symmetric latching,
//! feeding the jitter buffer and the DTMF receiver.
//!
//! Invariants: a datagram that fails validation changes nothing but the invalid-packet counters;
//! a valid RTP packet from a source that is not (yet) the latched peer only advances the latch.
//! Valid RTCP is recorded from any source; its source only moves the RTCP destination under the
//! same latching rule.

use std::net::SocketAddr;
use std::time::Instant;

use tracing::debug;

use super::{InboundFrame, MediaEvent, MediaSession};
use crate::media::MediaError;
use crate::media::dtmf::TelephoneEvent;
use crate::media::jitter::InsertOutcome;
use crate::media::latch::LatchDecision;
use crate::media::rtp_packet::RtpPacket;

/// Static payload type of RFC 3389 comfort noise, accepted and ignored.
const COMFORT_NOISE_PAYLOAD_TYPE: u8 = 13;

/// What a validated RTP packet carries.
enum InboundKind {
    Audio,
    TelephoneEvent(TelephoneEvent),
}

impl MediaSession {
    /// Processes one datagram received on the RTP socket from `source`.
    pub fn handle_rtp(
        &mut self,
        now: Instant,
        source: SocketAddr,
        datagram: &[u8],
    ) -> Result<(), MediaError> {
        let (packet, kind) = match self.validate_rtp(datagram) {
            Ok(Some(valid)) => valid,
            Ok(None) => return Ok(()),
            Err(error) => {
                self.counters.invalid_packets += 1;
                return Err(error);
            }
        };
        match self.rtp_latch.observe(source) {
            LatchDecision::Current => {}
            LatchDecision::Moved => {
                debug!(%source, "RTP destination latched");
                self.events
                    .push_back(MediaEvent::RemoteLatched { address: source });
            }
            LatchDecision::Stray => {
                self.counters.discarded_from_stray_source += 1;
                return Ok(());
            }
        }
        self.last_received_at = Some(now);
        self.counters.packets_received += 1;
        self.counters.octets_received += packet.payload.len() as u64;
        self.rtcp
            .reception
            .record(now, packet.ssrc, packet.sequence_number, packet.timestamp);

        let frame = match kind {
            InboundKind::TelephoneEvent(event) => {
                if let Some(digit) = self.dtmf_receiver.receive(&event, packet.timestamp) {
                    self.counters.dtmf_events_received += 1;
                    self.events.push_back(MediaEvent::Dtmf { digit });
                }
                InboundFrame::TelephoneEvent
            }
            InboundKind::Audio => InboundFrame::Audio {
                codec: self.codec,
                payload: packet.payload.to_vec(),
            },
        };
        let outcome = self.jitter.insert(
            now,
            packet.ssrc,
            packet.sequence_number,
            packet.timestamp,
            frame,
        );
        if outcome == InsertOutcome::Resynchronised {
            debug!(ssrc = packet.ssrc, "inbound RTP stream restarted");
        }
        Ok(())
    }

    /// Parses a datagram and classifies it by negotiated payload type; `None` for comfort noise,
    /// which is accepted and ignored.
    fn validate_rtp<'a>(
        &self,
        datagram: &'a [u8],
    ) -> Result<Option<(RtpPacket<'a>, InboundKind)>, MediaError> {
        let packet = RtpPacket::parse(datagram)?;
        let kind = if packet.payload_type == self.payload_type {
            InboundKind::Audio
        } else if Some(packet.payload_type) == self.telephone_event_payload_type {
            InboundKind::TelephoneEvent(TelephoneEvent::parse(packet.payload)?)
        } else if packet.payload_type == COMFORT_NOISE_PAYLOAD_TYPE {
            return Ok(None);
        } else {
            return Err(MediaError::UnexpectedPayloadType {
                payload_type: packet.payload_type,
            });
        };
        Ok(Some((packet, kind)))
    }

    /// Processes one datagram received on the RTCP socket from `source`.
    pub fn handle_rtcp(
        &mut self,
        now: Instant,
        source: SocketAddr,
        datagram: &[u8],
    ) -> Result<(), MediaError> {
        if let Err(error) = self.rtcp.handle_incoming(now, datagram) {
            self.counters.invalid_rtcp_packets += 1;
            return Err(error);
        }
        if self.rtcp_latch.observe(source) == LatchDecision::Moved {
            debug!(%source, "RTCP destination latched");
        }
        Ok(())
    }
}
