//! Engine tests on simulated time.
