//! `hotline recordings verify`: walks the chain of manifests and every recording they cover.
//!
//! A break is reported, naming the recording, when a manifest is missing or altered, a link
//! names the wrong previous manifest or a sequence number is skipped (a recording deleted with
//! its row), a recording file is missing or altered record by record, or a recording was
//! deleted without its deletion in the audit log. Recordings not yet sealed (calls in progress,
//! or a crash not yet recovered) are listed apart.

use super::RecordingError;
use super::keys::encode_hex;
use super::ledger::{LAST_DAY, Ledger, LedgerEntry, parse_time};
use super::manifest::{GENESIS, Manifest};
use super::reader::SealedReader;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::Path;

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The recording concerned (call ID), or the file when no call is known.
    pub recording: String,
    /// What is wrong.
    pub problem: String,
}

/// What a verification found.
#[derive(Debug, Default)]
pub struct Report {
    /// Recordings checked.
    pub checked: usize,
    /// Recordings deleted at the end of their retention (audio gone, manifest kept).
    pub deleted: usize,
    /// Everything wrong.
    pub breaks: Vec<Break>,
    /// Recording files with no manifest yet.
    pub unsealed: Vec<String>,
}

/// Checks every recording in `ledger`. `deletion_audited(call)` says whether the audit log holds
/// the deletion of a recording's audio.
pub fn verify(
    ledger: &Ledger,
    deletion_audited: impl Fn(&str) -> bool,
) -> Result<Report, RecordingError> {
    let mut report = Report::default();
    let mut previous = GENESIS.to_string();
    let mut expected_sequence = 1u64;
    let entries = ledger.entries()?;
    for entry in &entries {
        let mut problem = |problem: String| {
            report.breaks.push(Break {
                recording: entry.call.clone(),
                problem,
            })
        };
        if entry.sequence != expected_sequence {
            problem(format!(
                "the chain skips from {} to {}: a recording was removed",
                expected_sequence.saturating_sub(1),
                entry.sequence
            ));
        }
        if entry.previous_sha256 != previous {
            problem("its manifest does not follow the previous one in the chain".to_string());
        }
        match check_entry(ledger.directory(), entry, &deletion_audited) {
            Ok(true) => report.deleted += 1,
            Ok(false) => {}
            Err(message) => problem(message),
        }
        report.checked += 1;
        previous = entry.manifest_sha256.clone();
        expected_sequence = entry.sequence + 1;
    }
    let sealed: HashSet<&str> = entries.iter().map(|entry| entry.file.as_str()).collect();
    for file in recording_files(ledger.directory()) {
        let relative = ledger.relative(&file);
        if !sealed.contains(relative.as_str()) {
            report.unsealed.push(relative);
        }
    }
    Ok(report)
}

/// Checks one recording against its manifest; true when its audio was deleted as audited.
fn check_entry(
    directory: &Path,
    entry: &LedgerEntry,
    deletion_audited: &impl Fn(&str) -> bool,
) -> Result<bool, String> {
    let manifest_path = directory.join(entry.manifest_file());
    let bytes = std::fs::read(&manifest_path)
        .map_err(|error| format!("manifest {} unreadable: {error}", entry.manifest_file()))?;
    if encode_hex(&Sha256::digest(&bytes)) != entry.manifest_sha256 {
        return Err(format!("manifest {} was altered", entry.manifest_file()));
    }
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|error| format!("manifest {} does not parse: {error}", entry.manifest_file()))?;
    if manifest.sequence != entry.sequence
        || manifest.previous_sha256 != entry.previous_sha256
        || manifest.call != entry.call
    {
        return Err(format!(
            "manifest {} does not match the index",
            entry.manifest_file()
        ));
    }
    let audio_path = directory.join(&entry.file);
    if entry.deleted_at.is_some() {
        if audio_path.exists() {
            return Err(format!("{} is marked deleted but still there", entry.file));
        }
        if !deletion_audited(&entry.call) {
            return Err(format!(
                "{} was deleted without an entry in the audit log",
                entry.file
            ));
        }
        let kept_until = parse_time(&manifest.retain_until, LAST_DAY);
        if entry.deleted_at.is_some_and(|deleted| deleted < kept_until) {
            return Err(format!(
                "{} was deleted before its retention ended ({})",
                entry.file, manifest.retain_until
            ));
        }
        return Ok(true);
    }
    let reader = SealedReader::open(&audio_path).map_err(|error| match error {
        RecordingError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            format!("{} is missing", entry.file)
        }
        error => error.to_string(),
    })?;
    if reader.header_sha256() != manifest.header_sha256 {
        return Err(format!("{}: the header was altered", entry.file));
    }
    let records = reader.entries().map_err(|error| error.to_string())?;
    if records.len() < manifest.records.len() {
        return Err(format!(
            "{}: {} of {} records are missing",
            entry.file,
            manifest.records.len() - records.len(),
            manifest.records.len()
        ));
    }
    if let Some(extra) = records.get(manifest.records.len()) {
        return Err(format!(
            "{}: record {} was added after sealing",
            entry.file, extra.index
        ));
    }
    for (found, listed) in records.iter().zip(&manifest.records) {
        if found.sha256 != listed.sha256 || found.kind != listed.kind {
            return Err(format!(
                "{}: record {} was altered",
                entry.file, listed.index
            ));
        }
    }
    Ok(false)
}

/// Every sealed recording file under `directory` (`*.hrec`, one level of day folders).
pub fn recording_files(directory: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let days = std::fs::read_dir(directory).into_iter().flatten().flatten();
    for day in days.filter(|day| day.path().is_dir()) {
        for file in std::fs::read_dir(day.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = file.path();
            if path
                .extension()
                .is_some_and(|extension| extension == "hrec")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
