//! Word lists with a value per phrase (yes/no answers, sentiment weights), looked up in
//! normalised words.

use crate::text::chinese::is_chinese_character;

/// The longest phrase of `lexicon` that `words` start with: its length in words and its value.
/// Phrases are lower-case words separated by single spaces; a phrase in Chinese characters is a
/// word per character, as normalised text is ("不是" is the words 不 and 是).
pub fn longest_phrase<T: Copy>(lexicon: &[(&str, T)], words: &[String]) -> Option<(usize, T)> {
    lexicon
        .iter()
        .filter_map(|&(phrase, value)| {
            let phrase: Vec<&str> = phrase.split(' ').flat_map(characters_if_chinese).collect();
            let matches = words.len() >= phrase.len()
                && phrase
                    .iter()
                    .zip(words)
                    .all(|(wanted, word)| wanted == word);
            matches.then_some((phrase.len(), value))
        })
        .max_by_key(|&(length, _)| length)
}

/// A word written in Chinese characters as one word per character; any other word as it is.
fn characters_if_chinese(word: &str) -> Vec<&str> {
    if !word.chars().any(is_chinese_character) {
        return vec![word];
    }
    word.char_indices()
        .map(|(start, character)| &word[start..start + character.len_utf8()])
        .collect()
}
