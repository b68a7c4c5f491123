//! Tests of sealed recordings: exact round trip of both channels, nothing readable without
//! the key, crash safety, pauses and phases, seeking reads, and the integrity chain finding
//! altered and deleted recordings.

use std::path::PathBuf;
use std::sync::Arc;

use crate::audio::test_signals::{ScratchDir, sine_i16};
use crate::storage::{AuditLog, CallStore, SqliteStore, TranscriptLine};

use super::format::MarkEvent;
use super::keys::KeyRing;
use super::{
    CallRecorder, DiskCounters, DiskWriter, Ledger, RecordingError, RecordingService, Redactor,
    RetentionPolicy, SealedReader, verify,
};

const RATE: u32 = 8000;
const TICK: usize = 160;
const KEYS: &str = "# test keys\nold 1111111111111111111111111111111111111111111111111111111111111111\n\
                    current 2222222222222222222222222222222222222222222222222222222222222222\n";

fn keys() -> KeyRing {
    KeyRing::parse(KEYS, "test").expect("keys")
}

fn disk() -> DiskWriter {
    DiskWriter::start(true, DiskCounters::unregistered()).expect("disk thread")
}

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

/// The recording decrypted as WAV, split into (left, right).
fn channels(path: &std::path::Path) -> (Vec<i16>, Vec<i16>) {
    let recording = SealedReader::open(path)
        .and_then(|reader| reader.unlock(&keys()))
        .expect("open");
    let wav = recording.wav_bytes(0, recording.wav_length()).expect("wav");
    let mut reader = hound::WavReader::new(std::io::Cursor::new(wav)).expect("a WAV");
    assert_eq!(
        (reader.spec().channels, reader.spec().sample_rate),
        (2, RATE)
    );
    let samples: Vec<i16> = reader
        .samples::<i16>()
        .map(|s| s.expect("sample"))
        .collect();
    samples
        .chunks_exact(2)
        .map(|frame| (frame[0], frame[1]))
        .unzip()
}

#[test]
fn a_finished_recording_holds_both_sides_exactly_and_no_plaintext() {
    let scratch = ScratchDir::new("sealed-round-trip");
    let path = scratch.join("day/call.hrec");
    let (caller, hotline) = tones(3.5);
    let mut recorder = CallRecorder::create(&path, "call", RATE, &keys(), &disk()).expect("create");
    recorder.mark(MarkEvent::Ivr).expect("mark");
    write_ticks(&mut recorder, &caller, &hotline);
    let contents = recorder.finish(b"[\"transcript\"]").expect("finish");
    assert_eq!(contents.frames, 28_000);
    assert_eq!(contents.header.key_id, "current");

    assert_eq!(channels(&path), (caller.clone(), hotline));
    let recording = SealedReader::open(&path).unwrap().unlock(&keys()).unwrap();
    assert_eq!(
        recording.transcript().unwrap().as_deref(),
        Some(&b"[\"transcript\"]"[..])
    );
    assert_eq!(recording.contents().unwrap().records, contents.records);
    let on_disk = std::fs::read(&path).unwrap();
    let plain: Vec<u8> = caller[100..116]
        .iter()
        .flat_map(|s| s.to_le_bytes())
        .collect();
    assert!(
        !on_disk
            .windows(plain.len())
            .any(|window| window == plain.as_slice())
    );
    assert!(!on_disk.windows(4).any(|window| window == b"RIFF"));
}

#[test]
fn without_the_right_key_nothing_opens() {
    let scratch = ScratchDir::new("sealed-keys");
    let path = scratch.join("call.hrec");
    let (caller, hotline) = tones(1.0);
    let mut recorder = CallRecorder::create(&path, "call", RATE, &keys(), &disk()).unwrap();
    write_ticks(&mut recorder, &caller, &hotline);
    recorder.finish(b"[]").unwrap();
    let only_old = KeyRing::parse(
        "old 1111111111111111111111111111111111111111111111111111111111111111",
        "t",
    )
    .unwrap();
    let wrong = KeyRing::parse(
        "current 3333333333333333333333333333333333333333333333333333333333333333",
        "t",
    )
    .unwrap();
    let open = |ring: &KeyRing| SealedReader::open(&path).unwrap().unlock(ring).err();
    assert!(matches!(
        open(&only_old),
        Some(RecordingError::UnknownKey { .. })
    ));
    assert!(matches!(open(&wrong), Some(RecordingError::Crypto(_))));
}

