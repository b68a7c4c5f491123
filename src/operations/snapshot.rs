//! The dashboard's snapshot: conversations on the board, queues and agents from the agent
//! service, today's totals from the call records, the turn latency and recognition confidence
//! histograms from the metrics, and the alerts in force. A task builds one a second while a
//! page watches and hands it to every watcher.

use super::alerts::{Alert, AlertRules, Alerts};
use super::board::{CallBoard, LiveCall};
use super::totals::{
    INTERVAL_MINUTES, Interval, SURVEY_VARIABLE, Totals, calls_per_interval, totals,
};
use crate::agents::AgentService;
use crate::ids::CallId;
use crate::storage::{CallStore, StorageError};
use crate::telemetry::Metrics;
use chrono::{DateTime, Utc};
use prometheus::Histogram;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::watch;
use tracing::warn;

/// How often watchers get a snapshot.
const EVERY: Duration = Duration::from_secs(1);

/// Everything the dashboard shows at one moment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Snapshot {
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// Conversations in progress, oldest first.
    pub calls: Vec<CallView>,
    /// Every queue.
    pub queues: Vec<QueueView>,
    /// Every agent.
    pub agents: Vec<AgentView>,
    /// Today's totals.
    pub today: Totals,
    /// Charts over time.
    pub series: Series,
    /// Alerts in force.
    pub alerts: Vec<Alert>,
}

/// A conversation in progress, with how long it has lasted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CallView {
    /// The conversation.
    #[serde(flatten)]
    pub call: LiveCall,
    /// Seconds since it began.
    pub duration_seconds: i64,
}

/// One queue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueView {
    /// The skill group.
    pub group: String,
    /// Calls waiting.
    pub waiting: usize,
    /// The longest wait now, in seconds.
    pub longest_wait_seconds: u64,
    /// Agents of the group signed in.
    pub signed_in: usize,
    /// Agents of the group available.
    pub available: usize,
    /// Calls answered by an agent today.
    pub answered: u64,
    /// Of those, answered within the target.
    pub answered_within_target: u64,
    /// The service level target in seconds.
    pub target_seconds: u64,
    /// Share answered within the target; `None` before the first answer of the day.
    pub service_level: Option<f64>,
}

/// One agent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgentView {
    /// Their name.
    pub name: String,
    /// Their display name.
    pub display_name: String,
    /// Their presence.
    #[schema(value_type = String)]
    pub presence: &'static str,
    /// Seconds in that presence.
    pub presence_seconds: u64,
    /// The call they are offered or handling.
    #[schema(value_type = Option<String>)]
    pub call: Option<CallId>,
    /// Skill levels by group.
    pub skills: BTreeMap<String, u8>,
}

/// Charts over time.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Series {
    /// The width of `calls_per_interval`'s intervals.
    pub interval_minutes: i64,
    /// Calls started in each interval of today.
    pub calls_per_interval: Vec<Interval>,
    /// End-of-turn latency: from the end of a caller's turn to Hotline's answer starting.
    pub turn_latency: Vec<LatencyBucket>,
    /// Recognition confidence of callers' turns.
    pub asr_confidence: Vec<ConfidenceBucket>,
}

/// Turns whose latency fell in one bucket.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LatencyBucket {
    /// The bucket's upper bound in milliseconds; `None` above the last bound.
    pub le_ms: Option<u64>,
    /// Turns in it (not cumulative).
    pub count: u64,
}

/// Turns whose confidence fell in one bucket.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ConfidenceBucket {
    /// The bucket's upper bound.
    pub le: f64,
    /// Turns in it (not cumulative).
    pub count: u64,
}

/// What the dashboard reads.
pub struct DashboardSetup {
    /// Conversations in progress.
    pub board: CallBoard,
    /// Queues and agents.
    pub agents: AgentService,
    /// Call records.
    pub calls: Arc<dyn CallStore>,
    /// Latency and confidence histograms.
    pub metrics: Metrics,
    /// Alert thresholds.
    pub rules: AlertRules,
}

/// Builds snapshots and hands them to watchers; cheap to clone.
#[derive(Clone)]
pub struct Dashboard {
    setup: Arc<DashboardSetup>,
    alerts: Arc<Mutex<Alerts>>,
    latest: watch::Sender<Option<Arc<Snapshot>>>,
}

