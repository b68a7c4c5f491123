//! Semantic checks that serde cannot express: port ranges, codecs, duplicate routes, the speech
//! recogniser's encoder window, the turn and barge-in detectors' settings.

use super::{Config, ConfigError};
use crate::asr::{MAXIMUM_ENCODER_WINDOW, MINIMUM_ENCODER_WINDOW};
use crate::audio::AudioError;
use crate::text::lines::line_of;
use std::path::Path;

/// Line of the first occurrence of `needle` in `text`, or 1.
fn line_containing(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map(|offset| line_of(text, offset))
        .unwrap_or(1)
}

/// Line of `key` inside the section whose header starts with `header` (its subsections
/// included), else of the header, else 1.
fn line_in_section(text: &str, header: &str, key: &str) -> usize {
    let Some(start) = text.find(header) else {
        return 1;
    };
    let section = &text[start..];
    let end = section
        .match_indices("\n[")
        .map(|(offset, _)| offset)
        .find(|offset| !section[offset + 1..].starts_with(header))
        .unwrap_or(section.len());
    let offset = section[..end]
        .find(&format!("{key} "))
        .or_else(|| section[..end].find(&format!("{key}=")))
        .unwrap_or(0);
    line_of(text, start + offset)
}

pub fn check(config: &Config, path: &Path, text: &str) -> Result<(), ConfigError> {
    let invalid = |needle: &str, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: line_containing(text, needle),
        message,
    };
    if config.recording.sweep_every.is_zero() {
        return Err(invalid(
            "sweep_every",
            "sweep_every must be longer than zero".to_string(),
        ));
    }
    if config.http.tls_certificate.is_some() != config.http.tls_key.is_some() {
        return Err(invalid(
            "tls_",
            "tls_certificate and tls_key go together: set both to serve HTTPS, or neither"
                .to_string(),
        ));
    }
    let webrtc = &config.webrtc;
    let in_webrtc = |key: &str, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: line_in_section(text, "[webrtc]", key),
        message,
    };
    if webrtc.port_first == 0 || webrtc.port_first >= webrtc.port_last {
        return Err(in_webrtc(
            "port_first",
            format!(
                "[webrtc] port_first ({}) must be non-zero and below port_last ({})",
                webrtc.port_first, webrtc.port_last
            ),
        ));
    }
    if webrtc.calls_per_address == 0 {
        return Err(in_webrtc(
            "calls_per_address",
            "[webrtc] calls_per_address must be at least 1".to_string(),
        ));
    }
    if let Some(number) = &webrtc.number
        && config.route(number).is_none()
    {
        return Err(in_webrtc(
            "number",
            format!("[webrtc] number {number} is not the number of any [[routes]] entry"),
        ));
    }
    let media = &config.media;
    if media.rtp_port_first == 0 || media.rtp_port_first >= media.rtp_port_last {
        return Err(invalid(
            "rtp_port_first",
            format!(
                "rtp_port_first ({}) must be non-zero and below rtp_port_last ({})",
                media.rtp_port_first, media.rtp_port_last
            ),
        ));
    }
    if media.rtp_port_last - media.rtp_port_first < 3 {
        return Err(invalid(
            "rtp_port_last",
            "the RTP port range must hold at least two port pairs".to_string(),
        ));
    }
    if media.codecs.is_empty() {
        return Err(invalid(
            "codecs",
            "at least one codec is needed".to_string(),
        ));
    }
    if let Some(codec) = media
        .codecs
        .iter()
        .find(|codec| !matches!(codec.to_ascii_uppercase().as_str(), "PCMU" | "PCMA"))
    {
        return Err(invalid(
            "codecs",
            format!("unsupported codec {codec:?} (supported: PCMU, PCMA)"),
        ));
    }
    if media.jitter_minimum_delay > media.jitter_maximum_delay {
        return Err(invalid(
            "jitter_minimum_delay",
            "jitter_minimum_delay must not exceed jitter_maximum_delay".to_string(),
        ));
    }
    if media.media_timeout.is_zero() {
        return Err(invalid(
            "media_timeout",
            "media_timeout must be above zero".to_string(),
        ));
    }
    for (index, route) in config.routes.iter().enumerate() {
        let needle = format!("\"{}\"", route.number);
        if route.number.is_empty()
            || !route
                .number
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "+*#-_.".contains(character))
        {
            return Err(invalid(
                &needle,
                format!("route number {:?} is not a dialable number", route.number),
            ));
        }
        if config.routes[..index]
            .iter()
            .any(|earlier| earlier.number == route.number)
        {
            let second = text
                .match_indices(&needle)
                .nth(1)
                .map(|(offset, _)| line_of(text, offset))
                .unwrap_or(1);
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line: second,
                message: format!("number {:?} is routed twice", route.number),
            });
        }
    }
    for (section, checked) in [
        ("[speech.turn", config.speech.turn.validate()),
        ("[speech.barge_in", config.speech.barge_in.validate()),
    ] {
        if let Err(error) = checked {
            let setting = match &error {
                AudioError::SpeechSetting { setting, .. } => *setting,
                _ => "",
            };
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line: line_in_section(text, section, setting),
                message: format!("{section}] {error}"),
            });
        }
    }
    let window = config.speech.encoder_window;
    if !(MINIMUM_ENCODER_WINDOW..=MAXIMUM_ENCODER_WINDOW).contains(&window) {
        return Err(invalid(
            "encoder_window",
            format!(
                "encoder_window ({window:?}) must be between {MINIMUM_ENCODER_WINDOW:?} and {MAXIMUM_ENCODER_WINDOW:?}"
            ),
        ));
    }
    super::acd::check(config, path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = concat!(
        "\n",
        crate::config::minimal_config!(),
        "[[routes]]\nnumber = \"1000\"\nflow = \"main\"\n"
    );

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("hotline.toml"), text)
    }

    #[test]
    fn good_config_loads_with_defaults() {
        let config = parse(GOOD).expect("valid config");
        assert_eq!(config.media.media_timeout.as_secs(), 30);
        assert_eq!(
            config.route("1000").map(|route| route.flow.as_str()),
            Some("main")
        );
        assert!(config.route("9999").is_none());
    }

    #[test]
    fn webrtc_settings_are_checked_on_their_lines() {
        let config = parse(GOOD).expect("valid config");
        assert_eq!(config.browser_number(), Some("1000"));
        assert_eq!(config.webrtc.calls_per_address, 4);
        let text = format!("{GOOD}[webrtc]\nport_first = 41000\nport_last = 40000\n");
        let error = parse(&text).expect_err("bad range").to_string();
        assert!(error.starts_with("hotline.toml:16:"), "{error}");
        let text = format!("{GOOD}[webrtc]\nnumber = \"2000\"\n");
        let error = parse(&text).expect_err("unrouted").to_string();
        assert!(error.starts_with("hotline.toml:16:"), "{error}");
        assert!(error.contains("2000"), "{error}");
        let text = format!("{GOOD}[webrtc]\naddress = \"10.0.0.1\"\ncalls_per_address = 0\n");
        let error = parse(&text).expect_err("no calls").to_string();
        assert!(error.starts_with("hotline.toml:17:"), "{error}");
    }

    #[test]
    fn syntax_error_names_the_line() {
        let text = GOOD.replace("rtp_port_last = 20100", "rtp_port_last = ");
        let error = parse(&text).expect_err("broken value").to_string();
        assert!(error.starts_with("hotline.toml:7:"), "{error}");
    }

    #[test]
    fn inverted_port_range_is_rejected_on_its_line() {
        let text = GOOD.replace("20100", "19000");
        let error = parse(&text).expect_err("bad range").to_string();
        assert!(error.starts_with("hotline.toml:6:"), "{error}");
    }

    #[test]
    fn duplicate_route_names_the_second_line() {
        let text = format!("{GOOD}[[routes]]\nnumber = \"1000\"\nflow = \"other\"\n");
        let error = parse(&text).expect_err("duplicate").to_string();
        assert!(error.starts_with("hotline.toml:16:"), "{error}");
    }

    #[test]
    fn unknown_codec_and_bad_duration_are_rejected() {
        let text = GOOD.replace(
            "rtp_port_last = 20100",
            "rtp_port_last = 20100\ncodecs = [\"G729\"]",
        );
        assert!(
            parse(&text)
                .expect_err("codec")
                .to_string()
                .contains("G729")
        );
        let text = GOOD.replace(
            "rtp_port_last = 20100",
            "rtp_port_last = 20100\nmedia_timeout = \"soon\"",
        );
        assert!(
            parse(&text)
                .expect_err("duration")
                .to_string()
                .contains("soon")
        );
    }

    #[test]
    fn encoder_window_outside_its_range_is_rejected_on_its_line() {
        let text = format!("{GOOD}[speech]\nencoder_window = \"5s\"\n");
        let error = parse(&text).expect_err("window too short").to_string();
        assert!(error.starts_with("hotline.toml:16:"), "{error}");
        assert!(error.contains("12s"), "{error}");
        let text = format!("{GOOD}[speech]\nencoder_window = \"20s\"\n");
        assert_eq!(
            parse(&text).expect("window in range").speech.encoder_window,
            std::time::Duration::from_secs(20)
        );
    }

    #[test]
    fn turn_and_barge_in_settings_are_checked_at_load_on_their_line() {
        let text = format!(
            "{GOOD}[speech.turn]\npause_after = \"300ms\"\ntrailing_silence = \"200ms\"\n\n[speech.barge_in]\nminimum_speech = \"0ms\"\n"
        );
        let error = parse(&text)
            .expect_err("pause longer than the silence")
            .to_string();
        assert!(error.starts_with("hotline.toml:16:"), "{error}");
        assert!(
            error.contains("[speech.turn] invalid speech setting `pause_after`"),
            "{error}"
        );
        let text = text.replace(
            "trailing_silence = \"200ms\"",
            "trailing_silence = \"700ms\"",
        );
        let error = parse(&text)
            .expect_err("barge-in shorter than a frame")
            .to_string();
        assert!(error.starts_with("hotline.toml:20:"), "{error}");
        assert!(error.contains("minimum_speech"), "{error}");
    }
}
