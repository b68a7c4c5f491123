//! Where browser legs start: their sockets, their answer to the browser's offer, and a caller's
//! admission as a call.

use super::{BrowserLeg, LegFactory, WebRtcError};
use crate::config::Config;
use crate::dialogue::Flow;
use crate::media::Codec;
use crate::net::{PortLease, PortPool, bind_udp};
use crate::sip::sdp::{Direction, NegotiatedAudio};
use crate::sip::{Admission, CallSession, CallSessions, DialogHandle, HangUps, InboundCall};
use dashmap::DashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;
use tokio::net::UdpSocket;

/// The codec on a leg's call side.
pub(super) const CALL_CODEC: Codec = Codec::Pcmu;
/// The telephone-event payload type on a leg's call side.
const CALL_TELEPHONE_EVENT: u8 = 101;

/// The sockets of one leg.
pub(super) struct LegSockets {
    /// ICE, DTLS and SRTP with the browser.
    pub network: UdpSocket,
    /// Its address.
    pub network_address: SocketAddr,
    /// Plain RTP with the call, on loopback.
    pub call: UdpSocket,
    /// Its address: the call's remote RTP address.
    pub call_address: SocketAddr,
    /// The network socket's port, back to the pool when dropped.
    _lease: PortLease,
}

/// A caller's leg, admitted as a call.
pub(super) struct AdmittedCall {
    /// The call's side.
    pub session: Box<dyn CallSession>,
    /// Where the call's RTP socket is.
    pub call_rtp: SocketAddr,
    /// The call's hang-ups.
    pub hangups: HangUps,
}

struct Inner {
    /// Browser calls in progress, by the caller's address.
    callers: DashMap<IpAddr, usize>,
    calls_per_address: usize,
    factory: LegFactory,
    address: IpAddr,
    ports: PortPool,
    calls: Arc<dyn CallSessions>,
    number: Option<String>,
}

/// Starts browser legs.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

impl Gateway {
    /// A gateway whose legs bind `[webrtc] address` (else `http_address`) and whose callers'
    /// calls are admitted by `calls`.
    pub fn new(
        config: &Config,
        http_address: IpAddr,
        calls: Arc<dyn CallSessions>,
    ) -> Result<Gateway, WebRtcError> {
        let address = config.webrtc.address.unwrap_or(http_address);
        if address.is_unspecified() {
            return Err(WebRtcError::Socket(format!(
                "{address} cannot be offered to browsers: set [webrtc] address"
            )));
        }
        Ok(Gateway {
            inner: Arc::new(Inner {
                callers: DashMap::new(),
                calls_per_address: config.webrtc.calls_per_address,
                factory: LegFactory::new()?,
                address,
                ports: PortPool::new(config.webrtc.port_first, config.webrtc.port_last),
                calls,
                number: config.browser_number().map(str::to_string),
            }),
        })
    }

    /// Counts a browser call from `address`; refused when the address already has
    /// `[webrtc] calls_per_address` calls. The call stops counting when the slot is dropped.
    pub fn caller_slot(&self, address: IpAddr) -> Result<CallerSlot, WebRtcError> {
        let mut calls = self.inner.callers.entry(address).or_default();
        if *calls >= self.inner.calls_per_address {
            return Err(WebRtcError::Refused {
                status: 486,
                reason: format!("{address} already has {} calls", *calls),
            });
        }
        *calls += 1;
        Ok(CallerSlot {
            gateway: self.clone(),
            address,
        })
    }

    /// The address legs offer to browsers.
    pub fn address(&self) -> IpAddr {
        self.inner.address
    }

    /// Binds a leg's sockets and answers the browser's offer.
    pub(super) fn open(
        &self,
        offer: &str,
    ) -> Result<(BrowserLeg, String, LegSockets), WebRtcError> {
        let sockets = self.bind()?;
        let (leg, answer) = self.inner.factory.accept(
            offer,
            sockets.network_address,
            CALL_CODEC,
            Instant::now(),
        )?;
        Ok((leg, answer, sockets))
    }

