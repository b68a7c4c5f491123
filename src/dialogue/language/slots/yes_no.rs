//! Yes/no answers.
//!
//! The answer's words (normalised as in `speech`: lower case, "that's"
//! is "thats") are matched against the phrases below, longest phrase first, each word used once:
//!
//! * yes: yes, yeah, yea, ya, yep, yup, y, yes please, sure, sure thing, ok, okay, correct,
//!   right, all right, alright, affirmative, uh huh, mm hmm, mhm, absolutely, of course,
//!   definitely, certainly, exactly, indeed, i think so, i guess so, no problem;
//! * no: no, nope, nah, n, wrong, incorrect, negative, not really, not at all, no way,
//!   of course not, absolutely not, definitely not, certainly not, i dont think so;
//! * unsure: not sure, unsure, dont know, do not know, no idea, maybe, perhaps.
//!
//! A yes or no phrase right after a negation ("not", "isnt", "dont", "never"...; up to one word
//! between) turns over: "that's not right" and "not quite correct" are no, "not wrong" is yes.
//! The answer is "yes" or "no" when every phrase found agrees. Both ("yes no", and also "no,
//! that's right", which people say to mean either) or an unsure phrase make it
//! [`SlotError::UnclearYesOrNo`], so the flow asks again; no phrase at all is
//! [`SlotError::NotYesOrNo`].
//!
//! Chinese answers are matched the same way, character by character (Chinese has no spaces),
//! longest phrase first, so 不是 is never read as 是 nor 不对 as 对:
//!
//! * yes: 是, 是的, 对, 对的, 对啊, 好, 好的, 可以, 行, 没问题, 没有问题, 嗯, 确认, 没错, 当然;
//! * no: 不, 不是, 不对, 不用, 不要, 不行, 不需要, 不好, 不可以, 算了, 没有, 错了;
//! * unsure: 不知道, 不确定, 也许, 可能, 说不好;
//! * no answer at all, though they hold yes or no characters: 你好, 您好, 对不起, 不好意思, 好像.
//!
//! The one-character yes words 是, 对, 好, 行 and 嗯 are mostly part of other words inside a
//! sentence ("我的订单号是12345", "嗯，我想想"), so each counts only at the end of its clause
//! (before punctuation, a space between Chinese characters, or the end), where only the
//! particles 吧, 啊, 呀, 呢, 嘛, 啦, 哦 and 了 may follow it ("好吧", "是啊"), or right before
//! another answer phrase ("对对对", "是 yes"). English and Chinese phrases in one answer count
//! together: "是的 yes" is yes, "是的 no" unclear.

use super::super::lexicon::longest_phrase;
use super::super::speech::normalise as words_of;
use super::SlotError;
use crate::text::chinese::{half_width, is_chinese_character};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Yes,
    No,
    Unsure,
    /// A phrase that holds answer words but is no answer ("对不起", sorry).
    Neither,
}

const PHRASES: &[(&str, Answer)] = &[
    ("yes", Answer::Yes),
    ("yeah", Answer::Yes),
    ("yea", Answer::Yes),
    ("ya", Answer::Yes),
    ("yep", Answer::Yes),
    ("yup", Answer::Yes),
    ("y", Answer::Yes),
    ("yes please", Answer::Yes),
    ("sure", Answer::Yes),
    ("sure thing", Answer::Yes),
    ("ok", Answer::Yes),
    ("okay", Answer::Yes),
    ("correct", Answer::Yes),
    ("right", Answer::Yes),
    ("all right", Answer::Yes),
    ("alright", Answer::Yes),
    ("affirmative", Answer::Yes),
    ("uh huh", Answer::Yes),
    ("mm hmm", Answer::Yes),
    ("mhm", Answer::Yes),
    ("absolutely", Answer::Yes),
    ("of course", Answer::Yes),
    ("definitely", Answer::Yes),
    ("certainly", Answer::Yes),
    ("exactly", Answer::Yes),
    ("indeed", Answer::Yes),
    ("i think so", Answer::Yes),
    ("i guess so", Answer::Yes),
    ("no problem", Answer::Yes),
    ("no", Answer::No),
    ("nope", Answer::No),
    ("nah", Answer::No),
    ("n", Answer::No),
    ("wrong", Answer::No),
    ("incorrect", Answer::No),
    ("negative", Answer::No),
    ("not really", Answer::No),
    ("not at all", Answer::No),
    ("no way", Answer::No),
    ("of course not", Answer::No),
    ("absolutely not", Answer::No),
    ("definitely not", Answer::No),
    ("certainly not", Answer::No),
    ("i dont think so", Answer::No),
    ("not sure", Answer::Unsure),
    ("unsure", Answer::Unsure),
    ("dont know", Answer::Unsure),
    ("do not know", Answer::Unsure),
    ("no idea", Answer::Unsure),
    ("maybe", Answer::Unsure),
    ("perhaps", Answer::Unsure),
];

