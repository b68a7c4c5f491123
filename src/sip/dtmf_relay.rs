//! Key presses carried in SIP INFO bodies: `application/dtmf-relay` (`Signal=5\r\nDuration=160`)
//! and the bare `application/dtmf` form (`5`).

/// Extracts the key from an INFO body; `None` when the body holds no valid key.
pub fn parse_key(content_type: &str, body: &[u8]) -> Option<char> {
    let text = std::str::from_utf8(body).ok()?;
    let content_type = content_type.trim().to_ascii_lowercase();
    let signal = if content_type.starts_with("application/dtmf-relay") {
        text.lines().find_map(|line| {
            let (name, value) = line.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("signal")
                .then(|| value.trim())
        })?
    } else if content_type.starts_with("application/dtmf") {
        text.trim()
    } else {
        return None;
    };
    match signal {
        "10" => Some('*'),
        "11" => Some('#'),
        _ => {
            let mut characters = signal.chars();
            let key = characters.next()?.to_ascii_uppercase();
            (characters.next().is_none() && "0123456789*#ABCD".contains(key)).then_some(key)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_key;

    #[test]
    fn relay_bodies_give_keys() {
        assert_eq!(
            parse_key("application/dtmf-relay", b"Signal=5\r\nDuration=160\r\n"),
            Some('5')
        );
        assert_eq!(
            parse_key("application/dtmf-relay", b"Signal= #\r\n"),
            Some('#')
        );
        assert_eq!(parse_key("Application/DTMF-Relay", b"signal=11"), Some('#'));
        assert_eq!(parse_key("application/dtmf", b"*"), Some('*'));
    }

    #[test]
    fn bad_bodies_give_nothing() {
        assert_eq!(parse_key("application/dtmf-relay", b"Duration=160"), None);
        assert_eq!(parse_key("application/dtmf-relay", b"Signal=55"), None);
        assert_eq!(parse_key("application/dtmf-relay", b"Signal=x"), None);
        assert_eq!(parse_key("text/plain", b"Signal=5"), None);
        assert_eq!(parse_key("application/dtmf-relay", &[0xff, 0x00]), None);
    }
}
