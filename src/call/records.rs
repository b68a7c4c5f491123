//! Ordered, non-blocking persistence of call records.
//!
//! Calls update their record at answer, at each key press or collected value, and at the end.
//! One writer thread applies the updates in the order they were made, so a late snapshot can
//! never overwrite a call's final state, and no call actor ever waits on the database.
//! Transcripts, collected values and hand-overs are redacted here, on their way to the store, so
//! nothing stored or shown holds card numbers, phone numbers or e-mail addresses.
//!
//! Invariants: a record's transcript only grows while its call runs, so the writer keeps each
//! open call's redacted record and redacts only the lines added since the last snapshot (and a
//! hand-over only when it changed): a save costs what changed, not the whole call. A call's
//! redacted copy is dropped once a snapshot says it ended; a later snapshot (the caller's last
//! words) is redacted afresh.

use crate::ids::CallId;
use crate::recording::Redactor;
use crate::storage::{CallRecord, CallStore, TranscriptLine};
use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Queues record updates for the writer thread.
pub struct RecordWriter {
    sender: Mutex<Option<mpsc::Sender<Arc<CallRecord>>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl RecordWriter {
    /// Starts the writer thread over `store`, redacting transcripts with `redactor`.
    pub fn start(store: Arc<dyn CallStore>, redactor: Redactor) -> std::io::Result<RecordWriter> {
        let (sender, receiver) = mpsc::channel::<Arc<CallRecord>>();
        let thread = std::thread::Builder::new()
            .name("call-records".to_string())
            .spawn(move || {
                let mut open: HashMap<CallId, Redacted> = HashMap::new();
                for record in receiver {
                    let redacted = open
                        .entry(record.id)
                        .or_insert_with(|| Redacted::new(record.id));
                    redacted.update(&record, &redactor);
                    if let Err(error) = store.save_call(&redacted.record) {
                        tracing::warn!(call = %record.id, %error, "cannot save call record");
                    }
                    if record.ended_at.is_some() {
                        open.remove(&record.id);
                    }
                }
            })?;
        Ok(RecordWriter {
            sender: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Queues a snapshot of a record; after [`RecordWriter::close`] it is dropped with a warning.
    pub fn save(&self, record: impl Into<Arc<CallRecord>>) {
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match sender.as_ref() {
            Some(sender) if sender.send(record.into()).is_ok() => {}
            _ => tracing::warn!("call record written after shutdown was dropped"),
        }
    }

    /// Writes everything queued, then stops the thread. Blocks until done.
    pub fn close(&self) {
        self.sender
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(thread) = thread
            && thread.join().is_err()
        {
            tracing::warn!("call record writer panicked");
        }
    }
}

/// An open call's record as stored: redacted, with the hand-over it was redacted from.
struct Redacted {
    record: CallRecord,
    handover: Option<serde_json::Value>,
}

impl Redacted {
    /// Nothing of the call yet: the first snapshot fills every field.
    fn new(id: CallId) -> Redacted {
        Redacted {
            record: CallRecord::starting(id, "", "", "", ""),
            handover: None,
        }
    }

    /// Takes a new snapshot: its fields, its new transcript lines redacted.
    fn update(&mut self, snapshot: &CallRecord, redactor: &Redactor) {
        let CallRecord {
            id,
            from,
            to,
            flow,
            mode,
            started_at,
            ended_at,
            outcome,
            digits,
            variables,
            transcript,
            recording,
            handover,
            agent,
            wrap_up,
        } = snapshot;
        let stored = &mut self.record;
        stored.id = *id;
        stored.from.clone_from(from);
        stored.to.clone_from(to);
        stored.flow.clone_from(flow);
        stored.mode.clone_from(mode);
        stored.started_at = *started_at;
        stored.ended_at = *ended_at;
        stored.outcome = *outcome;
        stored.digits = redactor.redact(digits);
        stored.variables = variables
            .iter()
            .map(|(name, value)| (name.clone(), redactor.redact(value)))
            .collect();
        if transcript.len() < stored.transcript.len() {
            stored.transcript.clear();
        }
        let new_lines = &transcript[stored.transcript.len()..];
        stored
            .transcript
            .extend(new_lines.iter().map(|line| TranscriptLine {
                at: line.at,
                speaker: line.speaker,
                text: redactor.redact(&line.text),
            }));
        stored.recording.clone_from(recording);
        if self.handover != *handover {
            self.handover.clone_from(handover);
            stored.handover = handover.clone().map(|mut handover| {
                redact_strings(&mut handover, redactor);
                handover
            });
        }
        stored.agent.clone_from(agent);
        stored.wrap_up.clone_from(wrap_up);
    }
}

/// Redacts every string in a JSON value (the hand-over's brief, transcript and details).
fn redact_strings(value: &mut serde_json::Value, redactor: &Redactor) {
    match value {
        serde_json::Value::String(text) => *text = redactor.redact(text),
        serde_json::Value::Array(items) => {
            for item in items {
                redact_strings(item, redactor);
            }
        }
        serde_json::Value::Object(fields) => {
            for (_, field) in fields.iter_mut() {
                redact_strings(field, redactor);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::RecordWriter;
    use crate::ids::CallId;
    use crate::recording::Redactor;
    use crate::storage::{CallOutcome, CallRecord};
    use crate::storage::{CallStore, Speaker, SqliteStore, TranscriptLine};
    use std::sync::Arc;

    const CARD: &str = "my card is 4111 1111 1111 1111";

    fn line(speaker: Speaker, text: &str) -> TranscriptLine {
        TranscriptLine {
            at: chrono::Utc::now(),
            speaker,
            text: text.to_string(),
        }
    }

    #[test]
    fn snapshots_are_stored_redacted_line_by_line_to_the_end() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let store = Arc::new(SqliteStore::open(&directory.path().join("calls.db")).expect("db"));
        let writer = RecordWriter::start(store.clone(), Redactor::new(&[]).expect("redactor"))
            .expect("writer");
        let mut record = Arc::new(CallRecord::starting(
            CallId::new(),
            "5551234",
            "1000",
            "main",
            "speech",
        ));
        let id = record.id;
        for turn in 0..30 {
            let call = Arc::make_mut(&mut record);
            call.transcript.push(line(Speaker::Caller, CARD));
            call.transcript
                .push(line(Speaker::Hotline, &format!("answer {turn}")));
            writer.save(Arc::clone(&record));
        }
        let call = Arc::make_mut(&mut record);
        call.handover = Some(serde_json::json!({ "summary": { "brief": CARD } }));
        call.digits = "4111111111111111".to_string();
        call.outcome = CallOutcome::CallerHangup;
        call.ended_at = Some(chrono::Utc::now());
        writer.save(Arc::clone(&record));
        Arc::make_mut(&mut record)
            .transcript
            .push(line(Speaker::Caller, CARD));
        writer.save(Arc::clone(&record));
        writer.close();

        let stored = store.call(id).expect("read").expect("stored");
        assert_eq!(stored.transcript.len(), 61);
        assert_eq!(stored.outcome, CallOutcome::CallerHangup);
        for stored_line in &stored.transcript {
            assert!(!stored_line.text.contains("4111"), "{}", stored_line.text);
        }
        assert_eq!(stored.transcript[1].text, "answer 0");
        assert_eq!(stored.transcript[59].text, "answer 29");
        assert!(!stored.digits.contains("4111"), "{}", stored.digits);
        let handover = stored.handover.expect("handover").to_string();
        assert!(!handover.contains("4111"), "{handover}");
    }
}
