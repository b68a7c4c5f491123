//! Word lists with a value per phrase (yes/no answers, sentiment weights), looked up in
//! normalised words.

/// The longest phrase of `lexicon` (phrases of lower-case words separated by single spaces) that
/// `words` start with: its length in words and its value.
pub fn longest_phrase<T: Copy>(lexicon: &[(&str, T)], words: &[String]) -> Option<(usize, T)> {
    lexicon
        .iter()
        .filter_map(|&(phrase, value)| {
            let phrase: Vec<&str> = phrase.split(' ').collect();
            let matches = words.len() >= phrase.len()
                && phrase
                    .iter()
                    .zip(words)
                    .all(|(wanted, word)| wanted == word);
            matches.then_some((phrase.len(), value))
        })
        .max_by_key(|&(length, _)| length)
}
