//! SIP digest authentication (RFC 3261 section 22, RFC 2617) against stored HA1 hashes, sans-IO.
//!
//! Hotline never keeps an agent's password: it keeps `HA1 = MD5(user:realm:password)` and checks
//! a response as `MD5(HA1:nonce[:nc:cnonce:qop]:MD5(method:uri))`. Nonces are stateless: the
//! issue time in seconds since the registrar started plus a keyed SHA-256 tag, so a forged or
//! foreign nonce is refused and an old one is answered with `stale=true` (the phone retries with
//! the same password without asking its user).

use md5::{Digest, Md5};
use sha2::Sha256;
use std::collections::HashMap;
use std::fmt::Write as _;

/// How long a nonce is accepted after it was issued.
pub const NONCE_LIFETIME_SECONDS: u64 = 300;

/// The parameters of an `Authorization: Digest ...` header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DigestResponse {
    /// `username`.
    pub username: String,
    /// `realm`.
    pub realm: String,
    /// `nonce`.
    pub nonce: String,
    /// `uri`, exactly as the client wrote it.
    pub uri: String,
    /// `response`: the hash to check.
    pub response: String,
    /// `algorithm`, when given (only MD5 is accepted).
    pub algorithm: Option<String>,
    /// `qop` (`auth`), when given.
    pub qop: Option<String>,
    /// `nc`, with qop.
    pub nonce_count: Option<String>,
    /// `cnonce`, with qop.
    pub client_nonce: Option<String>,
}

/// Why a digest header cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    /// Not `Digest ...` or a parameter is missing.
    #[error("malformed Authorization header: {0}")]
    Malformed(String),
    /// An algorithm other than MD5 or a qop other than auth.
    #[error("unsupported digest {0}")]
    Unsupported(String),
}

/// Reads an `Authorization` (or `Proxy-Authorization`) header value.
pub fn parse_authorization(value: &str) -> Result<DigestResponse, DigestError> {
    let value = value.trim();
    let parameters = value
        .get(..6)
        .filter(|scheme| scheme.eq_ignore_ascii_case("digest"))
        .map(|_| &value[6..])
        .ok_or_else(|| DigestError::Malformed("not a Digest response".to_string()))?;
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut rest = parameters.trim_start();
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once('=')
            .ok_or_else(|| DigestError::Malformed(format!("parameter without value: {rest:?}")))?;
        let after = after.trim_start();
        let (field, remainder) = match after.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted
                    .find('"')
                    .ok_or_else(|| DigestError::Malformed("unterminated quote".to_string()))?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => match after.find(',') {
                Some(end) => (after[..end].trim(), &after[end..]),
                None => (after.trim(), ""),
            },
        };
        fields.insert(name.trim().to_ascii_lowercase(), field.to_string());
        rest = remainder.trim_start().trim_start_matches(',').trim_start();
    }
    let mut take = |name: &str| {
        fields
            .remove(name)
            .ok_or_else(|| DigestError::Malformed(format!("no {name}")))
    };
    let response = DigestResponse {
        username: take("username")?,
        realm: take("realm")?,
        nonce: take("nonce")?,
        uri: take("uri")?,
        response: take("response")?,
        algorithm: fields.remove("algorithm"),
        qop: fields.remove("qop"),
        nonce_count: fields.remove("nc"),
        client_nonce: fields.remove("cnonce"),
    };
    if let Some(algorithm) = &response.algorithm
        && !algorithm.eq_ignore_ascii_case("md5")
    {
        return Err(DigestError::Unsupported(format!("algorithm {algorithm}")));
    }
    match response.qop.as_deref() {
        None => {}
        Some(qop)
            if qop.eq_ignore_ascii_case("auth")
                && (response.nonce_count.is_none() || response.client_nonce.is_none()) =>
        {
            return Err(DigestError::Malformed(
                "qop without nc or cnonce".to_string(),
            ));
        }
        Some(qop) if qop.eq_ignore_ascii_case("auth") => {}
        Some(qop) => return Err(DigestError::Unsupported(format!("qop {qop}"))),
    }
    Ok(response)
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

fn md5_hex(text: &str) -> String {
    hex(&Md5::digest(text.as_bytes()))
}

/// `MD5(user:realm:password)` in lowercase hex: what the config stores.
pub fn ha1(user: &str, realm: &str, password: &str) -> String {
    md5_hex(&format!("{user}:{realm}:{password}"))
}

/// Whether `response` proves knowledge of the password behind `ha1` for a request `method`.
pub fn verify(response: &DigestResponse, ha1: &str, method: &str) -> bool {
    let ha2 = md5_hex(&format!("{method}:{}", response.uri));
    let expected = match (&response.qop, &response.nonce_count, &response.client_nonce) {
        (Some(qop), Some(count), Some(client)) => md5_hex(&format!(
            "{}:{}:{count}:{client}:{qop}:{ha2}",
            ha1.to_ascii_lowercase(),
            response.nonce
        )),
        _ => md5_hex(&format!(
            "{}:{}:{ha2}",
            ha1.to_ascii_lowercase(),
            response.nonce
        )),
    };
    constant_time_equal(
        expected.as_bytes(),
        response.response.to_ascii_lowercase().as_bytes(),
    )
}

