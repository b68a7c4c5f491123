//! Confirms a speech onset from noisy per-frame decisions.
//!
//! Owns the smoothing shared by end-of-turn and barge-in detection: an onset is confirmed only
//! once enough voiced frames have accumulated, and a candidate is dropped as soon as the voiced
//! frames are interrupted by a gap longer than [`BLIP_GAP_FRAMES`] (or [`WORD_GAP_FRAMES`] once
//! the candidate has [`ESTABLISHED_FRAMES`] voiced frames, i.e. is at least a word long). So a
//! single noisy frame, a click, a breath or a cough never confirms an onset, while the short
//! unvoiced stretches inside and between words (stop consonants, codec artefacts) do not reset it.
//!
//! Invariants: frame indices handed to [`OnsetTracker::observe`] strictly increase; a confirmed
//! onset is the index of the first voiced frame of its candidate.

/// Longest run of unvoiced frames (60 ms) a short candidate onset survives.
const BLIP_GAP_FRAMES: u64 = 3;
/// Voiced frames (200 ms) after which a candidate is word-long; a breath or a cough is shorter.
const ESTABLISHED_FRAMES: u64 = 10;
/// Longest run of unvoiced frames (120 ms, a pause between words) a word-long candidate survives.
const WORD_GAP_FRAMES: u64 = 6;

/// A run of voiced frames that may turn out to be speech.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: u64,
    voiced_frames: u64,
    last_voiced: u64,
}

/// Tracks the current candidate onset.
#[derive(Debug)]
pub(super) struct OnsetTracker {
    required_voiced_frames: u64,
    candidate: Option<Candidate>,
}

impl OnsetTracker {
    /// A tracker that confirms an onset after `required_voiced_frames` voiced frames (at least
    /// one).
    pub(super) fn new(required_voiced_frames: u64) -> Self {
        Self {
            required_voiced_frames: required_voiced_frames.max(1),
            candidate: None,
        }
    }

    /// Feeds the decision for frame `frame_index`; returns the onset frame when this frame
    /// confirms it. The tracker is then idle again.
    pub(super) fn observe(&mut self, frame_index: u64, is_speech: bool) -> Option<u64> {
        match (self.candidate.as_mut(), is_speech) {
            (None, false) => return None,
            (None, true) => {
                self.candidate = Some(Candidate {
                    start: frame_index,
                    voiced_frames: 1,
                    last_voiced: frame_index,
                });
            }
            (Some(candidate), true) => {
                candidate.voiced_frames += 1;
                candidate.last_voiced = frame_index;
            }
            (Some(candidate), false) => {
                let allowed_gap = if candidate.voiced_frames >= ESTABLISHED_FRAMES {
                    WORD_GAP_FRAMES
                } else {
                    BLIP_GAP_FRAMES
                };
                if frame_index - candidate.last_voiced > allowed_gap {
                    self.candidate = None;
                }
                return None;
            }
        }
        let candidate = self.candidate?;
        if candidate.voiced_frames >= self.required_voiced_frames {
            self.candidate = None;
            return Some(candidate.start);
        }
        None
    }

    /// Whether a candidate onset is being tracked.
    pub(super) fn has_candidate(&self) -> bool {
        self.candidate.is_some()
    }

    /// Drops any candidate.
    pub(super) fn reset(&mut self) {
        self.candidate = None;
    }
}

#[cfg(test)]
mod tests {
    use super::OnsetTracker;

    fn confirmations(required: u64, decisions: &str) -> Vec<u64> {
        let mut tracker = OnsetTracker::new(required);
        decisions
            .chars()
            .zip(0..)
            .filter_map(|(decision, index)| tracker.observe(index, decision == '1'))
            .collect()
    }

    #[test]
    fn sustained_speech_is_confirmed_at_its_first_voiced_frame() {
        assert_eq!(confirmations(5, "0011111000"), vec![2]);
    }

    #[test]
    fn short_gaps_inside_speech_are_tolerated() {
        assert_eq!(confirmations(5, "01101001100"), vec![1]);
    }

    #[test]
    fn a_pause_between_words_is_tolerated_once_a_word_was_heard() {
        assert_eq!(confirmations(14, "0111111111110000001111"), vec![1]);
        assert_eq!(
            confirmations(12, "0111111110000001111100"),
            Vec::<u64>::new()
        );
    }

    #[test]
    fn isolated_noisy_frames_never_confirm() {
        assert_eq!(confirmations(3, "1000010000100001"), Vec::<u64>::new());
    }

    #[test]
    fn a_burst_shorter_than_the_minimum_is_dropped() {
        assert_eq!(confirmations(5, "1111000000001111"), Vec::<u64>::new());
    }
}
