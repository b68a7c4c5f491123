//! Mandarin callers with the real models (whisper base q8_0, multilingual e5, the Mandarin
//! voice) and the demo order system: a caller on the Mandarin line (1002) asks where order
//! 12345 is and hears the answer in Mandarin; a caller on the bilingual line (1003) who speaks
//! Mandarin to the English greeting goes on in the Mandarin flow; a chat in Chinese tracks the
//! same order. The callers' Mandarin is synthesized with the product's own Mandarin voice (the
//! only one the registries offer), so the tests check what the call does with it, never the
//! exact words whisper heard.

mod common;

use common::audio::spoken_by;
use common::sipp::dial;
use common::{MANDARIN_VOICE, SECOND, Server, ServerOptions, http_request};
use serde_json::{Value, json};

/// Whether a line of the call's transcript by `speaker` contains `words`.
fn said_by(call: &Value, speaker: &str, words: &str) -> bool {
    common::lines_by(call, speaker)
        .iter()
        .any(|text| text.contains(words))
}

#[test]
fn a_mandarin_caller_hears_where_the_order_is_in_mandarin() {
    let _turn = common::one_at_a_time();
    let request = spoken_by(MANDARIN_VOICE, "帮我查一下订单一二三四五。");
    let server = Server::start(ServerOptions::default().with_mandarin_lines());
    let (peer, sipp) = dial(&server, "1002", "caller", 150_000);
    server.wait_call(90 * SECOND, |call| said_by(call, "hotline", "欢迎致电"));
    peer.wait_prompt_over("the Mandarin greeting", 90 * SECOND);
    peer.send_speech(&request);
    // Order 12345 of the demo data has shipped with UPS. Transcript lines hold what was
    // spoken, so the number is read out digit by digit and the carrier spelt.
    let call = server.wait_call(120 * SECOND, |call| {
        said_by(call, "hotline", "订单一二三四五已经由")
    });
    assert_eq!(call["flow"], "main-zh", "{call}");
    assert_eq!(call["variables"]["order_number"], "12345", "{call}");
    assert_eq!(call["variables"]["order_status"], "shipped", "{call}");
    drop(sipp);
}

#[test]
fn a_caller_who_speaks_mandarin_on_the_bilingual_line_is_answered_in_mandarin() {
    let _turn = common::one_at_a_time();
    let request = spoken_by(MANDARIN_VOICE, "我想查一下我的订单到哪了。");
    let server = Server::start(ServerOptions::default().with_mandarin_lines());
    let (peer, sipp) = dial(&server, "1003", "caller", 150_000);
    peer.wait_prompt_over("the English greeting", 60 * SECOND);
    peer.send_speech(&request);
    // The order-number question, in Mandarin, in the Mandarin flow.
    let call = server.wait_call(120 * SECOND, |call| {
        said_by(call, "hotline", "请说出或输入您的订单号")
    });
    assert_eq!(call["flow"], "main-zh", "{call}");
    assert_eq!(call["variables"]["intent"], "order_status", "{call}");
    drop(sipp);
}

#[test]
fn a_chat_in_chinese_tracks_the_order_in_chinese() {
    let _turn = common::one_at_a_time();
    let server = Server::start(ServerOptions::default().with_mandarin_lines());
    let request = json!({ "flow": "main-zh", "text": "我的订单一二三四五到哪了" });
    let (status, body) =
        http_request(server.http, "POST", "/api/chat", Some(&request.to_string())).expect("chat");
    assert_eq!(status, 200, "{body}\n{}", server.log_text());
    let turn: Value = serde_json::from_str(&body).expect("a turn");
    assert_eq!(turn["language"], "zh", "{turn}");
    let said: Vec<&str> = turn["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        said.iter()
            .any(|message| message.starts_with("您好，欢迎致电")),
        "{said:?}"
    );
    assert!(
        said.contains(&"订单12345已经由UPS发出，预计2026-11-27送达。"),
        "{said:?}"
    );
}
