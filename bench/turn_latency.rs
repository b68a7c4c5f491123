//! End-of-turn latency on real calls: from the caller's last speech sample to the first audio
//! packet of Hotline's answer, over repeated turns on the speech-mode demo line (each turn is
//! recognised, then understood by the embedding model: "where is my order", the order number,
//! "what time do you open on sunday"; from the second loop on the order number is reused and
//! the spoken number lands on the menu as a no-match, still an answer), with one call
//! and with several concurrent calls whose callers all speak at the same moments (the worst
//! case for the recognition workers). Uses the end-to-end test harness (real server binary,
//! sipp for signaling, an RTP peer that speaks the fixtures).
//!
//! Run with `cargo bench --bench turn_latency` after `make models`; prints Markdown table rows.
//! `HOTLINE_BENCH_LANGUAGE=zh` has the callers ask the same in Mandarin on line 1002.
//! `HOTLINE_BENCH_CALLS` lists the concurrent call counts to measure (default `1,10`);
//! `HOTLINE_BENCH_STAGGER_MS` starts call `i` that many milliseconds times `i` late, so callers
//! speak at different moments as real ones do (default 0: all at once).
//! `HOTLINE_BENCH_CONFIG` is TOML added to the server's configuration, to measure a setting
//! (e.g. `[speech.turn]` with `pause_after = "150ms"`), and `HOTLINE_BENCH_SPEECH` settings put
//! inside its `[speech]` table (e.g. `recognition_model = "whisper-tiny.en-q8_0"`).

#[path = "../tests/common/mod.rs"]
mod common;

use common::MANDARIN_VOICE;
use common::audio::spoken_by;
use common::rtp::RtpPeer;
use common::sipp::Sipp;
use common::{Server, ServerOptions};
use std::time::{Duration, Instant};

/// Turns measured per configuration (each loop of a call is three turns).
const TURNS: usize = 21;
const SECOND: Duration = Duration::from_secs(1);
const QUIET: Duration = Duration::from_millis(700);

struct Utterance {
    samples: Vec<i16>,
    trailing_silence: Duration,
}

impl Utterance {
    /// 8 kHz caller audio; its trailing silence is what follows the last loud sample.
    fn new(samples: Vec<i16>) -> Utterance {
        let last_voiced = samples
            .iter()
            .rposition(|sample| sample.unsigned_abs() > 600)
            .unwrap_or(samples.len());
        let trailing = samples.len() - last_voiced;
        Utterance {
            samples,
            trailing_silence: Duration::from_secs_f64(trailing as f64 / 8000.0),
        }
    }

    /// A speech fixture, recorded at 8 kHz.
    fn fixture(name: &str) -> Utterance {
        let path = common::repo_dir().join("audio-fixtures/speech").join(name);
        let (samples, _, _) = hotline::audio::read_wav_i16(&path).expect("fixture");
        Utterance::new(samples)
    }
}

/// The line the callers dial and what they say on it, in order, every loop.
struct Script {
    /// Whether the line is the Mandarin one (the server then loads the Mandarin models too).
    mandarin: bool,
    number: &'static str,
    turns: Vec<Utterance>,
}

impl Script {
    /// `HOTLINE_BENCH_LANGUAGE`: "en" (the default) speaks the English fixtures to line 1000;
    /// "zh" speaks the same three requests in Mandarin (with the Mandarin voice) to line 1002.
    fn chosen() -> Script {
        match std::env::var("HOTLINE_BENCH_LANGUAGE").as_deref() {
            Ok("zh") => Script {
                mandarin: true,
                number: "1002",
                turns: ["我的订单到哪了？", "一二三四五。", "你们周日几点开门？"]
                    .into_iter()
                    .map(|text| Utterance::new(spoken_by(MANDARIN_VOICE, text)))
                    .collect(),
            },
            _ => Script {
                mandarin: false,
                number: "1000",
                turns: [
                    "where-is-my-order.wav",
                    "one-to-five.wav",
                    "when-do-you-open.wav",
                ]
                .into_iter()
                .map(Utterance::fixture)
                .collect(),
            },
        }
    }
}

/// Speaks one utterance and returns the time from its last voiced sample to the first voiced
/// packet Hotline sends after it.
fn turn(peer: &RtpPeer, utterance: &Utterance) -> Option<Duration> {
    peer.send_speech(&utterance.samples);
    let sent = peer.wait_all_sent(30 * SECOND)?;
    let last_voiced = sent - utterance.trailing_silence;
    let answer = common::wait_for(20 * SECOND, || {
        peer.packets()
            .into_iter()
            .filter(|packet| packet.at > last_voiced && packet.payload_type == 0)
            .find(|packet| {
                let samples = common::audio::decode_g711(packet.payload_type, &packet.payload);
                let energy = samples.iter().map(|sample| sample * sample).sum::<f32>();
                (energy / samples.len().max(1) as f32).sqrt() > 0.01
            })
            .map(|packet| packet.at)
    })?;
    peer.wait_prompt_end(answer, QUIET, 60 * SECOND)?;
    Some(answer - last_voiced)
}

fn call(server: &Server, script: &Script, loops: usize) -> Vec<Duration> {
    let peer = RtpPeer::start();
    let sipp = Sipp::new("call.xml", server.sip)
        .service(script.number)
        .rtp_port(peer.port)
        .pause_ms(600_000)
        .spawn();
    let mut latencies = Vec::new();
    if !peer.wait_packets(1, 10 * SECOND) {
        return latencies;
    }
    if peer
        .wait_prompt_end(Instant::now(), QUIET, 60 * SECOND)
        .is_none()
    {
        return latencies;
    }
    for _ in 0..loops {
        for spoken in &script.turns {
            match turn(&peer, spoken) {
                Some(latency) => latencies.push(latency),
                None => return latencies,
            }
        }
    }
    drop(sipp);
    latencies
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let counts: Vec<usize> = std::env::var("HOTLINE_BENCH_CALLS")
        .unwrap_or_else(|_| "1,10".to_string())
        .split(',')
        .filter_map(|count| count.trim().parse().ok())
        .collect();
    let stagger = Duration::from_millis(
        std::env::var("HOTLINE_BENCH_STAGGER_MS")
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(0),
    );
    let script = Script::chosen();
    for calls in counts {
        let options = ServerOptions {
            rtp_ports: 200,
            extra_config: std::env::var("HOTLINE_BENCH_CONFIG").unwrap_or_default(),
            speech_config: std::env::var("HOTLINE_BENCH_SPEECH").unwrap_or_default(),
            ..ServerOptions::default()
        };
        let server = Server::start(if script.mandarin {
            options.with_mandarin_lines()
        } else {
            options
        });
        let loops = TURNS.div_ceil(3 * calls);
        let mut latencies: Vec<Duration> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..calls)
                .map(|index| {
                    let (server, script) = (&server, &script);
                    scope.spawn(move || {
                        std::thread::sleep(stagger * index as u32);
                        call(server, script, loops)
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().unwrap_or_default())
                .collect()
        });
        latencies.sort();
        if latencies.is_empty() {
            println!("| {calls} | no turn completed |");
            continue;
        }
        println!(
            "| {} | {} | {calls} | {} ms | {} | {} ms | {} ms | {} ms |",
            chrono::Utc::now().format("%Y-%m-%dT%H:%MZ"),
            std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(1),
            stagger.as_millis(),
            latencies.len(),
            percentile(&latencies, 0.5).as_millis(),
            percentile(&latencies, 0.95).as_millis(),
            latencies
                .last()
                .map(Duration::as_millis)
                .unwrap_or_default(),
        );
    }
}
