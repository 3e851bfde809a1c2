//! `--format pdf`: the attachment a supervisor asked for. A4, the DejaVu Sans font bundled and
//! embedded (a subset), real text, page numbers, document metadata, a table of every guidance
//! clause with its result on the first page, a section per finding, and the exact JSON report
//! attached with its signature so `confide verify` can show it was not changed.
//!
//! Laid out in two passes: first into pages of drawing operations (so a table row never splits
//! and each footer can say "page 2 of 3"), then drawn with krilla.

use std::io::Write;
use std::sync::LazyLock;

use krilla::Document;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};

use super::reading::{self, Audience};
use super::{RenderError, Renderer, Report};
use crate::signing::Seal;
use crate::status::Status;

/// The name the JSON report has inside the PDF (what `pdfdetach` and `confide verify` read).
pub const ATTACHED_REPORT: &str = "report.json";
/// The detached minisign signature of [`ATTACHED_REPORT`].
pub const ATTACHED_SIGNATURE: &str = "report.json.minisig";
/// The practitioner's public key, for a reader who has none yet.
pub const ATTACHED_PUBLIC_KEY: &str = "confide-key.pub";

pub struct Pdf {
    pub audience: Audience,
    /// The JSON report to attach, byte for byte; `None` attaches the report as `--format json`
    /// writes it.
    pub json: Option<Vec<u8>>,
    /// The signature of `json`, when the report is signed.
    pub seal: Option<Seal>,
}

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A font for drawing and the same font for measuring, so lines wrap where they will be drawn.
struct Face {
    font: Font,
    metrics: ttf_parser::Face<'static>,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Face, RenderError> {
        let font =
            Font::new(data.into(), 0).ok_or_else(|| RenderError::Encode("the bundled font is unreadable".into()))?;
        let metrics = ttf_parser::Face::parse(data, 0)
            .map_err(|e| RenderError::Encode(format!("the bundled font is unreadable: {e}")))?;
        Ok(Face { font, metrics })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let per_unit = size / f32::from(self.metrics.units_per_em());
        let fallback = self.metrics.glyph_index('?');
        text.chars()
            .map(|c| {
                self.metrics
                    .glyph_index(c)
                    .or(fallback)
                    .and_then(|g| self.metrics.glyph_hor_advance(g))
                    .map_or(0.0, f32::from)
            })
            .sum::<f32>()
            * per_unit
    }

    /// Greedy line breaking at spaces; a word wider than the line is cut between characters.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size) > width && line.chars().count() > 1 {
                        let last = line.pop().unwrap_or(c);
                        lines.push(std::mem::take(&mut line));
                        line.push(last);
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

static FACES: LazyLock<Result<(Face, Face), String>> = LazyLock::new(|| {
    let load = |d| Face::load(d).map_err(|e| e.to_string());
    Ok((load(REGULAR)?, load(BOLD)?))
});

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 50.0;
const TOP: f32 = 50.0;
const BOTTOM: f32 = PAGE_H - 60.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;

type Rgb = (u8, u8, u8);
const INK: Rgb = (29, 29, 31);
const GREY: Rgb = (90, 90, 96);
const RULE: Rgb = (214, 214, 220);
const SHADE: Rgb = (243, 243, 246);
const GREEN: Rgb = (23, 101, 47);
const AMBER: Rgb = (138, 90, 0);
const RED: Rgb = (179, 38, 30);

enum Op {
    Text {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        color: Rgb,
        text: String,
    },
    Rect {
        rect: Rect,
        color: Rgb,
    },
    Link {
        rect: Rect,
        uri: String,
    },
}

/// Pages of drawing operations, filled from the top; `y` is where the next line goes.
struct Layout<'f> {
    regular: &'f Face,
    bold: &'f Face,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// The header row of the table being laid out, repeated at the top of each new page.
    header: Option<(Vec<Cell>, Vec<f32>)>,
}

impl<'f> Layout<'f> {
    fn new(regular: &'f Face, bold: &'f Face) -> Self {
        Layout {
            regular,
            bold,
            pages: vec![Vec::new()],
            y: TOP,
            header: None,
        }
    }