impl Dashboard {
    /// A dashboard over `setup`, with its task building snapshots while someone watches.
    pub fn start(setup: DashboardSetup) -> Dashboard {
        let alerts = Alerts::new(setup.rules);
        let (latest, _) = watch::channel(None);
        let dashboard = Dashboard {
            setup: Arc::new(setup),
            alerts: Arc::new(Mutex::new(alerts)),
            latest,
        };
        let task = dashboard.clone();
        tokio::spawn(async move { task.run().await });
        dashboard
    }

    /// Snapshots as they are built, one a second, the first at once.
    pub fn watch(&self) -> watch::Receiver<Option<Arc<Snapshot>>> {
        let mut receiver = self.latest.subscribe();
        receiver.mark_changed();
        receiver
    }

    async fn run(&self) {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            if self.latest.receiver_count() == 0 {
                continue;
            }
            match self.snapshot().await {
                Ok(snapshot) => {
                    self.latest.send_replace(Some(Arc::new(snapshot)));
                }
                Err(error) => warn!(%error, "the dashboard cannot read today's calls"),
            }
        }
    }

    /// Everything the dashboard shows, now.
    pub async fn snapshot(&self) -> Result<Snapshot, StorageError> {
        let now = Utc::now();
        let setup = &self.setup;
        let agents = setup.agents.snapshot().await;
        let store = setup.calls.clone();
        let today = now.date_naive();
        let figures =
            tokio::task::spawn_blocking(move || store.day_figures(today, SURVEY_VARIABLE))
                .await
                .map_err(|error| StorageError::Invalid(error.to_string()))??;
        let tallies = setup.board.tallies(now);
        let target = setup.board.target().as_secs();
        let queues: Vec<QueueView> = agents
            .queues
            .iter()
            .map(|queue| {
                let tally = tallies.get(&queue.group).copied().unwrap_or_default();
                QueueView {
                    group: queue.group.clone(),
                    waiting: queue.waiting.len(),
                    longest_wait_seconds: queue
                        .waiting
                        .iter()
                        .map(|waiting| waiting.waited_seconds)
                        .max()
                        .unwrap_or(0),
                    signed_in: queue.signed_in,
                    available: queue.available,
                    answered: tally.answered,
                    answered_within_target: tally.within_target,
                    target_seconds: target,
                    service_level: (tally.answered > 0)
                        .then(|| tally.within_target as f64 / tally.answered as f64),
                }
            })
            .collect();
        let waits: Vec<(String, u64)> = queues
            .iter()
            .map(|queue| (queue.group.clone(), queue.longest_wait_seconds))
            .collect();
        let alerts = self
            .alerts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .check(now, &waits, setup.metrics.no_matches.get());
        let calls = setup
            .board
            .calls()
            .into_iter()
            .map(|call| CallView {
                duration_seconds: (now - call.started_at).num_seconds().max(0),
                call,
            })
            .collect();
        let agents = agents
            .agents
            .into_iter()
            .map(|agent| AgentView {
                name: agent.id.to_string(),
                display_name: agent.display_name,
                presence: agent.presence.name(),
                presence_seconds: agent.presence_seconds,
                call: agent.call,
                skills: agent.skills,
            })
            .collect();
        let metrics = &setup.metrics;
        Ok(Snapshot {
            at: now,
            calls,
            queues,
            agents,
            today: totals(&figures),
            series: Series {
                interval_minutes: INTERVAL_MINUTES,
                calls_per_interval: calls_per_interval(&figures, now),
                turn_latency: buckets(&metrics.turn_latency)
                    .into_iter()
                    .map(|(bound, count)| LatencyBucket {
                        le_ms: bound.map(|seconds| (seconds * 1000.0).round() as u64),
                        count,
                    })
                    .collect(),
                asr_confidence: buckets(&metrics.asr_confidence)
                    .into_iter()
                    .filter_map(|(bound, count)| Some(ConfidenceBucket { le: bound?, count }))
                    .collect(),
            },
            alerts,
        })
    }
}

/// A histogram's buckets, not cumulative: each upper bound with the samples in it, and the
/// samples above the last bound (`None`).
fn buckets(histogram: &Histogram) -> Vec<(Option<f64>, u64)> {
    let metric = prometheus::core::Metric::metric(histogram);
    let histogram = metric.get_histogram();
    let mut below = 0;
    let mut buckets = Vec::new();
    for bucket in histogram.get_bucket() {
        let cumulative = bucket.cumulative_count();
        buckets.push((Some(bucket.upper_bound()), cumulative - below));
        below = cumulative;
    }
    buckets.push((None, histogram.get_sample_count().saturating_sub(below)));
    buckets
}
