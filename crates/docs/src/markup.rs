//! Markdown notes and descriptions to HTML that is safe to put into a page.
//!
//! Invariant: whatever the input, the output contains no script, no event
//! handler, no style and no link with a dangerous scheme — ammonia's
//! allow-list sanitiser runs after the Markdown renderer, so raw HTML in the
//! Markdown is cleaned too. Links get `rel="noopener noreferrer"`.

use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown (CommonMark with tables and strikethrough) to sanitised
/// HTML.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html =
            markdown_to_html("**Begegnung** und _Beratung_\n\n- Sprachkurse\n- Hausaufgabenhilfe");
        assert!(html.contains("<strong>Begegnung</strong>"));
        assert!(html.contains("<li>Sprachkurse</li>"));
    }

    #[test]
    fn strips_everything_dangerous() {
        for evil in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[klick](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<p style=\"color:red\">x</p>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let html = markdown_to_html(evil);
            for bad in ["<script", "onerror", "javascript:", "style=", "<iframe"] {
                assert!(!html.contains(bad), "{evil} -> {html}");
            }
        }
        let link = markdown_to_html("[Verein](https://verein.example)");
        assert!(link.contains("rel=\"noopener noreferrer\""), "{link}");
    }
}
