//! Tests for `CallRecorder`: exact round trip of both channels, crash safety without `Drop`,
//! flushing on drop, refusal to overwrite, parent directory creation and input validation.

use std::time::Duration;

use crate::audio::test_signals::{ScratchDir, sine_i16};

use super::{CallRecorder, RecordingError, RecordingSummary};

const RATE: u32 = 8000;
const TICK: usize = 160;

/// Caller and Hotline test tones, `seconds` long each.
fn tones(seconds: f64) -> (Vec<i16>, Vec<i16>) {
    (
        sine_i16(440.0, RATE, seconds, 0.5),
        sine_i16(1000.0, RATE, seconds, 0.25),
    )
}

/// Writes the tones tick by tick, as the call actor does.
fn write_ticks(recorder: &mut CallRecorder, left: &[i16], right: &[i16]) {
    for (left, right) in left.chunks(TICK).zip(right.chunks(TICK)) {
        recorder.write_frame(left, right).expect("write frame");
    }
}

/// Splits interleaved stereo samples into (left, right).
fn split_channels(interleaved: &[i16]) -> (Vec<i16>, Vec<i16>) {
    interleaved
        .chunks_exact(2)
        .map(|frame| (frame[0], frame[1]))
        .unzip()
}

#[test]
fn finished_recording_holds_both_sides_exactly() {
    let scratch = ScratchDir::new("recording-round-trip");
    let path = scratch.join("call.wav");
    let (caller, hotline) = tones(3.5);
    let mut recorder = CallRecorder::create(&path, RATE).expect("create");
    write_ticks(&mut recorder, &caller, &hotline);
    assert_eq!(recorder.duration(), Duration::from_millis(3500));

    let summary = recorder.finish().expect("finish");

    assert_eq!(
        summary,
        RecordingSummary {
            path: path.clone(),
            duration: Duration::from_millis(3500),
            frames: 28_000,
        }
    );
    let mut reader = hound::WavReader::open(&path).expect("open recording");
    let spec = reader.spec();
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (2, RATE, 16)
    );
    assert_eq!(reader.duration(), 28_000);
    let samples: Vec<i16> = reader
        .samples::<i16>()
        .collect::<Result<_, _>>()
        .expect("read samples");
    let (left, right) = split_channels(&samples);
    assert_eq!(left, caller);
    assert_eq!(right, hotline);
}

#[test]
fn crash_without_drop_keeps_every_flushed_second() {
    let scratch = ScratchDir::new("recording-crash");
    let path = scratch.join("crash.wav");
    let (caller, hotline) = tones(2.5);
    let mut recorder = CallRecorder::create(&path, RATE).expect("create");
    write_ticks(&mut recorder, &caller, &hotline);

    // Like kill -9: no Drop, no finish, buffered bytes never reach the OS.
    std::mem::forget(recorder);

    let mut reader = hound::WavReader::open(&path).expect("file parses after a crash");
    let frames = reader.duration() as usize;
    assert!(
        (2 * RATE as usize..=caller.len()).contains(&frames),
        "header declares {frames} frames"
    );
    let samples: Vec<i16> = reader
        .samples::<i16>()
        .collect::<Result<_, _>>()
        .expect("declared data is present");
    let (left, right) = split_channels(&samples);
    assert_eq!(left, caller[..frames]);
    assert_eq!(right, hotline[..frames]);
}

#[test]
fn dropping_without_finish_flushes_everything() {
    let scratch = ScratchDir::new("recording-drop");
    let path = scratch.join("dropped.wav");
    let (caller, hotline) = tones(1.3);
    let mut recorder = CallRecorder::create(&path, RATE).expect("create");
    write_ticks(&mut recorder, &caller, &hotline);
    drop(recorder);

    let reader = hound::WavReader::open(&path).expect("open recording");
    assert_eq!(reader.duration() as usize, caller.len());
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let scratch = ScratchDir::new("recording-exists");
    let path = scratch.join("taken.wav");
    std::fs::write(&path, b"keep me").expect("write existing file");

    let error = CallRecorder::create(&path, RATE).err().expect("refused");

    assert!(
        matches!(&error, RecordingError::AlreadyExists { path: reported } if *reported == path)
    );
    assert_eq!(std::fs::read(&path).expect("read"), b"keep me");
}

#[test]
fn missing_parent_directories_are_created() {
    let scratch = ScratchDir::new("recording-parents");
    let path = scratch.join("2025/01/31/call.wav");

    let recorder = CallRecorder::create(&path, RATE).expect("create");
    let summary = recorder.finish().expect("finish");

    assert_eq!(summary.frames, 0);
    assert_eq!(hound::WavReader::open(&path).expect("open").duration(), 0);
}

#[test]
fn mismatched_sides_and_zero_rate_are_rejected() {
    let scratch = ScratchDir::new("recording-invalid");
    let error = CallRecorder::create(&scratch.join("zero.wav"), 0)
        .err()
        .expect("zero rate");
    assert!(matches!(
        error,
        RecordingError::InvalidSampleRate { sample_rate: 0, .. }
    ));

    let path = scratch.join("mismatch.wav");
    let mut recorder = CallRecorder::create(&path, RATE).expect("create");
    let error = recorder
        .write_frame(&[0; TICK], &[0; TICK - 1])
        .expect_err("mismatch");
    assert!(matches!(
        error,
        RecordingError::FrameLengthMismatch {
            left: 160,
            right: 159,
            ..
        }
    ));
    recorder
        .write_frame(&[1; TICK], &[2; TICK])
        .expect("write frame");
    assert_eq!(recorder.finish().expect("finish").frames, TICK as u64);
}
