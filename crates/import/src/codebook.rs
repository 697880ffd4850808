//! Reading a starting codebook from CSV: `code` (a path such as
//! `Belonging > Being known by name`), optional `colour`/`color` and
//! `definition`, `when to use`, `when not to use` columns.

/// One code to create, with its path from the root.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSpec {
    pub path: Vec<String>,
    pub color: Option<String>,
    pub definition: String,
    pub when_to_use: String,
    pub when_not: String,
}

/// Reads a codebook CSV; parents named in a path are created first by the caller.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<CodeSpec>, String> {
    let mut notes = vec![];
    let text = crate::decode::decode_text(bytes, &mut notes).map_err(|e| e.to_string())?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let code_col = col(&["code", "path", "name"]).ok_or("no 'code' column in the header")?;
    let color_col = col(&["colour", "color"]);
    let def_col = col(&["definition", "description"]);
    let use_col = col(&["when to use", "inclusion", "when_to_use"]);
    let not_col = col(&["when not to use", "exclusion", "when_not"]);
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 2))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_owned();
        let path: Vec<String> = get(Some(code_col))
            .split(['>', '/'])
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        if path.is_empty() {
            continue;
        }
        let color = Some(get(color_col)).filter(|c| valid_colour(c));
        out.push(CodeSpec {
            path,
            color,
            definition: get(def_col),
            when_to_use: get(use_col),
            when_not: get(not_col),
        });
    }
    Ok(out)
}

/// `#rrggbb`.
pub fn valid_colour(c: &str) -> bool {
    c.starts_with('#')
        && storyloom_text::text::hex_colour(c).is_some_and(|h| h.len() + 1 == c.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paths_and_colours() {
        let c = read_csv(b"code,colour,definition\nBelonging,#aa3355,Feeling part\nBelonging > Known by name,bad,\n").unwrap();
        assert_eq!(c[1].path, vec!["Belonging", "Known by name"]);
        assert_eq!(c[0].color.as_deref(), Some("#aa3355"));
        assert_eq!(c[1].color, None);
    }
}
