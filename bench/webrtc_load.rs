//! WebRTC load client: N browser-like legs (str0m, Opus) calling a running Hotline through
//! `/api/webrtc/call`, as the "call us" page does, each sending a 20 ms Opus frame every 20 ms
//! and counting what it receives. Prints one JSON line: how many legs connected, set-up times
//! (WebSocket opened to DTLS connected, and to Hotline's first audio), and packets per leg.
//!
//! Run by `bench/webrtc.sh`, which starts the server and measures its CPU:
//! `cargo bench --bench webrtc_load -- HTTP_ADDRESS LEGS RATE_PER_S SECONDS`

use anyhow::{Context, bail};
use hotline::media::opus_voice::{FRAME_SAMPLES, OpusVoice, RTP_TICKS_PER_FRAME};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use str0m::change::SdpAnswer;
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

/// Distinct Opus frames a leg cycles through (one second of a tone).
const FRAMES: usize = 50;
const FRAME: Duration = Duration::from_millis(20);

/// What one leg saw.
#[derive(Debug, Default)]
struct Report {
    connected: Option<Duration>,
    first_audio: Option<Duration>,
    sent: u64,
    received: u64,
    error: Option<String>,
}

struct Shared {
    server: String,
    frames: Vec<Vec<u8>>,
    crypto: Arc<str0m::crypto::CryptoProvider>,
    certificate: str0m::config::DtlsCert,
}

fn tone_frames() -> anyhow::Result<Vec<Vec<u8>>> {
    let mut voice = OpusVoice::new()?;
    (0..FRAMES)
        .map(|frame| {
            let samples: Vec<i16> = (0..FRAME_SAMPLES)
                .map(|index| {
                    let at = (frame * FRAME_SAMPLES + index) as f32 / 8000.0;
                    ((2.0 * std::f32::consts::PI * 440.0 * at).sin() * 6000.0) as i16
                })
                .collect();
            Ok(voice.encode(&samples)?)
        })
        .collect()
}

type Signalling = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

/// Sends the offer over a new WebSocket and waits for the answer; the socket stays open (its
/// closing would hang the call up).
fn signal(server: &str, offer: String) -> anyhow::Result<(String, Signalling)> {
    let (mut socket, _) = tungstenite::connect(format!("ws://{server}/api/webrtc/call"))
        .context("WebSocket connect")?;
    let message = serde_json::json!({"type": "offer", "sdp": offer}).to_string();
    socket.send(tungstenite::Message::text(message))?;
    loop {
        if let tungstenite::Message::Text(text) = socket.read()? {
            let reply: serde_json::Value = serde_json::from_str(text.as_str())?;
            match reply["type"].as_str() {
                Some("answer") => {
                    let sdp = reply["sdp"].as_str().unwrap_or_default().to_string();
                    return Ok((sdp, socket));
                }
                Some("ended") | Some("error") => bail!("refused: {reply}"),
                _ => {}
            }
        }
    }
}

async fn leg(shared: Arc<Shared>, hold: Duration) -> Report {
    let mut report = Report::default();
    if let Err(error) = run_leg(&shared, hold, &mut report).await {
        report.error = Some(format!("{error:#}"));
    }
    report
}

