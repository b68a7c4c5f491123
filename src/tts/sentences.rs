//! Splitting normalized text into sentences, the unit of streaming synthesis.
//!
//! A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets) followed by
//! whitespace or the end of the text, unless the word before is a common abbreviation
//! ("Mr.", "Dr.", "St.", "e.g."). Line breaks also end a sentence.
//!
//! Invariants: every returned sentence is trimmed and contains at least one letter or digit
//! (pieces of pure punctuation are dropped, since they have nothing to say); joining the
//! sentences with spaces gives back the speakable content of the input in order.

/// Words that end with a period but do not end a sentence (compared lowercased, without it).
const ABBREVIATIONS: [&str; 12] = [
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "approx",
];

/// Splits `text` into speakable sentences.
pub fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let characters: Vec<(usize, char)> = line.char_indices().collect();
        for (position, &(index, character)) in characters.iter().enumerate() {
            if index < start || !matches!(character, '.' | '!' | '?') {
                continue;
            }
            let mut end = position + 1;
            while characters
                .get(end)
                .is_some_and(|(_, next)| matches!(next, '"' | '\'' | ')' | ']' | '.' | '!' | '?'))
            {
                end += 1;
            }
            let at_boundary = characters
                .get(end)
                .is_none_or(|(_, next)| next.is_whitespace());
            if !at_boundary || (character == '.' && ends_with_abbreviation(&line[start..index])) {
                continue;
            }
            let end_index = characters.get(end).map_or(line.len(), |(index, _)| *index);
            push_sentence(&mut sentences, &line[start..end_index]);
            start = end_index;
        }
        push_sentence(&mut sentences, &line[start..]);
    }
    sentences
}

fn ends_with_abbreviation(text: &str) -> bool {
    let last_word = text
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default()
        .trim_start_matches(|character: char| !character.is_alphanumeric())
        .to_lowercase();
    ABBREVIATIONS.contains(&last_word.as_str())
}

fn push_sentence(sentences: &mut Vec<String>, piece: &str) {
    let piece = piece.trim();
    if piece.chars().any(char::is_alphanumeric) {
        sentences.push(piece.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::split_sentences;

    #[test]
    fn splits_at_sentence_ends() {
        assert_eq!(
            split_sentences("Hello there. How can I help? Press one!"),
            ["Hello there.", "How can I help?", "Press one!"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_inner_periods() {
        assert_eq!(
            split_sentences("Dr. Smith will call. See e.g. the web page, version 2.5 works."),
            [
                "Dr. Smith will call.",
                "See e.g. the web page, version 2.5 works."
            ]
        );
    }

    #[test]
    fn handles_quotes_lines_and_empty_pieces() {
        assert_eq!(
            split_sentences("He said \"stop.\" Then left\n\n... \nNo end"),
            ["He said \"stop.\"", "Then left", "No end"]
        );
        assert!(split_sentences("  ").is_empty());
        for tricky in [
            "Wait... what?!",
            "é. ü! ñ?",
            "..a.",
            "\"?\" \"!\"",
            "Mr.",
            "(.)",
        ] {
            split_sentences(tricky);
        }
        assert!(split_sentences("?!").is_empty());
    }
}
