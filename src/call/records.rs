//! Ordered, non-blocking persistence of call records.
//!
//! Calls update their record at answer, at each key press or collected value, and at the end.
//! One writer thread applies the updates in the order they were made, so a late snapshot can
//! never overwrite a call's final state, and no call actor ever waits on the database.
//! Transcripts, collected values and hand-overs are redacted here, on their way to the store, so
//! nothing stored or shown holds card numbers, phone numbers or e-mail addresses.

use crate::recording::Redactor;
use crate::storage::{CallRecord, CallStore};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Queues record updates for the writer thread.
pub struct RecordWriter {
    sender: Mutex<Option<mpsc::Sender<CallRecord>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl RecordWriter {
    /// Starts the writer thread over `store`, redacting transcripts with `redactor`.
    pub fn start(store: Arc<dyn CallStore>, redactor: Redactor) -> std::io::Result<RecordWriter> {
        let (sender, receiver) = mpsc::channel::<CallRecord>();
        let thread = std::thread::Builder::new()
            .name("call-records".to_string())
            .spawn(move || {
                for mut record in receiver {
                    for line in &mut record.transcript {
                        line.text = redactor.redact(&line.text);
                    }
                    for value in record.variables.values_mut() {
                        *value = redactor.redact(value);
                    }
                    record.digits = redactor.redact(&record.digits);
                    if let Some(handover) = record.handover.as_mut() {
                        redact_strings(handover, &redactor);
                    }
                    if let Err(error) = store.save_call(&record) {
                        tracing::warn!(call = %record.id, %error, "cannot save call record");
                    }
                }
            })?;
        Ok(RecordWriter {
            sender: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Queues a snapshot of a record; after [`RecordWriter::close`] it is dropped with a warning.
    pub fn save(&self, record: CallRecord) {
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match sender.as_ref() {
            Some(sender) if sender.send(record).is_ok() => {}
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
