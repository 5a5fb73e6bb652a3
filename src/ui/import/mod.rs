//! The bulk importer's plain half: everything about importing a CSV file
//! that needs no browser, unit-tested natively.
//!
//! The data flows one way: the file's text is [`reader`]'s [`reader::Table`];
//! [`mapping`] says which field each column fills; [`check`] runs every row
//! through the contract, as the form would; [`schedule`] decides when each
//! ready row is sent, and [`answer`] what each answer means; [`progress`] is
//! what the browser keeps so that a reload loses nothing; [`model`] holds it
//! all, as the importer element shows it, and writes the results files; and
//! [`markup`] is the element's HTML.

pub mod answer;
pub mod check;
pub mod mapping;
pub mod markup;
pub mod model;
pub mod progress;
pub mod reader;
pub mod schedule;
