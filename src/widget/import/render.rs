//! Renders the importer's state, at most once per [`FRAME_MS`] however many
//! answers arrive: every group's visibility and text, the mapping, and the
//! table's rows in view.
//!
//! The table holds only the rows in view (and a few around them); spacers
//! above and below stand for the rest, so the scroll bar is the file's. The
//! rows are written anew when the rows in view change (a scroll, the filter),
//! and otherwise patched in place where their standing changed, so that the
//! cell being edited keeps its focus, caret and value.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use super::importer::{Importer, Inner};
use crate::ui::import::mapping::Target;
use crate::ui::import::markup::{
    self, COLUMN_ATTRIBUTE, ImportAction, ImportPart, ROW_HEIGHT_PX, group_digits,
};
use crate::ui::import::model::{Counts, Import};
use crate::ui::import::schedule::RunState;
use crate::widget::dom::set_value;
use crate::widget::dom::{set_text, show_text, toggle};
use crate::widget::{js, sleep};

/// The shortest time between two renders during a run, in milliseconds.
const FRAME_MS: u32 = 250;
/// Rows written above and below the ones in view, for smooth scrolling.
const OVERSCAN: usize = 8;

impl Importer {
    /// Renders soon: once, however many changes come before it; during a run
    /// not sooner than [`FRAME_MS`] after the last render (answers come by
    /// the hundred a second, and each render costs the page a layout).
    pub fn render_soon(self: &Rc<Self>) {
        if self.render_queued.replace(true) {
            return;
        }
        let running = self.inner.borrow().import.as_ref().is_some_and(|import| import.is_running());
        let since = js::now() - self.rendered_at.get();
        let wait = if running {
            (f64::from(FRAME_MS) - since).clamp(0.0, f64::from(FRAME_MS)) as u32
        } else {
            0
        };
        let importer = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            sleep(wait).await;
            importer.render_queued.set(false);
            if importer.alive.get() {
                importer.render_now();
            }
        });
    }

    /// Renders everything now.
    pub fn render_now(&self) {
        self.rendered_at.set(js::now());
        // Layout is read before anything is written: a read after a write
        // would make the browser lay the page out there and then.
        let scroller = self.part(ImportPart::Table);
        let window =
            (scroller.scroll_top().max(0) as usize, scroller.client_height().max(0) as usize);
        let mut inner = self.inner.borrow_mut();
        show_text(self.part(ImportPart::FileState), &inner.file_state);
        let saved = inner.saved.as_ref();
        self.hide(ImportPart::Saved, saved.is_none());
        if let Some(saved) = saved {
            let answered = group_digits(saved.answered);
            let rows = group_digits(saved.meta.rows as usize);
            let text = if saved.meta.finished {
                format!(
                    "This file was imported in this browser before, mapped the same way, and finished: {answered} of its {rows} rows were answered. Resume shows those results; Start over forgets them."
                )
            } else {
                format!(
                    "This file's import was interrupted in this browser: {answered} of its {rows} rows were answered. Resume sends the rest; rows already answered are not sent again. Rows that were on their way when the page closed are sent again, which is safe: an update sets the same values twice."
                )
            };
            set_text(self.part(ImportPart::SavedState), &text);
        }
        set_text(self.part(ImportPart::Summary), &inner.summary);

        let Some(import) = inner.import.as_ref() else {
            for part in
                [ImportPart::Mapping, ImportPart::Check, ImportPart::Send, ImportPart::Results]
            {
                self.hide(part, true);
            }
            return;
        };
        let running = import.is_running();
        let counts = import.counts();
        let mapping_dirty = std::mem::take(&mut inner.mapping_dirty);
        let import = inner.import.as_ref().expect("checked above");

        self.hide(ImportPart::Mapping, false);
        self.disable(ImportPart::Mapping, running);
        if mapping_dirty {
            self.part(ImportPart::MappingRows)
                .set_inner_html(&markup::mapping_rows(&import.sheet.table, &import.mapping));
            self.part(ImportPart::TableHead).set_inner_html(&markup::head_row(import));
        }
        show_text(
            self.part(ImportPart::MappingError),
            import.mapping_error.as_deref().unwrap_or(""),
        );

        self.hide(ImportPart::Check, false);
        set_text(
            self.part(ImportPart::Counts),
            &counts_sentence(&counts, import.mapping_error.is_some()),
        );
        checked(self.part(ImportPart::OnlyProblems), import.only_problems);
        checked(self.part(ImportPart::AllowDuplicates), import.allow_duplicates);
        self.disable(ImportPart::AllowDuplicates, running);
        if let Some(cells) = self.part(ImportPart::Table).first_element_child() {
            toggle(&cells, "disabled", running.then_some(""));
        }

        let usable = import.mapping_error.is_none();
        self.hide(ImportPart::Send, !usable);
        let state = import.schedule.as_ref().map(|schedule| schedule.state());
        self.action(ImportAction::Start, false, running || counts.remaining == 0);
        self.action(ImportAction::Pause, !running || state != Some(RunState::Running), false);
        self.action(ImportAction::Resume, !running || state != Some(RunState::Paused), false);
        self.action(ImportAction::Cancel, !running, false);
        if let Some(input) = self.part(ImportPart::Concurrency).dyn_ref::<HtmlInputElement>() {
            set_value(input, &import.concurrency.to_string());
        }
        let answered = counts.updated + counts.failed;
        let bar = self.part(ImportPart::Bar);
        toggle(bar, "max", Some(&counts.ready.max(1).to_string()));
        toggle(bar, "value", Some(&answered.min(counts.ready).to_string()));
        let progress = self.progress_sentence(&inner, &counts);
        set_text(self.part(ImportPart::Progress), &progress);
        let finished = inner.run.as_ref().is_some_and(|run| run.finished);
        self.hide(ImportPart::Results, answered == 0 && !finished);

        self.render_rows(&mut inner, window);
    }

    fn progress_sentence(&self, inner: &Inner, counts: &Counts) -> String {
        let answered = counts.updated + counts.failed;
        let mut text = format!(
            "{} of {} answered: {} updated, {} failed, {} remaining.",
            group_digits(answered),
            group_digits(counts.ready),
            group_digits(counts.updated),
            group_digits(counts.failed),
            group_digits(counts.remaining)
        );
        let Some(run) = inner.run.as_ref().filter(|run| !run.finished) else { return text };
        let now = js::now();
        let seconds = (now - run.began_ms) / 1000.0;
        let sent_here = answered.saturating_sub(run.answered_before);
        if seconds >= 1.0 && sent_here > 0 {
            let rate = sent_here as f64 / seconds;
            let left = (counts.remaining as f64 / rate).ceil();
            text.push_str(&format!(
                " {} rows/s, about {} left.",
                rate.round() as u64,
                duration(left)
            ));
        }
        let held =
            inner.import.as_ref().and_then(|import| import.schedule.as_ref()?.held_until(now));
        if let Some(until) = held {
            let seconds = ((until - now) / 1000.0).ceil() as u64;
            text.push_str(&format!(" Waiting {seconds} s, as Setter asked."));
        }
        if run.unkept {
            text.push_str(" This browser does not keep the progress: do not close the page.");
        }
        text
    }

    /// The rows in view: written anew when they change, patched otherwise.
    fn render_rows(&self, inner: &mut Inner, (top, height): (usize, usize)) {
        let Some(import) = inner.import.as_ref() else { return };
        // The rows shown are every row unless the filter is on: only then is
        // a list of them made (not one of 50,000 ids a render, four a second).
        let filtered = import.only_problems.then(|| import.view());
        let shown = filtered.as_ref().map_or(import.sheet.len(), Vec::len);
        let row_height = ROW_HEIGHT_PX as usize;
        let height = height.max(row_height * 10);
        let first = (top / row_height).saturating_sub(OVERSCAN).min(shown);
        let last = ((top + height) / row_height + OVERSCAN).min(shown);
        let rows: Vec<u32> = match &filtered {
            Some(view) => view[first..last].to_vec(),
            None => (first as u32..last as u32).collect(),
        };
        let rows = rows.as_slice();
        spacer(self.part(ImportPart::Above), first * row_height);
        spacer(self.part(ImportPart::Below), (shown - last) * row_height);
        let signatures: Vec<(u32, String)> =
            rows.iter().map(|&row| (row, markup::row_signature(import, row as usize))).collect();
        let body = self.part(ImportPart::TableBody);
        let same_rows = inner.written.len() == signatures.len()
            && inner.written.iter().zip(&signatures).all(|(a, b)| a.0 == b.0);
        if !same_rows {
            let focus = focused_cell(&self.container);
            body.set_inner_html(&markup::table_rows(import, rows));
            if let Some((row, column, start, end)) = focus {
                refocus(body, row, column, start, end);
            }
        } else {
            let children = body.children();
            for (index, (row, signature)) in signatures.iter().enumerate() {
                if inner.written[index].1 != *signature
                    && let Some(tr) = children.item(index as u32)
                {
                    patch_row(&tr, import, *row as usize);
                }
            }
        }
        inner.written = signatures;
    }

    fn hide(&self, part: ImportPart, hidden: bool) {
        toggle(self.part(part), "hidden", hidden.then_some(""));
    }

    fn disable(&self, part: ImportPart, disabled: bool) {
        toggle(self.part(part), "disabled", disabled.then_some(""));
    }

    fn action(&self, action: ImportAction, hidden: bool, disabled: bool) {
        let button = self.action_button(action);
        toggle(button, "hidden", hidden.then_some(""));
        toggle(button, "disabled", disabled.then_some(""));
    }
}