const CHINESE_PHRASES: &[(&str, Answer)] = &[
    ("是", Answer::Yes),
    ("是的", Answer::Yes),
    ("对", Answer::Yes),
    ("对的", Answer::Yes),
    ("对啊", Answer::Yes),
    ("好", Answer::Yes),
    ("好的", Answer::Yes),
    ("可以", Answer::Yes),
    ("行", Answer::Yes),
    ("没问题", Answer::Yes),
    ("没有问题", Answer::Yes),
    ("嗯", Answer::Yes),
    ("确认", Answer::Yes),
    ("没错", Answer::Yes),
    ("当然", Answer::Yes),
    ("不", Answer::No),
    ("不是", Answer::No),
    ("不对", Answer::No),
    ("不用", Answer::No),
    ("不要", Answer::No),
    ("不行", Answer::No),
    ("不需要", Answer::No),
    ("不好", Answer::No),
    ("不可以", Answer::No),
    ("算了", Answer::No),
    ("没有", Answer::No),
    ("错了", Answer::No),
    ("不知道", Answer::Unsure),
    ("不确定", Answer::Unsure),
    ("也许", Answer::Unsure),
    ("可能", Answer::Unsure),
    ("说不好", Answer::Unsure),
    ("你好", Answer::Neither),
    ("您好", Answer::Neither),
    ("对不起", Answer::Neither),
    ("不好意思", Answer::Neither),
    ("好像", Answer::Neither),
];

/// Chinese yes words that count only at the end of a clause (see the module docs).
const CLAUSE_FINAL: [&str; 5] = ["是", "对", "好", "行", "嗯"];

/// Particles that may follow a clause-final yes word.
const PARTICLES: [&str; 8] = ["吧", "啊", "呀", "呢", "嘛", "啦", "哦", "了"];

const NEGATIONS: &[&str] = &[
    "not", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "never", "aint",
];

/// "yes" or "no" for `answer` (see the module docs).
pub fn normalise(answer: &str) -> Result<String, SlotError> {
    let (words, clause_ends) = words_and_clause_ends(answer);
    let mut answers = Vec::new();
    // Where the last negation not used by a phrase was.
    let mut negation: Option<usize> = None;
    let mut index = 0;
    while index < words.len() {
        let phrase = longest(&words[index..]).filter(|&(length, _)| {
            length > 1
                || !CLAUSE_FINAL.contains(&words[index].as_str())
                || words[index + 1..clause_ends[index]]
                    .iter()
                    .all(|word| PARTICLES.contains(&word.as_str()))
                || longest(&words[index + 1..]).is_some()
        });
        let Some((length, answer)) = phrase else {
            if NEGATIONS.contains(&words[index].as_str()) {
                negation = Some(index);
            }
            index += 1;
            continue;
        };
        if answer == Answer::Neither {
            index += length;
            continue;
        }
        let negated = negation.is_some_and(|position| index - position <= 2);
        answers.push(match (answer, negated) {
            (Answer::Yes, true) => Answer::No,
            (Answer::No, true) => Answer::Yes,
            (answer, _) => answer,
        });
        negation = None;
        index += length;
    }
    let has = |wanted: Answer| answers.contains(&wanted);
    match (has(Answer::Yes), has(Answer::No), has(Answer::Unsure)) {
        (false, false, false) => Err(SlotError::NotYesOrNo),
        (true, false, false) => Ok("yes".to_string()),
        (false, true, false) => Ok("no".to_string()),
        _ => Err(SlotError::UnclearYesOrNo),
    }
}

/// The longest English or Chinese phrase that `words` start with.
fn longest(words: &[String]) -> Option<(usize, Answer)> {
    let english = longest_phrase(PHRASES, words);
    let chinese = longest_phrase(CHINESE_PHRASES, words);
    english
        .into_iter()
        .chain(chinese)
        .max_by_key(|&(length, _)| length)
}

/// The normalised words of `answer`, and for each word the index just past the last word of
/// its clause. Clauses end at punctuation and at a space between two Chinese characters.
fn words_and_clause_ends(answer: &str) -> (Vec<String>, Vec<usize>) {
    let characters: Vec<char> = answer.chars().map(half_width).collect();
    let mut clauses = vec![String::new()];
    for (index, &character) in characters.iter().enumerate() {
        let chinese_at = |position: Option<usize>| {
            position
                .and_then(|position| characters.get(position))
                .is_some_and(|&character| is_chinese_character(character))
        };
        let breaks = if character.is_whitespace() {
            chinese_at(index.checked_sub(1)) && chinese_at(Some(index + 1))
        } else {
            !character.is_alphanumeric() && !matches!(character, '\'' | '\u{2019}')
        };
        if breaks {
            clauses.push(String::new());
        } else if let Some(clause) = clauses.last_mut() {
            clause.push(character);
        }
    }
    let mut words = Vec::new();
    let mut clause_ends = Vec::new();
    for clause in clauses {
        words.extend(words_of(&clause));
        clause_ends.resize(words.len(), words.len());
    }
    (words, clause_ends)
}

#[cfg(test)]
#[path = "yes_no_tests.rs"]
mod tests;
