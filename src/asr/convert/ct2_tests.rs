//! Tests for the CTranslate2 reader on small files built byte by byte.

use super::ct2::{Ct2Error, Ct2Model, Dtype};
use std::io::Read;

/// Builds a CTranslate2 file: `variables` are (name, dims, dtype code, data).
fn model_file(
    version: u32,
    variables: &[(&str, &[u32], u8, Vec<u8>)],
    aliases: &[(&str, &str)],
) -> Vec<u8> {
    let mut bytes = Vec::new();
    let string = |bytes: &mut Vec<u8>, text: &str| {
        bytes.extend_from_slice(&(text.len() as u16 + 1).to_le_bytes());
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0);
    };
    bytes.extend_from_slice(&version.to_le_bytes());
    string(&mut bytes, "WhisperSpec");
    bytes.extend_from_slice(&3u32.to_le_bytes());
    bytes.extend_from_slice(&(variables.len() as u32).to_le_bytes());
    for (name, dims, dtype, data) in variables {
        string(&mut bytes, name);
        bytes.push(dims.len() as u8);
        for dim in *dims {
            bytes.extend_from_slice(&dim.to_le_bytes());
        }
        bytes.push(*dtype);
        bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
        bytes.extend_from_slice(data);
    }
    bytes.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
    for (alias, target) in aliases {
        string(&mut bytes, alias);
        string(&mut bytes, target);
    }
    bytes
}

fn sample() -> Vec<u8> {
    let weights: Vec<u8> = (0u8..12).collect();
    model_file(
        6,
        &[
            ("decoder/embeddings/weight", &[2, 3], 4, weights),
            ("encoder/num_heads", &[], 2, 6i16.to_le_bytes().to_vec()),
            ("decoder/activation", &[], 1, vec![1]),
            ("encoder/conv1/weight", &[1, 2, 1], 0, vec![0; 8]),
        ],
        &[("decoder/projection/weight", "decoder/embeddings/weight")],
    )
}

fn open(bytes: &[u8]) -> (tempfile::TempDir, Result<Ct2Model, Ct2Error>) {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("model.bin");
    std::fs::write(&path, bytes).expect("write test model");
    let model = Ct2Model::open(&path);
    (directory, model)
}

#[test]
fn reads_ranks_dims_and_dtypes() {
    let (_directory, model) = open(&sample());
    let model = model.expect("valid model");
    assert_eq!(model.spec, "WhisperSpec");
    assert_eq!(model.revision, 3);
    assert_eq!(model.variables.len(), 4);
    let embeddings = model
        .variable("decoder/embeddings/weight")
        .expect("embeddings");
    assert_eq!(embeddings.dims, vec![2, 3]);
    assert_eq!(embeddings.dtype, Dtype::Float16);
    assert_eq!(embeddings.byte_count, 12);
    let conv = model.variable("encoder/conv1/weight").expect("conv");
    assert_eq!(
        (conv.dims.as_slice(), conv.dtype),
        ([1, 2, 1].as_slice(), Dtype::Float32)
    );
    assert_eq!(model.scalar("encoder/num_heads").expect("int16 scalar"), 6);
    assert_eq!(model.scalar("decoder/activation").expect("int8 scalar"), 1);
    assert!(matches!(
        model.scalar("decoder/embeddings/weight"),
        Err(Ct2Error::NotScalar { .. })
    ));
}

#[test]
fn streams_a_slice_of_data() {
    let (_directory, model) = open(&sample());
    let model = model.expect("valid model");
    let embeddings = model
        .variable("decoder/embeddings/weight")
        .expect("embeddings");
    let mut bytes = Vec::new();
    model
        .open_data(embeddings, 6, 6)
        .expect("open data")
        .read_to_end(&mut bytes)
        .expect("read data");
    assert_eq!(bytes, vec![6, 7, 8, 9, 10, 11]);
}

#[test]
fn resolves_aliases() {
    let (_directory, model) = open(&sample());
    let model = model.expect("valid model");
    assert_eq!(
        model
            .aliases
            .get("decoder/projection/weight")
            .map(String::as_str),
        Some("decoder/embeddings/weight")
    );
    let projection = model
        .variable("decoder/projection/weight")
        .expect("alias resolves");
    assert_eq!(projection.dims, vec![2, 3]);
    assert!(
        matches!(model.variable("decoder/missing"), Err(Ct2Error::MissingVariable { name, .. }) if name == "decoder/missing")
    );
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = sample();
    for length in [0, 3, 10, 30, 60, bytes.len() - 1] {
        let (_directory, model) = open(&bytes[..length]);
        assert!(
            matches!(model, Err(Ct2Error::Truncated { .. })),
            "length {length}: {model:?}"
        );
    }
}

#[test]
fn wrong_version_is_an_error() {
    let mut bytes = sample();
    bytes[..4].copy_from_slice(&0x6767_6d6cu32.to_le_bytes());
    let (_directory, model) = open(&bytes);
    let error = model.expect_err("not a CTranslate2 file");
    assert!(matches!(
        error,
        Ct2Error::UnsupportedVersion {
            found: 0x6767_6d6c,
            ..
        }
    ));
    assert!(error.to_string().contains("expected 6"), "{error}");
}

#[test]
fn size_mismatch_and_unknown_dtype_are_errors() {
    let wrong_size = model_file(6, &[("x", &[2, 2], 4, vec![0; 6])], &[]);
    let (_directory, model) = open(&wrong_size);
    assert!(matches!(
        model,
        Err(Ct2Error::SizeMismatch {
            found: 6,
            expected: 8,
            ..
        })
    ));
    let unknown = model_file(6, &[("x", &[1], 9, vec![0; 1])], &[]);
    let (_directory, model) = open(&unknown);
    assert!(matches!(model, Err(Ct2Error::UnknownDtype { code: 9, .. })));
}

#[test]
fn missing_file_names_the_path() {
    let error =
        Ct2Model::open(std::path::Path::new("/nonexistent/model.bin")).expect_err("missing");
    assert!(
        error.to_string().contains("/nonexistent/model.bin"),
        "{error}"
    );
}
