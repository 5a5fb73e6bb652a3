//! One labelled input with its error text: every input of the form is built
//! here, from plain data.
//!
//! Why one builder: tachys compiles every distinct view tree (and every
//! closure in it) into its own build, rebuild and unmount code. Built at each
//! call site, the identifier, the text fields and the metadata key and value
//! inputs were four such trees; built by [`labelled_input`] from an [`Input`],
//! they are one. What differs between inputs is data, not view code.

use leptos::prelude::*;

use super::form::State;

/// What an input is: everything [`labelled_input`] needs to build it.
pub(super) struct Input {
    /// The element id (unique on the page); its error text is `{id}-error`.
    pub id: String,
    /// The `name` attribute: the API field name, `identifier`, or `metadataKey`.
    pub name: &'static str,
    /// The label; a signal, because the identifier's follows its kind.
    pub label: Signal<&'static str>,
    /// Said only to screen readers after the label (" (row 2)").
    pub label_detail: Option<String>,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    /// `spellcheck`, absent where the browser's default is right.
    pub spellcheck: Option<&'static str>,
    /// The id of a `<datalist>` to suggest from.
    pub list: Option<String>,
    /// `inputmode` and `placeholder`, for inputs whose kind of value changes.
    pub hints: Option<Hints>,
    pub required: bool,
    pub value: RwSignal<String>,
    /// The problem on screen for this input, if any.
    pub error: Signal<Option<String>>,
    /// What [`State::touch`] remembers when the input is left.
    pub touch_key: String,
    /// Which of the proxy's problems an edit makes stale.
    pub edits: Edits,
}

/// `inputmode` and `placeholder` of an input.
#[derive(Clone, Copy)]
pub(super) struct Hints {
    pub inputmode: Signal<&'static str>,
    pub placeholder: Signal<&'static str>,
}

/// Which of the proxy's problems editing an input makes stale.
#[derive(Clone, Copy)]
pub(super) enum Edits {
    /// The identifier: the proxy's problem with any kind of identifier.
    Identifier,
    /// A text field: the problem with that field.
    Field(&'static str),
    /// A metadata row, whose key is this signal: the problem with its key (as
    /// it was before the edit) and with the metadata as a whole.
    Row(RwSignal<String>),
}

impl Edits {
    pub fn forget(self, state: State) {
        match self {
            Edits::Identifier => state.edited(&["id", "waId", "smsPhoneNumber"]),
            Edits::Field(name) => state.edited(&[name]),
            Edits::Row(key) => {
                let name = format!("metadata.{}", key.get_untracked());
                state.edited(&[&name, "metadata"]);
            }
        }
    }
}

/// The `<label>`, the `<input>` and its error text.
pub(super) fn labelled_input(state: State, input: Input) -> impl IntoView {
    let Input {
        id,
        name,
        label,
        label_detail,
        input_type,
        autocomplete,
        spellcheck,
        list,
        hints,
        required,
        value,
        error,
        touch_key,
        edits,
    } = input;
    view! {
        <label for=id.clone()>
            {label}
            {label_detail.map(|detail| view! { <span class="scf-sr">{detail}</span> })}
        </label>
        <input id=id.clone() name=name type=input_type autocomplete=autocomplete list=list
            spellcheck=spellcheck required=required
            inputmode=hints.map(|hints| hints.inputmode)
            placeholder=hints.map(|hints| hints.placeholder)
            prop:value=value
            on:input=move |ev| {
                // Before the write: a row's edit names the key it had.
                edits.forget(state);
                value.set(event_target_value(&ev));
            }
            on:blur=move |_| state.touch(&touch_key)
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            aria-describedby=error_ref(id.clone(), error) />
        {error_text(id, error)}
    }
}

/// The `aria-describedby` of an element: its error text, while there is one.
pub(super) fn error_ref(
    id: String,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || error.with(Option::is_some).then(|| format!("{id}-error"))
}

/// The error text of an element, rendered only while there is one.
pub(super) fn error_text(id: String, error: Signal<Option<String>>) -> impl IntoView {
    let error_id = format!("{id}-error");
    move || {
        let id = error_id.clone();
        error
            .get()
            .map(|sentence| view! { <p class="scf-error" id=id>{sentence}</p> })
    }
}
