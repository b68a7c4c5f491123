//! One browser leg, sans-IO: ICE, DTLS and SRTP (str0m) towards the browser, plain G.711 RTP in
//! 20 ms packets towards the call, Opus transcoded in between.
//!
//! Invariants:
//! - every packet the call receives carries one 20 ms frame; its timestamp counts the call's
//!   8 kHz clock from the browser's own RTP timeline, and its sequence number follows from that
//!   timestamp, so a packet the browser lost is a gap the call's jitter buffer sees;
//! - a short gap in the browser's stream is concealed by the Opus decoder rather than left
//!   silent; a late or repeated packet is dropped;
//! - what the call sends is written to the browser on the call's own timeline (48 kHz ticks),
//!   whatever the browser does;
//! - nothing here reads a clock or touches a socket: time comes in with every input.

use super::WebRtcError;
use crate::media::Codec;
use crate::media::opus_voice::{FRAME_SAMPLES, OpusVoice, RTP_TICKS_PER_FRAME};
use crate::media::rtp_packet::RtpPacket;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use str0m::change::SdpOffer;
use str0m::crypto::CryptoProvider;
use str0m::format::Codec as WireCodec;
use str0m::media::{Frequency, MediaData, MediaKind, MediaTime, Mid, Pt};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};

/// The longest gap (in frames) the decoder conceals; a longer one is left to the call.
const MAXIMUM_CONCEALED_FRAMES: u64 = 5;
/// Ticks of the Opus clock per tick of the call's clock.
const TICKS_PER_CALL_TICK: u64 = 6;

/// What the leg produced, in order.
#[derive(Debug, PartialEq, Eq)]
pub enum LegOutput {
    /// A datagram for the browser, sent from the leg's ICE socket.
    Network {
        /// Where it goes.
        destination: SocketAddr,
        /// What it holds (STUN, DTLS or SRTP).
        contents: Vec<u8>,
    },
    /// A plain RTP datagram for the call.
    Call(Vec<u8>),
    /// DTLS completed: media can flow both ways.
    Connected,
    /// The browser is gone: ICE disconnected, or the session failed.
    Closed(String),
}

/// The shared parts of every leg: the crypto provider and one DTLS certificate, generated once.
#[derive(Clone)]
pub struct LegFactory {
    crypto: Arc<CryptoProvider>,
    certificate: str0m::config::DtlsCert,
}

impl LegFactory {
    /// Loads the crypto provider and generates the DTLS certificate.
    pub fn new() -> Result<LegFactory, WebRtcError> {
        let crypto = str0m::crypto::from_feature_flags();
        let certificate = crypto
            .dtls_provider
            .generate_certificate()
            .ok_or_else(|| WebRtcError::Certificate("no certificate was generated".to_string()))?;
        Ok(LegFactory {
            crypto: Arc::new(crypto),
            certificate,
        })
    }

    /// Answers a browser's offer with a leg whose only candidate is `local` (the leg's socket).
    /// Returns the leg and the SDP answer.
    pub fn accept(
        &self,
        offer: &str,
        local: SocketAddr,
        call_codec: Codec,
        now: Instant,
    ) -> Result<(BrowserLeg, String), WebRtcError> {
        let offer = SdpOffer::from_sdp_string(offer)
            .map_err(|error| WebRtcError::Offer(error.to_string()))?;
        let mut rtc = RtcConfig::new()
            .set_crypto_provider(self.crypto.clone())
            .set_dtls_cert(self.certificate.clone())
            .clear_codecs()
            .enable_opus(true, false)
            .build(now);
        let candidate = Candidate::host(local, "udp")
            .map_err(|error| WebRtcError::Candidate(error.to_string()))?;
        rtc.add_local_candidate(candidate);
        let answer = rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|error| WebRtcError::Offer(error.to_string()))?;
        let voice = OpusVoice::new().map_err(|error| WebRtcError::Opus(error.to_string()))?;
        let mut leg = BrowserLeg {
            rtc,
            voice,
            call_codec,
            audio: None,
            ssrc: rand::random(),
            first_sequence: rand::random(),
            from_browser: None,
            from_call: None,
            decoded: Vec::with_capacity(FRAME_SAMPLES),
            outputs: VecDeque::new(),
            timeout: now,
            closed: false,
        };
        leg.drive();
        Ok((leg, answer.to_sdp_string()))
    }
}