    fn bind(&self) -> Result<LegSockets, WebRtcError> {
        let socket_error = |error: crate::net::NetError| WebRtcError::Socket(error.to_string());
        let call =
            bind_udp(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0)).map_err(socket_error)?;
        let call_address = call
            .local_addr()
            .map_err(|error| WebRtcError::Socket(error.to_string()))?;
        let address = self.inner.address;
        let ((network, network_address), lease) = self
            .inner
            .ports
            .bind_first(|port| {
                let network_address = SocketAddr::new(address, port);
                Ok((bind_udp(network_address)?, network_address))
            })
            .map_err(socket_error)?;
        Ok(LegSockets {
            network,
            network_address,
            call,
            call_address,
            _lease: lease,
        })
    }

    /// Admits a caller's leg as a call to the "call us" number, its media at `call_side`.
    pub(super) fn admit(
        &self,
        caller: &str,
        call_side: SocketAddr,
        trial: Option<Arc<Flow>>,
    ) -> Result<AdmittedCall, WebRtcError> {
        let Some(number) = self.inner.number.clone() else {
            return Err(WebRtcError::Refused {
                status: 404,
                reason: "no number takes browser calls: add a [[routes]] entry".to_string(),
            });
        };
        let call = InboundCall {
            dialled_number: number,
            caller: caller.to_string(),
            sip_call_id: uuid::Uuid::new_v4().to_string(),
            transport: "WebRTC".to_string(),
            audio: call_audio(call_side),
            trial,
        };
        let (dialog, hangups) = DialogHandle::detached();
        match self.inner.calls.admit(call, dialog) {
            Admission::Accepted {
                session, bound_rtp, ..
            } => Ok(AdmittedCall {
                session,
                call_rtp: bound_rtp,
                hangups,
            }),
            Admission::Rejected { status, reason } => Err(WebRtcError::Refused { status, reason }),
        }
    }
}

/// A browser call counted against its caller's address.
pub struct CallerSlot {
    gateway: Gateway,
    address: IpAddr,
}

impl Drop for CallerSlot {
    fn drop(&mut self) {
        self.gateway
            .inner
            .callers
            .remove_if_mut(&self.address, |_, calls| {
                *calls -= 1;
                *calls == 0
            });
    }
}

/// The stream a call sees on a leg's call side at `address`.
pub(super) fn call_audio(address: SocketAddr) -> NegotiatedAudio {
    NegotiatedAudio {
        codec: CALL_CODEC.name().to_string(),
        payload_type: CALL_CODEC.payload_type(),
        telephone_event_payload_type: Some(CALL_TELEPHONE_EVENT),
        remote_rtp: address,
        remote_rtcp: address,
        direction: Direction::SendReceive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Call admission that refuses, as a server shutting down does.
    struct ShuttingDown;

    impl CallSessions for ShuttingDown {
        fn admit(&self, _: InboundCall, _: DialogHandle) -> Admission {
            Admission::Rejected {
                status: 503,
                reason: "shutting down".to_string(),
            }
        }
    }

    fn config(extra: &str) -> Config {
        let text = format!(
            "{}[[routes]]\nnumber = \"1000\"\nflow = \"main\"\n{extra}",
            crate::config::minimal_config!()
        );
        Config::parse(Path::new("hotline.toml"), &text).expect("config")
    }

    fn gateway(extra: &str) -> Result<Gateway, WebRtcError> {
        Gateway::new(
            &config(extra),
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            Arc::new(ShuttingDown),
        )
    }

    #[test]
    fn each_address_has_a_limited_number_of_calls() {
        let gateway = gateway("[webrtc]\ncalls_per_address = 2\n").expect("gateway");
        let first: IpAddr = "192.0.2.1".parse().expect("address");
        let second: IpAddr = "192.0.2.2".parse().expect("address");
        let one = gateway.caller_slot(first).expect("first call");
        let two = gateway.caller_slot(first).expect("second call");
        assert!(matches!(
            gateway.caller_slot(first),
            Err(WebRtcError::Refused { status: 486, .. })
        ));
        let other = gateway.caller_slot(second).expect("another address");
        drop(one);
        let three = gateway.caller_slot(first).expect("a call ended");
        drop((two, three, other));
        assert!(gateway.inner.callers.is_empty());
    }

    #[tokio::test]
    async fn a_refused_admission_is_an_error_and_an_unspecified_address_is_refused() {
        let gateway = gateway("").expect("gateway");
        assert_eq!(gateway.address(), IpAddr::V4(Ipv4Addr::LOCALHOST));
        let refused = gateway
            .admit(
                "web-192.0.2.1",
                "127.0.0.1:9".parse().expect("address"),
                None,
            )
            .err()
            .expect("refused");
        assert!(
            matches!(&refused, WebRtcError::Refused { status: 503, reason } if reason == "shutting down"),
            "{refused}"
        );
        let unspecified = Gateway::new(
            &config(""),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Arc::new(ShuttingDown),
        );
        assert!(matches!(unspecified, Err(WebRtcError::Socket(_))));
        assert!(gateway.open("not an offer").is_err());
    }
}
