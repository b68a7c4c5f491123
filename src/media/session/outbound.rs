//! Outbound half of [`MediaSession`]: the 20 ms tick (one RTP packet out, one jitter frame in,
//! one frame pair) and periodic RTCP reports.
//!
//! Invariants: the RTP timestamp of tick `n` is `initial + 160 × n`; sequence numbers increase by
//! one per packet actually sent; the marker bit is set on the first packet after not sending
//! (start, hold or skipped ticks) and on the first audio packet after silence (telephone-event
//! packets carry their own marker).

use std::time::Instant;

use tracing::warn;

use super::{
    FramePair, InboundFrame, MAXIMUM_QUEUED_FRAMES, MediaEvent, MediaSession, TickContent,
};
use super::{Transmit, TransmitKind};
use crate::media::playback::PlaybackFrame;
use crate::media::rtp_packet::RtpPacket;
use crate::media::{FRAME_SAMPLES, SAMPLE_RATE};

impl MediaSession {
    /// Does all work due at `now`: every due 20 ms tick, then an RTCP report if one is due.
    pub fn handle_timeout(&mut self, now: Instant) {
        let processed = u64::from(self.pacer.take_due(now));
        let skipped = u64::from(self.pacer.take_skipped());
        let end = self.pacer.next_tick();
        let first = end - processed - skipped;
        for index in first..end {
            self.tick(index, index >= end - processed);
        }
        if now >= self.next_rtcp {
            self.send_report(now);
            self.next_rtcp += self.rtcp_interval;
            if self.next_rtcp <= now {
                self.next_rtcp = now + self.rtcp_interval;
            }
        }
    }

    /// RTP timestamp of tick `index`.
    fn tick_timestamp(&self, index: u64) -> u32 {
        let samples = index.wrapping_mul(FRAME_SAMPLES as u64) as u32;
        self.initial_timestamp.wrapping_add(samples)
    }

    /// One 20 ms tick; a skipped tick sends nothing but still yields a frame pair.
    fn tick(&mut self, index: u64, processed: bool) {
        let mut sent = [0; FRAME_SAMPLES];
        self.previous_content = if processed && self.direction.sends() {
            self.send_packet(index, &mut sent)
        } else {
            // Live audio for a tick that sends nothing is gone, not delayed.
            for queue in &mut self.relayed {
                queue.pop_front();
            }
            TickContent::Nothing
        };
        let received = self.receive_frame();
        if self.frames.len() >= MAXIMUM_QUEUED_FRAMES {
            self.frames.pop_front();
            self.counters.frames_dropped += 1;
        }
        self.frames.push_back(FramePair { received, sent });
    }

    /// Sends this tick's packet: pending DTMF, else queued audio, else encoded silence.
    fn send_packet(&mut self, index: u64, sent: &mut [i16; FRAME_SAMPLES]) -> TickContent {
        let timestamp = self.tick_timestamp(index);
        if let (Some(sender), Some(payload_type)) = (
            self.outgoing_dtmf.front_mut(),
            self.telephone_event_payload_type,
        ) && let Some(packet) = sender.next_packet()
        {
            let finished = sender.is_finished();
            let event_timestamp = *self.dtmf_timestamp.get_or_insert(timestamp);
            if finished {
                self.outgoing_dtmf.pop_front();
                self.dtmf_timestamp = None;
            }
            let payload = packet.event.to_bytes();
            self.push_rtp(packet.marker, payload_type, event_timestamp, &payload);
            return TickContent::TelephoneEvent;
        }

        let mut content = match self.playback.next_frame(sent) {
            PlaybackFrame::Idle => TickContent::Silence,
            PlaybackFrame::Playing => TickContent::Audio,
            PlaybackFrame::Finished => {
                self.events.push_back(MediaEvent::PlaybackFinished);
                TickContent::Audio
            }
        };
        for queue in &mut self.relayed {
            if let Some(live) = queue.pop_front() {
                for (sample, other) in sent.iter_mut().zip(live) {
                    *sample = sample.saturating_add(other);
                }
                content = TickContent::Audio;
            }
        }
        let marker = self.previous_content == TickContent::Nothing
            || (content == TickContent::Audio && self.previous_content == TickContent::Silence);
        let mut payload = Vec::with_capacity(FRAME_SAMPLES);
        self.codec.encode(sent, &mut payload);
        self.push_rtp(marker, self.payload_type, timestamp, &payload);
        content
    }

    fn push_rtp(&mut self, marker: bool, payload_type: u8, timestamp: u32, payload: &[u8]) {
        let packet = RtpPacket {
            marker,
            payload_type,
            sequence_number: self.next_sequence_number,
            timestamp,
            ssrc: self.ssrc,
            payload,
        };
        self.next_sequence_number = self.next_sequence_number.wrapping_add(1);
        self.rtcp.record_sent(payload.len());
        self.transmits.push_back(Transmit {
            destination: self.rtp_latch.destination(),
            kind: TransmitKind::Rtp,
            payload: packet.to_bytes(),
        });
    }

    /// Pulls and decodes one frame from the jitter buffer; silence when there is none.
    fn receive_frame(&mut self) -> [i16; FRAME_SAMPLES] {
        let mut received = [0; FRAME_SAMPLES];
        if let Some(InboundFrame::Audio { codec, payload }) = self.jitter.pop() {
            self.decoded.clear();
            codec.decode(&payload, &mut self.decoded);
            let count = self.decoded.len().min(FRAME_SAMPLES);
            received[..count].copy_from_slice(&self.decoded[..count]);
        }
        received
    }

    /// Queues a compound RTCP report (SR if we sent RTP since the last report, else RR).
    fn send_report(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.start);
        let samples = (elapsed.as_nanos() * u128::from(SAMPLE_RATE) / 1_000_000_000) as u32;
        let rtp_timestamp = self.initial_timestamp.wrapping_add(samples);
        let sending = self.rtcp.sender.packets > self.packets_sent_at_last_report;
        self.packets_sent_at_last_report = self.rtcp.sender.packets;
        match self.rtcp.build_report(now, rtp_timestamp, sending) {
            Ok(payload) => self.transmits.push_back(Transmit {
                destination: self.rtcp_latch.destination(),
                kind: TransmitKind::Rtcp,
                payload,
            }),
            Err(error) => warn!(%error, "could not build RTCP report"),
        }
    }
}
