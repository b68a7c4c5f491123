//! The one thread that writes sealed records to disk, so no call actor waits on a write or an
//! fsync.
//!
//! Records are appended in the order they were queued, taken in batches: with `sync`, each file
//! written in a batch is fdatasync'ed once after the batch, so a power cut loses what was queued
//! and not yet synced (about a second's records while the disk keeps up). A failed write marks
//! the recording, whose next write then reports it, and nothing more is written to it. The queue
//! is not bounded: a call never waits for the disk.

use prometheus::IntCounter;
use std::fs::File;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

enum Job {
    Append {
        file: Arc<File>,
        bytes: Vec<u8>,
        failed: Arc<AtomicBool>,
    },
    Barrier(mpsc::Sender<()>),
}

/// What the disk thread counts, for the metrics.
#[derive(Clone)]
pub struct DiskCounters {
    /// Bytes appended to recordings.
    pub bytes: IntCounter,
    /// fdatasync calls made.
    pub syncs: IntCounter,
}

impl DiskCounters {
    /// Counters registered nowhere (tools and tests).
    pub fn unregistered() -> DiskCounters {
        let counter = |name: &str| IntCounter::new(name, name).expect("a valid metric name");
        DiskCounters {
            bytes: counter("recording_bytes"),
            syncs: counter("recording_syncs"),
        }
    }
}

/// Jobs taken from the queue at once: their writes, then one fdatasync per file written.
const BATCH: usize = 1024;

/// Writes a batch of records in order, then syncs each file written once; a barrier is
/// answered once everything before it is written and synced. A recording whose write failed is
/// not written to again: a gap in the middle would make the records after it unreadable.
fn write_batch(jobs: Vec<Job>, sync: bool, counters: &DiskCounters) {
    let mut written: Vec<(Arc<File>, Arc<AtomicBool>)> = Vec::new();
    let sync_written = |written: &mut Vec<(Arc<File>, Arc<AtomicBool>)>| {
        for (file, failed) in written.drain(..) {
            if sync {
                counters.syncs.inc();
                if let Err(error) = file.sync_data() {
                    tracing::warn!(%error, "cannot sync a recording");
                    failed.store(true, Ordering::Relaxed);
                }
            }
        }
    };
    for job in jobs {
        match job {
            Job::Append {
                file,
                bytes,
                failed,
            } => {
                if failed.load(Ordering::Relaxed) {
                    continue;
                }
                match (&*file).write_all(&bytes) {
                    Ok(()) => {
                        counters.bytes.inc_by(bytes.len() as u64);
                        if !written.iter().any(|(known, _)| Arc::ptr_eq(known, &file)) {
                            written.push((file, failed));
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot write a recording");
                        failed.store(true, Ordering::Relaxed);
                    }
                }
            }
            Job::Barrier(done) => {
                sync_written(&mut written);
                let _ = done.send(());
            }
        }
    }
    sync_written(&mut written);
}

/// A handle on the disk thread; clones share it.
#[derive(Clone)]
pub struct DiskWriter {
    sender: Arc<Mutex<mpsc::Sender<Job>>>,
}

impl DiskWriter {
    /// Starts the thread. With `sync`, every record is fdatasync'ed after it is written.
    pub fn start(sync: bool, counters: DiskCounters) -> std::io::Result<DiskWriter> {
        let (sender, receiver) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("recording-disk".to_string())
            .spawn(move || {
                while let Ok(first) = receiver.recv() {
                    let mut jobs = vec![first];
                    jobs.extend(receiver.try_iter().take(BATCH));
                    write_batch(jobs, sync, &counters);
                }
            })?;
        Ok(DiskWriter {
            sender: Arc::new(Mutex::new(sender)),
        })
    }

    fn send(&self, job: Job) -> bool {
        self.sender
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .send(job)
            .is_ok()
    }

    /// Queues `bytes` to be appended to `file`; false when the thread has stopped.
    pub fn append(&self, file: &Arc<File>, bytes: Vec<u8>, failed: &Arc<AtomicBool>) -> bool {
        self.send(Job::Append {
            file: file.clone(),
            bytes,
            failed: failed.clone(),
        })
    }

    /// Blocks until everything queued before it is written.
    pub fn wait(&self) {
        let (done, finished) = mpsc::channel();
        if self.send(Job::Barrier(done)) {
            let _ = finished.recv();
        }
    }
}
