//! The RTP port pool: even ports of a configured range carry RTP, the next odd port RTCP.
//!
//! Invariant: a port pair is leased to at most one call at a time; a [`PortLease`] returns its
//! pair when dropped, so no failure path can leak ports. Ports are handed out round-robin so a
//! just-released pair is not reused at once (late packets of the old call would land in the
//! new one).

use super::NetError;
use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};

/// A shared pool of RTP port pairs.
#[derive(Clone)]
pub struct PortPool {
    inner: Arc<Mutex<PoolState>>,
    first: u16,
    last: u16,
}

struct PoolState {
    free: VecDeque<u16>,
    leased: BTreeSet<u16>,
}

/// One leased RTP/RTCP port pair; returned to the pool on drop.
pub struct PortLease {
    port: u16,
    pool: Arc<Mutex<PoolState>>,
}

impl PortPool {
    /// A pool over the even ports of `first..=last` whose odd neighbour is also in range.
    pub fn new(first: u16, last: u16) -> PortPool {
        let start = first + first % 2;
        let free = (start..last).step_by(2).collect();
        PortPool {
            inner: Arc::new(Mutex::new(PoolState {
                free,
                leased: BTreeSet::new(),
            })),
            first,
            last,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, PoolState> {
        // The state is a plain queue and set; a panic elsewhere cannot leave it half-updated.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Leases the next free pair, or `None` when the range is exhausted.
    pub fn lease(&self) -> Option<PortLease> {
        let mut state = self.state();
        let port = state.free.pop_front()?;
        state.leased.insert(port);
        Some(PortLease {
            port,
            pool: self.inner.clone(),
        })
    }

    /// How many pairs are leased now.
    pub fn leased(&self) -> usize {
        self.state().leased.len()
    }

    /// Number of pairs in the pool.
    pub fn capacity(&self) -> usize {
        let state = self.state();
        state.free.len() + state.leased.len()
    }

    /// Leases pairs until `bind` succeeds with one's RTP port (another process may hold a
    /// pair): what it bound, with the lease that keeps the pair.
    pub fn bind_first<Bound>(
        &self,
        mut bind: impl FnMut(u16) -> Result<Bound, NetError>,
    ) -> Result<(Bound, PortLease), NetError> {
        for _ in 0..self.capacity().max(1) {
            let Some(lease) = self.lease() else {
                break;
            };
            match bind(lease.rtp_port()) {
                Ok(bound) => return Ok((bound, lease)),
                Err(error) => tracing::debug!(%error, "port busy, trying the next"),
            }
        }
        Err(NetError::PortsExhausted {
            first: self.first,
            last: self.last,
        })
    }

    /// The configured range, for error messages.
    pub fn range(&self) -> (u16, u16) {
        (self.first, self.last)
    }
}

impl PortLease {
    /// The RTP port (RTCP is the next one).
    pub fn rtp_port(&self) -> u16 {
        self.port
    }
}

impl Drop for PortLease {
    fn drop(&mut self) {
        let mut state = self
            .pool
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if state.leased.remove(&self.port) {
            state.free.push_back(self.port);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PortPool;

    #[test]
    fn leases_even_pairs_until_exhausted_and_recycles_on_drop() {
        let pool = PortPool::new(20001, 20008);
        assert_eq!(pool.capacity(), 3);
        let first = pool.lease().expect("free");
        let second = pool.lease().expect("free");
        let third = pool.lease().expect("free");
        assert_eq!(
            [first.rtp_port(), second.rtp_port(), third.rtp_port()],
            [20002, 20004, 20006]
        );
        assert!(pool.lease().is_none());
        drop(second);
        assert_eq!(pool.leased(), 2);
        assert_eq!(pool.lease().expect("recycled").rtp_port(), 20004);
    }

    #[test]
    fn bind_first_skips_ports_that_do_not_bind() {
        let pool = PortPool::new(20000, 20009);
        let (port, lease) = pool
            .bind_first(|port| {
                if port < 20004 {
                    Err(super::NetError::PortsExhausted { first: 0, last: 0 })
                } else {
                    Ok(port)
                }
            })
            .expect("a port");
        assert_eq!((port, lease.rtp_port()), (20004, 20004));
        assert_eq!(pool.leased(), 1);
        let none = pool
            .bind_first(|_| Err::<(), _>(super::NetError::PortsExhausted { first: 0, last: 0 }));
        assert!(matches!(
            none,
            Err(super::NetError::PortsExhausted {
                first: 20000,
                last: 20009
            })
        ));
    }

    #[test]
    fn released_pairs_go_to_the_back_of_the_queue() {
        let pool = PortPool::new(30000, 30009);
        let first = pool.lease().expect("free");
        drop(first);
        assert_eq!(pool.lease().expect("free").rtp_port(), 30002);
    }
}
