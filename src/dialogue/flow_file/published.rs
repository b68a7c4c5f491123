//! The flows new conversations start in. Publishing a version replaces one flow in a new set;
//! conversations in progress keep the `Arc<Flow>` they started with, so a publish never changes
//! a call under way.

use std::sync::{Arc, PoisonError, RwLock};

use super::model::{Flow, FlowSet};

/// The live set of flows; cheap to clone, shared by calls, chats and the publisher.
#[derive(Clone, Default)]
pub struct PublishedFlows {
    current: Arc<RwLock<Arc<FlowSet>>>,
}

impl PublishedFlows {
    /// The flows loaded at start.
    pub fn new(flows: FlowSet) -> PublishedFlows {
        PublishedFlows {
            current: Arc::new(RwLock::new(Arc::new(flows))),
        }
    }

    /// The flow called `name`, as published now.
    pub fn get(&self, name: &str) -> Option<Arc<Flow>> {
        self.current().get(name)
    }

    /// Every flow as published now.
    pub fn current(&self) -> Arc<FlowSet> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Makes `flow` the one new conversations in its name start in.
    pub fn publish(&self, flow: Flow) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        let mut flows = current.flows.clone();
        flows.insert(flow.name.clone(), Arc::new(flow));
        *current = Arc::new(FlowSet { flows });
    }
}
