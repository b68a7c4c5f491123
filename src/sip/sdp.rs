//! SDP offer/answer for audio calls (RFC 3264), sans-IO.
//!
//! Parses the subset of SDP (RFC 8866) a SIP audio offer uses: the session and media connection
//! lines, the first `m=audio` stream, its `a=rtpmap`, and direction attributes. Parsing is
//! tolerant of unknown lines and strict about the values it uses: an unusable offer is an error
//! that names what is wrong, so the caller gets a 488 with a reason instead of a silent failure.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};

/// Largest SDP body accepted.
pub const MAX_SDP_BYTES: usize = 16 * 1024;

/// Why an offer cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdpError {
    /// The body is not SDP at all or too large.
    #[error("malformed SDP: {0}")]
    Malformed(String),
    /// No `m=audio` line.
    #[error("no audio stream offered")]
    NoAudio,
    /// No connection address for the audio stream.
    #[error("no connection address for the audio stream")]
    NoConnection,
    /// None of the offered codecs is one Hotline speaks.
    #[error("no common codec: offered {offered}, supported {supported}")]
    NoCommonCodec {
        /// Encoding names offered.
        offered: String,
        /// Encoding names supported.
        supported: String,
    },
}

/// Media direction as written in SDP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `a=sendrecv` (the default).
    SendReceive,
    /// `a=sendonly`.
    SendOnly,
    /// `a=recvonly`.
    ReceiveOnly,
    /// `a=inactive`.
    Inactive,
}

impl Direction {
    /// The direction the answerer takes for this offered direction.
    pub fn answer(self) -> Direction {
        match self {
            Direction::SendReceive => Direction::SendReceive,
            Direction::SendOnly => Direction::ReceiveOnly,
            Direction::ReceiveOnly => Direction::SendOnly,
            Direction::Inactive => Direction::Inactive,
        }
    }

    fn attribute(self) -> &'static str {
        match self {
            Direction::SendReceive => "sendrecv",
            Direction::SendOnly => "sendonly",
            Direction::ReceiveOnly => "recvonly",
            Direction::Inactive => "inactive",
        }
    }
}

/// One payload format of the offered audio stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadFormat {
    /// RTP payload type.
    pub payload_type: u8,
    /// Encoding name, upper case (`PCMU`, `TELEPHONE-EVENT`).
    pub encoding: String,
    /// Clock rate.
    pub clock_rate: u32,
}

/// The parts of an offer that matter to an audio answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioOffer {
    /// Where the offerer wants RTP.
    pub rtp: SocketAddr,
    /// Where the offerer wants RTCP (`a=rtcp` or RTP port + 1).
    pub rtcp: SocketAddr,
    /// Offered formats in preference order.
    pub formats: Vec<PayloadFormat>,
    /// Offered direction.
    pub direction: Direction,
}

/// The agreed audio parameters of a call leg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NegotiatedAudio {
    /// Encoding name of the chosen codec (`PCMU` or `PCMA`).
    pub codec: String,
    /// Payload type of the chosen codec.
    pub payload_type: u8,
    /// Payload type of telephone-event, when both sides support it.
    pub telephone_event_payload_type: Option<u8>,
    /// Remote RTP address.
    pub remote_rtp: SocketAddr,
    /// Remote RTCP address.
    pub remote_rtcp: SocketAddr,
    /// Hotline's direction (the answer's).
    pub direction: Direction,
}

fn static_format(payload_type: u8) -> Option<(&'static str, u32)> {
    match payload_type {
        0 => Some(("PCMU", 8000)),
        3 => Some(("GSM", 8000)),
        8 => Some(("PCMA", 8000)),
        9 => Some(("G722", 8000)),
        18 => Some(("G729", 8000)),
        _ => None,
    }
}

