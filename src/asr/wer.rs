//! Word error rate, for tests and benchmarks that score recognition against a reference.
//!
//! Both texts are normalised first (lower case, punctuation dropped, hyphens split, numbers up
//! to 99 spelled as words and longer ones digit by digit), so "Order 12345." and "order one two
//! three four five" compare equal, and so do "10 of clubs" and "ten of clubs".

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

const DIGITS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS: [&str; 10] = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn number_words(digits: &str, words: &mut Vec<String>) {
    let digit = |byte: u8| usize::from(byte - b'0');
    match digits.as_bytes() {
        [single] => words.push(DIGITS[digit(*single)].to_string()),
        [b'1', second] => words.push(TEENS[digit(*second)].to_string()),
        [first, b'0'] if *first != b'0' => words.push(TENS[digit(*first)].to_string()),
        [first, second] if *first != b'0' => {
            words.push(TENS[digit(*first)].to_string());
            words.push(DIGITS[digit(*second)].to_string());
        }
        all => words.extend(all.iter().map(|byte| DIGITS[digit(*byte)].to_string())),
    }
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
            words.push(cleaned);
        }
    }
    words
}

fn edit_distance(reference: &[String], hypothesis: &[String]) -> usize {
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
}
