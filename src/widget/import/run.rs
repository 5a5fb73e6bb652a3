//! Sending: obeys the schedule (`ui::import::schedule`), one `PUT` a row
//! through the form's transport and timeout, every answer kept as it
//! arrives.

use std::rc::Rc;

use serde::Serialize;
use web_sys::AbortController;

use super::importer::{Importer, Inner, Run};
use crate::ui::import::answer::{self, RowOutcome};
use crate::ui::import::check;
use crate::ui::import::markup::group_digits;
use crate::ui::import::model::Counts;
use crate::ui::import::progress::{self, Meta};
use crate::ui::import::schedule::{Next, RunState};
use crate::ui::outcome::{self, Failure};
use crate::widget::js;
use crate::widget::transport::Request;
use crate::widget::{events, sleep, within};

/// The `detail` of `contact-import-finished`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Finished {
    rows: usize,
    updated: usize,
    failed: usize,
    invalid: usize,
    held_back: usize,
    not_sent: usize,
    cancelled: bool,
}

impl Importer {
    /// Starts sending the ready rows (on resume, those not answered yet).
    pub fn start(self: &Rc<Self>) {
        {
            let mut inner = self.inner.borrow_mut();
            let Some(run_id) = Importer::run_id(&inner) else { return };
            let Inner { import: Some(import), run: kept, summary, written, .. } = &mut *inner
            else {
                return;
            };
            if import.is_running() || import.mapping_error.is_some() {
                return;
            }
            let now = js::now();
            import.start(now as u64);
            let mut run = match kept.take().filter(|run| run.id == run_id) {
                Some(run) => run,
                None => Run {
                    batch: format!("import-{run_id}"),
                    id: run_id,
                    chunks: Vec::new(),
                    began_ms: now,
                    answered_before: 0,
                    unkept: false,
                    finished: false,
                },
            };
            run.began_ms = now;
            run.answered_before = import.answers().count();
            run.finished = false;
            let counts = import.counts();
            let edits = progress::write_edits(import.sheet.edits());
            run.unkept = !(run.store_meta(counts.rows)
                && js::store(&progress::key(&run.id, "edits"), &edits));
            *summary = format!(
                "Sending {} rows, {} at a time.",
                group_digits(counts.remaining),
                import.concurrency
            );
            *kept = Some(run);
            written.clear();
        }
        self.pump();
    }

    /// Does what the schedule says until it says wait.
    pub fn pump(self: &Rc<Self>) {
        if !self.alive.get() {
            return;
        }
        loop {
            let now = js::now();
            let next = {
                let mut inner = self.inner.borrow_mut();
                match inner.import.as_mut().and_then(|import| import.schedule.as_mut()) {
                    Some(schedule) => schedule.next(now),
                    None => return,
                }
            };
            match next {
                Next::Send(row) => self.send(row),
                Next::WaitUntil(at) => {
                    self.wake_at(at - now);
                    break;
                }
                Next::WaitForAnswers => break,
                Next::Finished => {
                    self.finish();
                    break;
                }
            }
        }
        self.render_soon();
    }