    fn face(&self, bold: bool) -> &'f Face {
        if bold { self.bold } else { self.regular }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a layout always has a page")
    }

    /// Starts a new page unless `height` still fits on this one.
    fn room_for(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
    }

    /// Wrapped lines in a shaded box with a coloured edge on the left: the verdict, and the
    /// notice that must be read before it. `leading` is the line height, `inset` the space above
    /// the first line, `after` the space below the box.
    fn callout(&mut self, lines: Vec<String>, edge: Rgb, text: (bool, f32), leading: f32, inset: f32, after: f32) {
        let (bold, size) = text;
        let height = lines.len() as f32 * leading + 2.0 * inset;
        self.room_for(height);
        let top = self.y;
        if let Some(rect) = Rect::from_xywh(MARGIN, top, 4.0, height) {
            self.ops().push(Op::Rect { rect, color: edge });
        }
        if let Some(rect) = Rect::from_xywh(MARGIN + 4.0, top, TEXT_W - 4.0, height) {
            self.ops().push(Op::Rect { rect, color: SHADE });
        }
        for (i, line) in lines.into_iter().enumerate() {
            self.ops().push(Op::Text {
                x: MARGIN + 14.0,
                y: top + inset + size + i as f32 * leading,
                bold,
                size,
                color: INK,
                text: line,
            });
        }
        self.y = top + height + after;
    }

    fn gap(&mut self, points: f32) {
        self.y += points;
    }

    /// A wrapped paragraph at `indent`, each line kept whole.
    fn text(&mut self, text: &str, size: f32, bold: bool, color: Rgb, indent: f32) {
        let leading = size * 1.4;
        for line in self.face(bold).wrap(text, size, TEXT_W - indent) {
            self.room_for(leading);
            let y = self.y + size;
            self.ops().push(Op::Text {
                x: MARGIN + indent,
                y,
                bold,
                size,
                color,
                text: line,
            });
            self.y += leading;
        }
    }

    /// A heading kept with at least `keep` points of what follows it.
    fn heading(&mut self, text: &str, size: f32, keep: f32) {
        self.room_for(size * 1.4 + keep);
        self.text(text, size, true, INK, 0.0);
        self.gap(2.0);
    }

    /// A numbered or bulleted item with a hanging indent.
    fn item(&mut self, marker: &str, text: &str, size: f32, color: Rgb) {
        let indent = 18.0;
        let lines = self.regular.wrap(text, size, TEXT_W - indent);
        let leading = size * 1.4;
        for (i, line) in lines.into_iter().enumerate() {
            self.room_for(leading);
            let y = self.y + size;
            if i == 0 {
                self.ops().push(Op::Text {
                    x: MARGIN + 4.0,
                    y,
                    bold: false,
                    size,
                    color,
                    text: marker.to_string(),
                });
            }
            self.ops().push(Op::Text {
                x: MARGIN + indent,
                y,
                bold: false,
                size,
                color,
                text: line,
            });
            self.y += leading;
        }
    }

    /// One table row: every cell wrapped to its column, the row moved whole to the next page
    /// when it does not fit.
    fn row(&mut self, cells: &[Cell], widths: &[f32], shade: Option<Rgb>) {
        let size = 9.0;
        let leading = size * 1.35;
        let pad = 4.0;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| self.face(c.bold).wrap(&c.text, size, w - 2.0 * pad))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * leading + 2.0 * pad;
        let pages = self.pages.len();
        self.room_for(height);
        if self.pages.len() != pages
            && let Some((header, widths)) = self.header.clone()
        {
            self.row(&header, &widths, Some(SHADE));
        }
        let top = self.y;
        if let Some(color) = shade
            && let Some(rect) = Rect::from_xywh(MARGIN, top, TEXT_W, height)
        {
            self.ops().push(Op::Rect { rect, color });
        }
        let mut x = MARGIN;
        for ((cell, lines), w) in cells.iter().zip(wrapped).zip(widths) {
            for (i, line) in lines.into_iter().enumerate() {
                self.ops().push(Op::Text {
                    x: x + pad,
                    y: top + pad + size + i as f32 * leading,
                    bold: cell.bold,
                    size,
                    color: cell.color,
                    text: line,
                });
            }
            if let (Some(uri), Some(rect)) = (&cell.link, Rect::from_xywh(x, top, *w, height)) {
                self.ops().push(Op::Link { rect, uri: uri.clone() });
            }
            x += w;
        }
        if let Some(rect) = Rect::from_xywh(MARGIN, top + height - 0.5, TEXT_W, 0.5) {
            self.ops().push(Op::Rect { rect, color: RULE });
        }
        self.y = top + height;
    }
}

#[derive(Clone)]
struct Cell {
    text: String,
    bold: bool,
    color: Rgb,
    link: Option<String>,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        bold: false,
        color: INK,
        link: None,
    }
}

