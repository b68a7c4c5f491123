//! Word and character error rates, for tests and benchmarks that score recognition against a
//! reference.
//!
//! For words, both texts are normalised first (lower case, punctuation dropped, hyphens split,
//! numbers up to 99 spelled as words and longer ones digit by digit, contractions written out as
//! Whisper's own English normaliser does), so "Order 12345." and "order one two three four five"
//! compare equal, and so do "10 of clubs" and "ten of clubs", and "I'm" and "I am".
//! Characters (for Chinese, which has no spaces between words) are compared after both texts
//! are converted to Simplified characters and stripped of punctuation and spaces.

use crate::text::numbers;
use crate::text::simplified::to_simplified;

/// Word error rate of `hypothesis` against `reference`: (substitutions + deletions +
/// insertions) / reference words. An empty reference gives 0 for an empty hypothesis, else 1.
pub fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let reference = normalise(reference);
    let hypothesis = normalise(hypothesis);
    if reference.is_empty() {
        return if hypothesis.is_empty() { 0.0 } else { 1.0 };
    }
    edit_distance(&reference, &hypothesis) as f64 / reference.len() as f64
}

/// Errors (word edits) between two texts after normalisation, and the reference length.
pub fn word_errors(reference: &str, hypothesis: &str) -> (usize, usize) {
    let reference = normalise(reference);
    let hypothesis = normalise(hypothesis);
    (edit_distance(&reference, &hypothesis), reference.len())
}

/// Errors (character edits) between two texts, each in Simplified characters without
/// punctuation or spaces, and the reference length in characters.
pub fn character_errors(reference: &str, hypothesis: &str) -> (usize, usize) {
    let characters = |text: &str| -> Vec<char> {
        to_simplified(text)
            .chars()
            .filter(|character| character.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let reference = characters(reference);
    (
        edit_distance(&reference, &characters(hypothesis)),
        reference.len(),
    )
}

/// Numbers up to this are said as words ("ten"); longer ones digit by digit.
const LARGEST_SPOKEN_NUMBER: u64 = 99;

fn number_words(digits: &str, words: &mut Vec<String>) {
    let spoken = match digits.parse::<u64>() {
        Ok(value)
            if (value <= LARGEST_SPOKEN_NUMBER && !digits.starts_with('0')) || digits == "0" =>
        {
            numbers::cardinal(value)
        }
        _ => numbers::digit_by_digit(digits),
    };
    words.extend(spoken.split(['-', ' ']).map(str::to_string));
}

fn normalise(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for raw in text.split(|character: char| character.is_whitespace() || character == '-') {
        let cleaned: String = raw
            .chars()
            .filter(|character| character.is_alphanumeric() || *character == '\'')
            .flat_map(char::to_lowercase)
            .collect();
        if cleaned.is_empty() {
            continue;
        }
        if cleaned.chars().all(|character| character.is_ascii_digit()) {
            number_words(&cleaned, &mut words);
        } else {
            words.extend(written_out(&cleaned));
        }
    }
    words
}

/// Words whose `'s` always stands for "is" (never a possessive).
const IS_CONTRACTIONS: [&str; 8] = ["it", "that", "there", "what", "here", "he", "she", "where"];

/// Contractions that are not a word plus a suffix.
const WHOLE_CONTRACTIONS: [(&str, &str); 4] = [
    ("won't", "will not"),
    ("can't", "can not"),
    ("shan't", "shall not"),
    ("let's", "let us"),
];

/// Suffixes that always stand for one word.
const SUFFIX_CONTRACTIONS: [(&str, &str); 5] = [
    ("n't", "not"),
    ("'re", "are"),
    ("'m", "am"),
    ("'ll", "will"),
    ("'ve", "have"),
];

/// A lower-case word with its contraction written out ("i'm" → "i am", "that's" → "that is").
fn written_out(word: &str) -> Vec<String> {
    let split = |text: &str| text.split(' ').map(str::to_string).collect();
    if let Some((_, full)) = WHOLE_CONTRACTIONS.iter().find(|(short, _)| *short == word) {
        return split(full);
    }
    for (suffix, full) in SUFFIX_CONTRACTIONS {
        if let Some(stem) = word.strip_suffix(suffix).filter(|stem| !stem.is_empty()) {
            return vec![stem.to_string(), full.to_string()];
        }
    }
    match word.strip_suffix("'s") {
        Some(stem) if IS_CONTRACTIONS.contains(&stem) => vec![stem.to_string(), "is".into()],
        _ => vec![word.to_string()],
    }
}

fn edit_distance<T: PartialEq>(reference: &[T], hypothesis: &[T]) -> usize {
    let mut previous: Vec<usize> = (0..=hypothesis.len()).collect();
    for (row, reference_word) in reference.iter().enumerate() {
        let mut current = vec![row + 1; hypothesis.len() + 1];
        for (column, hypothesis_word) in hypothesis.iter().enumerate() {
            let substitution = previous[column] + usize::from(reference_word != hypothesis_word);
            current[column + 1] = substitution
                .min(previous[column + 1] + 1)
                .min(current[column] + 1);
        }
        previous = current;
    }
    previous[hypothesis.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_after_normalisation_score_zero() {
        assert_eq!(
            word_error_rate("Where is my order?", "where is my order"),
            0.0
        );
        assert_eq!(
            word_error_rate("order one two three four five", "Order 12345."),
            0.0
        );
        assert_eq!(word_error_rate("ten of clubs", "10 of clubs."), 0.0);
        assert_eq!(word_error_rate("five five", "5 5"), 0.0);
        assert_eq!(word_error_rate("forty two", "42"), 0.0);
        assert_eq!(
            word_error_rate("an ill disposed man", "an ill-disposed man"),
            0.0
        );
    }

    #[test]
    fn contractions_compare_equal_to_their_words() {
        assert_eq!(
            word_error_rate(
                "I am sorry, that's not a valid extension.",
                "I'm sorry, that is not a valid extension."
            ),
            0.0
        );
        assert_eq!(word_error_rate("they're here", "they are here"), 0.0);
        assert_eq!(word_error_rate("we won't wait", "we will not wait"), 0.0);
        assert_eq!(word_error_rate("it doesn't", "it does not"), 0.0);
        // A possessive stays one word.
        assert_eq!(
            word_errors("the order's number", "the order is number"),
            (2, 3)
        );
    }

    #[test]
    fn substitutions_deletions_and_insertions_count() {
        assert_eq!(
            word_errors("where is my order", "where was my order"),
            (1, 4)
        );
        assert_eq!(word_errors("where is my order", "where my order"), (1, 4));
        assert_eq!(
            word_errors("where is my order", "so where is my order now"),
            (2, 4)
        );
        assert_eq!(word_error_rate("", ""), 0.0);
        assert_eq!(word_error_rate("", "noise"), 1.0);
        assert_eq!(word_error_rate("yes", ""), 1.0);
    }

    #[test]
    fn characters_compare_in_simplified_without_punctuation_or_spaces() {
        assert_eq!(
            character_errors("先帝创业未半，而中道崩殂。", "先帝創業未半 而中道崩殂"),
            (0, 11)
        );
        assert_eq!(
            character_errors("此诚危急存亡之秋也", "此成危急存亡之秋"),
            (2, 9)
        );
        assert_eq!(character_errors("", ""), (0, 0));
    }
}