#[test]
fn a_crash_loses_at_most_the_last_second_and_a_torn_tail_is_left_out() {
    let scratch = ScratchDir::new("sealed-crash");
    let path = scratch.join("crash.hrec");
    let (caller, hotline) = tones(2.5);
    let disk = disk();
    let mut recorder = CallRecorder::create(&path, "crash", RATE, &keys(), &disk).unwrap();
    write_ticks(&mut recorder, &caller, &hotline);
    // Like kill -9: no Drop, no finish; what was queued reaches the disk.
    std::mem::forget(recorder);
    disk.wait();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut file, &[0, 0, 0x80, 0, 1, 9, 9]).unwrap();

    let reader = SealedReader::open(&path).unwrap();
    assert_eq!(reader.frames(), 2 * u64::from(RATE));
    let recording = reader.unlock(&keys()).unwrap();
    assert_eq!(recording.contents().unwrap().torn_bytes, 7);
    let (left, right) = channels(&path);
    assert_eq!(
        (left.as_slice(), right.as_slice()),
        (&caller[..16_000], &hotline[..16_000])
    );
}

#[test]
fn any_byte_range_of_the_wav_reads_as_the_whole_does() {
    let scratch = ScratchDir::new("sealed-ranges");
    let path = scratch.join("ranges.hrec");
    let (caller, hotline) = tones(3.3);
    let mut recorder = CallRecorder::create(&path, "ranges", RATE, &keys(), &disk()).unwrap();
    write_ticks(&mut recorder, &caller, &hotline);
    recorder.finish(b"[]").unwrap();
    let recording = SealedReader::open(&path).unwrap().unlock(&keys()).unwrap();
    let whole = recording.wav_bytes(0, recording.wav_length()).unwrap();
    assert_eq!(whole.len() as u64, 44 + 4 * caller.len() as u64);
    for (start, end) in [
        (0, 10),
        (10, 100),
        (40, 32_100),
        (31_990, 64_050),
        (100_000, 200_000),
    ] {
        assert_eq!(
            recording.wav_bytes(start, end).unwrap(),
            whole[start as usize..(end as usize).min(whole.len())],
            "{start}..{end}"
        );
    }
    let peaks = recording.peaks(10).unwrap();
    assert!(
        peaks.iter().all(|peak| (0.45..=0.55).contains(peak)),
        "{peaks:?}"
    );
}

