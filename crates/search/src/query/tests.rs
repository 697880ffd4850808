use super::*;

fn p(q: &str) -> String {
    match parse(q) {
        Ok(e) => e.to_string(),
        Err(e) => panic!("{q}: {e}"),
    }
}

fn err(q: &str) -> SearchError {
    parse(q).expect_err(q)
}

#[test]
fn words_default_to_and() {
    assert_eq!(p("volunteer"), "volunteer");
    assert_eq!(p("lonely bus"), "(and lonely bus)");
    assert_eq!(p("lonely AND bus"), "(and lonely bus)");
    assert_eq!(p("  lonely   bus  "), "(and lonely bus)");
}

#[test]
fn or_binds_looser_than_and() {
    assert_eq!(p("a b OR c"), "(or (and a b) c)");
    assert_eq!(p("a OR b OR c"), "(or a b c)");
    assert_eq!(p("a AND (b OR c)"), "(and a (or b c))");
    assert_eq!(p("(a OR b) (c OR d)"), "(and (or a b) (or c d))");
    assert_eq!(p("((a))"), "a");
}

#[test]
fn negation() {
    assert_eq!(p("bank NOT online"), "(and bank (not online))");
    assert_eq!(p("bank AND NOT online"), "(and bank (not online))");
    assert_eq!(p("bank -online"), "(and bank (not online))");
    assert_eq!(p("-online"), "(not online)");
    assert_eq!(p("NOT NOT a"), "a");
    assert_eq!(p("-(a OR b)"), "(not (or a b))");
    assert_eq!(p("-\"bus pass\""), "(not \"bus pass\")");
    assert_eq!(p("-role:interviewer"), "(not role:\"interviewer\")");
    // A hyphen inside a word is part of it.
    assert_eq!(p("self-starter"), "self-starter");
}

#[test]
fn operators_only_in_capitals() {
    assert_eq!(p("not and or"), "(and not and or)");
}

#[test]
fn phrases_and_prefixes() {
    assert_eq!(p("\"never trusted\""), "\"never trusted\"");
    assert_eq!(
        p("\"never trusted\" banks"),
        "(and \"never trusted\" banks)"
    );
    assert_eq!(p("lone*"), "lone*");
    assert_eq!(p("lone**"), "lone*");
    assert_eq!(p("word\"phrase here\""), "(and word \"phrase here\")");
}

#[test]
fn filters() {
    assert_eq!(p("code:Loneliness"), "code:\"Loneliness\"");
    assert_eq!(
        p("code:\"Belonging > Being known by name\" bus"),
        "(and code:\"Belonging > Being known by name\" bus)"
    );
    assert_eq!(p("age_band:\"75-84\""), "age_band:\"75-84\"");
    assert_eq!(
        p("role:participant OR speaker:Margaret"),
        "(or role:\"participant\" speaker:\"Margaret\")"
    );
    assert_eq!(p("(site:Leeds)"), "site:\"Leeds\"");
    // Not a field name: starts with a digit.
    assert_eq!(p("10:30"), "10:30");
    let e = parse("doc:P01 x").unwrap();
    assert_eq!(e.filters()[0].position, 0);
    assert_eq!(e.terms()[0].position, 8);
    assert!(!parse("role:participant").unwrap().has_terms());
}

#[test]
fn positive_terms_skip_negated_ones() {
    let e = parse("a -b NOT (c OR -d) \"e f\" g*").unwrap();
    let t: Vec<&str> = e.positive_terms().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(t, vec!["a", "d", "e f", "g"]);
    assert_eq!(e.terms().len(), 6);
}

#[test]
fn positions_are_chars() {
    // "é" and "’" are one char each.
    let e = err("café’s \"open");
    assert_eq!(e, SearchError::UnclosedQuote { position: 7 });
}

#[test]
fn malformed_queries_name_problem_and_position() {
    assert_eq!(err(""), SearchError::Empty);
    assert_eq!(err("   "), SearchError::Empty);
    assert_eq!(err("a \"b c"), SearchError::UnclosedQuote { position: 2 });
    assert_eq!(err("(a b"), SearchError::UnclosedParen { position: 0 });
    assert_eq!(
        err("a (b OR (c)"),
        SearchError::UnclosedParen { position: 2 }
    );
    assert_eq!(err("a b)"), SearchError::UnexpectedParen { position: 3 });
    assert_eq!(err(")"), SearchError::UnexpectedParen { position: 0 });
    assert_eq!(err("()"), SearchError::EmptyGroup { position: 0 });
    assert_eq!(err("\"\""), SearchError::EmptyPhrase { position: 0 });
    let dangling = |op: &str, position| SearchError::DanglingOperator {
        operator: op.into(),
        position,
    };
    assert_eq!(err("a OR"), dangling("OR", 2));
    assert_eq!(err("OR a"), dangling("OR", 0));
    assert_eq!(err("a AND"), dangling("AND", 2));
    assert_eq!(err("a AND OR b"), dangling("AND", 2));
    assert_eq!(err("(OR a)"), dangling("OR", 1));
    assert_eq!(err("(a OR)"), dangling("OR", 3));
    let missing = |op: &str, position| SearchError::MissingOperand {
        operator: op.into(),
        position,
    };
    assert_eq!(err("NOT"), missing("NOT", 0));
    assert_eq!(err("a NOT"), missing("NOT", 2));
    assert_eq!(err("a - b"), missing("-", 2));
    assert_eq!(err("(NOT)"), missing("NOT", 1));
    assert_eq!(err("NOT OR a"), missing("NOT", 0));
    assert_eq!(
        err("code:"),
        SearchError::EmptyFilter {
            field: "code".into(),
            position: 0
        }
    );
    assert_eq!(
        err("x code:\"\""),
        SearchError::EmptyFilter {
            field: "code".into(),
            position: 2
        }
    );
    assert_eq!(
        err("x code:\"Belonging"),
        SearchError::UnclosedQuote { position: 7 }
    );
    assert_eq!(
        err("*"),
        SearchError::NothingToSearch {
            text: "*".into(),
            position: 0
        }
    );
    assert_eq!(
        err("a ..."),
        SearchError::NothingToSearch {
            text: "...".into(),
            position: 2
        }
    );
    // Messages show a 1-based column.
    assert!(
        err("a OR").to_string().contains("column 3"),
        "{}",
        err("a OR")
    );
}
