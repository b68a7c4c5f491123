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

use super::super::lexicon::longest_phrase;
use super::super::speech::normalise as words_of;
use super::SlotError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Yes,
    No,
    Unsure,
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

const NEGATIONS: &[&str] = &[
    "not", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "never", "aint",
];

/// "yes" or "no" for `answer` (see the module docs).
pub fn normalise(answer: &str) -> Result<String, SlotError> {
    let words = words_of(answer);
    let mut answers = Vec::new();
    // Where the last negation not used by a phrase was.
    let mut negation: Option<usize> = None;
    let mut index = 0;
    while index < words.len() {
        let Some((length, answer)) = longest_phrase(PHRASES, &words[index..]) else {
            if NEGATIONS.contains(&words[index].as_str()) {
                negation = Some(index);
            }
            index += 1;
            continue;
        };
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