/// Parses an SDP offer's audio stream.
pub fn parse_offer(body: &[u8]) -> Result<AudioOffer, SdpError> {
    if body.len() > MAX_SDP_BYTES {
        return Err(SdpError::Malformed(format!(
            "{} bytes is too large",
            body.len()
        )));
    }
    let text =
        std::str::from_utf8(body).map_err(|_| SdpError::Malformed("not UTF-8 text".to_string()))?;
    if !text.trim_start().starts_with("v=") {
        return Err(SdpError::Malformed("does not start with v=".to_string()));
    }
    let mut session_address: Option<IpAddr> = None;
    let mut session_direction = Direction::SendReceive;
    let mut audio: Option<MediaSection> = None;
    let mut in_other_media = false;
    for line in text.lines().map(str::trim_end) {
        let Some((kind, value)) = line.split_once('=') else {
            continue;
        };
        match kind {
            "m" => {
                if audio.is_some() {
                    in_other_media = true;
                } else if value.starts_with("audio ") {
                    audio = Some(MediaSection::parse(value)?);
                } else {
                    in_other_media = true;
                }
            }
            _ if in_other_media => {}
            "c" => {
                let address = parse_connection(value)?;
                match audio.as_mut() {
                    Some(section) => section.address = Some(address),
                    None => session_address = Some(address),
                }
            }
            "a" => match audio.as_mut() {
                Some(section) => section.attribute(value)?,
                None => {
                    if let Some(direction) = direction_attribute(value) {
                        session_direction = direction;
                    }
                }
            },
            _ => {}
        }
    }
    let section = audio.ok_or(SdpError::NoAudio)?;
    let address = section
        .address
        .or(session_address)
        .ok_or(SdpError::NoConnection)?;
    let rtp = SocketAddr::new(address, section.port);
    let rtcp_port = section.rtcp_port.unwrap_or(section.port.saturating_add(1));
    let formats = section
        .payload_types
        .iter()
        .filter_map(|payload_type| {
            section
                .rtpmaps
                .iter()
                .find(|format| format.payload_type == *payload_type)
                .cloned()
                .or_else(|| {
                    static_format(*payload_type).map(|(encoding, clock_rate)| PayloadFormat {
                        payload_type: *payload_type,
                        encoding: encoding.to_string(),
                        clock_rate,
                    })
                })
        })
        .collect();
    Ok(AudioOffer {
        rtp,
        rtcp: SocketAddr::new(address, rtcp_port),
        formats,
        direction: section.direction.unwrap_or(session_direction),
    })
}

struct MediaSection {
    port: u16,
    payload_types: Vec<u8>,
    address: Option<IpAddr>,
    rtpmaps: Vec<PayloadFormat>,
    direction: Option<Direction>,
    rtcp_port: Option<u16>,
}

impl MediaSection {
    fn parse(value: &str) -> Result<MediaSection, SdpError> {
        let mut fields = value.split_whitespace();
        let _media = fields.next();
        let port = fields
            .next()
            .and_then(|port| port.split('/').next())
            .and_then(|port| port.parse::<u16>().ok())
            .ok_or_else(|| SdpError::Malformed(format!("bad m= line {value:?}")))?;
        let protocol = fields.next().unwrap_or_default();
        if !protocol.starts_with("RTP/") {
            return Err(SdpError::Malformed(format!(
                "unsupported media protocol {protocol:?}"
            )));
        }
        let payload_types = fields
            .map(|field| field.parse::<u8>())
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| SdpError::Malformed(format!("bad payload type in {value:?}")))?;
        Ok(MediaSection {
            port,
            payload_types,
            address: None,
            rtpmaps: Vec::new(),
            direction: None,
            rtcp_port: None,
        })
    }

    fn attribute(&mut self, value: &str) -> Result<(), SdpError> {
        if let Some(direction) = direction_attribute(value) {
            self.direction = Some(direction);
        } else if let Some(map) = value.strip_prefix("rtpmap:") {
            let malformed = || SdpError::Malformed(format!("bad rtpmap {value:?}"));
            let (payload_type, format) = map.split_once(' ').ok_or_else(malformed)?;
            let payload_type = payload_type.parse::<u8>().map_err(|_| malformed())?;
            let mut parts = format.trim().split('/');
            let encoding = parts.next().unwrap_or_default().to_ascii_uppercase();
            let clock_rate = parts
                .next()
                .and_then(|rate| rate.parse::<u32>().ok())
                .ok_or_else(malformed)?;
            self.rtpmaps.push(PayloadFormat {
                payload_type,
                encoding,
                clock_rate,
            });
        } else if let Some(rtcp) = value.strip_prefix("rtcp:") {
            self.rtcp_port = rtcp
                .split_whitespace()
                .next()
                .and_then(|port| port.parse().ok());
        }
        Ok(())
    }
}

fn direction_attribute(value: &str) -> Option<Direction> {
    match value {
        "sendrecv" => Some(Direction::SendReceive),
        "sendonly" => Some(Direction::SendOnly),
        "recvonly" => Some(Direction::ReceiveOnly),
        "inactive" => Some(Direction::Inactive),
        _ => None,
    }
}

fn parse_connection(value: &str) -> Result<IpAddr, SdpError> {
    let mut fields = value.split_whitespace();
    let (network, _address_type, address) = (fields.next(), fields.next(), fields.next());
    if network != Some("IN") {
        return Err(SdpError::Malformed(format!("bad c= line {value:?}")));
    }
    let address = address.unwrap_or_default();
    let address = address.split('/').next().unwrap_or_default();
    address
        .parse::<IpAddr>()
        .map_err(|_| SdpError::Malformed(format!("connection address {address:?} is not an IP")))
}