fn checked(element: &Element, on: bool) {
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_checked(on);
    }
}

fn spacer(element: &Element, px: usize) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let style = element.style();
        let height = format!("{px}px");
        if style.get_property_value("height").ok().as_deref() != Some(&height) {
            let _ = style.set_property("height", &height);
        }
    }
}

/// The counts line.
fn counts_sentence(counts: &Counts, unmapped: bool) -> String {
    let rows = markup::rows(counts.rows);
    if unmapped {
        return format!("{rows}, not checked yet: fix the columns first.");
    }
    let mut text = format!(
        "{rows}: {} ready, {} with problems",
        group_digits(counts.ready),
        group_digits(counts.problems)
    );
    if counts.held_back > 0 {
        text.push_str(&format!(", {} held back as duplicates", group_digits(counts.held_back)));
    }
    text.push('.');
    text
}

/// `95` as `1 min 35 s`.
fn duration(seconds: f64) -> String {
    let seconds = seconds.max(0.0) as u64;
    match seconds {
        0..=59 => format!("{seconds} s"),
        _ => format!("{} min {} s", seconds / 60, seconds % 60),
    }
}

/// The table cell that has focus: its row, column and selection.
fn focused_cell(container: &HtmlElement) -> Option<(String, String, Option<u32>, Option<u32>)> {
    let root = container.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok()?;
    let input = root.active_element()?.dyn_into::<HtmlInputElement>().ok()?;
    let row = input.get_attribute(markup::ROW_ATTRIBUTE)?;
    let column = input.get_attribute(COLUMN_ATTRIBUTE)?;
    Some((row, column, input.selection_start().ok()?, input.selection_end().ok()?))
}

