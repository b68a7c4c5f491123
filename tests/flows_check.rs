//! `hotline flows check`: the shipped demo is valid, and a broken flow directory exits 1 with a
//! `file:line: message` line per problem.

use std::process::Command;

fn hotline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hotline"))
}

#[test]
fn demo_flows_are_valid() {
    let output = hotline()
        .args([
            "flows",
            "check",
            concat!(env!("CARGO_MANIFEST_DIR"), "/prompts"),
        ])
        .output()
        .expect("hotline runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn broken_flows_exit_1_naming_file_and_line() {
    let directory = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/dialogue/loader/fixtures/broken"
    );
    let output = hotline()
        .args(["flows", "check", directory])
        .output()
        .expect("hotline runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expectations = [
        ("broken.flow.toml:4:", "Mars/Olympus"),
        ("broken.flow.toml:9:", "nowhere"),
        ("broken.flow.toml:10:", "5 seconds"),
        ("broken.flow.toml:53:", "input = \"dtmf\""),
        ("schema.flow.toml:2:", "2"),
    ];
    for (location, word) in expectations {
        assert!(
            stdout
                .lines()
                .any(|line| line.contains(location) && line.contains(word)),
            "expected a line with {location} and {word:?} in:\n{stdout}"
        );
    }
    assert!(
        stdout.lines().all(|line| line.contains(".flow.toml:")),
        "every line names a file and line:\n{stdout}"
    );
}

#[test]
fn serve_refuses_a_broken_config_with_file_and_line() {
    let directory = std::env::temp_dir().join(format!("hotline-config-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temp dir");
    let config = directory.join("hotline.toml");
    std::fs::write(
        &config,
        "[sip]\nlisten = \"127.0.0.1:0\"\n[media]\naddress = \"127.0.0.1\"\nrtp_port_first = 40000\nrtp_port_last = 30000\n[http]\nlisten = \"127.0.0.1:0\"\n[flows]\ndirectory = \"prompts\"\n",
    )
    .expect("write config");
    let output = hotline()
        .args(["serve", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(directory.join("data"))
        .output()
        .expect("hotline runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("hotline.toml:5:"), "{stderr}");
    std::fs::remove_dir_all(&directory).ok();
}
