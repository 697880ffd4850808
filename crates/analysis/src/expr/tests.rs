use super::*;

/// A codebook: Loneliness 1, Family 2, Trust 3, Belonging 4 with child
/// "Being known by name" 5; names resolve to the code plus descendants.
fn resolve(name: &str) -> Result<Vec<CodeId>, String> {
    resolve_raw(name).map(|ids| ids.into_iter().map(CodeId).collect())
}

fn resolve_raw(name: &str) -> Result<Vec<i64>, String> {
    match name.to_lowercase().as_str() {
        "loneliness" => Ok(vec![1]),
        "family" => Ok(vec![2]),
        "trust" => Ok(vec![3]),
        "belonging" => Ok(vec![4, 5]),
        "being known by name" | "belonging > being known by name" => Ok(vec![5]),
        "self-care" => Ok(vec![6]),
        "a" => Ok(vec![10]),
        "b" => Ok(vec![11]),
        "c" => Ok(vec![12]),
        "trust and safety" => Ok(vec![13]),
        "mum's \"rules\"" => Ok(vec![14]),
        _ => Err(format!("no code is named \"{name}\"")),
    }
}

fn p(s: &str) -> Result<Expr> {
    parse(s, resolve)
}

fn c(name: &str) -> Expr {
    Expr::code(name, resolve(name).unwrap())
}

