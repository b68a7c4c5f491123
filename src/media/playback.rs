//! Queue of outbound PCM clips, consumed one 20 ms frame at a time.
//!
//! Invariants: clips play back-to-back in insertion order with no gap between them; a frame that
//! runs past the end of the last clip is padded with silence; "finished" is reported exactly once
//! per drain of a queue that had something played into it, and never after [`Playback::stop`].

use std::collections::VecDeque;
use std::sync::Arc;

use crate::media::FRAME_SAMPLES;

/// Pending outbound audio.
#[derive(Debug, Default)]
pub struct Playback {
    clips: VecDeque<Arc<[i16]>>,
    position: usize,
    active: bool,
}

/// Result of pulling one frame from the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybackFrame {
    /// Nothing is playing; the frame is silence.
    Idle,
    /// The frame holds queued audio and more remains.
    Playing,
    /// The frame holds the tail of the queue, which is now empty.
    Finished,
}

impl Playback {
    /// Creates an empty queue.
    pub fn new() -> Self {
        Playback::default()
    }

    /// Appends a clip.
    pub fn enqueue(&mut self, audio: Arc<[i16]>) {
        self.clips.push_back(audio);
        self.active = true;
    }

    /// Drops all queued audio without reporting it as finished.
    pub fn stop(&mut self) {
        self.clips.clear();
        self.position = 0;
        self.active = false;
    }

    /// Whether audio is queued or partly played.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Fills `frame` with the next 160 samples (silence-padded).
    pub fn next_frame(&mut self, frame: &mut [i16; FRAME_SAMPLES]) -> PlaybackFrame {
        frame.fill(0);
        if !self.active {
            return PlaybackFrame::Idle;
        }
        let mut filled = 0;
        while filled < FRAME_SAMPLES {
            let Some(clip) = self.clips.front() else {
                break;
            };
            let remaining = clip.get(self.position..).unwrap_or_default();
            let count = remaining.len().min(FRAME_SAMPLES - filled);
            frame[filled..filled + count].copy_from_slice(&remaining[..count]);
            filled += count;
            self.position += count;
            if self.position >= clip.len() {
                self.clips.pop_front();
                self.position = 0;
            }
        }
        if self.clips.is_empty() {
            self.active = false;
            PlaybackFrame::Finished
        } else {
            PlaybackFrame::Playing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(value: i16, length: usize) -> Arc<[i16]> {
        vec![value; length].into()
    }

    #[test]
    fn clips_play_back_to_back_and_finish_once() {
        let mut playback = Playback::new();
        let mut frame = [0; FRAME_SAMPLES];
        assert_eq!(playback.next_frame(&mut frame), PlaybackFrame::Idle);
        playback.enqueue(clip(1, 100));
        playback.enqueue(clip(2, 100));
        assert_eq!(playback.next_frame(&mut frame), PlaybackFrame::Playing);
        assert!(frame[..100].iter().all(|&sample| sample == 1));
        assert!(frame[100..].iter().all(|&sample| sample == 2));
        assert_eq!(playback.next_frame(&mut frame), PlaybackFrame::Finished);
        assert!(frame[..40].iter().all(|&sample| sample == 2));
        assert!(frame[40..].iter().all(|&sample| sample == 0));
        assert!(!playback.is_active());
        assert_eq!(playback.next_frame(&mut frame), PlaybackFrame::Idle);
    }

    #[test]
    fn empty_clip_still_finishes_and_stop_is_silent() {
        let mut playback = Playback::new();
        let mut frame = [0; FRAME_SAMPLES];
        playback.enqueue(clip(1, 0));
        assert_eq!(playback.next_frame(&mut frame), PlaybackFrame::Finished);
        playback.enqueue(clip(1, 1000));
        playback.next_frame(&mut frame);
        playback.stop();
        assert!(!playback.is_active());
        assert_eq!(playback.next_frame(&mut frame), PlaybackFrame::Idle);
    }
}
