//! Dashboard benchmark: what one snapshot costs the server, in-process. The dashboard builds one
//! a second while a page watches: the board, the agent service's queues, and today's call
//! records read back from SQLite for the totals. Measured with today's records at 1 000 and
//! 10 000 calls (each with a ten-line transcript and a few collected values).
//!
//! Run with `cargo bench --bench dashboard`; the figure is CPU time per second of watching.

use criterion::Criterion;
use hotline::acd::AcdSettings;
use hotline::agents::AgentService;
use hotline::ids::CallId;
use hotline::operations::{AlertRules, CallBoard, Dashboard, DashboardSetup};
use hotline::storage::{CallOutcome, CallRecord, CallStore, Speaker, SqliteStore, TranscriptLine};
use hotline::telemetry::Metrics;
use std::sync::Arc;
use std::time::Duration;

fn record(index: usize) -> CallRecord {
    let mut record = CallRecord::starting(CallId::new(), "+15550100009", "1000", "main", "speech");
    for line in 0..10 {
        let speaker = if line % 2 == 0 {
            Speaker::Hotline
        } else {
            Speaker::Caller
        };
        record.transcript.push(TranscriptLine {
            at: record.started_at,
            speaker,
            text: format!("line {line} of call {index}: where is my order one two three"),
        });
    }
    record
        .variables
        .insert("intent".into(), "order_status".into());
    record
        .variables
        .insert("order_number".into(), "12345".into());
    record.ended_at = Some(record.started_at + chrono::Duration::seconds(95));
    record.outcome = CallOutcome::FlowHangup;
    record
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    for calls in [1_000, 10_000] {
        let directory = tempfile::tempdir()?;
        let store = Arc::new(SqliteStore::open(&directory.path().join("hotline.db"))?);
        for index in 0..calls {
            store.save_call(&record(index))?;
        }
        let dashboard = runtime.block_on(async {
            Dashboard::start(DashboardSetup {
                board: CallBoard::new(Duration::from_secs(20)),
                agents: AgentService::start(
                    AcdSettings {
                        wrap_up: Duration::from_secs(10),
                        announce_every: Duration::from_secs(30),
                        overflow: Default::default(),
                        assumed_handle_time: Duration::from_secs(180),
                    },
                    Vec::new(),
                ),
                calls: store.clone(),
                metrics: Metrics::new(),
                rules: AlertRules {
                    longest_wait: Duration::from_secs(60),
                    no_matches: 5,
                    no_match_window: Duration::from_secs(300),
                },
            })
        });
        criterion.bench_function(
            &format!("dashboard snapshot, {calls} calls today"),
            |bencher| bencher.iter(|| runtime.block_on(dashboard.snapshot()).expect("a snapshot")),
        );
    }
    criterion.final_summary();
    Ok(())
}
