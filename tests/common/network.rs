//! A private network for browser tests: Chromium ignores the loopback interface for ICE, so the
//! test moves its thread into a new network namespace holding a veth pair, and everything it
//! starts from then on (Hotline, Chromium, sipp) lives there, away from the machine's network.

use std::net::IpAddr;
use std::process::Command;

/// The address Hotline offers to browsers inside the namespace.
pub const HOTLINE_ADDRESS: &str = "10.77.0.1";
/// The other end of the pair, where the browser's candidates are.
const BROWSER_ADDRESS: &str = "10.77.0.2";

/// Moves the calling thread (and every process it starts afterwards) into a new network
/// namespace with loopback up and a veth pair `10.77.0.1` ↔ `10.77.0.2`. Needs root
/// (CAP_SYS_ADMIN and CAP_NET_ADMIN), as CI has.
pub fn enter_private_network() -> IpAddr {
    // SAFETY: unshare(2) with CLONE_NEWNET only changes the calling thread's network namespace;
    // it touches no memory of this process.
    let result = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    assert_eq!(
        result,
        0,
        "unshare(CLONE_NEWNET) failed: {} (the WebRTC tests need root)",
        std::io::Error::last_os_error()
    );
    let hotline = format!("{HOTLINE_ADDRESS}/24");
    let browser = format!("{BROWSER_ADDRESS}/24");
    let steps: [&[&str]; 6] = [
        &["link", "set", "lo", "up"],
        &[
            "link", "add", "hotline0", "type", "veth", "peer", "name", "browser0",
        ],
        &["addr", "add", &hotline, "dev", "hotline0"],
        &["addr", "add", &browser, "dev", "browser0"],
        &["link", "set", "hotline0", "up"],
        &["link", "set", "browser0", "up"],
    ];
    for step in steps {
        let status = Command::new("ip").args(step).status().expect("ip runs");
        assert!(status.success(), "ip {step:?} failed");
    }
    HOTLINE_ADDRESS.parse().expect("an address")
}
