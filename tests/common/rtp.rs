//! `RtpPeer`: the caller's media endpoint. A std UdpSocket on 127.0.0.1 that records every RTP
//! packet Hotline sends, and (once Hotline's source address is known) sends PCMU silence every
//! 20 ms plus RFC 4733 telephone-events in the same stream (one SSRC, shared sequence space).

use std::collections::VecDeque;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct RtpPacket {
    pub at: Instant,
    pub from: SocketAddr,
    pub sequence: u16,
    pub timestamp: u32,
    pub ssrc: u32,
    pub marker: bool,
    pub payload_type: u8,
    pub payload: Vec<u8>,
}

pub fn parse_rtp(buf: &[u8], from: SocketAddr, at: Instant) -> Option<RtpPacket> {
    if buf.len() < 12 || buf[0] >> 6 != 2 {
        return None;
    }
    let cc = (buf[0] & 0x0f) as usize;
    let mut off = 12 + cc * 4;
    if buf[0] & 0x10 != 0 {
        let ext = buf.get(off + 2..off + 4)?;
        off += 4 + u16::from_be_bytes([ext[0], ext[1]]) as usize * 4;
    }
    let mut end = buf.len();
    if buf[0] & 0x20 != 0 {
        end = end.checked_sub(*buf.last()? as usize)?;
    }
    Some(RtpPacket {
        at,
        from,
        sequence: u16::from_be_bytes([buf[2], buf[3]]),
        timestamp: u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]),
        ssrc: u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]),
        marker: buf[1] & 0x80 != 0,
        payload_type: buf[1] & 0x7f,
        payload: buf.get(off..end)?.to_vec(),
    })
}

enum Frame {
    /// One telephone-event packet: event code, packet index within the event, end flag.
    Event {
        code: u8,
        index: u32,
        end: bool,
    },
    Gap,
    /// One 20 ms frame of µ-law audio.
    Audio(Vec<u8>),
}

struct SendState {
    sequence: u16,
    timestamp: u32,
    event_timestamp: u32,
    queue: VecDeque<Frame>,
    sent: usize,
}

#[derive(Default)]
struct RecvState {
    packets: Vec<RtpPacket>,
    remote: Option<SocketAddr>,
    other_datagrams: usize,
}

pub struct RtpPeer {
    socket: Arc<UdpSocket>,
    pub port: u16,
    recv: Arc<Mutex<RecvState>>,
    send: Arc<Mutex<SendState>>,
    sending: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    pub ssrc: u32,
    pub audio_pt: u8,
    pub event_pt: u8,
}

pub const SSRC: u32 = 0x4841_524e;