/// Chooses the answer: the offerer's most preferred codec among `supported`, plus
/// telephone-event at 8 kHz when offered.
pub fn negotiate(offer: &AudioOffer, supported: &[String]) -> Result<NegotiatedAudio, SdpError> {
    let chosen = offer
        .formats
        .iter()
        .find(|format| {
            format.clock_rate == 8000
                && supported
                    .iter()
                    .any(|name| name.eq_ignore_ascii_case(&format.encoding))
        })
        .ok_or_else(|| SdpError::NoCommonCodec {
            offered: offer
                .formats
                .iter()
                .map(|format| format.encoding.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            supported: supported.join(" "),
        })?;
    let telephone_event = offer
        .formats
        .iter()
        .find(|format| format.encoding == "TELEPHONE-EVENT" && format.clock_rate == 8000)
        .map(|format| format.payload_type);
    Ok(NegotiatedAudio {
        codec: chosen.encoding.clone(),
        payload_type: chosen.payload_type,
        telephone_event_payload_type: telephone_event,
        remote_rtp: offer.rtp,
        remote_rtcp: offer.rtcp,
        direction: offer.direction.answer(),
    })
}

/// The telephone-event payload type Hotline offers.
pub const TELEPHONE_EVENT_PAYLOAD_TYPE: u8 = 101;

/// Writes the SDP offer of a call Hotline places: every supported codec with a static payload
/// type, in preference order, plus telephone-event. The answer is read with [`parse_offer`] and
/// [`negotiate`], which picks the answerer's first codec among ours.
pub fn build_offer(
    codecs: &[String],
    local_rtp: SocketAddr,
    session_id: u64,
    session_version: u64,
) -> String {
    let formats: Vec<(u8, &str)> = codecs
        .iter()
        .filter_map(|name| {
            (0..=34u8).find_map(|payload_type| {
                let (encoding, _) = static_format(payload_type)?;
                encoding
                    .eq_ignore_ascii_case(name)
                    .then_some((payload_type, encoding))
            })
        })
        .collect();
    let family = if local_rtp.is_ipv6() { "IP6" } else { "IP4" };
    let address = local_rtp.ip();
    let event = TELEPHONE_EVENT_PAYLOAD_TYPE;
    let mut sdp = String::with_capacity(320);
    let _ = write!(
        sdp,
        "v=0\r\no=hotline {session_id} {session_version} IN {family} {address}\r\ns=Hotline\r\n\
         c=IN {family} {address}\r\nt=0 0\r\nm=audio {} RTP/AVP",
        local_rtp.port()
    );
    for (payload_type, _) in &formats {
        let _ = write!(sdp, " {payload_type}");
    }
    let _ = write!(sdp, " {event}\r\n");
    for (payload_type, encoding) in &formats {
        let _ = write!(sdp, "a=rtpmap:{payload_type} {encoding}/8000\r\n");
    }
    let _ = write!(
        sdp,
        "a=rtpmap:{event} telephone-event/8000\r\na=fmtp:{event} 0-16\r\na=ptime:20\r\na=sendrecv\r\n"
    );
    sdp
}

/// Writes the SDP answer for a negotiated stream.
pub fn build_answer(
    negotiated: &NegotiatedAudio,
    local_rtp: SocketAddr,
    session_id: u64,
    session_version: u64,
) -> String {
    let family = if local_rtp.is_ipv6() { "IP6" } else { "IP4" };
    let address = local_rtp.ip();
    let mut sdp = String::with_capacity(320);
    let _ = write!(
        sdp,
        "v=0\r\no=hotline {session_id} {session_version} IN {family} {address}\r\ns=Hotline\r\n\
         c=IN {family} {address}\r\nt=0 0\r\n"
    );
    let _ = write!(
        sdp,
        "m=audio {} RTP/AVP {}",
        local_rtp.port(),
        negotiated.payload_type
    );
    if let Some(event) = negotiated.telephone_event_payload_type {
        let _ = write!(sdp, " {event}");
    }
    let _ = write!(
        sdp,
        "\r\na=rtpmap:{} {}/8000\r\n",
        negotiated.payload_type, negotiated.codec
    );
    if let Some(event) = negotiated.telephone_event_payload_type {
        let _ = write!(
            sdp,
            "a=rtpmap:{event} telephone-event/8000\r\na=fmtp:{event} 0-16\r\n"
        );
    }
    let _ = write!(
        sdp,
        "a=ptime:20\r\na={}\r\n",
        negotiated.direction.attribute()
    );
    sdp
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIPP_PCMA: &str = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\n\
        c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

    const BARESIP: &str = "v=0\r\no=- 1 2 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n\
        m=audio 40000 RTP/AVP 9 0 8 101\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n\
        a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n\
        a=sendrecv\r\nm=video 40002 RTP/AVP 96\r\nc=IN IP4 10.0.0.9\r\na=sendonly\r\n";

    fn supported() -> Vec<String> {
        vec!["PCMU".to_string(), "PCMA".to_string()]
    }

    #[test]
    fn sipp_pcma_offer_gets_pcma_without_events() {
        let offer = parse_offer(SIPP_PCMA.as_bytes()).expect("offer");
        let negotiated = negotiate(&offer, &supported()).expect("common codec");
        assert_eq!(negotiated.codec, "PCMA");
        assert_eq!(negotiated.payload_type, 8);
        assert_eq!(negotiated.telephone_event_payload_type, None);
        assert_eq!(negotiated.remote_rtp, "127.0.0.1:6000".parse().unwrap());
        assert_eq!(negotiated.remote_rtcp, "127.0.0.1:6001".parse().unwrap());
    }

    #[test]
    fn first_supported_codec_wins_and_video_is_ignored() {
        let offer = parse_offer(BARESIP.as_bytes()).expect("offer");
        assert_eq!(offer.direction, Direction::SendReceive);
        assert_eq!(offer.rtp, "10.0.0.5:40000".parse().unwrap());
        let negotiated = negotiate(&offer, &supported()).expect("common codec");
        assert_eq!(negotiated.codec, "PCMU");
        assert_eq!(negotiated.telephone_event_payload_type, Some(101));
        let answer = build_answer(&negotiated, "192.0.2.1:30000".parse().unwrap(), 7, 1);
        assert!(
            answer.contains("m=audio 30000 RTP/AVP 0 101\r\n"),
            "{answer}"
        );
        assert!(
            answer.contains("a=rtpmap:101 telephone-event/8000"),
            "{answer}"
        );
        assert!(answer.contains("a=sendrecv"), "{answer}");
        let reparsed = parse_offer(answer.as_bytes()).expect("answer parses");
        assert_eq!(reparsed.rtp, "192.0.2.1:30000".parse().unwrap());
    }

    #[test]
    fn an_offer_lists_our_codecs_and_its_answer_negotiates() {
        let local = "127.0.0.1:20000".parse().unwrap();
        let offer = build_offer(&supported(), local, 3, 1);
        assert!(
            offer.contains("m=audio 20000 RTP/AVP 0 8 101\r\n"),
            "{offer}"
        );
        let parsed = parse_offer(offer.as_bytes()).expect("our offer parses");
        assert_eq!(parsed.formats.len(), 3);
        let answer = BARESIP.replace("RTP/AVP 9 0 8 101", "RTP/AVP 8 101");
        let negotiated =
            negotiate(&parse_offer(answer.as_bytes()).unwrap(), &supported()).expect("agreed");
        assert_eq!(negotiated.codec, "PCMA");
        assert_eq!(negotiated.telephone_event_payload_type, Some(101));
        assert_eq!(negotiated.direction, Direction::SendReceive);
    }

    #[test]
    fn hold_offer_is_answered_recvonly() {
        let held = SIPP_PCMA.to_string() + "a=sendonly\r\n";
        let offer = parse_offer(held.as_bytes()).expect("offer");
        let negotiated = negotiate(&offer, &supported()).expect("codec");
        assert_eq!(negotiated.direction, Direction::ReceiveOnly);
        let inactive = SIPP_PCMA.replace("t=0 0\r\n", "t=0 0\r\na=inactive\r\n");
        let offer = parse_offer(inactive.as_bytes()).expect("offer");
        assert_eq!(offer.direction, Direction::Inactive);
    }

    #[test]
    fn no_common_codec_names_both_sides() {
        let g722 = SIPP_PCMA
            .replace("RTP/AVP 8", "RTP/AVP 9 96")
            .replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:96 opus/48000/2");
        let offer = parse_offer(g722.as_bytes()).expect("offer");
        let error = negotiate(&offer, &supported()).expect_err("no codec");
        assert_eq!(
            error.to_string(),
            "no common codec: offered G722 OPUS, supported PCMU PCMA"
        );
    }

    #[test]
    fn malformed_offers_are_errors() {
        let cases: [&[u8]; 7] = [
            b"",
            b"hello",
            b"v=0\r\nc=IN IP4 127.0.0.1\r\n",
            b"v=0\r\nm=audio 4000 RTP/AVP 0\r\n",
            b"v=0\r\nc=IN IP4 nonsense\r\nm=audio 4000 RTP/AVP 0\r\n",
            b"v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 99999 RTP/AVP 0\r\n",
            b"v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:x PCMU\r\n",
        ];
        for case in cases {
            assert!(
                parse_offer(case).is_err(),
                "{:?}",
                String::from_utf8_lossy(case)
            );
        }
        assert!(parse_offer(&[0xff, 0xfe]).is_err());
        assert!(parse_offer(&vec![b'v'; MAX_SDP_BYTES + 1]).is_err());
    }
}