fn result_color(class: &str) -> Rgb {
    match class {
        "met" => GREEN,
        "not-met" => RED,
        "partly" | "unknown" => AMBER,
        _ => GREY,
    }
}

fn status_color(status: Status) -> Rgb {
    match status {
        Status::Pass => GREEN,
        Status::Fail => RED,
        Status::Warn | Status::Unknown => AMBER,
        Status::Skipped => GREY,
    }
}

impl Pdf {
    fn lay_out<'f>(&self, r: &Report, regular: &'f Face, bold: &'f Face) -> Layout<'f> {
        let mut l = Layout::new(regular, bold);
        l.text("Computer security report", 20.0, true, INK, 0.0);
        l.text(&r.policy.title, 11.0, false, GREY, 0.0);
        l.gap(8.0);

        Self::facts(&mut l, r);
        self.caveats(&mut l, r, regular);
        Self::verdict(&mut l, r, bold);
        Self::clauses(&mut l, r);
        self.attention(&mut l, r);
        Self::in_order(&mut l, r);
        self.checking(&mut l);
        l
    }

    /// Who, which computer, when, and which guidance: the first thing a supervisor reads.
    fn facts(l: &mut Layout<'_>, r: &Report) {
        let mut facts: Vec<(&str, String)> = Vec::new();
        if let Some(p) = &r.practitioner {
            if let Some(v) = &p.name {
                facts.push(("Practitioner", v.clone()));
            }
            if let Some(v) = &p.membership {
                facts.push(("Membership", v.clone()));
            }
            if let Some(v) = &p.supervisor {
                facts.push(("For supervisor", v.clone()));
            }
        }
        facts.push(("Computer", reading::computer(r)));
        facts.push(("Checked", reading::when(r)));
        facts.push(("Guidance", format!("{} ({})", r.policy.title, r.policy.version)));
        facts.push(("Policy SHA-256", r.policy.sha256.clone()));
        facts.push(("Checked with", format!("confide {}", r.tool.version)));
        for (label, value) in facts {
            let mut label = cell(label);
            label.bold = true;
            label.color = GREY;
            l.row(&[label, cell(value)], &[110.0, TEXT_W - 110.0], None);
        }
        l.gap(10.0);
    }

    /// What must be read before the verdict (a replay, no profile): said first, each in a box
    /// with an amber edge, so the verdict is never read without it.
    fn caveats(&self, l: &mut Layout<'_>, r: &Report, regular: &Face) {
        for caveat in reading::caveats(r, self.audience) {
            // Commands in quotation marks: the PDF has no code font.
            let text = caveat
                .split('`')
                .enumerate()
                .map(|(i, part)| {
                    if i % 2 == 1 {
                        format!("‘{part}’")
                    } else {
                        part.to_string()
                    }
                })
                .collect::<String>();
            let lines = regular.wrap(&format!("Read this first. {text}"), 10.0, TEXT_W - 20.0);
            l.callout(lines, AMBER, (false, 10.0), 14.0, 6.0, 10.0);
        }
    }

    /// The overall result in a shaded box.
    fn verdict(l: &mut Layout<'_>, r: &Report, bold: &Face) {
        let verdict = reading::overall_words(r);
        let color = status_color(r.overall);
        let lines = bold.wrap(&verdict, 12.0, TEXT_W - 20.0);
        l.callout(lines, color, (true, 12.0), 16.8, 7.0, 14.0);
    }

    /// Every clause of the guidance with its result and source; the header repeats on each page.
    fn clauses(l: &mut Layout<'_>, r: &Report) {
        l.heading("The guidance, clause by clause", 13.0, 40.0);
        let widths = [TEXT_W * 0.55, TEXT_W * 0.2, TEXT_W * 0.25];
        let header = |t: &str| Cell {
            text: t.into(),
            bold: true,
            color: INK,
            link: None,
        };
        let head = vec![header("What the guidance asks"), header("Result"), header("Source")];
        l.row(&head, &widths, Some(SHADE));
        l.header = Some((head, widths.to_vec()));
        for row in reading::clause_rows(r) {
            let cite = reading::short_cite(r, &row.source);
            let mut quote = format!("“{}”", row.quote);
            if let Some(part) = &row.not_covered {
                quote.push_str(&format!("\nNot assessed: {part}"));
            }
            let result = Cell {
                text: row.result.words(),
                bold: true,
                color: result_color(row.result.class()),
                link: None,
            };
            let source = Cell {
                text: cite.label,
                bold: false,
                color: if cite.url.is_some() { (11, 87, 208) } else { GREY },
                link: cite.url,
            };
            l.row(&[cell(quote), result, source], &widths, None);
        }
    }