#[test]
fn a_pause_records_silence_and_the_phases_become_segments() {
    let scratch = ScratchDir::new("sealed-pause");
    let path = scratch.join("pause.hrec");
    let (caller, hotline) = tones(4.0);
    let mut recorder = CallRecorder::create(&path, "pause", RATE, &keys(), &disk()).unwrap();
    recorder.mark(MarkEvent::Ivr).unwrap();
    write_ticks(&mut recorder, &caller[..8000], &hotline[..8000]);
    recorder.mark(MarkEvent::Queue).unwrap();
    write_ticks(&mut recorder, &caller[8000..16000], &hotline[8000..16000]);
    recorder.mark(MarkEvent::Agent).unwrap();
    recorder.mark(MarkEvent::Paused).unwrap();
    recorder.mark(MarkEvent::Paused).unwrap();
    assert!(recorder.is_paused());
    write_ticks(&mut recorder, &caller[16000..24000], &hotline[16000..24000]);
    recorder.mark(MarkEvent::Resumed).unwrap();
    write_ticks(&mut recorder, &caller[24000..], &hotline[24000..]);
    let contents = recorder.finish(b"[]").unwrap();

    let (left, right) = channels(&path);
    assert!(
        left[16000..24000]
            .iter()
            .chain(&right[16000..24000])
            .all(|&s| s == 0)
    );
    assert_eq!(left[24000..], caller[24000..]);
    let segments = super::segments(&contents.marks, contents.frames, RATE);
    let described: Vec<(&str, f64, f64)> = segments
        .iter()
        .map(|segment| {
            (
                segment.phase.as_str(),
                segment.start_seconds,
                segment.end_seconds,
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            ("ivr", 0.0, 1.0),
            ("queue", 1.0, 2.0),
            ("agent", 2.0, 4.0),
            ("paused", 2.0, 3.0)
        ]
    );
}

/// A recording service over a fresh data directory.
struct Setup {
    scratch: ScratchDir,
    service: RecordingService,
    audit: AuditLog,
    calls: Arc<dyn CallStore>,
}

fn setup(label: &str, retention: std::time::Duration) -> Setup {
    let scratch = ScratchDir::new(label);
    let database = scratch.join("hotline.db");
    let ledger = Ledger::open(&database, &scratch.join("recordings")).unwrap();
    let service = RecordingService::new(
        keys(),
        disk(),
        ledger,
        RetentionPolicy {
            default: retention,
            by_flow: Default::default(),
        },
        Redactor::new(&[]).unwrap(),
        RATE,
    );
    let calls: Arc<dyn CallStore> = Arc::new(SqliteStore::open(&database).unwrap());
    let audit = AuditLog::open(&database).unwrap();
    Setup {
        scratch,
        service,
        audit,
        calls,
    }
}

/// Records and seals a two-second call; returns its ID and file.
fn record_call(setup: &Setup, name: &str) -> (String, PathBuf) {
    let started = chrono::Utc::now();
    let (caller, hotline) = tones(2.0);
    let mut recorder = setup.service.start(name, started).unwrap();
    write_ticks(&mut recorder, &caller, &hotline);
    let path = recorder.path().to_path_buf();
    let line = TranscriptLine {
        at: started,
        speaker: crate::storage::Speaker::Caller,
        text: "my card is 4111 1111 1111 1111".to_string(),
    };
    setup
        .service
        .finish(recorder, "main", started, &[line])
        .unwrap();
    (name.to_string(), path)
}

fn breaks(setup: &Setup) -> Vec<(String, String)> {
    verify(setup.service.ledger(), |call| {
        setup.audit.mentions("recording_deleted", call).unwrap()
    })
    .unwrap()
    .breaks
    .into_iter()
    .map(|broken| (broken.recording, broken.problem))
    .collect()
}

#[test]
fn verify_names_an_altered_recording_and_finds_a_deleted_one() {
    let setup = setup("sealed-chain", std::time::Duration::from_secs(3600));
    let calls: Vec<(String, PathBuf)> = ["first", "second", "third"]
        .iter()
        .map(|name| record_call(&setup, name))
        .collect();
    assert_eq!(breaks(&setup), []);
    let transcript = setup
        .service
        .open(&calls[0].1)
        .unwrap()
        .transcript()
        .unwrap()
        .unwrap();
    assert!(
        String::from_utf8(transcript)
            .unwrap()
            .contains("**** **** **** 1111")
    );

    let original = std::fs::read(&calls[1].1).unwrap();
    let mut flipped = original.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    std::fs::write(&calls[1].1, &flipped).unwrap();
    let found = breaks(&setup);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "second");
    assert!(found[0].1.contains("was altered"), "{found:?}");

    std::fs::write(&calls[1].1, &original).unwrap();
    std::fs::remove_file(&calls[1].1).unwrap();
    let found = breaks(&setup);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "second");
    assert!(found[0].1.ends_with("is missing"), "{found:?}");

    let manifest = setup.service.ledger().directory().join(
        setup
            .service
            .entry("second")
            .unwrap()
            .unwrap()
            .manifest_file(),
    );
    std::fs::remove_file(manifest).unwrap();
    rusqlite::Connection::open(setup.scratch.join("hotline.db"))
        .unwrap()
        .execute("DELETE FROM recordings WHERE call_id = 'second'", [])
        .unwrap();
    let found = breaks(&setup);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(call, _)| call == "third"), "{found:?}");
    assert!(found[0].1.contains("skips from 1 to 3"), "{found:?}");
}

