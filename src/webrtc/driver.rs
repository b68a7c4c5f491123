//! The async driver of one browser leg: its ICE socket, its call-side socket, the signals from
//! the browser's WebSocket, and the call's hang-ups, pumped through a [`BrowserLeg`].
//!
//! A caller's leg is admitted as a call once its answer is made and answered (the flow starts)
//! when DTLS completes, so the greeting is not spoken into a connection still being set up. An
//! agent's leg waits for the agent to accept or decline the ring. Whichever side ends the leg,
//! the other hears of it exactly once.

use super::gateway::{AdmittedCall, LegSockets, call_audio};
use super::signal::key_of;
use super::{BrowserLeg, CallerSlot, Gateway, LegOutput, Ring};
use crate::dialogue::Flow;
use crate::net::waiting_datagram;
use crate::sip::{CallSession, EndReason, HangUps, OutboundEvent, OutboundSession};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

/// Receive buffer: larger than any datagram a browser sends.
const DATAGRAM_BUFFER: usize = 2048;
/// Signals from the browser waiting for a leg.
const SIGNALS_WAITING: usize = 64;
/// The cadence of a connected leg.
const TICK: Duration = Duration::from_millis(20);
/// How long ICE and DTLS may take before the leg is given up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// What the browser asks of a leg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegSignal {
    /// The agent's offer, accepting the ring.
    Accept(String),
    /// The agent turns the ring down.
    Decline,
    /// A trickled candidate.
    Candidate(String),
    /// A keypad key.
    Key(String),
    /// The browser hangs up (or its WebSocket closed).
    HangUp,
}

/// What a leg tells the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegEvent {
    /// Hotline's SDP answer.
    Answer(String),
    /// The call's reference.
    Reference(String),
    /// Media flows.
    Connected,
    /// The leg is over, and why.
    Ended(String),
}

/// A leg's channels to its WebSocket.
pub struct LegChannels {
    /// The leg's number on its WebSocket.
    pub number: u64,
    /// Signals from the browser.
    pub signals: mpsc::Receiver<LegSignal>,
    /// Events to the browser, with the leg's number.
    pub events: mpsc::Sender<(u64, LegEvent)>,
}

impl LegChannels {
    /// Channels for leg `number` whose events go to `events`, with the sender of its signals.
    pub fn open(
        number: u64,
        events: &mpsc::Sender<(u64, LegEvent)>,
    ) -> (mpsc::Sender<LegSignal>, LegChannels) {
        let (sender, signals) = mpsc::channel(SIGNALS_WAITING);
        let channels = LegChannels {
            number,
            signals,
            events: events.clone(),
        };
        (sender, channels)
    }

    async fn tell(&self, event: LegEvent) {
        // The WebSocket may be gone; the leg still ends properly.
        let _ = self.events.send((self.number, event)).await;
    }
}

/// The call side of a leg.
enum CallSide {
    Caller(Box<dyn CallSession>),
    Agent(Box<dyn OutboundSession>),
}

impl CallSide {
    fn connected(&self, call_side: SocketAddr) {
        match self {
            CallSide::Caller(session) => session.answered(),
            CallSide::Agent(session) => {
                session.event(OutboundEvent::Answered(call_audio(call_side)))
            }
        }
    }

    fn key(&self, key: char) {
        match self {
            CallSide::Caller(session) => session.key_pressed(key),
            CallSide::Agent(session) => session.event(OutboundEvent::Key(key)),
        }
    }

    /// The browser's side ended the leg.
    fn browser_ended(&self, connected: bool, why: &str) {
        match (self, connected) {
            (CallSide::Caller(session), true) => session.ended(EndReason::CallerHangup),
            (CallSide::Caller(session), false) => session.ended(EndReason::Failed(why.to_string())),
            (CallSide::Agent(session), true) => {
                session.event(OutboundEvent::Ended(EndReason::CallerHangup))
            }
            (CallSide::Agent(session), false) => session.event(OutboundEvent::Failed {
                status: 480,
                reason: why.to_string(),
            }),
        }
    }

    /// Hotline's side ended the leg.
    fn hotline_ended(&self) {
        match self {
            CallSide::Caller(session) => session.ended(EndReason::HotlineHangup),
            CallSide::Agent(session) => {
                session.event(OutboundEvent::Ended(EndReason::HotlineHangup))
            }
        }
    }
}

