//! `hotline recordings verify` and the recording service `hotline serve` opens: keys, the
//! disk thread, the index, retention and redaction from `[recording]`, crash recovery at start
//! and the retention sweeper.

use crate::config::Config;
use crate::media::SAMPLE_RATE;
use crate::recording::{
    DiskCounters, DiskWriter, KeyRing, Ledger, RecordingService, Redactor, RetentionPolicy, verify,
};
use crate::storage::{AuditLog, CallStore};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Flags of `hotline recordings verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArguments {
    /// Config file (for the recording directory).
    #[arg(long, default_value = super::DEFAULT_CONFIG)]
    config: PathBuf,
    /// Data directory.
    #[arg(long, default_value = super::DEFAULT_DATA)]
    data: PathBuf,
}

/// Checks the chain of manifests, every recording and the audit log; exit 1 naming each break.
pub fn verify_command(arguments: VerifyArguments) -> anyhow::Result<ExitCode> {
    let config = Config::load(&arguments.config)?;
    let database = arguments.data.join("hotline.db");
    let ledger = Ledger::open(&database, &config.recording_directory(&arguments.data))?;
    let audit = AuditLog::open(&database)?;
    let report = verify(&ledger, |call| {
        audit.mentions("recording_deleted", call).unwrap_or(false)
    })?;
    let audit_breaks = audit.verify()?;
    for broken in &report.breaks {
        println!("BROKEN {}: {}", broken.recording, broken.problem);
    }
    for problem in &audit_breaks {
        println!("BROKEN audit log: {problem}");
    }
    for file in &report.unsealed {
        println!("unsealed {file} (a call in progress, or a crash the next start recovers)");
    }
    println!(
        "{} recordings checked ({} deleted at the end of their retention), {} breaks",
        report.checked,
        report.deleted,
        report.breaks.len() + audit_breaks.len()
    );
    Ok(if report.breaks.is_empty() && audit_breaks.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The recording service for `serve`, with the keys from the environment, the configured key
/// file, or one generated under the data directory.
pub fn open_service(
    config: &Config,
    data: &Path,
    database: &Path,
    counters: DiskCounters,
) -> anyhow::Result<RecordingService> {
    let keys_file = config
        .recording
        .keys_file
        .as_ref()
        .map(|file| data.join(file));
    let keys = KeyRing::load(keys_file.as_deref(), &data.join("keys/recording.keys"))?;
    let disk = DiskWriter::start(config.recording.sync_every_record, counters)
        .context("cannot start the recording disk thread")?;
    let ledger = Ledger::open(database, &config.recording_directory(data))?;
    let redactor = Redactor::new(&config.recording.redact)?;
    let retention = RetentionPolicy {
        default: config.recording.retention,
        by_flow: config.recording.retention_by_flow.clone(),
    };
    Ok(RecordingService::new(
        keys,
        disk,
        ledger,
        retention,
        redactor,
        SAMPLE_RATE,
    ))
}

/// Deletes recordings past their retention every `every` until `stop`.
pub async fn sweep_recordings(
    recordings: Arc<RecordingService>,
    audit: Arc<AuditLog>,
    calls: Arc<dyn CallStore>,
    every: std::time::Duration,
    stop: CancellationToken,
) {
    let mut ticks = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = stop.cancelled() => return,
        }
        let (recordings, audit, calls) = (recordings.clone(), audit.clone(), calls.clone());
        let swept = tokio::task::spawn_blocking(move || {
            recordings.sweep(&audit, &calls, chrono::Utc::now())
        })
        .await;
        match swept {
            Ok(Ok(deleted)) if !deleted.is_empty() => {
                tracing::info!(
                    count = deleted.len(),
                    "recordings past their retention deleted"
                )
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "the retention sweep failed"),
            Err(error) => tracing::warn!(%error, "the retention sweep task failed"),
        }
    }
}
