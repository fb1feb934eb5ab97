//! Which network an id belongs to.

use std::sync::atomic::{AtomicU64, Ordering};

use super::error::NetworkError;

/// The identity of one [`super::Network`], carried by every id it hands out (populations,
/// projections, monitors). An id given to another network is then an error instead of
/// naming whatever that network holds at the same number. Drawn from a process-wide
/// counter; it never enters a run's arithmetic or random streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct NetTag(u64);

impl NetTag {
    /// A tag no other network of this process has.
    pub(crate) fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        NetTag(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// Entry `index` of `all` (the network's `what`s), for an id with tag `of`: an error when
    /// the id was made by another network, or names nothing here.
    pub(crate) fn get<'a, T>(self, all: &'a [T], of: NetTag, index: usize, what: &'static str) -> Result<&'a T, NetworkError> {
        self.owns(of, what, index)?;
        all.get(index).ok_or(NetworkError::UnknownId { what, id: index })
    }

    /// [`get`](Self::get), for changing the entry.
    pub(crate) fn get_mut<'a, T>(self, all: &'a mut [T], of: NetTag, index: usize, what: &'static str) -> Result<&'a mut T, NetworkError> {
        self.owns(of, what, index)?;
        all.get_mut(index).ok_or(NetworkError::UnknownId { what, id: index })
    }

    fn owns(self, of: NetTag, what: &'static str, index: usize) -> Result<(), NetworkError> {
        if self == of { Ok(()) } else { Err(NetworkError::ForeignId { what, id: index }) }
    }
}
