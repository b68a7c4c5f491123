//! How upset a caller or chat user sounds, from their words alone: a small lexicon scorer for
//! the escalation policy's "complaint or negative sentiment" trigger.
//!
//! The text is normalised as in `speech` (lower case, "don't" is "dont",
//! punctuation ignored), so transcripts and typed text score alike. Then:
//!
//! 1. Phrases from the built-in lexicon are found, longest first, each word used once. Each has a
//!    weight from -4 (furious, swearing) to +3 (great, perfect); some idioms weigh 0 and only keep
//!    their words from counting ("hate to bother you", "good morning", "my bad").
//! 2. Up to two words before a phrase, an intensifier ("very", "really", "so", "extremely"...)
//!    multiplies its weight by 1.5 and a softener ("a bit", "slightly", "kind of"...) by 0.5.
//! 3. A negation ("not", "dont", "never", "isnt"...) up to three words before a phrase turns it
//!    over: praise fully ("not happy" weighs -2, like "unhappy"), a complaint only partly ("not
//!    bad" weighs +0.8, mildly positive).
//! 4. When the text has "but", phrases before the last "but" count half and those after it 1.5
//!    times ("thanks, but this is ridiculous" is negative).
//! 5. The weights are summed and squashed into -1..=1 as `sum / sqrt(sum² + 8)`: one mild word
//!    (weight 2) scores ±0.58, one strong word (3) ±0.73, and more words approach ±1.
//!
//! Text below [`NEGATIVE_THRESHOLD`] (-0.5) is negative: a single clearly upset word ("angry",
//! "useless", "not happy") reaches it; mild or factual words ("wrong", "late", "a bit annoyed",
//! "I want to make a complaint") do not, and plain requests ("where is my order") score 0.

use super::lexicon::longest_phrase;
use super::speech::normalise;

/// Scores at or below this are negative enough to count as an upset caller.
pub const NEGATIVE_THRESHOLD: f32 = -0.5;

/// The lexicon: phrases (normalised words) and their weights.
const LEXICON: &[(&str, f32)] = &[
    // Swearing and fury.
    ("fuck", -4.0),
    ("fucking", -3.0),
    ("fucked", -3.0),
    ("bullshit", -4.0),
    ("shit", -3.0),
    ("shitty", -3.0),
    ("crap", -3.0),
    ("crappy", -3.0),
    ("goddamn", -3.0),
    ("damn", -2.0),
    ("damn it", -2.0),
    ("bloody", -2.0),
    ("bastards", -4.0),
    ("wtf", -3.0),
    ("what the hell", -3.0),
    ("hell", -1.0),
    ("pissed", -3.0),
    ("pissed off", -4.0),
    ("furious", -4.0),
    ("livid", -4.0),
    ("outraged", -4.0),
    // Clear anger and contempt.
    ("angry", -3.0),
    ("terrible", -3.0),
    ("horrible", -3.0),
    ("awful", -3.0),
    ("dreadful", -3.0),
    ("atrocious", -3.0),
    ("appalling", -3.0),
    ("worst", -3.0),
    ("useless", -3.0),
    ("hopeless", -3.0),
    ("pathetic", -3.0),
    ("incompetent", -3.0),
    ("ridiculous", -3.0),
    ("rediculous", -3.0),
    ("unacceptable", -3.0),
    ("outrageous", -3.0),
    ("disgusted", -3.0),
    ("disgusting", -3.0),
    ("disgrace", -3.0),
    ("disgraceful", -3.0),
    ("shambles", -3.0),
    ("disaster", -3.0),
    ("nightmare", -3.0),
    ("rubbish", -3.0),
    ("garbage", -3.0),
    ("sucks", -3.0),
    ("hate", -3.0),
    ("idiot", -3.0),
    ("idiots", -3.0),
    ("scam", -3.0),
    ("scammed", -3.0),
    ("rip off", -3.0),
    ("ripoff", -3.0),
    ("ripped off", -3.0),
    ("cheated", -3.0),
    ("liars", -3.0),
    ("fed up", -3.0),
    ("sick of", -3.0),
    ("sick and tired", -3.0),
    ("had enough", -3.0),
    ("never again", -3.0),
    ("waste of time", -3.0),
    ("waste of money", -3.0),
    ("wasting my time", -3.0),
    // Displeasure.
    ("mad", -2.0),
    ("upset", -2.0),
    ("annoyed", -2.0),
    ("annoying", -2.0),
    ("irritated", -2.0),
    ("frustrated", -2.0),
    ("frustrating", -2.0),
    ("disappointed", -2.0),
    ("disappointing", -2.0),
    ("unhappy", -2.0),
    ("unhelpful", -2.0),
    ("bad", -2.0),
    ("no good", -2.0),
    ("rude", -2.0),
    ("stupid", -2.0),
    ("shocking", -2.0),
    ("unbelievable", -2.0),
    ("absurd", -2.0),
    ("insane", -2.0),
    ("nonsense", -2.0),
    ("joke", -2.0),
    ("lied", -2.0),
    ("lying", -2.0),
    ("misleading", -2.0),
    ("lousy", -2.0),
    ("trash", -2.0),
    ("taking forever", -2.0),
    ("still waiting", -2.0),
    ("how many times", -2.0),
    // Mild or factual complaints.
    ("sad", -1.0),
    ("poor", -1.0),
    ("wrong", -1.0),
    ("broken", -1.0),
    ("slow", -1.0),
    ("late", -1.0),
    ("mess", -1.0),
    ("complaint", -1.0),
    ("complain", -1.0),
    ("doesnt work", -1.0),
    ("didnt work", -1.0),
    ("not working", -1.0),
    ("isnt working", -1.0),
    // Praise and thanks.
    ("great", 3.0),
    ("perfect", 3.0),
    ("excellent", 3.0),
    ("wonderful", 3.0),
    ("awesome", 3.0),
    ("amazing", 3.0),
    ("fantastic", 3.0),
    ("brilliant", 3.0),
    ("love", 3.0),
    ("best", 3.0),
    ("thanks", 2.0),
    ("thank you", 2.0),
    ("appreciate", 2.0),
    ("appreciated", 2.0),
    ("happy", 2.0),
    ("glad", 2.0),
    ("pleased", 2.0),
    ("satisfied", 2.0),
    ("good", 2.0),
    ("nice", 2.0),
    ("lovely", 2.0),
    ("helpful", 2.0),
    ("friendly", 2.0),
    ("polite", 2.0),
    ("well done", 2.0),
    ("fine", 1.0),
    ("cool", 1.0),
    ("cheers", 1.0),
    ("fast", 1.0),
    ("quick", 1.0),
    ("easy", 1.0),
    ("resolved", 1.0),
    ("sorted", 1.0),
    ("no problem", 1.0),
    ("no worries", 1.0),
    // Idioms whose words mean nothing here.
    ("hate to", 0.0),
    ("my bad", 0.0),
    ("good morning", 0.0),
    ("good afternoon", 0.0),
    ("good evening", 0.0),
    ("best regards", 0.0),
    ("kind regards", 0.0),
    ("cant believe", 0.0),
];

