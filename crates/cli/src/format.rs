//! Plain output helpers for the terminal: aligned tables and semicolon CSV.

/// Prints rows as left-aligned columns; the first row is the header, underlined.
pub fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, &w)| format!("{cell:<w$}")).collect();
        println!("{}", cells.join("  ").trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            println!("{}", rule.join("  "));
        }
    }
}

/// Writes rows as `;`-separated CSV (what Danish Excel reads) to stdout.
pub fn write_csv(rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(std::io::stdout());
    for row in rows {
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}