async fn run_leg(shared: &Shared, hold: Duration, report: &mut Report) -> anyhow::Result<()> {
    let start = Instant::now();
    let socket = UdpSocket::bind("127.0.0.1:0").await?;
    let local = socket.local_addr()?;
    let mut rtc = RtcConfig::new()
        .set_crypto_provider(shared.crypto.clone())
        .set_dtls_cert(shared.certificate.clone())
        .clear_codecs()
        .enable_opus(true, false)
        .build(start);
    rtc.add_local_candidate(Candidate::host(local, "udp")?);
    let mut changes = rtc.sdp_api();
    let mid: Mid = changes.add_media(MediaKind::Audio, Direction::SendRecv, None, None, None);
    let (offer, pending) = changes.apply().context("no offer")?;
    let server = shared.server.clone();
    let offer = offer.to_sdp_string();
    let (answer, signalling) =
        tokio::task::spawn_blocking(move || signal(&server, offer)).await??;
    rtc.sdp_api()
        .accept_answer(pending, SdpAnswer::from_sdp_string(&answer)?)?;
    let until = start + hold;
    let mut next_frame: Option<Instant> = None;
    let mut frame = 0u64;
    let mut buffer = vec![0u8; 2048];
    let mut opus = None;
    loop {
        let timeout = loop {
            match rtc.poll_output()? {
                Output::Timeout(at) => break at,
                Output::Transmit(transmit) => {
                    socket
                        .send_to(&transmit.contents, transmit.destination)
                        .await?;
                }
                Output::Event(Event::Connected) => {
                    report.connected = Some(start.elapsed());
                    next_frame = Some(Instant::now());
                }
                Output::Event(Event::MediaData(_)) => {
                    report.received += 1;
                    report.first_audio.get_or_insert_with(|| start.elapsed());
                }
                Output::Event(_) => {}
            }
        };
        let now = Instant::now();
        if now >= until {
            break;
        }
        if let Some(due) = next_frame
            && now >= due
        {
            let writer = rtc.writer(mid).context("no writer")?;
            let pt = *opus.get_or_insert_with(|| {
                writer
                    .payload_params()
                    .find(|params| params.spec().codec == Codec::Opus)
                    .map(|params| params.pt())
            });
            let pt = pt.context("no Opus")?;
            let time = MediaTime::new(
                frame * u64::from(RTP_TICKS_PER_FRAME),
                Frequency::FORTY_EIGHT_KHZ,
            );
            writer.write(
                pt,
                now,
                time,
                shared.frames[frame as usize % FRAMES].clone(),
            )?;
            report.sent += 1;
            frame += 1;
            next_frame = Some(due + FRAME);
            continue;
        }
        let wake = [Some(timeout), next_frame, Some(until)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(until);
        tokio::select! {
            received = socket.recv_from(&mut buffer) => {
                let (length, source): (usize, SocketAddr) = received?;
                let receive = Receive {
                    proto: Protocol::Udp,
                    source,
                    destination: local,
                    contents: buffer[..length].try_into()?,
                };
                rtc.handle_input(Input::Receive(Instant::now(), receive))?;
            }
            _ = tokio::time::sleep_until(tokio::time::Instant::from_std(wake)) => {
                rtc.handle_input(Input::Timeout(Instant::now()))?;
            }
        }
    }
    drop(signalling);
    Ok(())
}

fn percentile(values: &mut [f64], share: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let index = ((values.len() - 1) as f64 * share).round() as usize;
    values[index]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let arguments: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [server, legs, rate, seconds] = arguments.as_slice() else {
        bail!("usage: webrtc_load HTTP_ADDRESS LEGS RATE_PER_S SECONDS");
    };
    let legs: usize = legs.parse()?;
    let rate: f64 = rate.parse()?;
    let seconds: f64 = seconds.parse()?;
    let crypto = str0m::crypto::from_feature_flags();
    let certificate = crypto
        .dtls_provider
        .generate_certificate()
        .context("no certificate")?;
    let shared = Arc::new(Shared {
        server: server.clone(),
        frames: tone_frames()?,
        crypto: Arc::new(crypto),
        certificate,
    });
    let (reports, mut received) = mpsc::unbounded_channel();
    let ramp = legs as f64 / rate;
    for index in 0..legs {
        // Every leg ends at the same moment: the last one started holds for `seconds`.
        let hold = Duration::from_secs_f64(ramp - index as f64 / rate + seconds);
        let shared = shared.clone();
        let reports = reports.clone();
        tokio::spawn(async move {
            let _ = reports.send(leg(shared, hold).await);
        });
        tokio::time::sleep(Duration::from_secs_f64(1.0 / rate)).await;
    }
    drop(reports);
    let mut all = Vec::new();
    while let Some(report) = received.recv().await {
        all.push(report);
    }
    let mut connected: Vec<f64> = all
        .iter()
        .filter_map(|report| report.connected.map(|at| at.as_secs_f64() * 1000.0))
        .collect();
    let mut first_audio: Vec<f64> = all
        .iter()
        .filter_map(|report| report.first_audio.map(|at| at.as_secs_f64() * 1000.0))
        .collect();
    let errors: Vec<&String> = all
        .iter()
        .filter_map(|report| report.error.as_ref())
        .collect();
    let with_audio = all.iter().filter(|report| report.received > 0).count();
    let received_per_leg =
        all.iter().map(|report| report.received).sum::<u64>() as f64 / all.len().max(1) as f64;
    let sent_per_leg =
        all.iter().map(|report| report.sent).sum::<u64>() as f64 / all.len().max(1) as f64;
    let summary = serde_json::json!({
        "legs": legs,
        "connected": connected.len(),
        "with_audio": with_audio,
        "errors": errors.len(),
        "first_error": errors.first(),
        "setup_ms_p50": percentile(&mut connected, 0.5),
        "setup_ms_p95": percentile(&mut connected, 0.95),
        "first_audio_ms_p50": percentile(&mut first_audio, 0.5),
        "first_audio_ms_p95": percentile(&mut first_audio, 0.95),
        "sent_per_leg": sent_per_leg.round(),
        "received_per_leg": received_per_leg.round(),
    });
    println!("{summary}");
    Ok(())
}
