//! Traditional to Simplified Chinese, with OpenCC's dictionaries (Apache-2.0, in `opencc/`,
//! compiled into the binary): at each position the longest phrase of `TSPhrases.txt` that
//! matches is replaced by its Simplified form, else the character by its first candidate in
//! `TSCharacters.txt`. Text that is already Simplified, and everything that is not Chinese,
//! comes back unchanged.

use std::collections::HashMap;
use std::sync::LazyLock;

/// One OpenCC dictionary: source text → its first (preferred) conversion.
struct Dictionary {
    entries: HashMap<&'static str, &'static str>,
    /// The longest source text, in characters.
    longest: usize,
}

impl Dictionary {
    /// Parses OpenCC's text format: `#` comment lines, then `source<TAB>candidate candidate...`.
    fn parse(text: &'static str) -> Dictionary {
        let entries: HashMap<&'static str, &'static str> = text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (source, candidates) = line.split_once('\t')?;
                Some((source, candidates.split(' ').next()?))
            })
            .collect();
        let longest = entries
            .keys()
            .map(|source| source.chars().count())
            .max()
            .unwrap_or(1);
        Dictionary { entries, longest }
    }
}

static PHRASES: LazyLock<Dictionary> =
    LazyLock::new(|| Dictionary::parse(include_str!("opencc/TSPhrases.txt")));
static CHARACTERS: LazyLock<Dictionary> =
    LazyLock::new(|| Dictionary::parse(include_str!("opencc/TSCharacters.txt")));

/// `text` in Simplified characters.
pub fn to_simplified(text: &str) -> String {
    if !text.chars().any(super::chinese::is_chinese_character) {
        return text.to_string();
    }
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(index, _)| index)
        .chain([text.len()])
        .collect();
    let characters = boundaries.len() - 1;
    let mut simplified = String::with_capacity(text.len());
    let mut position = 0;
    while position < characters {
        let longest = PHRASES.longest.min(characters - position);
        let phrase = (2..=longest).rev().find_map(|length| {
            let source = &text[boundaries[position]..boundaries[position + length]];
            PHRASES.entries.get(source).map(|target| (length, *target))
        });
        let (length, target) = phrase.unwrap_or_else(|| {
            let source = &text[boundaries[position]..boundaries[position + 1]];
            (1, CHARACTERS.entries.get(source).copied().unwrap_or(source))
        });
        simplified.push_str(target);
        position += length;
    }
    simplified
}

#[cfg(test)]
mod tests {
    use super::to_simplified;

    #[test]
    fn traditional_characters_become_simplified() {
        assert_eq!(
            to_simplified("請問您的訂單號碼是多少"),
            "请问您的订单号码是多少"
        );
        assert_eq!(
            to_simplified("我們為您轉接人工服務"),
            "我们为您转接人工服务"
        );
        assert_eq!(to_simplified("發貨了嗎？"), "发货了吗？");
    }

    #[test]
    fn phrases_take_precedence_over_single_characters() {
        // 瞭 alone stays 瞭 and 乾 alone becomes 干; in these phrases it is the other way round.
        assert_eq!(to_simplified("一目瞭然"), "一目了然");
        assert_eq!(to_simplified("乾坤"), "乾坤");
        assert_eq!(to_simplified("乾淨"), "干净");
    }

    #[test]
    fn simplified_and_other_text_is_unchanged() {
        for text in [
            "先帝创业未半而中道崩殂",
            "order 12345, please",
            "",
            "我要退货 OK",
        ] {
            assert_eq!(to_simplified(text), text);
        }
    }
}
