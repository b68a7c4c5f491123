//! Locating positions in file text, for `file:line` messages.

/// The 1-based line of `text` containing byte `offset` (offsets past the end count as the
/// last line).
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}
