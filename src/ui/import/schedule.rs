//! When each row is sent: a state machine driven by answers and a clock.
//!
//! [`Schedule::next`] says what to do now (send this row, wait until then,
//! wait for an answer, or nothing: the run is over); [`Schedule::answered`]
//! takes each answer's [`Verdict`]. The browser half only obeys: it sends,
//! sets one timer, and calls `next` again after every answer and timer. No
//! browser, clock or randomness is needed to test it: time is a number of
//! milliseconds passed in, and the back-off's jitter comes from a seeded
//! generator.
//!
//! - At most `concurrency` rows are in flight (1 to [`MAX_CONCURRENCY`]).
//! - A 429 stops every sender until its `Retry-After`; the row goes first
//!   when sending resumes, and the wait is no attempt of the row's.
//! - A failure that may pass is retried [`MAX_RETRIES`] times, after a
//!   back-off of about 1, 2, then 4 s (each between half and one and a half
//!   of that), while other rows go on.
//! - Pause stops sending; Cancel stops it for good. Rows in flight finish
//!   either way, and their answers count.

use std::collections::VecDeque;

use super::answer::{MAX_RETRIES, RowOutcome, Verdict, failed_after_retries};

/// The concurrency a run starts with.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The most rows in flight at once.
pub const MAX_CONCURRENCY: usize = 8;
/// The first back-off, in milliseconds; it doubles with each retry.
pub const BACKOFF_MS: u32 = 1000;

/// What to do now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// Send this row.
    Send(u32),
    /// Nothing can be sent before this time (ms); call `next` again then.
    WaitUntil(f64),
    /// Nothing to send until an answer arrives (or the run is resumed).
    WaitForAnswers,
    /// Every row is answered, or the run was cancelled and nothing is in
    /// flight any more.
    Finished,
}

/// What a run is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Running,
    Paused,
    Cancelled,
}

/// A run's schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    concurrency: usize,
    state: RunState,
    /// Rows never sent (or sent again after a 429), in order.
    queue: VecDeque<u32>,
    /// Rows to retry: (not before, row, failed attempts so far).
    retries: Vec<(f64, u32, u8)>,
    /// Rows in flight and how often each failed before.
    in_flight: Vec<(u32, u8)>,
    /// Nothing is sent before this time: a 429's wait.
    hold_until: f64,
    /// The first back-off (ms).
    backoff_ms: f64,
    /// The back-off's jitter.
    random: u64,
}

impl Schedule {
    /// A schedule for `rows`, in this order. `seed` seeds the jitter.
    pub fn new(rows: impl IntoIterator<Item = u32>, concurrency: usize, seed: u64) -> Schedule {
        Schedule {
            concurrency: concurrency.clamp(1, MAX_CONCURRENCY),
            state: RunState::Running,
            queue: rows.into_iter().collect(),
            retries: Vec::new(),
            in_flight: Vec::new(),
            hold_until: 0.0,
            backoff_ms: f64::from(BACKOFF_MS),
            random: seed | 1,
        }
    }

    /// The same schedule with another first back-off (tests use a short one).
    pub fn with_backoff(mut self, backoff_ms: u32) -> Schedule {
        self.backoff_ms = f64::from(backoff_ms);
        self
    }

    /// What to do at `now` (ms). Call it until it answers something else
    /// than [`Next::Send`].
    pub fn next(&mut self, now: f64) -> Next {
        let idle = if self.in_flight.is_empty() { Next::Finished } else { Next::WaitForAnswers };
        match self.state {
            RunState::Cancelled => return idle,
            RunState::Paused => return Next::WaitForAnswers,
            RunState::Running => {}
        }
        if self.queue.is_empty() && self.retries.is_empty() {
            return idle;
        }
        if self.in_flight.len() >= self.concurrency {
            return Next::WaitForAnswers;
        }
        if now < self.hold_until {
            return Next::WaitUntil(self.hold_until);
        }
        // A due retry goes before the rows never sent.
        let due = self
            .retries
            .iter()
            .enumerate()
            .filter(|(_, r)| r.0 <= now)
            .min_by(|a, b| a.1.0.total_cmp(&b.1.0));
        if let Some((index, _)) = due {
            let (_, row, failures) = self.retries.swap_remove(index);
            self.in_flight.push((row, failures));
            return Next::Send(row);
        }
        if let Some(row) = self.queue.pop_front() {
            self.in_flight.push((row, 0));
            return Next::Send(row);
        }
        let soonest = self.retries.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        Next::WaitUntil(soonest)
    }

