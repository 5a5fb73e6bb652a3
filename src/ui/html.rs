//! A small writer of HTML text, for the markup the widget's forms are made of.
//!
//! Every string of the widget's own (tags, attribute names) goes in with
//! [`Html::raw`]; everything else (labels, ids, numbers, zone names) with
//! [`Html::text`] or [`Html::attribute`], which escape it, whatever it is.

/// HTML being written.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
}

impl Html {
    /// An empty document with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Html {
        Html { out: String::with_capacity(capacity) }
    }

    /// Appends `html`, the widget's own markup (single-quoted attributes).
    pub fn raw(&mut self, html: &str) -> &mut Self {
        self.out.push_str(html);
        self
    }

    /// Appends `text`, escaped to read as text in an element or an attribute.
    pub fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\'' => self.out.push_str("&#39;"),
                c => self.out.push(c),
            }
        }
        self
    }

    /// ` name='value'`, the value escaped.
    pub fn attribute(&mut self, name: &str, value: &str) -> &mut Self {
        self.raw(" ").raw(name).raw("='").text(value).raw("'")
    }

    /// ` name` with no value (`hidden`, `disabled`), when `on`.
    pub fn flag(&mut self, name: &str, on: bool) -> &mut Self {
        if on {
            self.raw(" ").raw(name);
        }
        self
    }

    /// The HTML written so far.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut html = Html::default();
        html.raw("<p").attribute("title", "a'b\"c").raw(">").text("<&>").raw("</p>");
        assert_eq!(html.finish(), "<p title='a&#39;b&quot;c'>&lt;&amp;&gt;</p>");
    }
}
