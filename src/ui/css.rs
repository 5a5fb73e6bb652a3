//! The widget's styles (`style.css`), minified while compiling.
//!
//! The source stays readable, comments and all; the wasm carries it without
//! comments and without the whitespace that means nothing: some 1.5 KB less.
//! Minifying is deliberately timid: quoted strings are copied as they are, and
//! a space is dropped only beside `{`, `}`, `;`, `>`, before `,` or `)` and
//! after `:` or `(` (never before a `:`, which may start a pseudo-class after
//! a descendant space). A widget test checks that the browser reads both the
//! same, rule by rule.

/// Minifies a stylesheet of this folder while compiling.
macro_rules! minified {
    ($path:literal) => {{
        const SOURCE: &[u8] = include_bytes!($path);
        const LEN: usize = minify(SOURCE, &mut []);
        const OUT: [u8; LEN] = {
            let mut out = [0; LEN];
            minify(SOURCE, &mut out);
            out
        };
        match core::str::from_utf8(&OUT) {
            Ok(css) => css,
            Err(_) => panic!("minifying a stylesheet split a UTF-8 character"),
        }
    }};
}

/// The minified styles of the form (and of what the importer shares with it:
/// buttons, inputs, the colours).
pub const CSS: &str = minified!("style.css");

/// The importer's own styles, adopted after [`CSS`] in its shadow root.
pub const IMPORT_CSS: &str = minified!("import/style.css");

/// Writes `css` minified into `out` (pass an empty slice to only measure)
/// and returns the minified length.
const fn minify(css: &[u8], out: &mut [u8]) -> usize {
    let write = !out.is_empty();
    let mut len = 0;
    // The last byte written ('{' before the first: nothing to separate).
    let mut last = b'{';
    let mut i = 0;
    while i < css.len() {
        let byte = css[i];
        if byte == b'/' && i + 1 < css.len() && css[i + 1] == b'*' {
            // A comment: skipped, with its `*/`.
            i += 2;
            while i < css.len() && !(css[i - 1] == b'*' && css[i] == b'/') {
                i += 1;
            }
            i += 1;
            continue;
        }
        if byte.is_ascii_whitespace() {
            while i < css.len() && css[i].is_ascii_whitespace() {
                i += 1;
            }
            let next = if i < css.len() { css[i] } else { b'}' };
            let comment_next = next == b'/' && i + 1 < css.len() && css[i + 1] == b'*';
            // (A space after a comma stays: custom properties keep their
            // values as written, and `var(--a,#fff)` would read differently.)
            let needless = matches!(last, b'{' | b'}' | b';' | b'>' | b':' | b'(')
                || matches!(next, b'{' | b'}' | b';' | b',' | b'>' | b')')
                || comment_next;
            if !needless {
                if write {
                    out[len] = b' ';
                }
                len += 1;
                last = b' ';
            }
            continue;
        }
        // Anything else is kept; a quoted string whole, escapes included.
        let mut end = i + 1;
        if byte == b'"' || byte == b'\'' {
            while end < css.len() && css[end] != byte {
                end += if css[end] == b'\\' { 2 } else { 1 };
            }
            end += 1; // the closing quote
        }
        while i < end && i < css.len() {
            if write {
                out[len] = css[i];
            }
            len += 1;
            last = css[i];
            i += 1;
        }
    }
    len
}
