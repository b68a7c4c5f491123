//! A raw SIP-over-UDP client for cases sipp can't express well: malformed datagrams, floods, and
//! INVITEs whose only job is to read the final response (e.g. 503 during shutdown).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static NEXT: AtomicU32 = AtomicU32::new(1);

pub struct SipClient {
    pub socket: UdpSocket,
    pub server: SocketAddr,
    pub local: SocketAddr,
}

/// What the client keeps per INVITE to ACK/BYE it.
#[derive(Clone, Debug)]
pub struct Invite {
    pub call_id: String,
    pub branch: String,
    pub from_tag: String,
    pub uri: String,
    pub to_header: Option<String>,
}

pub fn sdp(port: u16, payloads: &str) -> String {
    let mut s = format!(
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP {payloads}\r\n"
    );
    for pt in payloads.split_whitespace() {
        let map = match pt {
            "0" => "PCMU/8000",
            "8" => "PCMA/8000",
            "9" => "G722/8000",
            "101" => "telephone-event/8000",
            _ => continue,
        };
        s += &format!("a=rtpmap:{pt} {map}\r\n");
    }
    s + "a=sendrecv\r\n"
}

pub fn status_code(msg: &str) -> Option<u16> {
    let first = msg.lines().next()?;
    first
        .strip_prefix("SIP/2.0 ")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The value of the first header named `name` (case-insensitive, compact forms not handled).
pub fn header<'a>(msg: &'a str, name: &str) -> Option<&'a str> {
    let head = msg.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

impl SipClient {
    pub fn new(server: SocketAddr) -> SipClient {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let local = socket.local_addr().unwrap();
        SipClient {
            socket,
            server,
            local,
        }
    }

    pub fn send_raw(&self, bytes: &[u8]) {
        let _ = self.socket.send_to(bytes, self.server);
    }

    pub fn invite_message(&self, user: &str, body: &str) -> (Invite, String) {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let inv = Invite {
            call_id: format!("raw-{}-{n}@127.0.0.1", std::process::id()),
            branch: format!("z9hG4bK-raw-{}-{n}", std::process::id()),
            from_tag: format!("rawtag{n}"),
            uri: format!("sip:{user}@{}", self.server),
            to_header: None,
        };
        let msg = format!(
            "INVITE {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {l};branch={b};rport\r\nFrom: <sip:raw@{l}>;tag={t}\r\n\
             To: <{uri}>\r\nCall-ID: {c}\r\nCSeq: 1 INVITE\r\nContact: <sip:raw@{l}>\r\nMax-Forwards: 70\r\n\
             Content-Type: application/sdp\r\nContent-Length: {len}\r\n\r\n{body}",
            uri = inv.uri,
            l = self.local,
            b = inv.branch,
            t = inv.from_tag,
            c = inv.call_id,
            len = body.len()
        );
        (inv, msg)
    }

    pub fn invite(&self, user: &str, body: &str) -> Invite {
        let (inv, msg) = self.invite_message(user, body);
        self.send_raw(msg.as_bytes());
        inv
    }

    /// Receives every message until `timeout`, or until `done` says stop.
    pub fn collect(
        &self,
        timeout: Duration,
        mut done: impl FnMut(&[String]) -> bool,
    ) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        let mut out = Vec::new();
        let mut buf = vec![0u8; 65536];
        while Instant::now() < deadline && !done(&out) {
            if let Ok((n, _)) = self.socket.recv_from(&mut buf) {
                out.push(String::from_utf8_lossy(&buf[..n]).into_owned());
            }
        }
        out
    }

    /// The final response (>= 200) to an INVITE, answering any 200 with ACK so the server stops
    /// retransmitting. Returns (code, the whole message).
    pub fn final_response(&self, inv: &mut Invite, timeout: Duration) -> Option<(u16, String)> {
        let msgs = self.collect(timeout, |m| m.iter().any(|m| is_final_for(m, &inv.call_id)));
        let fin = msgs.into_iter().find(|m| is_final_for(m, &inv.call_id))?;
        let code = status_code(&fin)?;
        inv.to_header = header(&fin, "To").map(String::from);
        self.ack(inv, code);
        Some((code, fin))
    }

    pub fn ack(&self, inv: &Invite, code: u16) {
        let to = inv
            .to_header
            .clone()
            .unwrap_or_else(|| format!("<{}>", inv.uri));
        // A non-2xx ACK reuses the INVITE branch; a 2xx ACK is a new transaction.
        let branch = if code >= 300 {
            inv.branch.clone()
        } else {
            format!("{}-ack", inv.branch)
        };
        let msg = format!(
            "ACK {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {l};branch={branch};rport\r\nFrom: <sip:raw@{l}>;tag={t}\r\nTo: {to}\r\n\
             Call-ID: {c}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            uri = inv.uri,
            l = self.local,
            t = inv.from_tag,
            c = inv.call_id
        );
        self.send_raw(msg.as_bytes());
    }

    pub fn bye(&self, inv: &Invite) {
        let to = inv
            .to_header
            .clone()
            .unwrap_or_else(|| format!("<{}>", inv.uri));
        let msg = format!(
            "BYE {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {l};branch={b}-bye;rport\r\nFrom: <sip:raw@{l}>;tag={t}\r\nTo: {to}\r\n\
             Call-ID: {c}\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            uri = inv.uri,
            l = self.local,
            b = inv.branch,
            t = inv.from_tag,
            c = inv.call_id
        );
        self.send_raw(msg.as_bytes());
    }

    /// Answers any request in `msgs` (e.g. a BYE from the server) with 200 OK.
    pub fn answer_requests(&self, msgs: &[String]) {
        for m in msgs.iter().filter(|m| status_code(m).is_none()) {
            let mut resp = String::from("SIP/2.0 200 OK\r\n");
            for h in ["Via", "From", "To", "Call-ID", "CSeq"] {
                for line in m.split("\r\n\r\n").next().unwrap().lines().filter(|l| {
                    l.split(':')
                        .next()
                        .is_some_and(|n| n.trim().eq_ignore_ascii_case(h))
                }) {
                    resp += line;
                    resp += "\r\n";
                }
            }
            resp += "Content-Length: 0\r\n\r\n";
            self.send_raw(resp.as_bytes());
        }
    }
}

fn is_final_for(m: &str, call_id: &str) -> bool {
    status_code(m).is_some_and(|c| c >= 200)
        && header(m, "Call-ID") == Some(call_id)
        && header(m, "CSeq").is_some_and(|c| c.ends_with("INVITE"))
}

/// Groups final INVITE responses by Call-ID.
pub fn finals_by_call(msgs: &[String]) -> HashMap<String, u16> {
    let mut out = HashMap::new();
    for m in msgs {
        if let (Some(code), Some(cid), Some(cseq)) =
            (status_code(m), header(m, "Call-ID"), header(m, "CSeq"))
            && code >= 200
            && cseq.ends_with("INVITE")
        {
            out.entry(cid.to_string()).or_insert(code);
        }
    }
    out
}

/// Sends bytes over a fresh TCP connection and returns whatever comes back within `timeout`
/// (empty if the server closed or said nothing).
pub fn tcp_exchange(server: SocketAddr, bytes: &[u8], timeout: Duration) -> String {
    let Ok(mut s) = TcpStream::connect_timeout(&server, Duration::from_secs(2)) else {
        return String::new();
    };
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    s.set_write_timeout(Some(timeout)).unwrap();
    let _ = s.write_all(bytes);
    let deadline = Instant::now() + timeout;
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    while Instant::now() < deadline {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
