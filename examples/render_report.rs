//! Times rendering one full report in each document format (a benchmark, not a test):
//! `cargo run --release --example render_report -- report.json [rounds]`.
#![allow(clippy::disallowed_methods)] // a benchmark reads the clock by definition

use std::time::Instant;

use confide::report::{Format, RenderOptions, Report};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: render_report REPORT.json [ROUNDS]");
    let rounds: u32 = args.next().map_or(50, |r| r.parse().expect("ROUNDS is a number"));
    let json = std::fs::read(&path).expect("readable report");
    let report: Report = serde_json::from_slice(&json).expect("a confide report");
    for format in [Format::Pdf, Format::Html, Format::Markdown] {
        let mut bytes = 0;
        let start = Instant::now();
        for _ in 0..rounds {
            let mut out = Vec::new();
            let renderer = format.renderer_with(RenderOptions {
                json: Some(json.clone()),
                ..RenderOptions::default()
            });
            renderer.render(&report, &mut out).expect("renders");
            bytes = out.len();
        }
        let mean = start.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
        println!("{format:?}: {mean:.2} ms per report ({bytes} bytes, mean of {rounds})");
    }
}
