//! One mounted importer: its elements, its state, and what each thing the
//! operator does changes in it. Rendering ([`super::render`]) and sending
//! ([`super::run`]) read and write the same [`Inner`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, Element, HtmlElement};

use super::{ImportConfig, MountError};
use crate::ui::import::mapping::{Mapping, Target, remembered_key};
use crate::ui::import::markup::{ImportAction, ImportPart, group_digits, rows};
use crate::ui::import::model::Import;
use crate::ui::import::progress::{self, Meta};
use crate::ui::import::reader::{self, ReadError};
use crate::widget::Endpoint;
use crate::widget::dom::by_id;
use crate::widget::js;
use crate::widget::transport::Transport;

/// The file being imported, beside its table.
pub(super) struct File {
    pub name: String,
    /// [`progress::hash`] of its bytes.
    pub hash: u64,
}

/// A run kept in this browser for the file and mapping chosen.
pub(super) struct Saved {
    pub run: String,
    pub meta: Meta,
    /// Each stored chunk's text by chunk number (empty where none), read
    /// once: counted for the offer, taken back on resume.
    pub chunks: Vec<String>,
    pub answered: usize,
}

/// The run under way (or last finished) in this page.
pub(super) struct Run {
    /// Its key in storage ([`progress::run_id`]).
    pub id: String,
    /// The `X-Batch-Id` of every request of the run.
    pub batch: String,
    /// Each stored chunk's text, as last written, by chunk number.
    pub chunks: Vec<String>,
    /// When sending began in this page, and how many rows were answered
    /// then: rows per second counts this page's rows only.
    pub began_ms: f64,
    pub answered_before: usize,
    /// Whether storage refused a write (the run goes on, unkept).
    pub unkept: bool,
    pub finished: bool,
}

/// What changes.
#[derive(Default)]
pub(super) struct Inner {
    pub file: Option<File>,
    pub import: Option<Import>,
    /// What the file line says: what was read, or why nothing could be.
    pub file_state: String,
    pub saved: Option<Saved>,
    pub run: Option<Run>,
    /// What the live region says.
    pub summary: String,
    /// Requests in flight, to abort at unmount.
    pub controllers: Vec<(u32, AbortController)>,
    /// A timer's generation: a newer timer makes older ones do nothing.
    pub timer: u32,
    /// The mapping rows and table head need writing anew.
    pub mapping_dirty: bool,
    /// The table's rows as written: (row, signature); empty forces a rewrite.
    pub written: Vec<(u32, String)>,
}

pub(super) struct Importer {
    pub host: HtmlElement,
    pub container: HtmlElement,
    /// Every [`ImportPart`], in [`ImportPart::ALL`]'s order.
    parts: Vec<Element>,
    /// Every [`ImportAction`]'s button, in [`ImportAction::ALL`]'s order.
    actions: Vec<Element>,
    pub endpoint: Endpoint,
    pub transport: Rc<dyn Transport>,
    pub timeout_ms: u32,
    pub backoff_ms: u32,
    pub inner: RefCell<Inner>,
    /// Cleared at unmount: nothing is sent or rendered after.
    pub alive: Cell<bool>,
    pub render_queued: Cell<bool>,
    /// When the last render was (ms since the epoch).
    pub rendered_at: Cell<f64>,
}

impl Importer {
    pub fn new(
        host: HtmlElement,
        container: HtmlElement,
        config: ImportConfig,
    ) -> Result<Rc<Importer>, MountError> {
        let find = |id: &str| {
            by_id(&container, id).ok_or_else(|| MountError::MissingElement(id.to_owned()))
        };
        let parts = ImportPart::ALL.iter().map(|part| find(part.id())).collect::<Result<_, _>>()?;
        let actions = ImportAction::ALL
            .iter()
            .map(|action| find(action.as_str()))
            .collect::<Result<_, _>>()?;
        Ok(Rc::new(Importer {
            host,
            container,
            parts,
            actions,
            endpoint: config.endpoint,
            transport: config.transport,
            timeout_ms: config.timeout_ms,
            backoff_ms: config.backoff_ms,
            inner: RefCell::new(Inner::default()),
            alive: Cell::new(true),
            render_queued: Cell::new(false),
            rendered_at: Cell::new(0.0),
        }))
    }

