//! Officer-facing views of the ledger: a terminal table, JSON, and a CSV
//! action tracker that opens cleanly in Excel.

use super::{LedgerEntry, LedgerError};

/// Excel reads a CSV as the local ANSI code page unless it starts with a
/// byte-order mark; without it "£" and curly quotes turn into mojibake.
const UTF8_BOM: &str = "\u{feff}";

const CSV_HEADER: [&str; 7] = [
    "Request",
    "Owner",
    "Due",
    "Status",
    "First raised",
    "Source",
    "Committee",
];

/// Fixed-width table for a terminal, one request a line.
pub fn render_table(entries: &[LedgerEntry]) -> String {
    let header = ["STATUS", "DUE", "RAISED", "COMMITTEE", "OWNER", "REQUEST"];
    let widths = [9, 24, 10, 30, 22, 70];
    let mut out = String::new();
    push_row(&mut out, &header.map(str::to_string), &widths);
    for entry in entries {
        let row = [
            entry.status.to_string(),
            due_cell(entry),
            entry.first_raised.meeting_date.clone().unwrap_or_default(),
            entry
                .committee
                .clone()
                .unwrap_or_else(|| source_cell(entry)),
            entry.owner.clone().unwrap_or_default(),
            one_line(&entry.request),
        ];
        push_row(&mut out, &row, &widths);
    }
    if entries.is_empty() {
        out.push_str("(no follow-up requests)\n");
    }
    out
}

/// Pretty JSON array of entries, for scripts.
pub fn render_json(entries: &[LedgerEntry]) -> Result<String, LedgerError> {
    let mut json = serde_json::to_string_pretty(entries)?;
    json.push('\n');
    Ok(json)
}

/// CSV action tracker: request, owner, due, status, first raised, source,
/// committee; UTF-8 with a byte-order mark.
pub fn render_csv(entries: &[LedgerEntry]) -> Result<String, LedgerError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for entry in entries {
        writer.write_record([
            spreadsheet_safe(&one_line(&entry.request)),
            spreadsheet_safe(entry.owner.as_deref().unwrap_or("")),
            spreadsheet_safe(&due_cell(entry)),
            entry.status.to_string(),
            entry.first_raised.meeting_date.clone().unwrap_or_default(),
            spreadsheet_safe(&source_cell(entry)),
            spreadsheet_safe(entry.committee.as_deref().unwrap_or("")),
        ])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| LedgerError::Corrupt(format!("CSV buffer: {}", e.error())))?;
    let body = String::from_utf8(bytes)
        .map_err(|e| LedgerError::Corrupt(format!("CSV is not UTF-8: {e}")))?;
    Ok(format!("{UTF8_BOM}{body}"))
}

/// The due text as minuted, with the month it resolved to when the text
/// alone ("the next meeting", "the June meeting") does not say the year.
fn due_cell(entry: &LedgerEntry) -> String {
    match &entry.due {
        Some(due) => match &due.date {
            Some(date) if !names_a_year(&due.text) => format!("{} ({date})", due.text),
            _ => due.text.clone(),
        },
        None => String::new(),
    }
}

fn names_a_year(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() == 4)
}

fn source_cell(entry: &LedgerEntry) -> String {
    let s = &entry.first_raised;
    if s.folder.is_empty() {
        s.file.clone()
    } else {
        format!("{}/{}", s.folder.trim_end_matches('/'), s.file)
    }
}

/// Minutes wrap sentences across lines; a tracker row wants one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Spreadsheets run a cell starting with = + - @ as a formula: a bulleted
/// request ("- To receive the report...") would show as #NAME?, and a
/// hostile one could do worse. A leading apostrophe makes it plain text.
fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn push_row(out: &mut String, cells: &[String], widths: &[usize]) {
    let last = cells.len().saturating_sub(1);
    for (i, (cell, &width)) in cells.iter().zip(widths).enumerate() {
        let cell = truncate(cell, width);
        if i == last {
            out.push_str(&cell);
        } else {
            let pad = width.saturating_sub(cell.chars().count());
            out.push_str(&cell);
            out.push_str(&" ".repeat(pad + 2));
        }
    }
    out.push('\n');
}

fn truncate(cell: &str, width: usize) -> String {
    if cell.chars().count() <= width {
        return cell.to_string();
    }
    let mut cut: String = cell.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Statement, Status};
    use crate::model::{Due, FollowUpKind};

    fn entry(request: &str, owner: Option<&str>) -> LedgerEntry {
        LedgerEntry {
            id: "abc".into(),
            committee: Some("Children and Families Overview and Scrutiny Committee".into()),
            request: request.into(),
            subject: "subject".into(),
            kind: FollowUpKind::Update,
            owner: owner.map(str::to_string),
            due: Some(Due {
                text: "September 2020".into(),
                date: Some("2020-09".into()),
            }),
            status: Status::Open,
            first_raised: Statement {
                meeting_date: Some("2020-01-21".into()),
                file: "minutes.txt".into(),
                folder: "children".into(),
                sha256: "00".into(),
                document: "outbox/minutes.json".into(),
                items: vec!["57".into()],
            },
            restatements: vec![],
            delivered: None,
        }
    }

    fn parse(csv_text: &str) -> Vec<Vec<String>> {
        let body = csv_text.strip_prefix(UTF8_BOM).expect("BOM first");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn csv_has_bom_header_and_quoted_cells_that_round_trip() {
        let request = "That a report on the \"£1.4m\" bid, costs and\nplacements be provided";
        let out = render_csv(&[entry(request, Some("Director, Children’s Services"))]).unwrap();
        assert!(out.starts_with(UTF8_BOM));
        let rows = parse(&out);
        assert_eq!(rows[0], CSV_HEADER.map(str::to_string).to_vec());
        assert_eq!(
            rows[1],
            vec![
                "That a report on the \"£1.4m\" bid, costs and placements be provided",
                "Director, Children’s Services",
                "September 2020",
                "open",
                "2020-01-21",
                "children/minutes.txt",
                "Children and Families Overview and Scrutiny Committee",
            ]
        );
        assert!(out.contains("\r\n"), "Excel-friendly line endings");
    }

    #[test]
    fn csv_neutralises_formula_like_cells() {
        let out = render_csv(&[entry("- To receive the Youth Crime Board report", None)]).unwrap();
        assert_eq!(
            parse(&out)[1][0],
            "'- To receive the Youth Crime Board report"
        );
        let out = render_csv(&[entry("=HYPERLINK(\"x\")", None)]).unwrap();
        assert!(parse(&out)[1][0].starts_with("'="));
    }

    #[test]
    fn due_shows_resolved_month_when_text_is_relative() {
        let mut e = entry("r", None);
        e.due = Some(Due {
            text: "the next meeting".into(),
            date: Some("2020-03".into()),
        });
        assert_eq!(due_cell(&e), "the next meeting (2020-03)");
    }

    #[test]
    fn table_has_one_line_per_request_and_truncates_long_text() {
        let long = "word ".repeat(40);
        let out = render_table(&[entry(&long, None), entry("short request", None)]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("STATUS"));
        assert!(lines[1].ends_with('…'));
        assert!(lines[2].ends_with("short request"));
        assert!(render_table(&[]).contains("no follow-up requests"));
    }

    #[test]
    fn json_is_an_array_of_entries() {
        let out = render_json(&[entry("r", None)]).unwrap();
        let back: Vec<LedgerEntry> = serde_json::from_str(&out).unwrap();
        assert_eq!(back, vec![entry("r", None)]);
    }
}