const INTENSIFIERS: &[&str] = &[
    "very",
    "really",
    "so",
    "extremely",
    "absolutely",
    "totally",
    "complete",
    "completely",
    "total",
    "utterly",
    "incredibly",
    "super",
    "truly",
    "too",
    "such",
    "pretty",
    "seriously",
    "terribly",
    "awfully",
];

const SOFTENERS: &[&str] = &[
    "bit", "little", "slightly", "somewhat", "kinda", "sorta", "kind", "sort", "fairly",
];

const NEGATIONS: &[&str] = &[
    "not", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "cant",
    "cannot", "couldnt", "wont", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint",
    "hardly", "nor",
];

/// How positive `text` sounds, from -1.0 (furious) through 0.0 (neutral) to 1.0 (delighted);
/// see the module docs for how it is scored.
pub fn sentiment(text: &str) -> f32 {
    let words = normalise(text);
    let last_but = words.iter().rposition(|word| word == "but");
    let mut sum = 0.0;
    // Words from here on belong to no phrase yet, so they can modify the next one.
    let mut free_from = 0;
    let mut index = 0;
    while index < words.len() {
        let Some((length, weight)) = longest_phrase(LEXICON, &words[index..]) else {
            index += 1;
            continue;
        };
        let before = &words[free_from.max(index.saturating_sub(3))..index];
        let near = &before[before.len().saturating_sub(2)..];
        let mut weight = weight;
        if near
            .iter()
            .any(|word| INTENSIFIERS.contains(&word.as_str()))
        {
            weight *= 1.5;
        }
        if near.iter().any(|word| SOFTENERS.contains(&word.as_str())) {
            weight *= 0.5;
        }
        if before.iter().any(|word| NEGATIONS.contains(&word.as_str())) {
            weight *= if weight > 0.0 { -1.0 } else { -0.4 };
        }
        match last_but {
            Some(but) if index < but => weight *= 0.5,
            Some(_) => weight *= 1.5,
            None => {}
        }
        sum += weight;
        index += length;
        free_from = index;
    }
    (sum / (sum * sum + 8.0).sqrt()).clamp(-1.0, 1.0)
}

#[cfg(test)]
#[path = "sentiment_tests.rs"]
mod tests;