    pub fn part(&self, part: ImportPart) -> &Element {
        &self.parts[part as usize]
    }

    pub fn action_button(&self, action: ImportAction) -> &Element {
        &self.actions[action as usize]
    }

    /// At unmount: nothing more is sent, requests in flight are aborted.
    pub fn stop(&self) {
        self.alive.set(false);
        let mut inner = self.inner.borrow_mut();
        if let Some(schedule) = inner.import.as_mut().and_then(|import| import.schedule.as_mut()) {
            schedule.cancel();
        }
        for (_, controller) in std::mem::take(&mut inner.controllers) {
            controller.abort();
        }
        drop(inner);
        self.container.remove();
    }

    /// Reads a picked or dropped file.
    pub async fn open(self: &Rc<Self>, file: wasm_bindgen::JsValue) {
        if self.inner.borrow().import.as_ref().is_some_and(Import::is_running) {
            self.say_file(
                "A run is under way: cancel it, or let it finish, before choosing another file.",
            );
            return;
        }
        let name = js::file_name(&file);
        let size = js::file_size(&file) as usize;
        if let Err(err) = reader::check_size(size) {
            return self.file_failed(&name, &err);
        }
        {
            // What was shown of the last file goes at once, not when this
            // one is read.
            let mut inner = self.inner.borrow_mut();
            inner.import = None;
            inner.file = None;
            inner.saved = None;
            inner.run = None;
            inner.summary.clear();
            inner.written.clear();
        }
        self.say_file(&format!("Reading {name}…"));
        let Ok(bytes) = js::file_bytes(&file).await else {
            return self.say_file(&format!(
                "{name} could not be read: the browser refused it. Choose it again."
            ));
        };
        let bytes: Uint8Array = bytes.unchecked_into();
        let data = bytes.to_vec();
        let hash = progress::hash(&data);
        let (text, note) = match String::from_utf8(data) {
            Ok(text) => (text, ""),
            Err(_) => (
                js::windows1252(&bytes),
                " It is not UTF-8, so it was read as Windows-1252 (Excel's Western encoding): check that accented letters look right.",
            ),
        };
        let table = match reader::read(&text) {
            Ok(table) => table,
            Err(err) => return self.file_failed(&name, &err),
        };
        drop(text);
        let remembered = js::load(&remembered_key(&table.headers))
            .and_then(|text| Mapping::decode(&text, table.width()));
        let mut state = format!("{name}: {}, {} columns.", rows(table.len()), table.width());
        if !table.ragged.is_empty() {
            let (row, cells) = table.ragged[0];
            state.push_str(&format!(
                " {} rows do not have {} cells like the header (the first: row {}, with {cells}); missing cells are empty, extra ones left out.",
                group_digits(table.ragged.len()),
                table.width(),
                row + 1
            ));
        }
        if remembered.is_some() {
            state.push_str(" Columns mapped as last time for these headers.");
        }
        state.push_str(note);
        {
            let mut inner = self.inner.borrow_mut();
            let mut import = Import::new(table, remembered);
            import.backoff_ms = self.backoff_ms;
            inner.import = Some(import);
            inner.file = Some(File { name, hash });
            inner.file_state = state;
            inner.run = None;
            inner.summary.clear();
            inner.mapping_dirty = true;
            inner.written.clear();
        }
        self.look_for_saved();
        self.render_soon();
    }

    fn file_failed(self: &Rc<Self>, name: &str, err: &ReadError) {
        self.say_file(&format!("{name} cannot be imported. {err}"));
    }

    fn say_file(self: &Rc<Self>, text: &str) {
        self.inner.borrow_mut().file_state = text.to_owned();
        self.render_soon();
    }

    /// The run id of the file and mapping chosen.
    pub fn run_id(inner: &Inner) -> Option<String> {
        let (file, import) = (inner.file.as_ref()?, inner.import.as_ref()?);
        Some(progress::run_id(file.hash, &import.mapping.encode()))
    }

    /// Offers to resume a run this browser kept for this file and mapping.
    fn look_for_saved(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.saved = Importer::run_id(&inner).and_then(|run| {
            let meta = Meta::decode(&js::load(&progress::key(&run, "meta"))?)?;
            let chunks: Vec<String> = (0..=progress::chunk_of(meta.rows))
                .map(|chunk| js::load(&progress::chunk_key(&run, chunk)).unwrap_or_default())
                .collect();
            let answered = chunks.iter().map(|text| progress::read_answers(text).len()).sum();
            Some(Saved { run, meta, chunks, answered })
        });
    }

