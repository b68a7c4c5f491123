//! Splitting Chinese text into sentences for synthesis (one model call each, so the first
//! plays while the rest is synthesized) and sentences into clauses (each synthesized alone:
//! the Baker front end reads no punctuation, so a pause between clauses is put in as silence).
//!
//! Sentences end at 。！？； (and their ASCII forms); a long sentence also breaks at a comma so
//! its first part is not held back by the rest.

/// A sentence this many characters long or longer is also split at commas.
const LONG_SENTENCE: usize = 24;

fn ends_sentence(character: char) -> bool {
    matches!(character, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

fn ends_clause(character: char) -> bool {
    matches!(character, '，' | '、' | '：' | ',' | ':')
}

/// Pieces of `text` ending after every character `ends` accepts, trimmed, without empty ones.
fn split_after(text: &str, ends: impl Fn(char) -> bool) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for character in text.chars() {
        current.push(character);
        if ends(character) {
            pieces.push(std::mem::take(&mut current));
        }
    }
    pieces.push(current);
    pieces
        .into_iter()
        .map(|piece| piece.trim().to_owned())
        .filter(|piece| piece.chars().any(char::is_alphanumeric))
        .collect()
}

/// The sentences of normalized Chinese text.
pub fn split_chinese_sentences(text: &str) -> Vec<String> {
    split_after(text, ends_sentence)
        .into_iter()
        .flat_map(|sentence| {
            if sentence.chars().count() >= LONG_SENTENCE {
                split_after(&sentence, |character| matches!(character, '，' | ','))
            } else {
                vec![sentence]
            }
        })
        .collect()
}

/// The clauses of one sentence.
pub fn split_clauses(sentence: &str) -> Vec<String> {
    split_after(sentence, ends_clause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_full_stops_and_long_ones_at_commas() {
        assert_eq!(
            split_chinese_sentences("您好，欢迎致电。您的订单明天送达！好吗？"),
            ["您好，欢迎致电。", "您的订单明天送达！", "好吗？"]
        );
        assert_eq!(
            split_chinese_sentences("如果您需要查询订单请按一，如果您需要办理退货请按二。"),
            ["如果您需要查询订单请按一，", "如果您需要办理退货请按二。"]
        );
        assert!(split_chinese_sentences("。。").is_empty());
    }

    #[test]
    fn clauses_end_at_commas_and_colons() {
        assert_eq!(
            split_clauses("您好，欢迎致电：谢谢。"),
            ["您好，", "欢迎致电：", "谢谢。"]
        );
    }
}