    /// Takes the answer for `row`; returns its outcome once it is final.
    pub fn answered(
        &mut self,
        row: u32,
        verdict: Verdict,
        now: f64,
    ) -> Option<(RowOutcome, String)> {
        let index = self.in_flight.iter().position(|(r, _)| *r == row)?;
        let (_, failures) = self.in_flight.swap_remove(index);
        match verdict {
            Verdict::Final { outcome, code } => Some((outcome, code)),
            Verdict::RateLimited { wait_ms } => {
                self.hold_until = self.hold_until.max(now + wait_ms as f64);
                self.queue.push_front(row);
                None
            }
            Verdict::Transient { code, sentence } if failures >= MAX_RETRIES => {
                Some((RowOutcome::Failed(failed_after_retries(&sentence)), code))
            }
            Verdict::Transient { .. } => {
                let backoff = self.backoff_ms * f64::from(1u32 << failures) * (0.5 + self.jitter());
                self.retries.push((now + backoff, row, failures + 1));
                None
            }
        }
    }

    /// A number in [0, 1): xorshift64*, plenty for spreading retries.
    fn jitter(&mut self) -> f64 {
        self.random ^= self.random >> 12;
        self.random ^= self.random << 25;
        self.random ^= self.random >> 27;
        let bits = self.random.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
        bits as f64 / (1u64 << 53) as f64
    }

    pub fn pause(&mut self) {
        if self.state == RunState::Running {
            self.state = RunState::Paused;
        }
    }

    pub fn resume(&mut self) {
        if self.state == RunState::Paused {
            self.state = RunState::Running;
        }
    }

    /// Nothing is sent any more; rows in flight still report.
    pub fn cancel(&mut self) {
        self.state = RunState::Cancelled;
    }

    pub fn set_concurrency(&mut self, concurrency: usize) {
        self.concurrency = concurrency.clamp(1, MAX_CONCURRENCY);
    }

    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    pub fn state(&self) -> RunState {
        self.state
    }

