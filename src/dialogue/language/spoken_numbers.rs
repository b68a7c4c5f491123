//! Reads number words spoken as part of a digit string: "forty five" as 45, "nineteen eighty
//! four" as 1984, "twelve thousand three hundred forty five" as 12345.
//!
//! A run of number words without "hundred" or "thousand" is read chunk by chunk, the way people
//! group digits: a digit word is one digit, "twelve" two, "forty five" two, "forty" alone "40".
//! A run with "hundred" or "thousand" is read as a cardinal number as far as it continues like
//! one; a unit after a complete group ("three hundred forty five six") starts the next chunk.
//! "and" inside a cardinal ("one hundred and five") is skipped.

/// One number word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberWord {
    /// zero to nine (also "oh").
    Unit(u64),
    /// ten to nineteen.
    Teen(u64),
    /// twenty, thirty... ninety.
    Tens(u64),
    Hundred,
    Thousand,
    And,
}

fn number_word(word: &str) -> Option<NumberWord> {
    use NumberWord::{And, Hundred, Teen, Tens, Thousand, Unit};
    Some(match word {
        "zero" | "oh" | "o" => Unit(0),
        "one" => Unit(1),
        "two" => Unit(2),
        "three" => Unit(3),
        "four" => Unit(4),
        "five" => Unit(5),
        "six" => Unit(6),
        "seven" => Unit(7),
        "eight" => Unit(8),
        "nine" => Unit(9),
        "ten" => Teen(10),
        "eleven" => Teen(11),
        "twelve" => Teen(12),
        "thirteen" => Teen(13),
        "fourteen" => Teen(14),
        "fifteen" => Teen(15),
        "sixteen" => Teen(16),
        "seventeen" => Teen(17),
        "eighteen" => Teen(18),
        "nineteen" => Teen(19),
        "twenty" => Tens(20),
        "thirty" => Tens(30),
        "forty" => Tens(40),
        "fifty" => Tens(50),
        "sixty" => Tens(60),
        "seventy" => Tens(70),
        "eighty" => Tens(80),
        "ninety" => Tens(90),
        "hundred" => Hundred,
        "thousand" => Thousand,
        "and" => And,
        _ => return None,
    })
}

/// Whether `word` is a number word (a digit word, a teen, a tens word, "hundred" or
/// "thousand"; "and" only counts between number words).
pub fn is_number_word(word: &str) -> bool {
    number_word(word).is_some_and(|word| word != NumberWord::And)
}

/// The value of a single number word below a hundred: "seven" is 7, "twelve" 12, "forty" 40
/// ("oh" and "o" are 0). `None` for "hundred", "thousand", "and" and other words.
pub fn small_number_value(word: &str) -> Option<u64> {
    match number_word(word)? {
        NumberWord::Unit(value) | NumberWord::Teen(value) | NumberWord::Tens(value) => Some(value),
        NumberWord::Hundred | NumberWord::Thousand | NumberWord::And => None,
    }
}

/// Reads the number words at the start of `words` as digits; returns the digits and how many
/// words were read (0 when `words` does not start with a number word).
pub fn read_number_words(words: &[String]) -> (String, usize) {
    let mut run: Vec<NumberWord> = Vec::new();
    for (index, word) in words.iter().enumerate() {
        match number_word(word) {
            Some(NumberWord::And)
                if !run.is_empty()
                    && words
                        .get(index + 1)
                        .is_some_and(|next| is_number_word(next)) =>
            {
                run.push(NumberWord::And);
            }
            Some(NumberWord::And) | None => break,
            Some(number) => run.push(number),
        }
    }
    let mut digits = String::new();
    let mut rest = run.as_slice();
    while !rest.is_empty() {
        let used = if rest
            .iter()
            .any(|word| matches!(word, NumberWord::Hundred | NumberWord::Thousand))
        {
            read_cardinal(rest, &mut digits)
        } else {
            read_chunk(rest, &mut digits)
        };
        rest = &rest[used.max(1)..];
    }
    (digits, run.len())
}

/// Reads one chunk (a digit, a teen, a tens word with its unit); returns the words used.
fn read_chunk(words: &[NumberWord], digits: &mut String) -> usize {
    match words {
        [NumberWord::Tens(tens), NumberWord::Unit(unit), ..] if *unit > 0 => {
            digits.push_str(&(tens + unit).to_string());
            2
        }
        [
            NumberWord::Unit(value) | NumberWord::Teen(value) | NumberWord::Tens(value),
            ..,
        ] => {
            digits.push_str(&value.to_string());
            1
        }
        _ => 1,
    }
}

/// Reads a cardinal number as far as it continues like one; returns the words used.
fn read_cardinal(words: &[NumberWord], digits: &mut String) -> usize {
    let (mut total, mut group) = (0u64, 0u64);
    // What the last word allows next: a unit after a tens word, a group word after a number.
    let (mut unit_allowed, mut tens_allowed, mut multiplier_allowed) = (true, true, false);
    let mut used = 0;
    for word in words {
        match *word {
            NumberWord::Unit(value) if unit_allowed => {
                group += value;
                (unit_allowed, tens_allowed, multiplier_allowed) = (false, false, true);
            }
            NumberWord::Teen(value) | NumberWord::Tens(value) if tens_allowed => {
                group += value;
                let is_tens = matches!(word, NumberWord::Tens(_));
                (unit_allowed, tens_allowed, multiplier_allowed) = (is_tens, false, true);
            }
            NumberWord::Hundred if multiplier_allowed && group % 100 != 0 || group == 0 => {
                group = group.max(1) * 100;
                (unit_allowed, tens_allowed, multiplier_allowed) = (true, true, false);
            }
            NumberWord::Thousand if total == 0 => {
                total = group.max(1) * 1000;
                group = 0;
                (unit_allowed, tens_allowed, multiplier_allowed) = (true, true, false);
            }
            NumberWord::And => {}
            _ => break,
        }
        used += 1;
    }
    if used > 0 {
        digits.push_str(&(total + group).to_string());
    }
    used
}

#[cfg(test)]
mod tests {
    use super::{read_number_words, small_number_value};

    fn read(text: &str) -> (String, usize) {
        let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        read_number_words(&words)
    }

    #[test]
    fn number_words_become_digits() {
        let cases = [
            ("one two three four five", "12345", 5),
            ("twelve thousand three hundred forty five", "12345", 6),
            ("twelve thousand three hundred and forty five", "12345", 7),
            ("one twenty three forty five", "12345", 5),
            ("nineteen eighty four", "1984", 3),
            ("forty five", "45", 2),
            ("forty", "40", 1),
            ("one hundred and five", "105", 4),
            ("two thousand five", "2005", 3),
            ("twenty five thousand", "25000", 3),
            ("three hundred forty five six", "3456", 5),
            ("a hundred", "", 0),
            ("oh seven", "07", 2),
            ("five and that is all", "5", 1),
        ];
        for (text, digits, used) in cases {
            assert_eq!(read(text), (digits.to_string(), used), "{text}");
        }
    }

    #[test]
    fn small_number_words_have_values() {
        let cases = [
            ("oh", Some(0)),
            ("seven", Some(7)),
            ("twelve", Some(12)),
            ("forty", Some(40)),
            ("hundred", None),
            ("and", None),
            ("first", None),
        ];
        for (word, value) in cases {
            assert_eq!(small_number_value(word), value, "{word}");
        }
    }
}
