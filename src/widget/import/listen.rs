//! Hears the importer: one listener on its container for what bubbles up
//! (clicks, changes, a file dragged over and dropped) and on the table's
//! scrolling box for its scrolls (which do not bubble). Each event is read
//! into what it means and handed to the [`Importer`].

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

use super::importer::Importer;
use crate::ui::import::markup::{COLUMN_ATTRIBUTE, ImportAction, ImportPart, ROW_ATTRIBUTE};
use crate::ui::vocabulary::ACTION_ATTRIBUTE;
use crate::widget::js;

/// The events heard on the container.
const EVENTS: [&str; 5] = ["click", "change", "dragover", "dragleave", "drop"];

pub(super) struct Listener {
    container: Element,
    table: Element,
    listener: Closure<dyn Fn(web_sys::Event)>,
}

pub(super) fn listen(importer: &Rc<Importer>) -> Listener {
    let weak = Rc::downgrade(importer);
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if let Some(importer) = weak.upgrade() {
            heard(&importer, &ev);
        }
    });
    let listener = Listener {
        container: importer.container.clone().unchecked_into(),
        table: importer.part(ImportPart::Table).clone(),
        listener,
    };
    listener.each(|target, name, function| {
        let _ = target.add_event_listener_with_callback(name, function);
    });
    listener
}

impl Listener {
    fn each(&self, f: impl Fn(&Element, &str, &js_sys::Function)) {
        let function = self.listener.as_ref().unchecked_ref();
        for name in EVENTS {
            f(&self.container, name, function);
        }
        f(&self.table, "scroll", function);
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.each(|target, name, function| {
            let _ = target.remove_event_listener_with_callback(name, function);
        });
    }
}

fn heard(importer: &Rc<Importer>, ev: &web_sys::Event) {
    let target = ev.target().and_then(|target| target.dyn_into::<Element>().ok());
    let drop_zone = importer.part(ImportPart::Drop);
    match ev.type_().as_str() {
        "scroll" => importer.render_soon(),
        "dragover" => {
            ev.prevent_default(); // without it, the browser opens the file
            let _ = drop_zone.set_attribute("data-over", "");
        }
        "dragleave" => {
            let _ = drop_zone.remove_attribute("data-over");
        }
        "drop" => {
            ev.prevent_default();
            let _ = drop_zone.remove_attribute("data-over");
            open(importer, ev);
        }
        "click" => {
            let action = target
                .and_then(|target| target.closest(&format!("[{ACTION_ATTRIBUTE}]")).ok().flatten())
                .and_then(|button| button.get_attribute(ACTION_ATTRIBUTE))
                .and_then(|name| ImportAction::from_name(&name));
            match action {
                Some(ImportAction::Start) => importer.start(),
                Some(ImportAction::Pause) => importer.pause(),
                Some(ImportAction::Resume) => importer.resume(),
                Some(ImportAction::Cancel) => importer.cancel(),
                Some(ImportAction::DownloadResults) => importer.download(false),
                Some(ImportAction::DownloadProblems) => importer.download(true),
                Some(ImportAction::ResumeSaved) => importer.resume_saved(),
                Some(ImportAction::StartOver) => importer.start_over(),
                Some(ImportAction::ClearFinished) => importer.clear_finished(),
                None => {}
            }
        }
        "change" => {
            let Some(target) = target else { return };
            let column =
                target.get_attribute(COLUMN_ATTRIBUTE).and_then(|column| column.parse().ok());
            if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
                if let Some(column) = column {
                    importer.map(column, &select.value());
                }
                return;
            }
            let Some(input) = target.dyn_ref::<HtmlInputElement>() else { return };
            let row = input.get_attribute(ROW_ATTRIBUTE).and_then(|row| row.parse().ok());
            match (input.id().as_str(), row, column) {
                (_, Some(row), Some(column)) => importer.edit(row, column, input.value()),
                (id, ..) if id == ImportPart::File.id() => {
                    open(importer, ev);
                    // The same file chosen again is a change too.
                    input.set_value("");
                }
                (id, ..) if id == ImportPart::OnlyProblems.id() => {
                    importer.switch(ImportPart::OnlyProblems, input.checked())
                }
                (id, ..) if id == ImportPart::AllowDuplicates.id() => {
                    importer.switch(ImportPart::AllowDuplicates, input.checked())
                }
                (id, ..) if id == ImportPart::Concurrency.id() => {
                    if let Ok(concurrency) = input.value().trim().parse::<usize>() {
                        importer.set_concurrency(concurrency);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// Reads the file an event names.
fn open(importer: &Rc<Importer>, ev: &web_sys::Event) {
    let file = js::file_of(ev);
    if file.is_null() {
        return;
    }
    let importer = Rc::clone(importer);
    wasm_bindgen_futures::spawn_local(async move { importer.open(file).await });
}