    /// Each finding that needs attention, in plain words, with what the practitioner will do.
    fn attention(&self, l: &mut Layout<'_>, r: &Report) {
        l.header = None;
        l.gap(14.0);
        l.heading("What needs attention", 13.0, 40.0);
        let attention = reading::needs_attention(r);
        if attention.is_empty() {
            l.text("Nothing: every check that ran was met.", 10.0, false, INK, 0.0);
        }
        for f in attention {
            l.gap(6.0);
            l.room_for(60.0);
            l.text(
                &format!("{}: {}", reading::status_words(f.status), f.title),
                11.0,
                true,
                status_color(f.status),
                0.0,
            );
            l.text(
                &format!("What was seen: {}", reading::seen(f, self.audience)),
                10.0,
                false,
                INK,
                0.0,
            );
            for e in reading::evidence(f, self.audience) {
                l.item("•", e, 9.0, GREY);
            }
            if let Some(g) = f.guidance.first() {
                l.text(
                    &format!("Why it matters: the guidance says: “{}”.", g.quote),
                    10.0,
                    false,
                    INK,
                    0.0,
                );
            }
            let steps = reading::fix_steps(f, self.audience);
            if !steps.is_empty() {
                l.text("What the practitioner will do:", 10.0, true, INK, 0.0);
                for (n, s) in steps.iter().enumerate() {
                    l.item(&format!("{}.", n + 1), s, 10.0, INK);
                }
            }
        }
    }

    /// The findings in order, named so the reader sees everything that was checked.
    fn in_order(l: &mut Layout<'_>, r: &Report) {
        let in_order: Vec<&super::Finding> = r.findings.iter().filter(|f| f.status == Status::Pass).collect();
        if !in_order.is_empty() {
            l.gap(14.0);
            l.heading("Checked and in order", 13.0, 40.0);
            for f in in_order {
                l.item("•", &format!("{}: {}", f.title, f.summary), 10.0, INK);
            }
        }
    }

    /// How to check the report, and (for the supervisor) what was left out.
    fn checking(&self, l: &mut Layout<'_>) {
        l.gap(16.0);
        l.heading("Checking this report", 13.0, 40.0);
        let about = match &self.seal {
            Some(seal) => format!(
                "This PDF carries the report exactly as confide produced it ({ATTACHED_REPORT}) and a signature made with the practitioner's own key. \
                 To check that nothing was changed since, run: confide verify on this file. \
                 The key's fingerprint is {}: if it matches the fingerprint on the practitioner's earlier reports, the same copy of confide signed them.",
                seal.fingerprint
            ),
            None => format!(
                "This PDF carries the report exactly as confide produced it ({ATTACHED_REPORT}). It is not signed, so it cannot show that nothing was changed."
            ),
        };
        l.text(&about, 9.5, false, GREY, 0.0);
        if self.audience == Audience::Supervisor {
            l.gap(4.0);
            l.text(
                "Commands and technical detail are left out of this copy; the practitioner's own copy has the full steps.",
                9.5,
                false,
                GREY,
                0.0,
            );
        }
    }