    /// Takes the kept run back: its answers and edits, then sends the rest.
    pub fn resume_saved(self: &Rc<Self>) {
        let Some(saved) = self.inner.borrow_mut().saved.take() else { return };
        {
            let mut inner = self.inner.borrow_mut();
            let Some(import) = inner.import.as_mut() else { return };
            if let Some(edits) = js::load(&progress::key(&saved.run, "edits")) {
                for (row, column, text) in progress::read_edits(&edits) {
                    import.edit(row, column, text);
                }
            }
            for text in &saved.chunks {
                for (row, outcome, code) in progress::read_answers(text) {
                    import.answer(row as usize, outcome, code);
                }
            }
            inner.run = Some(Run {
                id: saved.run,
                batch: saved.meta.batch,
                chunks: saved.chunks,
                began_ms: js::now(),
                answered_before: 0,
                unkept: false,
                finished: saved.meta.finished,
            });
            inner.written.clear();
        }
        if saved.meta.finished {
            self.inner.borrow_mut().summary =
                "The kept results of this import are shown.".to_owned();
            self.render_soon();
        } else {
            self.start();
        }
    }

    /// Forgets the kept run of this file, to start over.
    pub fn start_over(self: &Rc<Self>) {
        let saved = self.inner.borrow_mut().saved.take();
        if let Some(saved) = saved {
            forget_run(&saved.run);
        }
        self.render_soon();
    }

    /// Forgets every finished run kept in this browser.
    pub fn clear_finished(self: &Rc<Self>) {
        let keys = js::keys(progress::PREFIX);
        let mut cleared = 0;
        for key in keys.iter().filter_map(|key| key.as_string()) {
            let Some(run) =
                key.strip_prefix(progress::PREFIX).and_then(|k| k.strip_suffix(":meta"))
            else {
                continue;
            };
            if js::load(&key).and_then(|text| Meta::decode(&text)).is_some_and(|m| m.finished) {
                forget_run(run);
                cleared += 1;
            }
        }
        self.inner.borrow_mut().summary = match cleared {
            0 => "No finished import was kept in this browser.".to_owned(),
            1 => "1 finished import was cleared from this browser.".to_owned(),
            n => format!("{n} finished imports were cleared from this browser."),
        };
        self.render_soon();
    }

    /// Sets what a column fills (the mapping's `<select>`), and remembers the
    /// mapping for these headers.
    pub fn map(self: &Rc<Self>, column: usize, value: &str) {
        let Some(target) = Target::decode(value) else { return };
        {
            let mut inner = self.inner.borrow_mut();
            let Some(import) = inner.import.as_mut() else { return };
            if import.is_running() {
                return;
            }
            import.set_target(column, target);
            if import.mapping_error.is_none() {
                js::store(&remembered_key(&import.sheet.table.headers), &import.mapping.encode());
            }
            inner.mapping_dirty = true;
            inner.written.clear();
            inner.run = None;
        }
        self.look_for_saved();
        self.render_soon();
    }

    /// A cell edited in place.
    pub fn edit(self: &Rc<Self>, row: usize, column: usize, text: String) {
        let mut inner = self.inner.borrow_mut();
        if let Some(import) = inner.import.as_mut().filter(|import| !import.is_running()) {
            import.edit(row, column, text);
        }
        drop(inner);
        self.render_soon();
    }

    /// One of the two switches.
    pub fn switch(self: &Rc<Self>, part: ImportPart, on: bool) {
        let mut inner = self.inner.borrow_mut();
        let Some(import) = inner.import.as_mut() else { return };
        match part {
            ImportPart::OnlyProblems => import.only_problems = on,
            ImportPart::AllowDuplicates if !import.is_running() => import.allow_duplicates = on,
            _ => return,
        }
        inner.written.clear();
        drop(inner);
        self.render_soon();
    }
}

/// Removes every entry of a kept run.
fn forget_run(run: &str) {
    let prefix = format!("{}{run}:", progress::PREFIX);
    for key in js::keys(&prefix).iter().filter_map(|key| key.as_string()) {
        js::forget(&key);
    }
}
