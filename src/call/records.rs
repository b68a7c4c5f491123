//! Ordered, non-blocking persistence of call records.
//!
//! Calls update their record at answer, at each key press or collected value, and at the end.
//! One writer thread applies the updates in the order they were made, so a late snapshot can
//! never overwrite a call's final state, and no call actor ever waits on the database.

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
    /// Starts the writer thread over `store`.
    pub fn start(store: Arc<dyn CallStore>) -> std::io::Result<RecordWriter> {
        let (sender, receiver) = mpsc::channel::<CallRecord>();
        let thread = std::thread::Builder::new()
            .name("call-records".to_string())
            .spawn(move || {
                for record in receiver {
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