/// Whether two hex hashes are the same (case-insensitive), in constant time.
pub fn same_hash(left: &str, right: &str) -> bool {
    constant_time_equal(
        left.to_ascii_lowercase().as_bytes(),
        right.to_ascii_lowercase().as_bytes(),
    )
}

fn constant_time_equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

/// What a nonce presented back to the registrar turns out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceCheck {
    /// Issued by this registrar and still fresh.
    Fresh,
    /// Issued by this registrar but too old: challenge again with `stale=true`.
    Stale,
    /// Not one of ours.
    Forged,
}

/// Issues and checks stateless nonces.
#[derive(Debug, Clone)]
pub struct Nonces {
    secret: [u8; 32],
}

impl Nonces {
    /// Nonces keyed with `secret` (random per process).
    pub fn new(secret: [u8; 32]) -> Nonces {
        Nonces { secret }
    }

    fn tag(&self, issued: u64) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.secret);
        hasher.update(issued.to_be_bytes());
        hex(&hasher.finalize()[..16])
    }

    /// A nonce issued at `seconds` (since the registrar started).
    pub fn issue(&self, seconds: u64) -> String {
        format!("{seconds:x}.{}", self.tag(seconds))
    }

    /// Checks a nonce at `seconds`.
    pub fn check(&self, nonce: &str, seconds: u64) -> NonceCheck {
        let Some((issued, tag)) = nonce.split_once('.') else {
            return NonceCheck::Forged;
        };
        let Ok(issued) = u64::from_str_radix(issued, 16) else {
            return NonceCheck::Forged;
        };
        if !constant_time_equal(self.tag(issued).as_bytes(), tag.as_bytes()) || issued > seconds {
            return NonceCheck::Forged;
        }
        if seconds - issued > NONCE_LIFETIME_SECONDS {
            NonceCheck::Stale
        } else {
            NonceCheck::Fresh
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 2617 section 3.5's example, which uses qop=auth.
    const RFC_EXAMPLE: &str = r#"Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;

    #[test]
    fn the_rfc_example_verifies_with_its_ha1_only() {
        let response = parse_authorization(RFC_EXAMPLE).expect("parses");
        assert_eq!(response.username, "Mufasa");
        assert_eq!(response.uri, "/dir/index.html");
        let stored = ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
        assert!(verify(&response, &stored, "GET"));
        assert!(!verify(&response, &stored, "POST"));
        let wrong = ha1("Mufasa", "testrealm@host.com", "circle of life");
        assert!(!verify(&response, &wrong, "GET"));
    }

    #[test]
    fn a_response_without_qop_verifies() {
        let stored = ha1("agent1", "hotline", "secret");
        let ha2 = md5_hex("REGISTER:sip:127.0.0.1:5060");
        let value = md5_hex(&format!("{stored}:abc:{ha2}"));
        let header = format!(
            "Digest username=\"agent1\",realm=\"hotline\",nonce=\"abc\",uri=\"sip:127.0.0.1:5060\",response=\"{value}\",algorithm=MD5"
        );
        let response = parse_authorization(&header).expect("parses");
        assert!(verify(&response, &stored, "REGISTER"));
    }

    #[test]
    fn malformed_and_unsupported_headers_are_errors() {
        for (header, expected) in [
            ("Basic dXNlcjpwYXNz", "not a Digest"),
            ("Digest username=\"a\"", "no realm"),
            ("Digest username=\"a", "unterminated"),
            ("Digest realm", "without value"),
            (
                "Digest username=\"a\",realm=\"r\",nonce=\"n\",uri=\"u\",response=\"x\",algorithm=SHA-256",
                "algorithm SHA-256",
            ),
            (
                "Digest username=\"a\",realm=\"r\",nonce=\"n\",uri=\"u\",response=\"x\",qop=auth",
                "qop without nc",
            ),
        ] {
            let error = parse_authorization(header).expect_err(header).to_string();
            assert!(error.contains(expected), "{header}: {error}");
        }
    }

    #[test]
    fn nonces_are_fresh_then_stale_and_forgeries_are_caught() {
        let nonces = Nonces::new([7; 32]);
        let nonce = nonces.issue(100);
        assert_eq!(nonces.check(&nonce, 100), NonceCheck::Fresh);
        assert_eq!(
            nonces.check(&nonce, 100 + NONCE_LIFETIME_SECONDS),
            NonceCheck::Fresh
        );
        assert_eq!(
            nonces.check(&nonce, 101 + NONCE_LIFETIME_SECONDS),
            NonceCheck::Stale
        );
        assert_eq!(nonces.check(&nonce, 99), NonceCheck::Forged);
        let other = Nonces::new([8; 32]).issue(100);
        assert_eq!(nonces.check(&other, 100), NonceCheck::Forged);
        assert_eq!(nonces.check("zz.00", 100), NonceCheck::Forged);
        assert_eq!(nonces.check("nonsense", 100), NonceCheck::Forged);
    }
}
