//! The one thread that writes sealed records to disk, so no call actor waits on a write or an
//! fsync.
//!
//! Records are appended in the order they were queued; with `sync` each append is followed by
//! `fdatasync`, so a power cut loses at most the record in flight. A failed write marks the
//! recording, whose next write then reports it.

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
                for job in receiver {
                    match job {
                        Job::Append {
                            file,
                            bytes,
                            failed,
                        } => {
                            let mut written = (&*file).write_all(&bytes);
                            counters.bytes.inc_by(bytes.len() as u64);
                            if sync && written.is_ok() {
                                written = file.sync_data();
                                counters.syncs.inc();
                            }
                            if let Err(error) = written {
                                tracing::warn!(%error, "cannot write a recording");
                                failed.store(true, Ordering::Relaxed);
                            }
                        }
                        Job::Barrier(done) => {
                            let _ = done.send(());
                        }
                    }
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
