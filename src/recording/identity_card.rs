//! Chinese resident identity card numbers (GB 11643-1999), recognised so that redaction hides
//! them and nothing else of their length.
//!
//! A number is 18 characters: a 6-digit region code (not starting with 0), the date of birth
//! as YYYYMMDD (a real date from 1900 to 2099), a 3-digit sequence number and a check character,
//! 0 to 9 or X, computed by ISO 7064 MOD 11-2: the first 17 digits times the weights 7 9 10 5 8
//! 4 2 1 6 3 7 9 10 5 8 4 2, summed, modulo 11, give 0 to 10, which map to 1 0 X 9 8 7 6 5 4 3 2.

use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS: [u8; 11] = *b"10X98765432";
const LENGTH: usize = 18;

/// Whether `characters` (digits, the last perhaps `X` or `x`, nothing between) are a valid
/// identity card number: its shape, date of birth and check character.
pub fn is_identity_card_number(characters: &str) -> bool {
    let bytes = characters.as_bytes();
    if bytes.len() != LENGTH || !bytes[..LENGTH - 1].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| characters[range].parse::<u32>().ok();
    let born = match (number(6..10), number(10..12), number(12..14)) {
        (Some(year), Some(month), Some(day)) if (1900..=2099).contains(&year) => {
            i32::try_from(year)
                .ok()
                .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        }
        _ => None,
    };
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let check = CHECK_CHARACTERS[(sum % 11) as usize];
    bytes[0] != b'0' && born.is_some() && bytes[LENGTH - 1].to_ascii_uppercase() == check
}

#[cfg(test)]
mod tests {
    use super::is_identity_card_number;

    #[test]
    fn valid_numbers_are_recognised() {
        for number in [
            "11010519491231002X",
            "11010519491231002x",
            "440304199001011233",
            "110105200002290013",
        ] {
            assert!(is_identity_card_number(number), "{number}");
        }
    }

    #[test]
    fn invalid_numbers_are_not() {
        for number in [
            // Wrong check character.
            "110105194912310021",
            "440304199001011234",
            // February 30, with a matching check character.
            "110105194902300020",
            // Born in 1800.
            "110105180012310027",
            // Region starting with 0.
            "010105194912310026",
            // Too short, too long, X inside.
            "11010519491231002",
            "11010519491231002X1",
            "1101051949123100X2",
            "",
        ] {
            assert!(!is_identity_card_number(number), "{number}");
        }
    }
}
