//! Media behaviour that needs a real network path: the media timeout that hangs up a silent
//! caller, and symmetric RTP for a caller whose packets come from another port than its SDP
//! says (a caller behind NAT).

mod common;

use common::SECOND;
use common::rtp::RtpPeer;
use common::sipp::Sipp;
use common::{Server, ServerOptions};
use std::net::UdpSocket;
use std::time::Duration;

#[test]
fn silent_caller_is_hung_up_after_the_media_timeout() {
    let server = Server::start(ServerOptions {
        media_timeout: "3s".into(),
        ..ServerOptions::default()
    });
    let peer = RtpPeer::start();
    peer.set_sending_audio(false);
    let run = Sipp::new("wait_bye.xml", server.sip)
        .rtp_port(peer.port)
        .run();
    run.assert_ok(&server.log_text());
    // When the timeout strikes is the call core's, tested on simulated time.
    let call = server.wait_ended("media_timeout", 10 * SECOND);
    assert!(call["recording"].is_string(), "{call}");
}

#[test]
fn rtp_follows_the_address_packets_really_come_from() {
    let server = Server::start(ServerOptions::default());
    // The SDP names this socket; the caller's packets will come from the peer's socket instead.
    let advertised = loop {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
        if socket
            .local_addr()
            .expect("address")
            .port()
            .is_multiple_of(2)
        {
            break socket;
        }
    };
    advertised
        .set_read_timeout(Some(5 * SECOND))
        .expect("timeout");
    let advertised_port = advertised.local_addr().expect("address").port();
    let peer = RtpPeer::start();
    let sipp = Sipp::new("call.xml", server.sip)
        .rtp_port(advertised_port)
        .pause_ms(6000)
        .spawn();
    let mut buffer = [0u8; 2048];
    let (_, hotline) = advertised
        .recv_from(&mut buffer)
        .expect("Hotline first sends to the SDP address");
    peer.send_to(hotline);
    assert!(
        peer.wait_packets(25, 5 * SECOND),
        "Hotline never replied to the caller's real source; log:\n{}",
        server.log_text()
    );
    // Once latched, nothing more goes to the advertised address.
    advertised
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    while advertised.recv_from(&mut buffer).is_ok() {}
    assert!(
        advertised.recv_from(&mut buffer).is_err(),
        "RTP still goes to the SDP address after latching"
    );
    let before = peer.packet_count();
    std::thread::sleep(SECOND);
    let after = peer.packet_count();
    assert!(
        after >= before + 40,
        "latched stream stalled: {before} -> {after}"
    );
    sipp.wait().assert_ok(&server.log_text());
    server.wait_ended("caller_hangup", 10 * SECOND);
}

#[test]
fn rtcp_sender_reports_describe_the_stream() {
    let server = Server::start(ServerOptions::default());
    let (peer, rtcp) = loop {
        let peer = RtpPeer::start();
        if let Ok(socket) = UdpSocket::bind(("127.0.0.1", peer.port + 1)) {
            break (peer, socket);
        }
    };
    rtcp.set_read_timeout(Some(8 * SECOND)).expect("timeout");
    let sipp = Sipp::new("call.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms(7000)
        .spawn();
    let mut buffer = [0u8; 1500];
    let (length, _) = rtcp
        .recv_from(&mut buffer)
        .expect("an RTCP report within 8 s");
    let report = &buffer[..length];
    assert_eq!(report[0] >> 6, 2, "RTCP version");
    assert_eq!(
        report[1], 200,
        "first packet of the compound is a sender report"
    );
    let sender_ssrc = u32::from_be_bytes([report[4], report[5], report[6], report[7]]);
    let rtp_ssrc = peer.packets().first().expect("RTP arrived").ssrc;
    assert_eq!(
        sender_ssrc, rtp_ssrc,
        "the SR describes Hotline's RTP stream"
    );
    let packet_count = u32::from_be_bytes([report[20], report[21], report[22], report[23]]);
    assert!(packet_count > 100, "SR counts {packet_count} packets");
    let reception_blocks = report[0] & 0x1f;
    assert_eq!(
        reception_blocks, 1,
        "a report block about the caller's stream"
    );
    let reported_source = u32::from_be_bytes([report[28], report[29], report[30], report[31]]);
    assert_eq!(reported_source, common::rtp::SSRC);
    sipp.wait().assert_ok(&server.log_text());
}
