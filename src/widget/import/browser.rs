//! The browser's own APIs the importer uses, through a few lines of
//! JavaScript in the widget's one snippet ([`crate::widget::js`]): the file a
//! pick or a drop names, its bytes, the windows-1252 decoder, a download,
//! `localStorage`. Each is DOM plumbing
//! with nothing to decide; in JavaScript they cost no wasm and need no
//! web-sys bindings (Blob, File, DataTransfer, Storage, TextDecoder...).
//! Storage that throws (private windows, quota, a sandboxed frame) reads as
//! absent and writes as `false`: the import goes on, unkept.

pub use crate::widget::js::{
    download, file_bytes, file_name, file_of, file_size, forget, keys, load, now, store,
    windows1252,
};
