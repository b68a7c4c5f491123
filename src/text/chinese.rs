//! Characters of written Chinese: which characters are Chinese, the characters that say one
//! digit, full-width forms of ASCII characters (typed with Chinese input methods), and the
//! shape of Chinese mobile numbers.

/// Whether `character` is a Chinese character: a CJK unified ideograph (the basic block, its
/// extensions A to F and the compatibility ideographs) or 〇, the ideographic zero.
pub fn is_chinese_character(character: char) -> bool {
    matches!(
        character,
        '\u{3007}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FA1F}'
    )
}

/// The digit a Chinese character says on its own, as in a phone number read digit by digit:
/// 零 and 〇 (and 洞, used on the radio) are 0, 一 and 幺 are 1, 二 and 两 are 2, 三 to 九 are 3
/// to 9.
pub fn chinese_digit(character: char) -> Option<u8> {
    Some(match character {
        '零' | '〇' | '洞' => 0,
        '一' | '幺' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Whether `digits` make a mainland Chinese mobile number: 11 digits, 1 and then 3 to 9.
pub fn is_chinese_mobile_number(digits: &str) -> bool {
    digits.len() == 11
        && digits.bytes().all(|byte| byte.is_ascii_digit())
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9')
}

/// The ASCII character of a full-width form ("１" is "1", "，" is ","); other characters,
/// the ideographic space included, are returned as they are.
pub fn half_width(character: char) -> char {
    match character {
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(u32::from(character) - 0xFEE0).unwrap_or(character)
        }
        _ => character,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_are_told_apart() {
        for character in ['一', '我', '〇', '號', '𠀀'] {
            assert!(is_chinese_character(character), "{character}");
        }
        for character in ['a', '1', '，', '。', 'ア', '１'] {
            assert!(!is_chinese_character(character), "{character}");
        }
    }

    #[test]
    fn digit_characters_have_values() {
        let digits: String = "零〇洞一幺二两三四五六七八九"
            .chars()
            .filter_map(chinese_digit)
            .map(|digit| char::from(b'0' + digit))
            .collect();
        assert_eq!(digits, "00011223456789");
        assert_eq!(chinese_digit('十'), None);
        assert_eq!(chinese_digit('1'), None);
    }

    #[test]
    fn mobile_numbers_start_with_13_to_19() {
        assert!(is_chinese_mobile_number("13812345678"));
        assert!(is_chinese_mobile_number("19912345678"));
        assert!(!is_chinese_mobile_number("12812345678"));
        assert!(!is_chinese_mobile_number("1381234567"));
        assert!(!is_chinese_mobile_number("138123456789"));
        assert!(!is_chinese_mobile_number("1381234567x"));
    }

    #[test]
    fn full_width_forms_become_ascii() {
        let text: String = "１２３，ＡＢｃ？￥　".chars().map(half_width).collect();
        assert_eq!(text, "123,ABc?￥　");
    }
}