/// The negotiated audio stream.
#[derive(Debug, Clone, Copy)]
struct Audio {
    mid: Mid,
    opus: Pt,
}

/// Where the browser's timeline stands.
#[derive(Debug, Clone, Copy)]
struct BrowserTimeline {
    /// The browser's (extended) RTP time of its first packet.
    first: u64,
    /// The time the next packet should carry.
    next: u64,
}

/// One browser's call leg.
pub struct BrowserLeg {
    rtc: Rtc,
    voice: OpusVoice,
    call_codec: Codec,
    audio: Option<Audio>,
    ssrc: u32,
    first_sequence: u16,
    from_browser: Option<BrowserTimeline>,
    /// The call's first RTP timestamp: the origin of what is written to the browser.
    from_call: Option<u32>,
    decoded: Vec<i16>,
    outputs: VecDeque<LegOutput>,
    timeout: Instant,
    closed: bool,
}

impl BrowserLeg {
    /// A trickled candidate of the browser (`candidate:...`, with or without `a=`).
    pub fn add_remote_candidate(&mut self, candidate: &str) -> Result<(), WebRtcError> {
        let text = candidate.trim().trim_start_matches("a=");
        if text.is_empty() {
            // The end-of-candidates marker.
            return Ok(());
        }
        let candidate = Candidate::from_sdp_string(text)
            .map_err(|error| WebRtcError::Candidate(error.to_string()))?;
        self.rtc.add_remote_candidate(candidate);
        self.drive();
        Ok(())
    }

    /// A datagram arrived on the leg's socket.
    pub fn handle_network(
        &mut self,
        now: Instant,
        source: SocketAddr,
        destination: SocketAddr,
        contents: &[u8],
    ) -> Result<(), WebRtcError> {
        let contents = contents
            .try_into()
            .map_err(|_| WebRtcError::Datagram("neither STUN, DTLS nor RTP".to_string()))?;
        let input = Input::Receive(
            now,
            Receive {
                proto: Protocol::Udp,
                source,
                destination,
                contents,
            },
        );
        let handled = self.rtc.handle_input(input);
        self.drive();
        handled.map_err(|error| WebRtcError::Datagram(error.to_string()))
    }

