//! Times the compilation of a report of about 15 pages (40 headings, a
//! 200-row table, 2 SVG charts):
//! `cargo run --release -p msohub-typeset --example bench [output.pdf]`.

use std::fmt::Write as _;
use std::time::Instant;

use msohub_typeset::{escape, pdf};

fn chart(bars: &[u32]) -> String {
    let mut svg = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">"#,
    );
    for (i, h) in bars.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<rect x="{}" y="{}" width="30" height="{h}" fill="#3366cc"/><text x="{}" y="195" font-size="10">{i}</text>"##,
            10 + i * 38,
            190 - h,
            15 + i * 38,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn document(variant: usize) -> String {
    let mut doc = String::from(
        "#set page(paper: \"a4\", numbering: \"1\")\n#set heading(numbering: \"1.1\")\n\
         #set text(lang: \"de\", size: 10pt)\n#outline()\n\n",
    );
    for h in 0..40 {
        let _ = writeln!(doc, "= Abschnitt {} ({variant})\n", h + 1);
        let _ = writeln!(
            doc,
            "{}\n",
            escape(&format!(
                "Die Größe der Straße #{h} ist für Jürgen maßgeblich: 50% *nicht* [alle]. \
                 Мы встречаемся в пятницу. Lorem ipsum dolor sit amet, consectetur \
                 adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore."
            ))
        );
        let _ = writeln!(doc, "- Punkt eins\n- Punkt zwei {h}\n");
        if h == 5 {
            doc.push_str("#image(\"chart1.svg\", width: 10cm)\n\n");
        }
        if h == 20 {
            doc.push_str("#image(\"chart2.svg\", width: 10cm)\n\n");
        }
        if h == 10 {
            doc.push_str(
                "#table(columns: (auto, 1fr, auto, auto), table.header([*Nr.*], [*Verein*], [*Mitglieder*], [*Ort*]),\n",
            );
            for r in 0..200 {
                let _ = writeln!(
                    doc,
                    "  [{r}], [{}], [{}], [{}],",
                    escape(&format!("Verein Nr. {r} e.V. – Brücke & Begegnung")),
                    (r * 7 + variant) % 300,
                    ["Köln", "Düsseldorf", "München", "Gießen"][r % 4],
                );
            }
            doc.push_str(")\n\n");
        }
    }
    doc
}

fn main() {
    let out = std::env::args().nth(1);
    let svg1 = chart(&[20, 60, 120, 90, 150, 40, 70, 110, 30, 180]);
    let svg2 = chart(&[180, 30, 110, 70, 40, 150, 90, 120, 60, 20]);
    let files: [(&str, &[u8]); 2] = [
        ("chart1.svg", svg1.as_bytes()),
        ("chart2.svg", svg2.as_bytes()),
    ];
    for run in 0..4 {
        let source = document(run);
        let start = Instant::now();
        let bytes = match pdf(&source, &files) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("{err}");
                std::process::exit(1);
            }
        };
        let elapsed = start.elapsed();
        println!(
            "run {run} ({}): {:.0} ms, {} bytes of PDF from {} bytes of markup",
            if run == 0 {
                "cold: fonts and library built"
            } else {
                "new content"
            },
            elapsed.as_secs_f64() * 1000.0,
            bytes.len(),
            source.len()
        );
        if let (Some(out), 0) = (&out, run)
            && let Err(err) = std::fs::write(out, &bytes)
        {
            eprintln!("{err}");
        }
    }
}