/// Runs a caller's leg from their offer to its end; `slot` counts it against the caller's
/// address until then.
pub async fn caller(
    gateway: Gateway,
    offer: String,
    caller: String,
    trial: Option<Arc<Flow>>,
    slot: CallerSlot,
    mut channels: LegChannels,
) {
    let (leg, answer, sockets) = match gateway.open(&offer) {
        Ok(opened) => opened,
        Err(error) => {
            info!(%error, "browser call refused");
            return channels.tell(LegEvent::Ended(error.to_string())).await;
        }
    };
    let AdmittedCall {
        session,
        call_rtp,
        hangups,
    } = match gateway.admit(&caller, sockets.call_address, trial) {
        Ok(admitted) => admitted,
        Err(error) => {
            info!(%error, "browser call refused");
            return channels.tell(LegEvent::Ended(error.to_string())).await;
        }
    };
    let reference = session.reference();
    info!(call = %reference, browser = %sockets.network_address, "browser call");
    channels.tell(LegEvent::Answer(answer)).await;
    channels.tell(LegEvent::Reference(reference)).await;
    let running = Running {
        leg,
        sockets,
        call_rtp,
        side: CallSide::Caller(session),
        hangups,
        connected: false,
    };
    running.run(&mut channels).await;
    drop(slot);
}

/// Runs an agent's leg from the ring to its end.
pub async fn agent(gateway: Gateway, ring: Ring, mut channels: LegChannels) {
    let Ring {
        call,
        session,
        mut hangups,
    } = ring;
    session.event(OutboundEvent::Ringing);
    let offer = loop {
        tokio::select! {
            signal = channels.signals.recv() => match signal {
                Some(LegSignal::Accept(offer)) => break offer,
                Some(LegSignal::Decline) => {
                    session.event(OutboundEvent::Failed { status: 603, reason: "declined".to_string() });
                    return channels.tell(LegEvent::Ended("declined".to_string())).await;
                }
                Some(LegSignal::HangUp) | None => {
                    session.event(OutboundEvent::Failed { status: 480, reason: "the browser phone went away".to_string() });
                    return channels.tell(LegEvent::Ended("the browser phone went away".to_string())).await;
                }
                Some(LegSignal::Candidate(_) | LegSignal::Key(_)) => {}
            },
            reason = hangups.next() => {
                let reason = reason.unwrap_or_else(|| "the call ended".to_string());
                return channels.tell(LegEvent::Ended(reason)).await;
            }
        }
    };
    let (leg, answer, sockets) = match gateway.open(&offer) {
        Ok(opened) => opened,
        Err(error) => {
            warn!(%error, agent = %call.agent, "browser phone's answer refused");
            session.event(OutboundEvent::Failed {
                status: 488,
                reason: error.to_string(),
            });
            return channels.tell(LegEvent::Ended(error.to_string())).await;
        }
    };
    info!(call = %call.call_id, agent = %call.agent, browser = %sockets.network_address, "browser phone answered");
    channels.tell(LegEvent::Answer(answer)).await;
    let running = Running {
        leg,
        sockets,
        call_rtp: call.bound_rtp,
        side: CallSide::Agent(session),
        hangups,
        connected: false,
    };
    running.run(&mut channels).await;
}

/// A leg with its answer made.
struct Running {
    leg: BrowserLeg,
    sockets: LegSockets,
    call_rtp: SocketAddr,
    side: CallSide,
    hangups: HangUps,
    connected: bool,
}

/// How a running leg ended.
enum Ending {
    Browser(String),
    Hotline(String),
}