    /// Time passed.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Err(error) = self.rtc.handle_input(Input::Timeout(now)) {
            self.close(error.to_string());
        }
        self.drive();
    }

    /// A plain RTP datagram from the call: its audio goes to the browser as Opus. Anything else
    /// the call sends (RTCP, telephone events) stays on the call's side.
    pub fn handle_call_rtp(&mut self, now: Instant, datagram: &[u8]) -> Result<(), WebRtcError> {
        let packet =
            RtpPacket::parse(datagram).map_err(|error| WebRtcError::Datagram(error.to_string()))?;
        if packet.payload_type != self.call_codec.payload_type() {
            return Ok(());
        }
        let Some(audio) = self.audio else {
            return Ok(());
        };
        let first = *self.from_call.get_or_insert(packet.timestamp);
        let ticks = u64::from(packet.timestamp.wrapping_sub(first)) * TICKS_PER_CALL_TICK;
        self.decoded.clear();
        self.call_codec.decode(packet.payload, &mut self.decoded);
        self.decoded.resize(FRAME_SAMPLES, 0);
        let encoded = self
            .voice
            .encode(&self.decoded)
            .map_err(|error| WebRtcError::Opus(error.to_string()))?;
        let time = MediaTime::new(ticks, Frequency::FORTY_EIGHT_KHZ);
        if let Some(writer) = self.rtc.writer(audio.mid) {
            writer
                .write(audio.opus, now, time, encoded)
                .map_err(|error| WebRtcError::Datagram(error.to_string()))?;
        }
        self.drive();
        Ok(())
    }

    /// When [`BrowserLeg::handle_timeout`] is next due; `None` once the leg is over.
    pub fn poll_timeout(&self) -> Option<Instant> {
        (!self.closed).then_some(self.timeout)
    }

    /// The next output, in order.
    pub fn poll_output(&mut self) -> Option<LegOutput> {
        self.outputs.pop_front()
    }

    /// Whether the leg is over.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Ends the session (the browser hears nothing more).
    pub fn disconnect(&mut self) {
        self.rtc.disconnect();
        self.closed = true;
    }

    fn close(&mut self, why: String) {
        if !self.closed {
            self.closed = true;
            self.outputs.push_back(LegOutput::Closed(why));
        }
    }

    /// Runs str0m until it only has a timeout to report.
    fn drive(&mut self) {
        while !self.closed {
            match self.rtc.poll_output() {
                Ok(Output::Timeout(at)) => {
                    self.timeout = at;
                    break;
                }
                Ok(output) => self.handle_output(output),
                Err(error) => self.close(error.to_string()),
            }
        }
    }

    fn handle_output(&mut self, output: Output) {
        match output {
            Output::Timeout(_) => {}
            Output::Transmit(transmit) => self.outputs.push_back(LegOutput::Network {
                destination: transmit.destination,
                contents: transmit.contents.to_vec(),
            }),
            Output::Event(event) => self.handle_event(event),
        }
    }

    fn handle_event(&mut self, event: Event) {
        match event {
            Event::Connected => self.outputs.push_back(LegOutput::Connected),
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                self.close("the browser's connection was lost".to_string())
            }
            Event::MediaAdded(added) if added.kind == MediaKind::Audio && self.audio.is_none() => {
                let opus = self.rtc.writer(added.mid).and_then(|writer| {
                    writer
                        .payload_params()
                        .find(|params| params.spec().codec == WireCodec::Opus)
                        .map(|params| params.pt())
                });
                match opus {
                    Some(opus) => {
                        self.audio = Some(Audio {
                            mid: added.mid,
                            opus,
                        })
                    }
                    None => self.close("the browser offered no Opus audio".to_string()),
                }
            }
            Event::MediaData(data) => self.receive_browser_audio(&data),
            _ => {}
        }
    }

    /// Turns a browser packet into 20 ms call packets, concealing a short gap before it.
    fn receive_browser_audio(&mut self, data: &MediaData) {
        if self.audio.is_none_or(|audio| audio.mid != data.mid) {
            return;
        }
        let time = data.time.rebase(Frequency::FORTY_EIGHT_KHZ).numer();
        let timeline = *self.from_browser.get_or_insert(BrowserTimeline {
            first: time,
            next: time,
        });
        if time < timeline.next {
            return;
        }
        let tick = u64::from(RTP_TICKS_PER_FRAME);
        let missing = (time - timeline.next) / tick;
        if (1..=MAXIMUM_CONCEALED_FRAMES).contains(&missing) {
            for frame in 0..missing {
                let concealed = self.voice.conceal();
                self.queue_for_call(timeline.next + frame * tick - timeline.first, &concealed);
            }
        }
        let samples = self.voice.decode(&data.data);
        let frames = (samples.len() / FRAME_SAMPLES) as u64;
        for (index, frame) in samples.chunks_exact(FRAME_SAMPLES).enumerate() {
            self.queue_for_call(time + index as u64 * tick - timeline.first, frame);
        }
        self.from_browser = Some(BrowserTimeline {
            first: timeline.first,
            next: time + frames * tick,
        });
    }

    /// Queues one frame for the call, `offset` Opus ticks into the browser's stream.
    fn queue_for_call(&mut self, offset: u64, frame: &[i16]) {
        let call_ticks = offset / TICKS_PER_CALL_TICK;
        let frame_number = offset / u64::from(RTP_TICKS_PER_FRAME);
        let mut payload = Vec::with_capacity(FRAME_SAMPLES);
        self.call_codec.encode(frame, &mut payload);
        let packet = RtpPacket {
            marker: frame_number == 0,
            payload_type: self.call_codec.payload_type(),
            // Both wrap by design: RTP's fields are modular.
            sequence_number: self.first_sequence.wrapping_add(frame_number as u16),
            timestamp: call_ticks as u32,
            ssrc: self.ssrc,
            payload: &payload,
        };
        self.outputs.push_back(LegOutput::Call(packet.to_bytes()));
    }
}
