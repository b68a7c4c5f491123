//! Call-record benchmark: what the record saves of one 30-turn call cost, from the call's first
//! snapshot to the writer thread's last write (SQLite in a temporary directory). A call saves
//! its record after every turn; each turn adds a caller line holding a card number to redact and
//! an answer. A writer that copied and redacted the whole record on every save cost the square of
//! the turns; one that redacts only what changed costs what changed.
//!
//! Run with `cargo bench --bench records`.

use criterion::Criterion;
use hotline::call::RecordWriter;
use hotline::ids::CallId;
use hotline::recording::Redactor;
use hotline::storage::{CallOutcome, CallRecord, Speaker, SqliteStore, TranscriptLine};
use std::sync::Arc;

const TURNS: usize = 30;

fn line(speaker: Speaker, text: String) -> TranscriptLine {
    TranscriptLine {
        at: chrono::Utc::now(),
        speaker,
        text,
    }
}

/// One call: a snapshot after every turn, then the end, then the writer drains.
fn call(store: Arc<SqliteStore>, redactor: &Redactor) {
    let writer = RecordWriter::start(store, redactor.clone()).expect("writer");
    let mut record = Arc::new(CallRecord::starting(
        CallId::new(),
        "+15550100009",
        "1000",
        "main",
        "speech",
    ));
    for turn in 0..TURNS {
        let snapshot = Arc::make_mut(&mut record);
        let said = format!("turn {turn}: my card is 4111 1111 1111 1111, where is order 12345");
        snapshot.transcript.push(line(Speaker::Caller, said));
        let answer = format!("Order 12345 shipped on day {turn} and arrives on Friday.");
        snapshot.transcript.push(line(Speaker::Hotline, answer));
        writer.save(Arc::clone(&record));
    }
    let snapshot = Arc::make_mut(&mut record);
    snapshot.outcome = CallOutcome::CallerHangup;
    snapshot.ended_at = Some(chrono::Utc::now());
    writer.save(Arc::clone(&record));
    writer.close();
}

fn main() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let store = Arc::new(SqliteStore::open(&directory.path().join("calls.db")).expect("db"));
    let redactor = Redactor::new(&[]).expect("redactor");
    let mut criterion = Criterion::default().configure_from_args();
    criterion.bench_function("records/30-turn call", |bencher| {
        bencher.iter(|| call(store.clone(), &redactor))
    });
    criterion.final_summary();
}
