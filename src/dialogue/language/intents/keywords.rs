//! Keywords that decide at once, matched so that speech-recognition splits do not hide them.
//!
//! A keyword occurs in a text when consecutive whole words of the text, run together, spell the
//! keyword's words run together: "representative" is found in "represent a tive" and "re fund"
//! holds "refund". A trailing "s" is allowed ("agents", "refunds"). Text and keyword are
//! normalised as transcripts are (see [`normalise`](crate::dialogue::language::speech)).

use crate::dialogue::language::speech::normalise;

/// A keyword ready to be looked for in normalised words.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// The keyword's letters and digits, without spaces.
    letters: String,
}

impl Keyword {
    /// The keyword of `text`, or `None` when it has no letters or digits.
    pub fn new(text: &str) -> Option<Keyword> {
        let letters = normalise(text).concat();
        (!letters.is_empty()).then_some(Keyword { letters })
    }

    /// How long the keyword is, in letters: longer keywords are more specific.
    pub fn length(&self) -> usize {
        self.letters.len()
    }

    /// Whether the keyword occurs in `words` (normalised words of a text).
    pub fn occurs_in(&self, words: &[String]) -> bool {
        (0..words.len()).any(|start| {
            let mut joined = String::new();
            for word in &words[start..] {
                joined.push_str(word);
                if joined.len() > self.letters.len() + 1 {
                    return false;
                }
                if joined
                    .strip_prefix(self.letters.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest == "s")
                {
                    return true;
                }
            }
            false
        })
    }
}
