//! Contact header values of a REGISTER (RFC 3261 section 20.10), sans-IO: `*`, or a
//! comma-separated list of `name-addr`/`addr-spec` entries with an optional `expires` parameter.
//!
//! Commas inside quoted display names and angle brackets do not split entries; a value that is
//! not a SIP URI is an error that names it.

use super::registrar::RequestedContact;

/// What the Contact headers of a REGISTER ask for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactList {
    /// The contacts, in order.
    pub contacts: Vec<RequestedContact>,
    /// `Contact: *`.
    pub wildcard: bool,
}

/// Splits `value` at commas outside quotes and angle brackets.
fn entries(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quoted, mut bracketed, mut start) = (false, false, 0);
    for (index, character) in value.char_indices() {
        match character {
            '"' if !bracketed => quoted = !quoted,
            '<' if !quoted => bracketed = true,
            '>' if !quoted => bracketed = false,
            ',' if !quoted && !bracketed => {
                parts.push(&value[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect()
}

/// Reads one entry: the URI and its `expires` parameter.
fn contact(entry: &str) -> Result<RequestedContact, String> {
    let (uri, parameters) = match entry.find('<') {
        Some(open) => {
            let close = entry[open..]
                .find('>')
                .map(|offset| open + offset)
                .ok_or_else(|| format!("unclosed '<' in Contact {entry:?}"))?;
            (&entry[open + 1..close], &entry[close + 1..])
        }
        // Without brackets, parameters after the URI belong to the header, not the URI.
        None => match entry.find(';') {
            Some(semicolon) => (&entry[..semicolon], &entry[semicolon..]),
            None => (entry, ""),
        },
    };
    let uri = uri.trim();
    let scheme = uri.split(':').next().unwrap_or_default();
    if !(scheme.eq_ignore_ascii_case("sip") || scheme.eq_ignore_ascii_case("sips"))
        || uri.len() <= 4
    {
        return Err(format!("Contact {uri:?} is not a SIP URI"));
    }
    let mut expires = None;
    for parameter in parameters.split(';').map(str::trim) {
        if let Some((name, value)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("expires")
        {
            let seconds = value.trim().trim_matches('"').parse::<u32>();
            expires =
                Some(seconds.map_err(|_| format!("Contact expires {value:?} is not a number"))?);
        }
    }
    Ok(RequestedContact {
        uri: uri.to_string(),
        expires,
    })
}

/// Reads every Contact header value of a request.
pub fn parse_contacts<'a>(
    values: impl IntoIterator<Item = &'a str>,
) -> Result<ContactList, String> {
    let mut list = ContactList::default();
    for value in values {
        for entry in entries(value) {
            if entry == "*" {
                list.wildcard = true;
            } else {
                list.contacts.push(contact(entry)?);
            }
        }
    }
    if list.wildcard && !list.contacts.is_empty() {
        return Err("Contact: * cannot be listed with other contacts".to_string());
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uris(list: &ContactList) -> Vec<(&str, Option<u32>)> {
        list.contacts
            .iter()
            .map(|contact| (contact.uri.as_str(), contact.expires))
            .collect()
    }

    #[test]
    fn softphone_contacts_are_read_with_their_expiry() {
        let baresip = "<sip:agent1-0x55d@127.0.0.1:5070;transport=udp>;expires=60;+sip.instance=\"<urn:uuid:1>\"";
        let list = parse_contacts([baresip]).unwrap();
        assert_eq!(
            uris(&list),
            vec![("sip:agent1-0x55d@127.0.0.1:5070;transport=udp", Some(60))]
        );
        let several = parse_contacts([
            "\"Desk, left\" <sip:a@10.0.0.1>, sip:b@10.0.0.2;expires=0",
            "<sip:c@h>",
        ])
        .unwrap();
        assert_eq!(
            uris(&several),
            vec![
                ("sip:a@10.0.0.1", None),
                ("sip:b@10.0.0.2", Some(0)),
                ("sip:c@h", None)
            ]
        );
        assert!(parse_contacts(["*"]).unwrap().wildcard);
        assert_eq!(
            parse_contacts(Vec::<&str>::new()).unwrap(),
            ContactList::default()
        );
    }

    #[test]
    fn unusable_contacts_are_errors() {
        for (value, expected) in [
            ("<sip:a@h", "unclosed"),
            ("<mailto:a@h>", "not a SIP URI"),
            ("<sip:a@h>;expires=soon", "not a number"),
            ("*, <sip:a@h>", "cannot be listed"),
        ] {
            let error = parse_contacts([value]).expect_err(value);
            assert!(error.contains(expected), "{value}: {error}");
        }
    }
}