    fn footer(&self, r: &Report, page: usize, pages: usize) -> (String, String) {
        let who = r
            .practitioner
            .as_ref()
            .and_then(|p| p.name.clone())
            .map(|n| format!("{n} · "))
            .unwrap_or_default();
        let key = match &self.seal {
            Some(s) => format!("signed, key {}", s.fingerprint),
            None => "not signed".to_string(),
        };
        (
            format!("{who}{} · {key}", r.generated_at.strftime("%Y-%m-%d")),
            format!("Page {page} of {pages}"),
        )
    }
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn pdf_date(t: jiff::Timestamp) -> DateTime {
    let d = t.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    DateTime::new(d.year() as u16)
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(d.hour() as u8)
        .minute(d.minute() as u8)
        .second(d.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

impl Renderer for Pdf {
    fn render(&self, r: &Report, out: &mut dyn Write) -> Result<(), RenderError> {
        let (regular, bold) = FACES.as_ref().map_err(|e| RenderError::Encode(e.clone()))?;
        let layout = self.lay_out(r, regular, bold);
        let mut doc = Document::new();
        self.draw_pages(&mut doc, r, layout, regular, bold)?;
        doc.set_metadata(metadata(r));
        self.attach(&mut doc, r)?;
        let bytes = doc
            .finish()
            .map_err(|e| RenderError::Encode(format!("could not make the PDF: {e:?}")))?;
        out.write_all(&bytes)?;
        Ok(())
    }
}

impl Pdf {
    /// Draws each laid-out page with its footer and clickable links.
    fn draw_pages(
        &self,
        doc: &mut Document,
        r: &Report,
        layout: Layout<'_>,
        regular: &Face,
        bold: &Face,
    ) -> Result<(), RenderError> {
        let pages = layout.pages.len();
        for (n, ops) in layout.pages.into_iter().enumerate() {
            let settings =
                PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| RenderError::Encode("no A4 page".into()))?;
            let mut page = doc.start_page_with(settings);
            let mut links = Vec::new();
            let mut surface = page.surface();
            // Shapes first, so that no background covers text.
            for op in &ops {
                if let Op::Rect { rect, color } = op {
                    let mut path = PathBuilder::new();
                    path.push_rect(*rect);
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(fill(*color)));
                        surface.draw_path(&path);
                    }
                }
            }
            let (left, right) = self.footer(r, n + 1, pages);
            let footer = [
                (MARGIN, left.as_str()),
                (PAGE_W - MARGIN - regular.width(&right, 8.0), right.as_str()),
            ];
            let footer_ops = footer
                .iter()
                .map(|(x, text)| (*x, PAGE_H - 32.0, false, 8.0, GREY, *text));
            let text_ops = ops.iter().filter_map(|op| match op {
                Op::Text {
                    x,
                    y,
                    bold,
                    size,
                    color,
                    text,
                } => Some((*x, *y, *bold, *size, *color, text.as_str())),
                Op::Rect { .. } | Op::Link { .. } => None,
            });
            for (x, y, b, size, color, text) in text_ops.chain(footer_ops) {
                let face = if b { bold } else { regular };
                surface.set_fill(Some(fill(color)));
                surface.draw_text(
                    Point::from_xy(x, y),
                    face.font.clone(),
                    size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            surface.finish();
            for op in ops {
                if let Op::Link { rect, uri } = op {
                    links.push(Annotation::new_link(
                        LinkAnnotation::new(rect, Target::Action(Action::Link(LinkAction::new(uri.clone())))),
                        Some(uri),
                    ));
                }
            }
            for link in links {
                page.add_annotation(link);
            }
            page.finish();
        }

        Ok(())
    }

    /// The exact JSON report, and with a signature the signature and the public key, as
    /// attachments a supervisor's `confide verify` reads back.
    fn attach(&self, doc: &mut Document, r: &Report) -> Result<(), RenderError> {
        let json = match &self.json {
            Some(bytes) => bytes.clone(),
            None => {
                let mut bytes = Vec::new();
                super::json::Json.render(r, &mut bytes)?;
                bytes
            }
        };
        let mut files = vec![(
            ATTACHED_REPORT,
            "application/json",
            "The report exactly as confide produced it",
            json,
        )];
        if let Some(seal) = &self.seal {
            files.push((
                ATTACHED_SIGNATURE,
                "text/plain",
                "The minisign signature of report.json",
                seal.signature.clone().into_bytes(),
            ));
            files.push((
                ATTACHED_PUBLIC_KEY,
                "text/plain",
                "The practitioner's public key (minisign)",
                seal.public_key.clone().into_bytes(),
            ));
        }
        for (path, mime, description, data) in files {
            doc.embed_file(EmbeddedFile {
                path: path.to_string(),
                mime_type: MimeType::new(mime),
                description: Some(description.to_string()),
                association_kind: AssociationKind::Source,
                data: data.into(),
                modification_date: Some(pdf_date(r.generated_at)),
                compress: None,
                location: None,
            })
            .ok_or_else(|| RenderError::Encode(format!("two attachments named {path}")))?;
        }
        Ok(())
    }
}

/// Title, author (the practitioner), description, language and creation date.
fn metadata(r: &Report) -> Metadata {
    let mut metadata = Metadata::new()
        .title(match r.practitioner.as_ref().and_then(|p| p.name.as_deref()) {
            Some(name) => format!("Computer security report: {name}"),
            None => "Computer security report".to_string(),
        })
        .description(format!("{} ({})", r.policy.title, r.policy.version))
        .creator(format!("confide {}", r.tool.version))
        .language("en-GB".to_string())
        .creation_date(pdf_date(r.generated_at));
    if let Some(name) = r.practitioner.as_ref().and_then(|p| p.name.clone()) {
        metadata = metadata.authors(vec![name]);
    }
    metadata
}