    /// Rows in flight now.
    pub fn in_flight(&self) -> impl Iterator<Item = u32> + '_ {
        self.in_flight.iter().map(|(row, _)| *row)
    }

    /// Rows not answered yet: never sent, waiting to be retried, in flight.
    pub fn remaining(&self) -> usize {
        self.queue.len() + self.retries.len() + self.in_flight.len()
    }

    /// Rows that will never be sent now (after Cancel): never sent or
    /// waiting for a retry.
    pub fn unsent(&self) -> impl Iterator<Item = u32> + '_ {
        self.queue.iter().copied().chain(self.retries.iter().map(|r| r.1))
    }

    /// When a 429's wait ends, while one holds every sender.
    pub fn held_until(&self, now: f64) -> Option<f64> {
        (now < self.hold_until).then_some(self.hold_until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::import::answer::RowOutcome;

    fn updated() -> Verdict {
        Verdict::Final { outcome: RowOutcome::Updated, code: String::new() }
    }

    fn transient() -> Verdict {
        Verdict::Transient { code: "upstream_error".into(), sentence: "Setter failed".into() }
    }

    /// Sends everything `next` allows at `now`.
    fn drain(schedule: &mut Schedule, now: f64) -> (Vec<u32>, Next) {
        let mut sent = Vec::new();
        loop {
            match schedule.next(now) {
                Next::Send(row) => sent.push(row),
                other => return (sent, other),
            }
        }
    }

    #[test]
    fn never_more_in_flight_than_the_concurrency() {
        let mut schedule = Schedule::new(0..10, 4, 1);
        let (sent, next) = drain(&mut schedule, 0.0);
        assert_eq!(sent, [0, 1, 2, 3]);
        assert_eq!(next, Next::WaitForAnswers);
        assert_eq!(
            schedule.answered(1, updated(), 5.0),
            Some((RowOutcome::Updated, String::new()))
        );
        assert_eq!(drain(&mut schedule, 5.0).0, [4]);
        schedule.set_concurrency(6);
        assert_eq!(drain(&mut schedule, 6.0).0, [5, 6]);
        schedule.set_concurrency(50);
        assert_eq!(schedule.concurrency(), MAX_CONCURRENCY);
        assert_eq!(Schedule::new(0..1, 0, 1).concurrency(), 1);
    }

    #[test]
    fn a_429_holds_every_sender_until_its_retry_after_and_costs_no_attempt() {
        let mut schedule = Schedule::new(0..4, 2, 1);
        drain(&mut schedule, 0.0);
        assert_eq!(schedule.answered(0, Verdict::RateLimited { wait_ms: 3000 }, 100.0), None);
        assert_eq!(schedule.next(200.0), Next::WaitUntil(3100.0));
        assert_eq!(schedule.held_until(200.0), Some(3100.0));
        schedule.answered(1, updated(), 300.0);
        assert_eq!(schedule.next(3099.0), Next::WaitUntil(3100.0), "the other sender waits too");
        assert_eq!(drain(&mut schedule, 3100.0).0, [0, 2], "the limited row goes first");
    }

    #[test]
    fn transient_failures_back_off_and_give_up_after_three_retries() {
        let mut schedule = Schedule::new([7], 4, 42);
        let mut now = 0.0;
        let mut waits = Vec::new();
        for _ in 0..MAX_RETRIES {
            assert_eq!(drain(&mut schedule, now).0, [7]);
            assert_eq!(schedule.answered(7, transient(), now), None);
            let Next::WaitUntil(at) = schedule.next(now) else { panic!("a back-off") };
            waits.push(at - now);
            assert_eq!(schedule.next(at - 1.0), Next::WaitUntil(at), "not before its time");
            now = at;
        }
        for (retry, wait) in waits.iter().enumerate() {
            let base = 1000.0 * f64::from(1u32 << retry);
            assert!((0.5 * base..1.5 * base).contains(wait), "retry {retry}: {wait} ms");
        }
        assert_eq!(drain(&mut schedule, now).0, [7]);
        let (outcome, code) = schedule.answered(7, transient(), now).unwrap();
        assert_eq!(outcome, RowOutcome::Failed("Failed after 3 retries: Setter failed".into()));
        assert_eq!(code, "upstream_error");
        assert_eq!(schedule.next(now), Next::Finished);
    }

    #[test]
    fn other_rows_go_on_while_one_backs_off() {
        let mut schedule = Schedule::new(0..3, 1, 3);
        drain(&mut schedule, 0.0);
        schedule.answered(0, transient(), 0.0);
        assert_eq!(drain(&mut schedule, 1.0).0, [1]);
        schedule.answered(1, updated(), 2.0);
        assert_eq!(drain(&mut schedule, 2.0).0, [2]);
        schedule.answered(2, updated(), 3.0);
        let Next::WaitUntil(at) = schedule.next(3.0) else { panic!() };
        assert_eq!(drain(&mut schedule, at).0, [0]);
    }

    #[test]
    fn pause_and_cancel_stop_sending_and_answers_in_flight_still_count() {
        let mut schedule = Schedule::new(0..6, 2, 1);
        drain(&mut schedule, 0.0);
        schedule.pause();
        assert!(schedule.answered(0, updated(), 1.0).is_some());
        assert_eq!(drain(&mut schedule, 1.0), (vec![], Next::WaitForAnswers));
        schedule.resume();
        assert_eq!(drain(&mut schedule, 2.0).0, [2]);
        schedule.cancel();
        assert_eq!(drain(&mut schedule, 3.0), (vec![], Next::WaitForAnswers), "two in flight");
        assert!(schedule.answered(1, updated(), 4.0).is_some());
        assert!(schedule.answered(2, updated(), 4.0).is_some());
        assert_eq!(schedule.next(5.0), Next::Finished);
        assert_eq!(schedule.unsent().collect::<Vec<_>>(), [3, 4, 5]);
        schedule.resume();
        assert_eq!(schedule.next(6.0), Next::Finished, "a cancelled run stays cancelled");
    }

    #[test]
    fn an_answer_for_a_row_not_in_flight_is_ignored() {
        let mut schedule = Schedule::new(0..2, 1, 1);
        assert_eq!(schedule.answered(1, updated(), 0.0), None);
        assert_eq!(schedule.remaining(), 2);
    }
}
