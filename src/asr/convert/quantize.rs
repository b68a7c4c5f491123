//! ggml's `q8_0` block quantisation, as whisper.cpp's `quantize` tool writes it
//! (`quantize_row_q8_0_ref` in ggml 0.9.5): each block of 32 consecutive values of a row is
//! stored as its scale `d = max|x| / 127` (an f16) followed by the 32 values `round(x / d)` as
//! signed bytes (34 bytes for 32 values). Rows must hold a whole number of blocks.

use half::f16;

/// Values per block.
pub const QUANTIZED_BLOCK: u32 = 32;
/// Bytes per block: the f16 scale and one byte per value.
pub const QUANTIZED_BLOCK_BYTES: u64 = 2 + QUANTIZED_BLOCK as u64;

/// Appends the `q8_0` blocks of `values` to `output`; `values.len()` must be a multiple of
/// [`QUANTIZED_BLOCK`] (a shorter last block is padded with zeros, which the planner's shape
/// check rules out).
pub fn quantize_q8_0(values: &[f32], output: &mut Vec<u8>) {
    for block in values.chunks(QUANTIZED_BLOCK as usize) {
        let largest = block
            .iter()
            .fold(0.0f32, |largest, value| largest.max(value.abs()));
        let scale = largest / 127.0;
        let inverse = if scale == 0.0 { 0.0 } else { 1.0 / scale };
        output.extend_from_slice(&f16::from_f32(scale).to_le_bytes());
        for index in 0..QUANTIZED_BLOCK as usize {
            let value = block.get(index).copied().unwrap_or(0.0);
            output.push((value * inverse).round() as i8 as u8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dequantize(blocks: &[u8]) -> Vec<f32> {
        blocks
            .chunks(QUANTIZED_BLOCK_BYTES as usize)
            .flat_map(|block| {
                let scale = f16::from_le_bytes([block[0], block[1]]).to_f32();
                block[2..]
                    .iter()
                    .map(move |&byte| f32::from(byte as i8) * scale)
            })
            .collect()
    }

    #[test]
    fn blocks_hold_a_scale_and_32_bytes_and_round_trip_closely() {
        let values: Vec<f32> = (0..64).map(|index| (index as f32 - 20.0) * 0.013).collect();
        let mut blocks = Vec::new();
        quantize_q8_0(&values, &mut blocks);
        assert_eq!(blocks.len() as u64, 2 * QUANTIZED_BLOCK_BYTES);
        // The first block's largest magnitude is 20 × 0.013 at index 0: it becomes -127.
        assert_eq!(blocks[2] as i8, -127);
        for (value, restored) in values.iter().zip(dequantize(&blocks)) {
            let block_largest = 43.0 * 0.013;
            assert!(
                (value - restored).abs() <= block_largest / 127.0,
                "{value} became {restored}"
            );
        }
    }

    #[test]
    fn a_block_of_zeros_has_scale_zero() {
        let mut blocks = Vec::new();
        quantize_q8_0(&[0.0; 32], &mut blocks);
        assert_eq!(blocks, vec![0u8; QUANTIZED_BLOCK_BYTES as usize]);
    }
}
