//! Recording benchmark: what sealing costs a call, in-process. Records one minute of a call
//! (3000 ticks of 20 ms, stereo at 8 kHz) into a sealed recording and finishes it (AES-256-GCM
//! per one-second record, the disk thread's writes without fdatasync, the final sync), and reads
//! a 64 KiB range out of a finished minute as a seeking player does (open, unwrap the data key,
//! decrypt the records it covers).
//!
//! Run with `cargo bench --bench recording`; per call-second cost is the first figure / 60.

use criterion::Criterion;
use hotline::recording::{CallRecorder, DiskCounters, DiskWriter, KeyRing, SealedReader};
use std::hint::black_box;
use std::time::Duration;

const RATE: u32 = 8000;
const TICK: usize = 160;
const TICKS_PER_MINUTE: usize = 3000;

fn main() -> anyhow::Result<()> {
    let directory = tempfile::tempdir()?;
    let keys = KeyRing::parse(&format!("bench {}", "ab".repeat(32)), "bench")?;
    let disk = DiskWriter::start(false, DiskCounters::unregistered())?;
    let caller: Vec<i16> = (0..TICK)
        .map(|n| ((n as f32 * 0.3).sin() * 9000.0) as i16)
        .collect();
    let hotline: Vec<i16> = (0..TICK)
        .map(|n| ((n as f32 * 0.7).sin() * 5000.0) as i16)
        .collect();
    let record_minute = |path: &std::path::Path| -> anyhow::Result<()> {
        let mut recorder = CallRecorder::create(path, "bench", RATE, &keys, &disk)?;
        for _ in 0..TICKS_PER_MINUTE {
            recorder.write_frame(&caller, &hotline)?;
        }
        recorder.finish(b"[]")?;
        Ok(())
    };
    let minute = directory.path().join("minute.hrec");
    record_minute(&minute)?;

    let mut criterion = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let scratch = directory.path().join("scratch.hrec");
    criterion.bench_function("record and seal one minute of a call", |bencher| {
        bencher.iter(|| {
            let _ = std::fs::remove_file(&scratch);
            record_minute(&scratch).expect("recorded");
        })
    });
    criterion.bench_function(
        "read 64 KiB from the middle of a sealed minute",
        |bencher| {
            bencher.iter(|| {
                let recording = SealedReader::open(&minute)
                    .and_then(|reader| reader.unlock(&keys))
                    .expect("opens");
                let middle = recording.wav_length() / 2;
                black_box(recording.wav_bytes(middle, middle + 65_536).expect("reads"));
            })
        },
    );
    criterion.final_summary();
    Ok(())
}
