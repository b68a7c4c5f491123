//! A browser-like WebRTC caller without a browser: str0m with one Opus track, signalling over
//! `/api/webrtc/call` as the "call us" page does, over real UDP on 127.0.0.1 (str0m, unlike
//! Chromium, offers loopback). It sends a tone and keeps what it hears, decoded to 8 kHz.

use hotline::media::opus_voice::{FRAME_SAMPLES, OpusVoice, RTP_TICKS_PER_FRAME};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use str0m::change::SdpAnswer;
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, RtcConfig};

type Signalling = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

/// What the caller heard: decoded frames with the instant each arrived.
type Heard = Arc<Mutex<Vec<(Instant, Vec<i16>)>>>;

/// A caller's WebRTC leg to Hotline.
pub struct BrowserClient {
    signalling: Signalling,
    /// Hotline's call ID.
    pub reference: String,
    heard: Heard,
    connected: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    media: Option<JoinHandle<()>>,
}

fn read_json(socket: &mut Signalling) -> serde_json::Value {
    loop {
        if let tungstenite::Message::Text(text) = socket.read().expect("signalling") {
            return serde_json::from_str(text.as_str()).expect("JSON");
        }
    }
}

impl BrowserClient {
    /// Calls Hotline at `http` and speaks a `tone` Hz tone until hung up.
    pub fn call(http: SocketAddr, tone: f32) -> BrowserClient {
        BrowserClient::call_at(http, "/api/webrtc/call", tone)
    }

    /// Like [`Self::call`], signalling on `path` (e.g. with a draft trial's `?test=`).
    pub fn call_at(http: SocketAddr, path: &str, tone: f32) -> BrowserClient {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("UDP socket");
        let local = socket.local_addr().expect("address");
        let mut rtc = RtcConfig::new()
            .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
            .clear_codecs()
            .enable_opus(true, false)
            .build(Instant::now());
        rtc.add_local_candidate(Candidate::host(local, "udp").expect("candidate"));
        let mut changes = rtc.sdp_api();
        let mid = changes.add_media(MediaKind::Audio, Direction::SendRecv, None, None, None);
        let (offer, pending) = changes.apply().expect("an offer");
        let url = format!("ws://{http}{path}");
        let (mut signalling, _) = tungstenite::connect(url.as_str()).expect("WebSocket");
        let message = serde_json::json!({"type": "offer", "sdp": offer.to_sdp_string()});
        signalling
            .send(tungstenite::Message::text(message.to_string()))
            .expect("send offer");
        let answer = read_json(&mut signalling);
        assert_eq!(answer["type"], "answer", "{answer}");
        let reference = read_json(&mut signalling);
        assert_eq!(reference["type"], "call", "{reference}");
        let sdp = answer["sdp"].as_str().expect("sdp");
        rtc.sdp_api()
            .accept_answer(pending, SdpAnswer::from_sdp_string(sdp).expect("answer"))
            .expect("answer accepted");

        let heard: Heard = Arc::default();
        let connected = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let media = {
            let (heard, connected, stop) = (heard.clone(), connected.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut voice = OpusVoice::new().expect("opus");
                let mut buffer = vec![0u8; 2048];
                let mut next_frame: Option<Instant> = None;
                let mut frame = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    let timeout = loop {
                        match rtc.poll_output().expect("client") {
                            Output::Timeout(at) => break at,
                            Output::Transmit(transmit) => {
                                let _ = socket.send_to(&transmit.contents, transmit.destination);
                            }
                            Output::Event(Event::Connected) => {
                                connected.store(true, Ordering::SeqCst);
                                next_frame = Some(Instant::now());
                            }
                            Output::Event(Event::MediaData(data)) => {
                                let samples = voice.decode(&data.data);
                                heard.lock().unwrap().push((Instant::now(), samples));
                            }
                            Output::Event(_) => {}
                        }
                    };
                    let now = Instant::now();
                    if let Some(due) = next_frame.filter(|due| now >= *due) {
                        let samples: Vec<i16> = (0..FRAME_SAMPLES)
                            .map(|index| {
                                let at = (frame as usize * FRAME_SAMPLES + index) as f32 / 8000.0;
                                ((2.0 * std::f32::consts::PI * tone * at).sin() * 8000.0) as i16
                            })
                            .collect();
                        let packet = voice.encode(&samples).expect("encode");
                        let writer = rtc.writer(mid).expect("writer");
                        let pt = writer
                            .payload_params()
                            .find(|params| params.spec().codec == Codec::Opus)
                            .expect("opus")
                            .pt();
                        let time = MediaTime::new(
                            frame * u64::from(RTP_TICKS_PER_FRAME),
                            Frequency::FORTY_EIGHT_KHZ,
                        );
                        writer.write(pt, now, time, packet).expect("write");
                        frame += 1;
                        next_frame = Some(due + Duration::from_millis(20));
                        continue;
                    }
                    let wake = next_frame.map_or(timeout, |due| due.min(timeout));
                    let wait = wake
                        .saturating_duration_since(now)
                        .max(Duration::from_millis(1));
                    socket.set_read_timeout(Some(wait)).expect("timeout");
                    let input = match socket.recv_from(&mut buffer) {
                        Ok((length, source)) => Input::Receive(
                            Instant::now(),
                            Receive {
                                proto: Protocol::Udp,
                                source,
                                destination: local,
                                contents: buffer[..length].try_into().expect("datagram"),
                            },
                        ),
                        Err(_) => Input::Timeout(Instant::now()),
                    };
                    if rtc.handle_input(input).is_err() {
                        return;
                    }
                }
            })
        };
        BrowserClient {
            signalling,
            reference: reference["reference"]
                .as_str()
                .expect("reference")
                .to_string(),
            heard,
            connected,
            stop,
            media: Some(media),
        }
    }

    /// Waits until DTLS connected.
    pub fn wait_connected(&self, timeout: Duration) -> bool {
        super::wait_for(timeout, || {
            self.connected.load(Ordering::SeqCst).then_some(())
        })
        .is_some()
    }

    /// Presses a key on the page's keypad.
    pub fn press(&mut self, key: &str) {
        let message = serde_json::json!({"type": "key", "key": key});
        self.signalling
            .send(tungstenite::Message::text(message.to_string()))
            .expect("send key");
    }

    /// What was heard at or after `since`, 8 kHz.
    pub fn heard_since(&self, since: Instant) -> Vec<i16> {
        let heard = self.heard.lock().unwrap();
        heard
            .iter()
            .filter(|(at, _)| *at >= since)
            .flat_map(|(_, samples)| samples.iter().copied())
            .collect()
    }

    /// Hangs up.
    pub fn hang_up(mut self) {
        let message = serde_json::json!({"type": "hangup"});
        let _ = self
            .signalling
            .send(tungstenite::Message::text(message.to_string()));
        self.stop.store(true, Ordering::SeqCst);
        if let Some(media) = self.media.take() {
            let _ = media.join();
        }
    }
}

impl Drop for BrowserClient {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}