impl RtpPeer {
    /// Binds an even port (RTCP would be +1) and starts the receive and 20 ms send threads.
    /// Sending starts once Hotline's first packet reveals its address (or `send_to` is called).
    pub fn start() -> RtpPeer {
        let socket = loop {
            let s = UdpSocket::bind("127.0.0.1:0").unwrap();
            if s.local_addr().unwrap().port().is_multiple_of(2) {
                break s;
            }
        };
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let port = socket.local_addr().unwrap().port();
        let socket = Arc::new(socket);
        let recv = Arc::new(Mutex::new(RecvState::default()));
        let send = Arc::new(Mutex::new(SendState {
            sequence: 1000,
            timestamp: 160_000,
            event_timestamp: 0,
            queue: VecDeque::new(),
            sent: 0,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let sending = Arc::new(AtomicBool::new(true));
        let mut threads = Vec::new();
        {
            let (socket, recv, stop) = (socket.clone(), recv.clone(), stop.clone());
            threads.push(std::thread::spawn(move || {
                let mut buf = vec![0u8; 65536];
                while !stop.load(Ordering::Relaxed) {
                    if let Ok((n, from)) = socket.recv_from(&mut buf) {
                        let at = Instant::now();
                        let mut st = recv.lock().unwrap();
                        match parse_rtp(&buf[..n], from, at) {
                            Some(p) => {
                                st.remote.get_or_insert(from);
                                st.packets.push(p);
                            }
                            None => st.other_datagrams += 1,
                        }
                    }
                }
            }));
        }
        let (audio_pt, event_pt) = (0u8, 101u8);
        {
            let (socket, recv, send, stop, sending) = (
                socket.clone(),
                recv.clone(),
                send.clone(),
                stop.clone(),
                sending.clone(),
            );
            threads.push(std::thread::spawn(move || {
                let start = Instant::now();
                let mut tick: u32 = 0;
                while !stop.load(Ordering::Relaxed) {
                    tick += 1;
                    let next = start + Duration::from_millis(20 * tick as u64);
                    if let Some(d) = next.checked_duration_since(Instant::now()) {
                        std::thread::sleep(d);
                    }
                    let remote = recv.lock().unwrap().remote;
                    let Some(remote) = remote else { continue };
                    let mut st = send.lock().unwrap();
                    st.timestamp = st.timestamp.wrapping_add(160);
                    let frame = st.queue.pop_front();
                    let (pt, marker, ts, payload) = match frame {
                        Some(Frame::Event { code, index, end }) => {
                            if index == 0 {
                                st.event_timestamp = st.timestamp;
                            }
                            let duration = (160 * (index.min(7) + 1)) as u16;
                            let mut p = vec![code, 10, 0, 0];
                            if end {
                                p[1] |= 0x80;
                            }
                            p[2..4].copy_from_slice(&duration.to_be_bytes());
                            (event_pt, index == 0, st.event_timestamp, p)
                        }
                        Some(Frame::Audio(payload)) => (audio_pt, false, st.timestamp, payload),
                        Some(Frame::Gap) | None => {
                            if !sending.load(Ordering::Relaxed) {
                                continue;
                            }
                            (audio_pt, false, st.timestamp, vec![0xff; 160])
                        }
                    };
                    let mut pkt = vec![0x80, pt | if marker { 0x80 } else { 0 }];
                    pkt.extend_from_slice(&st.sequence.to_be_bytes());
                    pkt.extend_from_slice(&ts.to_be_bytes());
                    pkt.extend_from_slice(&SSRC.to_be_bytes());
                    pkt.extend_from_slice(&payload);
                    st.sequence = st.sequence.wrapping_add(1);
                    st.sent += 1;
                    let _ = socket.send_to(&pkt, remote);
                }
            }));
        }
        RtpPeer {
            socket,
            port,
            recv,
            send,
            sending,
            stop,
            threads,
            ssrc: SSRC,
            audio_pt,
            event_pt,
        }
    }

    /// Sets where to send before Hotline has sent anything (e.g. its SDP answer address).
    pub fn send_to(&self, addr: SocketAddr) {
        self.recv.lock().unwrap().remote = Some(addr);
    }

    /// Stops/starts sending audio (DTMF events are still sent).
    pub fn set_sending_audio(&self, on: bool) {
        self.sending.store(on, Ordering::Relaxed);
    }

    /// Queues RFC 4733 events for `digits` (0-9 * # A-D): 160 ms each (8 packets, the first with
    /// the marker bit, duration growing by 160), the final duration sent 3 times with the E bit,
    /// one timestamp per event, then 100 ms of audio before the next digit.
    pub fn send_dtmf(&self, digits: &str) {
        let mut st = self.send.lock().unwrap();
        for d in digits.chars() {
            let code = match d {
                '0'..='9' => d as u8 - b'0',
                '*' => 10,
                '#' => 11,
                'A'..='D' => d as u8 - b'A' + 12,
                _ => panic!("not a DTMF key: {d}"),
            };
            for index in 0..10 {
                st.queue.push_back(Frame::Event {
                    code,
                    index,
                    end: index >= 7,
                });
            }
            for _ in 0..5 {
                st.queue.push_back(Frame::Gap);
            }
        }
    }

    /// Queues 8 kHz speech to send as µ-law, 160 samples per packet, padded with silence.
    pub fn send_speech(&self, samples: &[i16]) {
        let mut st = self.send.lock().unwrap();
        for chunk in samples.chunks(160) {
            let mut frame = chunk.to_vec();
            frame.resize(160, 0);
            let mut payload = Vec::with_capacity(160);
            hotline::media::Codec::Pcmu.encode(&frame, &mut payload);
            st.queue.push_back(Frame::Audio(payload));
        }
    }

    /// Blocks until every queued frame has been sent; returns when that happened (bounded).
    pub fn wait_all_sent(&self, timeout: Duration) -> Option<Instant> {
        super::wait_for(timeout, || {
            self.send
                .lock()
                .unwrap()
                .queue
                .is_empty()
                .then(Instant::now)
        })
    }

    /// Blocks until every queued DTMF frame has been sent (bounded).
    pub fn wait_dtmf_sent(&self, timeout: Duration) {
        let ok = super::wait_for(timeout, || {
            self.send.lock().unwrap().queue.is_empty().then_some(())
        });
        assert!(
            ok.is_some(),
            "DTMF not sent within {timeout:?} (is Hotline sending RTP to us?)"
        );
    }

    /// Sends raw bytes from this socket to Hotline's media address.
    pub fn send_raw(&self, bytes: &[u8]) {
        let remote = self.remote().expect("Hotline's RTP address not known yet");
        let _ = self.socket.send_to(bytes, remote);
    }

    pub fn remote(&self) -> Option<SocketAddr> {
        self.recv.lock().unwrap().remote
    }

    pub fn packets(&self) -> Vec<RtpPacket> {
        self.recv.lock().unwrap().packets.clone()
    }

    pub fn packet_count(&self) -> usize {
        self.recv.lock().unwrap().packets.len()
    }

    pub fn sent_count(&self) -> usize {
        self.send.lock().unwrap().sent
    }

    /// Waits until at least `n` packets arrived; returns false on timeout.
    pub fn wait_packets(&self, n: usize, timeout: Duration) -> bool {
        super::wait_for(timeout, || (self.packet_count() >= n).then_some(())).is_some()
    }

    /// Decoded audio (8 kHz) of the audio packets received at or after `since`, in arrival order.
    pub fn audio_since(&self, since: Instant) -> Vec<f32> {
        self.packets()
            .iter()
            .filter(|p| p.at >= since && (p.payload_type == 0 || p.payload_type == 8))
            .flat_map(|p| super::audio::decode_g711(p.payload_type, &p.payload))
            .collect()
    }

    /// Waits until audio received after `since` was voiced and then stayed silent for `quiet`
    /// (a prompt finished). Returns the instant the silence began, or None on timeout.
    pub fn wait_prompt_end(
        &self,
        since: Instant,
        quiet: Duration,
        timeout: Duration,
    ) -> Option<Instant> {
        super::wait_for(timeout, || {
            let pkts: Vec<RtpPacket> = self
                .packets()
                .into_iter()
                .filter(|p| p.at >= since && p.payload_type != self.event_pt)
                .collect();
            let loud: Vec<bool> = pkts
                .iter()
                .map(|p| {
                    let s = super::audio::decode_g711(p.payload_type, &p.payload);
                    super::audio::rms(&s) > super::audio::VOICED_RMS
                })
                .collect();
            let last_loud = loud.iter().rposition(|&l| l)?;
            let silent_after = pkts.len() - 1 - last_loud;
            (silent_after as u128 * 20 >= quiet.as_millis()).then(|| pkts[last_loud].at)
        })
    }

    /// Waits for the prompt playing now (or about to) to end, that is [`PROMPT_PAUSE`] of
    /// silence after voiced audio; panics naming `what` if that takes longer than `timeout`.
    /// Returns the instant the silence began.
    pub fn wait_prompt_over(&self, what: &str, timeout: Duration) -> Instant {
        self.wait_prompt_end(Instant::now(), PROMPT_PAUSE, timeout)
            .unwrap_or_else(|| panic!("{what} never ended"))
    }
}

/// The silence after which a prompt counts as over.
pub const PROMPT_PAUSE: Duration = Duration::from_millis(700);

impl Drop for RtpPeer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Stream-consistency summary of received packets (one call), with their arrival timing for
/// the benchmarks (tests do not assert on timing).
#[derive(Debug)]
pub struct StreamStats {
    pub packets: usize,
    pub ssrcs: Vec<u32>,
    pub median_gap_ms: f64,
    pub worst_gap_ms: f64,
    pub within_5ms: f64,
    pub sequence_errors: usize,
    pub timestamp_errors: usize,
    pub first_marker: bool,
}

pub fn stream_stats(pkts: &[RtpPacket]) -> StreamStats {
    let mut ssrcs: Vec<u32> = pkts.iter().map(|p| p.ssrc).collect();
    ssrcs.sort_unstable();
    ssrcs.dedup();
    let mut gaps: Vec<f64> = pkts
        .windows(2)
        .map(|w| (w[1].at - w[0].at).as_secs_f64() * 1000.0)
        .collect();
    let within =
        gaps.iter().filter(|g| (**g - 20.0).abs() <= 5.0).count() as f64 / gaps.len().max(1) as f64;
    gaps.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
    let sequence_errors = pkts
        .windows(2)
        .filter(|w| w[1].sequence != w[0].sequence.wrapping_add(1))
        .count();
    // Telephone-events keep one timestamp per event; only audio→audio steps count. Each step is
    // one 20 ms frame (160), or several after ticks a late sender skipped, and then the packet
    // carries the marker bit.
    let timestamp_errors = pkts
        .windows(2)
        .filter(|w| w[0].payload_type == w[1].payload_type && w[1].payload_type < 96)
        .filter(|w| {
            let step = w[1].timestamp.wrapping_sub(w[0].timestamp);
            !(step == 160 || (w[1].marker && step > 0 && step % 160 == 0 && step < 8000 * 60))
        })
        .count();
    StreamStats {
        packets: pkts.len(),
        ssrcs,
        median_gap_ms: median,
        worst_gap_ms: gaps.last().copied().unwrap_or(0.0),
        within_5ms: within,
        sequence_errors,
        timestamp_errors,
        first_marker: pkts.first().is_some_and(|p| p.marker),
    }
}