fn refocus(body: &Element, row: String, column: String, start: Option<u32>, end: Option<u32>) {
    let selector =
        format!("input[{}='{row}'][{COLUMN_ATTRIBUTE}='{column}']", markup::ROW_ATTRIBUTE);
    if let Some(input) = body
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
    {
        let _ = input.focus();
        if let (Some(start), Some(end)) = (start, end) {
            let _ = input.set_selection_range(start, end);
        }
    }
}

/// Brings a written row up to date in place: its standing, status and each
/// cell's problem (never a value: the cell may be being typed in).
fn patch_row(tr: &Element, import: &Import, row: usize) {
    let standing = import.standing(row);
    let _ = tr.set_attribute("data-standing", standing.status());
    let cells = tr.children();
    if let Some(status) = cells.item(1) {
        set_text(&status, &markup::status_text(import, row));
    }
    let check = import.check(row);
    for column in 0..import.sheet.table.width() {
        let Some(td) = cells.item(column as u32 + 2) else { continue };
        let problem = check.and_then(|check| check.on(column));
        let used = check.and_then(|check| check.identifier) == Some(column);
        let ignored = import.mapping.targets.get(column) == Some(&Target::Ignore);
        let class = if used {
            Some("sci-used")
        } else if ignored {
            Some("sci-ignored")
        } else {
            None
        };
        toggle(&td, "class", class);
        if let (Some(input), Some(small)) = (td.first_element_child(), td.last_element_child()) {
            toggle(&input, "aria-invalid", problem.map(|_| "true"));
            toggle(&input, "aria-describedby", problem.map(|_| small.id()).as_deref());
            set_text(&small, problem.unwrap_or(""));
            toggle(&small, "title", problem);
        }
    }
}