#[test]
fn the_sweeper_deletes_expired_recordings_into_the_audit_log_but_not_held_ones() {
    let setup = setup("sealed-retention", std::time::Duration::ZERO);
    let (expired, expired_path) = record_call(&setup, "expired");
    let (held, held_path) = record_call(&setup, "held");
    assert!(setup.service.ledger().set_legal_hold(&held, true).unwrap());

    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    let deleted = setup
        .service
        .sweep(&setup.audit, &setup.calls, now)
        .unwrap();

    assert_eq!(deleted, std::slice::from_ref(&expired));
    assert!(!expired_path.exists() && held_path.exists());
    assert!(setup.audit.mentions("recording_deleted", &expired).unwrap());
    assert!(
        setup
            .service
            .entry(&expired)
            .unwrap()
            .unwrap()
            .deleted_at
            .is_some()
    );
    let report = verify(setup.service.ledger(), |call| {
        setup.audit.mentions("recording_deleted", call).unwrap()
    })
    .unwrap();
    assert_eq!(
        (report.checked, report.deleted, report.breaks.len()),
        (2, 1, 0)
    );
    assert_eq!(setup.audit.verify().unwrap(), Vec::<String>::new());
}

#[test]
fn a_recording_a_crash_left_unsealed_is_recovered_into_the_chain() {
    let setup = setup("sealed-recovery", std::time::Duration::from_secs(3600));
    record_call(&setup, "before");
    let (caller, hotline) = tones(1.5);
    let mut recorder = setup.service.start("crashed", chrono::Utc::now()).unwrap();
    write_ticks(&mut recorder, &caller, &hotline);
    let path = recorder.path().to_path_buf();
    std::mem::forget(recorder);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while SealedReader::open(&path).unwrap().frames() < 8000 {
        assert!(
            std::time::Instant::now() < deadline,
            "the first second never reached the disk"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let unsealed = verify(setup.service.ledger(), |_| false).unwrap().unsealed;
    assert_eq!(unsealed.len(), 1, "{unsealed:?}");

    assert_eq!(setup.service.recover(&setup.calls).unwrap(), 1);
    let entry = setup.service.entry("crashed").unwrap().unwrap();
    let manifest = setup.service.manifest(&entry).unwrap();
    assert!(manifest.recovered);
    assert_eq!((manifest.sequence, manifest.frames), (2, 8000));
    assert_eq!(breaks(&setup), []);
    assert_eq!(setup.service.recover(&setup.calls).unwrap(), 0);
}

#[test]
fn retention_past_year_9999_keeps_and_an_index_edited_to_delete_early_is_found() {
    let setup = setup(
        "sealed-early",
        std::time::Duration::from_secs(10_000 * 366 * 86_400),
    );
    let (call, path) = record_call(&setup, "kept");
    let entry = setup.service.entry(&call).unwrap().unwrap();
    assert_eq!(entry.retain_until, super::ledger::LAST_DAY);
    let now = chrono::Utc::now();
    assert!(
        setup
            .service
            .sweep(&setup.audit, &setup.calls, now)
            .unwrap()
            .is_empty()
    );
    assert!(path.exists());

    rusqlite::Connection::open(setup.scratch.join("hotline.db"))
        .unwrap()
        .execute(
            "UPDATE recordings SET retain_until = '2000-01-01T00:00:00+00:00'",
            [],
        )
        .unwrap();
    assert_eq!(
        setup
            .service
            .sweep(&setup.audit, &setup.calls, now)
            .unwrap(),
        std::slice::from_ref(&call)
    );
    let found = breaks(&setup);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, call);
    assert!(
        found[0].1.contains("deleted before its retention ended"),
        "{found:?}"
    );
}
