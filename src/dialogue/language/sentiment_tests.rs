//! Sentiment tables: upset, neutral, polite and negated sentences, as transcripts and as typed.

use super::*;

/// Whether a text counts as upset, by the recommended threshold.
fn is_negative(text: &str) -> bool {
    sentiment(text) <= NEGATIVE_THRESHOLD
}

#[test]
fn upset_callers_are_negative() {
    let rows = [
        "This is ridiculous!",
        "this is ridiculous",
        "THIS IS RIDICULOUS",
        "you people are useless",
        "I'm so angry right now",
        "I am furious",
        "this is the worst service ever",
        "this is unacceptable",
        "I'm absolutely disgusted",
        "I'm fed up with this",
        "what a waste of time",
        "I'm sick and tired of waiting",
        "this is a fucking joke",
        "this is bullshit",
        "what the hell is going on with my order",
        "I'm not happy",
        "I'm not happy at all with this",
        "I am not very happy",
        "this is not good enough",
        "your service is terrible and your staff are rude",
        "thanks, but this is ridiculous",
        "I've been waiting three weeks, this is a complete joke",
        "I'm really upset",
        "you sent the wrong item again, it's ridiculous",
        "I'm still waiting for my refund and I've had enough",
    ];
    for text in rows {
        assert!(is_negative(text), "{text:?} scored {}", sentiment(text));
    }
}

#[test]
fn requests_and_mild_words_are_not_negative() {
    let rows = [
        "where is my order",
        "Where's my order?",
        "I want to return this",
        "can I speak to an agent",
        "I'd like to cancel my order",
        "my order number is one two three four five",
        "I want to make a complaint",
        "you sent the wrong size",
        "my parcel is late",
        "I'm a bit annoyed",
        "I hate to bother you but where is my refund",
        "sorry, my bad, it's 12345",
        "I can't believe it arrived already",
        "no thanks, that's all",
        "",
    ];
    for text in rows {
        assert!(!is_negative(text), "{text:?} scored {}", sentiment(text));
    }
}

#[test]
fn scores_follow_the_table() {
    // (text, lowest score, highest score)
    let rows = [
        ("where is my order", 0.0, 0.0),
        ("hello, good morning", 0.0, 0.0),
        ("terrible", -0.74, -0.72),
        ("very terrible", -0.85, -0.84),
        ("upset", -0.58, -0.57),
        ("not happy", -0.58, -0.57),
        ("not bad", 0.2, 0.4),
        ("not terrible", 0.3, 0.5),
        ("a bit annoyed", -0.34, -0.33),
        ("thanks", 0.57, 0.58),
        ("thank you so much, that's perfect", 0.85, 0.9),
        ("great, thanks, that's very helpful", 0.9, 1.0),
        ("I'm happy with that", 0.57, 0.58),
        ("fuck this fucking useless shit", -1.0, -0.95),
    ];
    for (text, lowest, highest) in rows {
        let score = sentiment(text);
        assert!(
            (lowest..=highest).contains(&score),
            "{text:?} scored {score}, expected {lowest} to {highest}"
        );
    }
}

#[test]
fn polite_callers_are_positive() {
    let rows = [
        "thanks",
        "Thank you!",
        "that's great, thank you",
        "perfect",
        "I'm happy with that",
        "brilliant, cheers",
        "not bad at all",
        "no problem",
        "you've been very helpful",
    ];
    for text in rows {
        assert!(sentiment(text) > 0.0, "{text:?} scored {}", sentiment(text));
    }
}
