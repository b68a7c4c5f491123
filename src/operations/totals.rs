//! Today's totals and calls per interval, from the figures of the day's calls.

use crate::storage::{CallFigures, CallOutcome};
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::Serialize;

/// The variable a flow's post-call survey keeps its rating (1 to 5) in, as the demo flow's `survey` step does.
pub const SURVEY_VARIABLE: &str = "survey_rating";
/// The width of the calls-per-interval chart's bars.
pub const INTERVAL_MINUTES: i64 = 15;

/// Today's totals (calls only; chats are left out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    /// Calls started today.
    pub calls: usize,
    /// Share of today's ended calls that ended without a person (no hand-over, no agent), by
    /// the flow or the caller hanging up.
    pub self_service_rate: Option<f64>,
    /// Share of today's ended calls handed over to a person.
    pub transfer_rate: Option<f64>,
    /// Average length of today's ended calls an agent took, in seconds.
    pub average_handle_seconds: Option<f64>,
    /// Average survey score of today's calls that gave one.
    pub average_survey_score: Option<f64>,
    /// Calls that gave a survey score.
    pub surveys: usize,
}

/// Calls that started in one interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Interval {
    /// The interval's start.
    pub start: DateTime<Utc>,
    /// Calls started in it.
    pub calls: usize,
}

/// The totals of `calls` (today's figures, chats among them), whose `variable` is the survey
/// rating.
pub fn totals(calls: &[CallFigures]) -> Totals {
    let calls: Vec<&CallFigures> = calls.iter().filter(|call| call.mode != "chat").collect();
    let ended: Vec<&&CallFigures> = calls
        .iter()
        .filter(|call| call.ended_at.is_some())
        .collect();
    let share = |count: usize| (!ended.is_empty()).then(|| count as f64 / ended.len() as f64);
    let handed_over = |call: &CallFigures| call.agent.is_some() || call.handed_over;
    let self_served = ended
        .iter()
        .filter(|call| {
            !handed_over(call)
                && matches!(
                    call.outcome,
                    CallOutcome::FlowHangup | CallOutcome::CallerHangup
                )
        })
        .count();
    let transferred = ended.iter().filter(|call| handed_over(call)).count();
    let handled: Vec<f64> = ended
        .iter()
        .filter(|call| call.agent.is_some())
        .filter_map(|call| {
            let ended_at = call.ended_at?;
            Some((ended_at - call.started_at).num_milliseconds() as f64 / 1000.0)
        })
        .collect();
    let scores: Vec<f64> = calls
        .iter()
        .filter_map(|call| call.variable.as_deref()?.trim().parse().ok())
        .filter(|score: &f64| (1.0..=5.0).contains(score))
        .collect();
    Totals {
        calls: calls.len(),
        self_service_rate: share(self_served),
        transfer_rate: share(transferred),
        average_handle_seconds: average(&handled),
        average_survey_score: average(&scores),
        surveys: scores.len(),
    }
}

fn average(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Calls started in each interval of today up to `now`, oldest first.
pub fn calls_per_interval(calls: &[CallFigures], now: DateTime<Utc>) -> Vec<Interval> {
    let width = Duration::minutes(INTERVAL_MINUTES);
    let midnight = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|time| time.and_utc())
        .unwrap_or(now);
    let last = now.duration_trunc(width).unwrap_or(now);
    let mut intervals = Vec::new();
    let mut start = midnight;
    while start <= last {
        intervals.push(Interval { start, calls: 0 });
        start += width;
    }
    for call in calls.iter().filter(|call| call.mode != "chat") {
        let index = (call.started_at - midnight).num_minutes() / INTERVAL_MINUTES;
        if let Some(interval) = usize::try_from(index)
            .ok()
            .and_then(|index| intervals.get_mut(index))
        {
            interval.calls += 1;
        }
    }
    intervals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(minutes: i64, outcome: CallOutcome, agent: Option<&str>, seconds: i64) -> CallFigures {
        let midnight = Utc::now()
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        let started_at = midnight + Duration::minutes(minutes);
        CallFigures {
            mode: "speech".into(),
            started_at,
            ended_at: Some(started_at + Duration::seconds(seconds)),
            outcome,
            handed_over: agent.is_some(),
            agent: agent.map(String::from),
            variable: None,
        }
    }

    #[test]
    fn rates_averages_and_intervals_come_from_the_figures() {
        let mut surveyed = call(1, CallOutcome::CallerHangup, Some("agent1"), 120);
        surveyed.variable = Some("4".into());
        let mut chat = call(2, CallOutcome::FlowHangup, None, 10);
        chat.mode = "chat".into();
        let calls = vec![
            call(0, CallOutcome::FlowHangup, None, 30),
            call(16, CallOutcome::CallerHangup, None, 40),
            surveyed,
            call(20, CallOutcome::Failed, None, 5),
            chat,
        ];
        let found = totals(&calls);
        assert_eq!(found.calls, 4);
        assert_eq!(found.self_service_rate, Some(0.5));
        assert_eq!(found.transfer_rate, Some(0.25));
        assert_eq!(found.average_handle_seconds, Some(120.0));
        assert_eq!((found.average_survey_score, found.surveys), (Some(4.0), 1));
        let midnight = calls[0].started_at;
        let intervals = calls_per_interval(&calls, midnight + Duration::minutes(40));
        let counts: Vec<usize> = intervals.iter().map(|interval| interval.calls).collect();
        assert_eq!(counts, [2, 2, 0]);
        assert_eq!(totals(&[]).self_service_rate, None);
    }
}