impl Running {
    async fn run(mut self, channels: &mut LegChannels) {
        let connect_by = Instant::now() + CONNECT_TIMEOUT;
        let mut network_buffer = vec![0u8; DATAGRAM_BUFFER];
        let mut call_buffer = vec![0u8; DATAGRAM_BUFFER];
        let mut next_tick = Instant::now();
        let ending = loop {
            if let Some(ending) = self.pump(channels).await {
                break ending;
            }
            // Connected, the leg wakes on a 20 ms tick and takes what both sockets hold, rather
            // than once for every datagram and every str0m timer (which, until connected,
            // time ICE and DTLS and so are followed exactly).
            let batching = self.connected;
            let deadline = match (batching, self.leg.poll_timeout()) {
                (_, None) => break Ending::Browser("the connection closed".to_string()),
                (true, Some(_)) => next_tick,
                (false, Some(at)) => at.min(connect_by),
            };
            tokio::select! {
                received = self.sockets.network.recv_from(&mut network_buffer), if !batching => match received {
                    Ok((length, source)) => self.receive_from_browser(Instant::now(), source, &network_buffer[..length]),
                    Err(error) => debug!(%error, "browser leg receive error"),
                },
                received = self.sockets.call.recv_from(&mut call_buffer), if !batching => match received {
                    Ok((length, _)) => self.receive_from_call(Instant::now(), &call_buffer[..length]),
                    Err(error) => debug!(%error, "call side receive error"),
                },
                signal = channels.signals.recv() => match signal {
                    Some(LegSignal::Candidate(candidate)) => {
                        if let Err(error) = self.leg.add_remote_candidate(&candidate) {
                            debug!(%error, "candidate ignored");
                        }
                    }
                    Some(LegSignal::Key(key)) => match key_of(&key) {
                        Some(key) if self.connected => self.side.key(key),
                        _ => debug!(%key, "key ignored"),
                    },
                    Some(LegSignal::Accept(_) | LegSignal::Decline) => {}
                    Some(LegSignal::HangUp) => break Ending::Browser("hung up".to_string()),
                    None => break Ending::Browser("the page closed".to_string()),
                },
                reason = self.hangups.next() => {
                    break Ending::Hotline(reason.unwrap_or_else(|| "the call ended".to_string()));
                }
                _ = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)) => {
                    let now = Instant::now();
                    if !self.connected && now >= connect_by {
                        break Ending::Browser("the browser could not be reached".to_string());
                    }
                    if batching {
                        self.drain(now, &mut network_buffer, &mut call_buffer);
                        next_tick += TICK;
                        if next_tick < now {
                            next_tick = now + TICK;
                        }
                    }
                    self.leg.handle_timeout(now);
                }
            }
        };
        let why = match ending {
            Ending::Browser(why) => {
                info!(%why, "browser leg ended by the browser");
                self.side.browser_ended(self.connected, &why);
                why
            }
            Ending::Hotline(why) => {
                info!(%why, "browser leg ended by Hotline");
                self.side.hotline_ended();
                why
            }
        };
        self.leg.disconnect();
        channels.tell(LegEvent::Ended(why)).await;
    }

    /// Hands the leg every datagram already waiting on its two sockets.
    fn drain(&mut self, now: Instant, network_buffer: &mut [u8], call_buffer: &mut [u8]) {
        while let Some((length, source)) = waiting_datagram(&self.sockets.network, network_buffer) {
            self.receive_from_browser(now, source, &network_buffer[..length]);
        }
        while let Some((length, _)) = waiting_datagram(&self.sockets.call, call_buffer) {
            self.receive_from_call(now, &call_buffer[..length]);
        }
    }

    /// A datagram from the browser.
    fn receive_from_browser(&mut self, now: Instant, source: SocketAddr, datagram: &[u8]) {
        let destination = self.sockets.network_address;
        if let Err(error) = self.leg.handle_network(now, source, destination, datagram) {
            debug!(%error, %source, "browser datagram dropped");
        }
    }

    /// A datagram from the call.
    fn receive_from_call(&mut self, now: Instant, datagram: &[u8]) {
        if let Err(error) = self.leg.handle_call_rtp(now, datagram) {
            debug!(%error, "call datagram dropped");
        }
    }

    /// Sends what the leg produced; an ending when the browser's side closed.
    async fn pump(&mut self, channels: &LegChannels) -> Option<Ending> {
        while let Some(output) = self.leg.poll_output() {
            match output {
                LegOutput::Network {
                    destination,
                    contents,
                } => {
                    if let Err(error) = self.sockets.network.try_send_to(&contents, destination) {
                        debug!(%error, %destination, "send to the browser failed");
                    }
                }
                LegOutput::Call(datagram) => {
                    if let Err(error) = self.sockets.call.try_send_to(&datagram, self.call_rtp) {
                        debug!(%error, "send to the call failed");
                    }
                }
                LegOutput::Connected => {
                    self.connected = true;
                    self.side.connected(self.sockets.call_address);
                    channels.tell(LegEvent::Connected).await;
                }
                LegOutput::Closed(why) => return Some(Ending::Browser(why)),
            }
        }
        None
    }
}
