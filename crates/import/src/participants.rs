//! Participants from a CSV: one row per participant, a column naming its id,
//! optional `name` and `pseudonym` columns, every other column an attribute
//! whose type (number, date, choice, text) is inferred from its values.

use crate::model::AttributeKind;

/// Column names read as the participant's id, name and pseudonym.
const ID_COLUMNS: &[&str] = &[
    "id",
    "participant",
    "participant id",
    "participant_id",
    "case",
    "code",
];
const NAME_COLUMNS: &[&str] = &["name", "full name", "real name"];
const PSEUDONYM_COLUMNS: &[&str] = &["pseudonym", "alias"];

/// A participants table read from CSV, ready to store.
#[derive(Debug, Clone, Default)]
pub struct ParticipantTable {
    pub attributes: Vec<(String, AttributeKind, Vec<String>)>,
    pub rows: Vec<ParticipantRow>,
    /// Rows that did not fit, with the reason: "row 7: no participant id".
    pub rejected: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub id: String,
    pub name: Option<String>,
    pub pseudonym: Option<String>,
    /// One value per attribute (empty when blank).
    pub values: Vec<String>,
}

/// Reads a participants CSV. Errors only when the file as a whole is unusable.
pub fn read_csv(bytes: &[u8]) -> Result<ParticipantTable, String> {
    let mut notes = vec![];
    let text = crate::decode::decode_text(bytes, &mut notes).map_err(|e| e.to_string())?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.to_lowercase().as_str()))
    };
    let id_col = find(ID_COLUMNS).ok_or_else(|| {
        format!(
            "no participant id column: the header must include one of {}",
            ID_COLUMNS.join(", ")
        )
    })?;
    let name_col = find(NAME_COLUMNS);
    let pseudonym_col = find(PSEUDONYM_COLUMNS);
    let attr_cols: Vec<usize> = (0..headers.len())
        .filter(|c| Some(*c) != Some(id_col) && Some(*c) != name_col && Some(*c) != pseudonym_col)
        .filter(|c| !headers[*c].is_empty())
        .collect();
    let mut table = ParticipantTable::default();
    let mut seen = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let row_no = i + 2; // header is row 1
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                table.rejected.push(format!("row {row_no}: {e}"));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            table.rejected.push(format!(
                "row {row_no}: {} fields where the header has {}",
                record.len(),
                headers.len()
            ));
            continue;
        }
        let id = record.get(id_col).unwrap_or("").to_owned();
        if id.is_empty() {
            table
                .rejected
                .push(format!("row {row_no}: no participant id"));
            continue;
        }
        if !seen.insert(id.to_lowercase()) {
            table
                .rejected
                .push(format!("row {row_no}: participant '{id}' appears twice"));
            continue;
        }
        let opt = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        table.rows.push(ParticipantRow {
            id,
            name: opt(name_col),
            pseudonym: opt(pseudonym_col),
            values: attr_cols
                .iter()
                .map(|c| record.get(*c).unwrap_or("").to_owned())
                .collect(),
        });
    }
    for (a, col) in attr_cols.iter().enumerate() {
        let values: Vec<&str> = table.rows.iter().map(|r| r.values[a].as_str()).collect();
        let (kind, choices) = infer_kind(&values);
        table
            .attributes
            .push((headers[*col].clone(), kind, choices));
    }
    Ok(table)
}

/// Numbers if every value is a number; dates if every value is ISO
/// `YYYY-MM-DD`; a choice if few distinct values repeat; otherwise text.
pub fn infer_kind(values: &[&str]) -> (AttributeKind, Vec<String>) {
    let filled: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
    if filled.is_empty() {
        return (AttributeKind::Text, vec![]);
    }
    if filled
        .iter()
        .all(|v| v.parse::<f64>().is_ok_and(f64::is_finite))
    {
        return (AttributeKind::Number, vec![]);
    }
    if filled
        .iter()
        .all(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok())
    {
        return (AttributeKind::Date, vec![]);
    }
    let mut distinct: Vec<String> = filled.iter().map(|v| v.to_string()).collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() <= 12 && distinct.len() < filled.len() {
        return (AttributeKind::Choice, distinct);
    }
    (AttributeKind::Text, vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_types_attributes_and_reports_bad_rows() {
        let csv = "id,name,pseudonym,role,age_band,age,joined\nP01,Doreen Walsh,Dot,participant,75-84,78,2024-09-01\nP02,Harjit,Hari,participant,65-74,72,2024-10-12\n,nobody,x,participant,65-74,1,2024-10-12\nP03,Winston,Wes,participant,75-84,81\nP01,dup,d,participant,75-84,78,2024-09-01\nLW1,Priya Sharma,,link worker,,,2021-01-04\n";
        let t = read_csv(csv.as_bytes()).unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rejected.len(), 3, "{:?}", t.rejected);
        assert!(t.rejected[0].starts_with("row 4: no participant id"));
        let kinds: Vec<_> = t.attributes.iter().map(|a| (a.0.as_str(), a.1)).collect();
        assert_eq!(
            kinds,
            vec![
                ("role", AttributeKind::Choice),
                ("age_band", AttributeKind::Text),
                ("age", AttributeKind::Number),
                ("joined", AttributeKind::Date)
            ]
        );
        assert!(
            read_csv(b"a,b\n1,2\n")
                .unwrap_err()
                .contains("no participant id column")
        );
    }
}
