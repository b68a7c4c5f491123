//! Tests for the mel filterbank, the GPT-2 byte mapping and the ggml header round trip (f16 and
//! q8_0).

use super::ggml;
use super::layout::{Hparams, MatrixType, OutputType};
use super::mel::{hertz_to_mel, mel_to_hertz, whisper_filterbank};
use super::quantize::quantize_q8_0;
use super::vocabulary::{byte_to_unicode, decode_token, unicode_to_byte};
use sha2::{Digest, Sha256};

/// (band, bin, f32 bits) computed once by a numpy re-implementation of
/// `librosa.filters.mel(sr=16000, n_fft=400, n_mels=80)`, which matched openai-whisper's
/// `mel_filters.npz` bit for bit.
const REFERENCE: [(usize, usize, u32); 14] = [
    (0, 0, 0x8000_0000),
    (0, 1, 0x3ccb_aca4),
    (0, 2, 0),
    (1, 2, 0x3cbb_5d95),
    (3, 3, 0x3bc3_b4ac),
    (26, 26, 0x3b59_7cf8),
    (44, 51, 0x3bf9_5242),
    (55, 75, 0x3b7d_ad73),
    (62, 101, 0x3ba8_c8ed),
    (68, 125, 0x3b80_2788),
    (73, 149, 0x3ab8_7fde),
    (77, 173, 0x3a52_eb9f),
    (79, 190, 0x3b12_47ab),
    (79, 199, 0x39eb_476a),
];

#[test]
fn filterbank_matches_librosa() {
    let filterbank = whisper_filterbank(80);
    assert_eq!((filterbank.mel_count, filterbank.frequency_bins), (80, 201));
    for (band, bin, bits) in REFERENCE {
        let value = filterbank.weights[band * 201 + bin];
        assert_eq!(value.to_bits(), bits, "band {band} bin {bin}: {value}");
    }
    let non_zero = filterbank
        .weights
        .iter()
        .filter(|&&weight| weight != 0.0)
        .count();
    assert_eq!(non_zero, 391);
    let bytes: Vec<u8> = filterbank
        .weights
        .iter()
        .flat_map(|weight| weight.to_le_bytes())
        .collect();
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(
        digest, "4f2701b1d287d74a0dc9871026e9519d98cb76426615f2539b0d151a0ae4ec2e",
        "SHA-256 of the little-endian f32 filterbank, as librosa and mel_filters.npz give it"
    );
    let sum: f64 = filterbank
        .weights
        .iter()
        .map(|&weight| f64::from(weight))
        .sum();
    assert!((sum - 1.999_024_092_387_117).abs() < 1e-9, "sum {sum}");
}

#[test]
fn slaney_scale_is_linear_below_1_khz_and_logarithmic_above() {
    assert_eq!(hertz_to_mel(0.0), 0.0);
    assert!((hertz_to_mel(1000.0) - 15.0).abs() < 1e-12);
    assert!((hertz_to_mel(500.0) - 7.5).abs() < 1e-12);
    for hertz in [100.0, 999.0, 1000.0, 4321.0, 8000.0] {
        assert!((mel_to_hertz(hertz_to_mel(hertz)) - hertz).abs() < 1e-9);
    }
}

#[test]
fn byte_mapping_matches_gpt2() {
    let table = byte_to_unicode();
    assert_eq!(table[usize::from(b'!')], '!');
    assert_eq!(table[usize::from(b'~')], '~');
    assert_eq!(table[usize::from(b' ')], '\u{120}');
    assert_eq!(table[usize::from(b'\n')], '\u{10a}');
    assert_eq!(table[0], '\u{100}');
    assert_eq!(table[0xAD], '\u{143}');
    assert_eq!(table[0xFF], '\u{ff}');
    let decoder = unicode_to_byte();
    assert_eq!(decoder.len(), 256, "the mapping is a bijection");
    assert_eq!(
        decode_token("\u{120}hello", &decoder),
        Ok(b" hello".to_vec())
    );
    assert_eq!(
        decode_token("\u{c3}\u{a9}", &decoder),
        Ok("é".as_bytes().to_vec())
    );
    assert_eq!(
        decode_token("<|endoftext|>", &decoder),
        Ok(b"<|endoftext|>".to_vec())
    );
    assert_eq!(decode_token("a b", &decoder), Err(' '));
}