    /// Calls [`Importer::pump`] after `ms`, unless another timer replaces it.
    fn wake_at(self: &Rc<Self>, ms: f64) {
        let generation = {
            let mut inner = self.inner.borrow_mut();
            inner.timer = inner.timer.wrapping_add(1);
            inner.timer
        };
        let importer = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            sleep(ms.clamp(0.0, f64::from(u32::MAX)) as u32).await;
            if importer.inner.borrow().timer == generation {
                importer.pump();
            }
        });
    }

    /// Sends one row.
    fn send(self: &Rc<Self>, row: u32) {
        let (body, batch, kind) = {
            let inner = self.inner.borrow();
            let Some(import) = inner.import.as_ref() else { return };
            let body = check::body(&import.sheet, &import.mapping, row as usize);
            let batch = inner.run.as_ref().map(|run| run.batch.clone()).unwrap_or_default();
            (body, batch, import.kind(row as usize))
        };
        let Some(body) = body else {
            // Checked before the run started; an edit cannot happen during it.
            let outcome = RowOutcome::Refused(crate::ui::draft::nothing_to_update());
            return self.answered(row, answer::Verdict::Final { outcome, code: String::new() });
        };
        let controller = AbortController::new().ok();
        let mut request =
            Request::put(self.endpoint.resolve(), body, controller.as_ref().map(|c| c.signal()));
        request.headers.push(("X-Batch-Id", batch));
        if let Some(controller) = controller.clone() {
            self.inner.borrow_mut().controllers.push((row, controller));
        }
        let pending = self.transport.send(request);
        let importer = Rc::clone(self);
        let timeout_ms = self.timeout_ms;
        wasm_bindgen_futures::spawn_local(async move {
            let (answer, retry_after) = match within(pending, timeout_ms).await {
                Some(Ok(response)) => {
                    (outcome::interpret(response.status, response.envelope()), response.retry_after)
                }
                Some(Err(_)) => (Err(Failure::Network), None),
                None => {
                    if let Some(controller) = &controller {
                        controller.abort();
                    }
                    (Err(Failure::TimedOut { seconds: timeout_ms.div_ceil(1000) }), None)
                }
            };
            importer.inner.borrow_mut().controllers.retain(|(r, _)| *r != row);
            if importer.alive.get() {
                importer.answered(row, answer::verdict(answer, retry_after, kind));
                importer.pump();
            }
        });
    }

    /// Takes one answer: the schedule's decision, and the row's outcome kept
    /// at once when it is final.
    fn answered(self: &Rc<Self>, row: u32, verdict: answer::Verdict) {
        let now = js::now();
        let mut inner = self.inner.borrow_mut();
        let Inner { import: Some(import), run, summary, .. } = &mut *inner else { return };
        let Some(schedule) = import.schedule.as_mut() else { return };
        let held_before = schedule.held_until(now);
        let Some((outcome, code)) = schedule.answered(row, verdict, now) else {
            if let (None, Some(until)) = (held_before, schedule.held_until(now)) {
                let seconds = ((until - now) / 1000.0).ceil() as u64;
                *summary = format!(
                    "Setter asked to slow down: sending waits {seconds} s, then goes on by itself. Nothing is lost."
                );
            }
            return;
        };
        if let Some(run) = run.as_mut() {
            let index = progress::chunk_of(row) as usize;
            if run.chunks.len() <= index {
                run.chunks.resize(index + 1, String::new());
            }
            let chunk = &mut run.chunks[index];
            progress::write_answer(chunk, row, &outcome, &code);
            if !js::store(&progress::chunk_key(&run.id, index as u32), chunk) {
                run.unkept = true;
            }
        }
        import.answer(row as usize, outcome, code);
    }

    /// The run ended: every row answered, or cancelled and nothing in flight.
    fn finish(self: &Rc<Self>) {
        let mut inner = self.inner.borrow_mut();
        let Inner { import: Some(import), run: Some(run), summary, .. } = &mut *inner else {
            return;
        };
        if run.finished {
            return;
        }
        run.finished = true;
        let cancelled = import
            .schedule
            .as_ref()
            .is_some_and(|schedule| schedule.state() == RunState::Cancelled);
        let not_sent = import.schedule.as_ref().map_or(0, |schedule| schedule.unsent().count());
        let counts = import.counts();
        if !cancelled {
            run.store_meta(counts.rows);
        }
        *summary = finished_sentence(&counts, cancelled, not_sent);
        let detail = Finished {
            rows: counts.rows,
            updated: counts.updated,
            failed: counts.failed,
            invalid: counts.problems,
            held_back: counts.held_back,
            not_sent,
            cancelled,
        };
        inner.written.clear();
        drop(inner);
        // Shown before it is announced: a host that reads the element when
        // the event comes sees the end, not the last throttled frame.
        self.render_now();
        events::dispatch(&self.host, super::FINISHED, &detail);
    }

    pub fn pause(self: &Rc<Self>) {
        self.with_schedule(
            |schedule| schedule.pause(),
            "Paused: rows on their way finish; nothing more is sent until you resume.",
        );
    }

    pub fn resume(self: &Rc<Self>) {
        self.with_schedule(|schedule| schedule.resume(), "Sending again.");
    }

    pub fn cancel(self: &Rc<Self>) {
        self.with_schedule(
            |schedule| schedule.cancel(),
            "Cancelled: rows on their way finish; nothing more is sent.",
        );
    }

    /// The concurrency control: for this run, and the next.
    pub fn set_concurrency(self: &Rc<Self>, concurrency: usize) {
        {
            let mut inner = self.inner.borrow_mut();
            let Some(import) = inner.import.as_mut() else { return };
            import.concurrency = concurrency.clamp(1, crate::ui::import::schedule::MAX_CONCURRENCY);
            if let Some(schedule) = import.schedule.as_mut() {
                schedule.set_concurrency(concurrency);
            }
        }
        self.pump();
    }

    fn with_schedule(
        self: &Rc<Self>,
        change: impl FnOnce(&mut crate::ui::import::schedule::Schedule),
        sentence: &str,
    ) {
        {
            let mut inner = self.inner.borrow_mut();
            let Inner { import: Some(import), summary, .. } = &mut *inner else { return };
            if !import.is_running() {
                return;
            }
            if let Some(schedule) = import.schedule.as_mut() {
                change(schedule);
                *summary = sentence.to_owned();
            }
            inner.written.clear();
        }
        self.pump();
        // At once: the operator's own click, not an answer among hundreds.
        self.render_now();
    }

    /// Offers the results (or the rows with problems) as a CSV download.
    pub fn download(&self, problems_only: bool) {
        let inner = self.inner.borrow();
        let (Some(import), Some(file)) = (inner.import.as_ref(), inner.file.as_ref()) else {
            return;
        };
        let stem = file.name.rsplit_once('.').map_or(file.name.as_str(), |(stem, _)| stem);
        if problems_only {
            js::download(&format!("{stem}-problems.csv"), &import.problems_csv());
        } else {
            js::download(&format!("{stem}-results.csv"), &import.results_csv());
        }
    }
}

impl Run {
    /// Writes the run's `meta` entry (`finished` as the run is now); false
    /// if storage refused it.
    fn store_meta(&self, rows: usize) -> bool {
        let meta = Meta {
            rows: rows as u32,
            batch: self.batch.clone(),
            started_ms: self.began_ms as u64,
            finished: self.finished,
        };
        js::store(&progress::key(&self.id, "meta"), &meta.encode())
    }
}

/// What the live region says at the end.
fn finished_sentence(counts: &Counts, cancelled: bool, not_sent: usize) -> String {
    let mut sentence = if cancelled {
        format!(
            "Import cancelled: {} rows updated, {} failed, {} not sent.",
            group_digits(counts.updated),
            group_digits(counts.failed),
            group_digits(not_sent)
        )
    } else {
        format!(
            "Import finished: {} rows updated, {} failed.",
            group_digits(counts.updated),
            group_digits(counts.failed)
        )
    };
    let skipped = counts.problems + counts.held_back;
    if skipped > 0 {
        sentence.push_str(&format!(
            " {} rows were not sent (problems or duplicates).",
            group_digits(skipped)
        ));
    }
    sentence
}