#[test]
fn parses_operators_in_capitals_and_symbols() {
    let and = c("Loneliness").and(c("Being known by name"));
    assert_eq!(
        p(r#"Loneliness AND "Being known by name""#),
        Ok(and.clone())
    );
    assert_eq!(p("Loneliness AND Being known by name"), Ok(and.clone()));
    // Lower-case words are part of a name.
    assert!(p("Loss and loneliness").is_err_and(|e| e.to_string().contains("Loss and loneliness")));
    assert_eq!(p("Loneliness & Being known by name"), Ok(and.clone()));
    assert_eq!(p("Loneliness&&Being known by name"), Ok(and));
    let or = c("Trust").or(c("Belonging"));
    assert_eq!(p("Trust OR Belonging"), Ok(or.clone()));
    assert_eq!(
        p("trust | belonging").map(|e| e.code_ids()),
        Ok(crate::code_ids(&[3, 4, 5]))
    );
    assert_eq!(p("Trust OR Belonging"), Ok(or));
    let not = c("Loneliness").not(c("Family"));
    assert_eq!(p("Loneliness NOT Family"), Ok(not.clone()));
    assert_eq!(p("Loneliness AND NOT Family"), Ok(not.clone()));
    assert_eq!(p("Loneliness & NOT Family"), Ok(not.clone()));
    assert_eq!(p("Loneliness - Family"), Ok(not.clone()));
    assert_eq!(p("Loneliness -Family"), Ok(not.clone()));
    // A leading NOT in an AND group is subtracted from the rest.
    assert_eq!(p("NOT Family AND Loneliness"), Ok(not));
}

#[test]
fn precedence_and_parentheses() {
    // AND binds tighter than OR.
    assert_eq!(p("A OR B AND C"), Ok(c("A").or(c("B").and(c("C")))));
    assert_eq!(p("(A OR B) AND C"), Ok(c("A").or(c("B")).and(c("C"))));
    assert_eq!(p("A OR B NOT C"), Ok(c("A").or(c("B").not(c("C")))));
    assert_eq!(p("A NOT (B OR C)"), Ok(c("A").not(c("B").or(c("C")))));
    assert_eq!(p("((A))"), Ok(c("A")));
    // Two subtractions apply in order: (A - B) - C.
    assert_eq!(p("A NOT B NOT C"), Ok(c("A").not(c("B")).not(c("C"))));
}

#[test]
fn code_paths_and_hyphens() {
    let known = Expr::code("Belonging > Being known by name", [CodeId(5)]);
    assert_eq!(p(r#""Belonging > Being known by name""#), Ok(known.clone()));
    assert_eq!(p("Belonging > Being known by name"), Ok(known.clone()));
    assert_eq!(p(r#"Belonging>"Being known by name""#), Ok(known.clone()));
    assert_eq!(p("“Belonging > Being known by name”"), Ok(known));
    // A hyphen inside a word is part of the name.
    assert_eq!(p("Self-care"), Ok(c("Self-care")));
    assert_eq!(p("Self-care - Trust"), Ok(c("Self-care").not(c("Trust"))));
    // Quotes protect operator words.
    assert_eq!(
        p(r#""Trust and safety" OR A"#),
        Ok(c("Trust and safety").or(c("A")))
    );
}

#[test]
fn display_round_trips() {
    for q in [
        r#"Loneliness AND "Being known by name""#,
        "(A OR B) AND C",
        "A OR B NOT C",
        "A NOT (B NOT C)",
        "A AND (B OR C) NOT (A AND B)",
        "(A NOT B) AND C",
        r#""Trust and safety" | Self-care"#,
        r#"“Mum's "rules"” AND A"#,
    ] {
        let e = p(q).unwrap();
        let shown = e.to_string();
        assert_eq!(p(&shown), Ok(e), "{q} -> {shown}");
    }
    assert_eq!(p("(a OR b) & c").unwrap().to_string(), "(a OR b) AND c");
}

#[test]
fn ids_and_union_shape() {
    let e = p("Belonging NOT (Family NOT Trust)").unwrap();
    assert_eq!(e.code_ids(), crate::code_ids(&[2, 3, 4, 5]));
    // Family is subtracted; Trust is subtracted from the subtraction.
    assert_eq!(e.positive_code_ids(), crate::code_ids(&[3, 4, 5]));
    assert!(p("A OR (B OR C)").unwrap().is_union());
    assert!(!p("A AND B").unwrap().is_union());
    assert_eq!(e.codes().len(), 3);
}

#[test]
fn errors_say_what_and_where() {
    use AnalysisError::*;
    assert_eq!(p(""), Err(EmptyQuery));
    assert_eq!(p("   "), Err(EmptyQuery));
    // Columns are 1-based chars.
    assert_eq!(p("(A AND B"), Err(UnclosedParen { column: 1 }));
    assert_eq!(p("A AND (B OR (C)"), Err(UnclosedParen { column: 7 }));
    assert_eq!(p("A AND B)"), Err(UnopenedParen { column: 8 }));
    assert_eq!(p(r#"A AND "Being known"#), Err(UnclosedQuote { column: 7 }));
    assert_eq!(p(r#"A AND """#), Err(EmptyName { column: 7 }));
    assert_eq!(p("A AND ()"), Err(EmptyParens { column: 7 }));
    let dangling = |op: &str, column, side| DanglingOperator {
        operator: op.into(),
        column,
        side,
    };
    assert_eq!(p("A AND"), Err(dangling("AND", 3, "right")));
    assert_eq!(p("A AND OR B"), Err(dangling("AND", 3, "right")));
    assert_eq!(p("OR B"), Err(dangling("OR", 1, "left")));
    assert_eq!(p("(& B)"), Err(dangling("&", 2, "left")));
    assert_eq!(p("(A |)"), Err(dangling("|", 4, "right")));
    assert_eq!(p("A NOT"), Err(dangling("NOT", 3, "right")));
    assert_eq!(p("Belonging >"), Err(dangling(">", 11, "right")));
    assert_eq!(p("> Belonging"), Err(dangling(">", 1, "left")));
    assert_eq!(p(r#""A" "B""#), Err(MissingOperator { column: 5 }));
    assert_eq!(p("A (B)"), Err(MissingOperator { column: 3 }));
    assert_eq!(p("(A) > B"), Err(MissingOperator { column: 5 }));
    assert_eq!(p("NOT Family"), Err(NothingToSubtractFrom { column: 1 }));
    assert_eq!(p("A OR NOT B"), Err(NothingToSubtractFrom { column: 6 }));
    assert_eq!(p("A NOT NOT B"), Err(DoubleNot { column: 7 }));
    assert_eq!(
        p("Loneliness AND Lonliness"),
        Err(UnknownCode {
            name: "Lonliness".into(),
            column: 16,
            reason: "no code is named \"Lonliness\"".into(),
        })
    );
    // Messages are readable sentences with the column.
    let msg = p("Loneliness AND Lonliness").unwrap_err().to_string();
    assert_eq!(
        msg,
        "unknown code \"Lonliness\" at column 16: no code is named \"Lonliness\""
    );
    assert!(p("(A").unwrap_err().to_string().contains("column 1"));
}