#[test]
fn ggml_header_round_trips() {
    let hparams = Hparams {
        vocabulary_size: 51864,
        audio_context: 1500,
        audio_state: 384,
        audio_heads: 6,
        audio_layers: 4,
        text_context: 448,
        text_state: 384,
        text_heads: 6,
        text_layers: 4,
        mel_count: 80,
    };
    let filterbank = whisper_filterbank(80);
    let tokens = vec![b"!".to_vec(), b" the".to_vec()];
    let mut bytes = Vec::new();
    ggml::write_header(&mut bytes, &hparams, MatrixType::Float16).expect("header");
    ggml::write_filterbank(&mut bytes, &filterbank).expect("filterbank");
    ggml::write_vocabulary(&mut bytes, &tokens).expect("vocabulary");
    ggml::write_tensor_header(
        &mut bytes,
        "encoder.conv1.bias",
        &[384, 1],
        OutputType::Float32,
    )
    .expect("tensor header");
    bytes.extend_from_slice(&[0; 384 * 4]);
    assert_eq!(&bytes[..4], b"lmgg", "magic 0x67676d6c little-endian");
    let summary = ggml::read_summary(&mut bytes.as_slice()).expect("summary");
    assert_eq!(summary.hparams, hparams);
    assert_eq!(summary.ftype, 1);
    assert_eq!(summary.filterbank, filterbank);
    assert_eq!(summary.tokens, tokens);
    assert_eq!(summary.tensors.len(), 1);
    assert_eq!(summary.tensors[0].dims, vec![1, 384]);
    assert_eq!(summary.tensors[0].ftype, 0);
    let truncated = &bytes[..bytes.len() - 1];
    assert!(ggml::read_summary(&mut &truncated[..]).is_err());
}

#[test]
fn a_quantised_header_and_tensor_round_trip() {
    let hparams = Hparams {
        vocabulary_size: 51865,
        audio_context: 1500,
        audio_state: 512,
        audio_heads: 8,
        audio_layers: 6,
        text_context: 448,
        text_state: 512,
        text_heads: 8,
        text_layers: 6,
        mel_count: 80,
    };
    let mut bytes = Vec::new();
    ggml::write_header(&mut bytes, &hparams, MatrixType::Quantized8).expect("header");
    ggml::write_filterbank(&mut bytes, &whisper_filterbank(80)).expect("filterbank");
    ggml::write_vocabulary(&mut bytes, &[]).expect("vocabulary");
    let name = "decoder.blocks.0.attn.query.weight";
    ggml::write_tensor_header(&mut bytes, name, &[512, 512], OutputType::Quantized8)
        .expect("tensor header");
    let mut blocks = Vec::new();
    quantize_q8_0(&vec![0.25; 512 * 512], &mut blocks);
    assert_eq!(blocks.len(), 512 * 512 / 32 * 34);
    bytes.extend_from_slice(&blocks);
    let summary = ggml::read_summary(&mut bytes.as_slice()).expect("summary");
    assert_eq!(
        summary.ftype, 2007,
        "GGML_FTYPE_MOSTLY_Q8_0 + 1000 × GGML_QNT_VERSION"
    );
    assert_eq!(summary.hparams, hparams);
    assert_eq!(summary.tensors[0].name, name);
    assert_eq!(summary.tensors[0].ftype, 8, "GGML_TYPE_Q8_0");
    let truncated = &bytes[..bytes.len() - 1];
    assert!(ggml::read_summary(&mut &truncated[..]).is_err());
}
