//! The search language, parsed into an [`Expr`]. Pure: no index, no database.
//!
//! ```text
//! volunteer                 a word, matched by stem (finds "volunteering", "volunteered")
//! "never trusted"           an exact phrase: these words in this order, any case, no stemming
//! lone*                     a prefix of a word ("lonely", "loneliness"), no stemming
//! a b   a AND b             both (AND is the default between terms)
//! a OR b                    either
//! NOT a   -a                without
//! (a OR b) c                grouping
//! field:value               a filter: code:, role:, speaker:, participant:, doc: or an attribute
//! field:"two words"         a filter value with spaces
//! ```
//!
//! `AND`, `OR` and `NOT` are operators only in capitals; `and`, `or`, `not`
//! are words. `-` negates only at the start of a term (`self-starter` is one
//! word). A field name starts with a letter, so `10:30` is searched as words.
//! Positions in errors are char offsets into the query (0-based in the
//! struct, shown 1-based as a "column" in messages).

use super::SearchError;
use std::fmt;

/// What kind of text a [`Term`] matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A word (or words, if it has inner punctuation), matched by stem.
    Word,
    /// A quoted phrase, matched word for word without stemming.
    Phrase,
    /// `prefix*`: the last word is a prefix, without stemming.
    Prefix,
}

/// A searchable term of the query, with its char position in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub kind: TermKind,
    pub text: String,
    pub position: usize,
}

/// A `field:value` filter, with its char position in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub field: String,
    pub value: String,
    pub position: usize,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Term(Term),
    Filter(Filter),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

impl Expr {
    /// Does the query search for any text (as opposed to filters only)?
    pub fn has_terms(&self) -> bool {
        match self {
            Expr::Term(_) => true,
            Expr::Filter(_) => false,
            Expr::Not(e) => e.has_terms(),
            Expr::And(v) | Expr::Or(v) => v.iter().any(Expr::has_terms),
        }
    }

    /// Terms that a hit may contain (those not under a negation): what gets highlighted.
    pub fn positive_terms(&self) -> Vec<&Term> {
        fn walk<'a>(e: &'a Expr, negated: bool, out: &mut Vec<&'a Term>) {
            match e {
                Expr::Term(t) if !negated => out.push(t),
                Expr::Term(_) | Expr::Filter(_) => {}
                Expr::Not(e) => walk(e, !negated, out),
                Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| walk(e, negated, out)),
            }
        }
        let mut out = Vec::new();
        walk(self, false, &mut out);
        out
    }

    /// Every term of the query, negated or not.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        self.visit(&mut |e| {
            if let Expr::Term(t) = e {
                out.push(t)
            }
        });
        out
    }

    /// Every filter of the query.
    pub fn filters(&self) -> Vec<&Filter> {
        let mut out = Vec::new();
        self.visit(&mut |e| {
            if let Expr::Filter(f) = e {
                out.push(f)
            }
        });
        out
    }

    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Term(_) | Expr::Filter(_) => {}
            Expr::Not(e) => e.visit(f),
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.visit(f)),
        }
    }
}

/// A compact, unambiguous rendering, used by tests and for debugging:
/// `(and volunteer (not "bus pass") lone* role:participant)`.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, op: &str, v: &[Expr]| {
            write!(f, "({op}")?;
            for e in v {
                write!(f, " {e}")?;
            }
            write!(f, ")")
        };
        match self {
            Expr::Term(t) => match t.kind {
                TermKind::Word => write!(f, "{}", t.text),
                TermKind::Phrase => write!(f, "\"{}\"", t.text),
                TermKind::Prefix => write!(f, "{}*", t.text),
            },
            Expr::Filter(x) => write!(f, "{}:{:?}", x.field, x.value),
            Expr::Not(e) => write!(f, "(not {e})"),
            Expr::And(v) => list(f, "and", v),
            Expr::Or(v) => list(f, "or", v),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` at the start of a term.
    Minus,
    Term(TermKind, String),
    Filter(String, String),
}

impl Tok {
    fn operator_name(&self) -> &'static str {
        match self {
            Tok::And => "AND",
            Tok::Or => "OR",
            Tok::Not => "NOT",
            Tok::Minus => "-",
            _ => "",
        }
    }
}

/// Is `name` shaped like a field name (a letter, then letters, digits, `_` or `-`)?
fn is_field_name(name: &[char]) -> bool {
    name.first().is_some_and(|c| c.is_alphabetic())
        && name
            .iter()
            .all(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
}

fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')' || c == '"'
}

/// Reads a quoted string whose opening quote is at `open`; returns the text and the index after the closing quote.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), SearchError> {
    let close = chars[open + 1..]
        .iter()
        .position(|&c| c == '"')
        .ok_or(SearchError::UnclosedQuote { position: open })?;
    let text: String = chars[open + 1..open + 1 + close].iter().collect();
    Ok((text, open + close + 2))
}

fn lex(input: &str) -> Result<Vec<(Tok, usize)>, SearchError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' => {
                out.push((Tok::LParen, i));
                i += 1;
            }
            ')' => {
                out.push((Tok::RParen, i));
                i += 1;
            }
            '"' => {
                let (text, next) = quoted(&chars, i)?;
                if text.trim().is_empty() {
                    return Err(SearchError::EmptyPhrase { position: start });
                }
                out.push((Tok::Term(TermKind::Phrase, text), start));
                i = next;
            }
            '-' => {
                // Negation only when glued to what it negates: "a - b" is a mistake, not "a -b".
                if chars.get(i + 1).is_none_or(|c| c.is_whitespace()) {
                    return Err(SearchError::MissingOperand {
                        operator: "-".into(),
                        position: i,
                    });
                }
                out.push((Tok::Minus, i));
                i += 1;
            }
            _ => {
                // A word, an operator or a filter.
                let mut j = i;
                let mut filter: Option<(String, String)> = None;
                while j < chars.len() && !is_delimiter(chars[j]) {
                    if chars[j] == ':' && is_field_name(&chars[i..j]) {
                        let field: String = chars[i..j].iter().collect();
                        let v = j + 1;
                        if v < chars.len() && chars[v] == '"' {
                            let (value, next) = quoted(&chars, v)?;
                            if value.trim().is_empty() {
                                return Err(SearchError::EmptyFilter {
                                    field,
                                    position: start,
                                });
                            }
                            filter = Some((field, value.trim().to_owned()));
                            j = next;
                        } else {
                            let mut e = v;
                            while e < chars.len() && !is_delimiter(chars[e]) {
                                e += 1;
                            }
                            if e == v {
                                return Err(SearchError::EmptyFilter {
                                    field,
                                    position: start,
                                });
                            }
                            filter = Some((field, chars[v..e].iter().collect()));
                            j = e;
                        }
                        break;
                    }
                    j += 1;
                }
                i = j;
                if let Some((field, value)) = filter {
                    out.push((Tok::Filter(field, value), start));
                    continue;
                }
                let word: String = chars[start..j].iter().collect();
                let tok = match word.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => match word.strip_suffix('*') {
                        Some(prefix) => {
                            Tok::Term(TermKind::Prefix, prefix.trim_end_matches('*').to_owned())
                        }
                        None => Tok::Term(TermKind::Word, word),
                    },
                };
                out.push((tok, start));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    at: usize,
    /// Char length of the query: the position reported for "end of query".
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&(Tok, usize)> {
        self.toks.get(self.at)
    }

    /// Can the next token start an operand?
    fn operand_follows(&self) -> bool {
        matches!(
            self.peek(),
            Some((
                Tok::LParen | Tok::Not | Tok::Minus | Tok::Term(..) | Tok::Filter(..),
                _
            ))
        )
    }

    fn or(&mut self) -> Result<Expr, SearchError> {
        let mut items = vec![self.and()?];
        while let Some((Tok::Or, pos)) = self.peek() {
            let pos = *pos;
            self.at += 1;
            if !self.operand_follows() {
                return Err(SearchError::DanglingOperator {
                    operator: "OR".into(),
                    position: pos,
                });
            }
            items.push(self.and()?);
        }
        Ok(match <[Expr; 1]>::try_from(items) {
            Ok([only]) => only,
            Err(items) => Expr::Or(flatten(items, |e| matches!(e, Expr::Or(_)))),
        })
    }

    fn and(&mut self) -> Result<Expr, SearchError> {
        let mut items = vec![self.unary()?];
        loop {
            match self.peek() {
                Some((Tok::And, pos)) => {
                    let pos = *pos;
                    self.at += 1;
                    if !self.operand_follows() {
                        return Err(SearchError::DanglingOperator {
                            operator: "AND".into(),
                            position: pos,
                        });
                    }
                    items.push(self.unary()?);
                }
                _ if self.operand_follows() => items.push(self.unary()?),
                _ => break,
            }
        }
        Ok(match <[Expr; 1]>::try_from(items) {
            Ok([only]) => only,
            Err(items) => Expr::And(flatten(items, |e| matches!(e, Expr::And(_)))),
        })
    }

    fn unary(&mut self) -> Result<Expr, SearchError> {
        match self.peek() {
            Some((tok @ (Tok::Not | Tok::Minus), pos)) => {
                let (operator, pos) = (tok.operator_name(), *pos);
                self.at += 1;
                if !self.operand_follows() {
                    return Err(SearchError::MissingOperand {
                        operator: operator.into(),
                        position: pos,
                    });
                }
                let inner = self.unary()?;
                Ok(match inner {
                    Expr::Not(e) => *e,
                    e => Expr::Not(Box::new(e)),
                })
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> Result<Expr, SearchError> {
        let Some((tok, pos)) = self.peek().cloned() else {
            return Err(SearchError::Empty);
        };
        self.at += 1;
        match tok {
            Tok::LParen => {
                if let Some((Tok::RParen, _)) = self.peek() {
                    return Err(SearchError::EmptyGroup { position: pos });
                }
                if !self.operand_follows() {
                    return match self.peek() {
                        Some((op @ (Tok::And | Tok::Or), p)) => {
                            Err(SearchError::DanglingOperator {
                                operator: op.operator_name().into(),
                                position: *p,
                            })
                        }
                        _ => Err(SearchError::UnclosedParen { position: pos }),
                    };
                }
                let inner = self.or()?;
                match self.peek() {
                    Some((Tok::RParen, _)) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err(SearchError::UnclosedParen { position: pos }),
                }
            }
            Tok::RParen => Err(SearchError::UnexpectedParen { position: pos }),
            Tok::And | Tok::Or => Err(SearchError::DanglingOperator {
                operator: tok.operator_name().into(),
                position: pos,
            }),
            Tok::Not | Tok::Minus => unreachable!("handled by unary"),
            Tok::Term(kind, text) => {
                if !text.chars().any(char::is_alphanumeric) {
                    return Err(SearchError::NothingToSearch {
                        text: match kind {
                            TermKind::Prefix => format!("{text}*"),
                            _ => text,
                        },
                        position: pos,
                    });
                }
                Ok(Expr::Term(Term {
                    kind,
                    text,
                    position: pos,
                }))
            }
            Tok::Filter(field, value) => Ok(Expr::Filter(Filter {
                field,
                value,
                position: pos,
            })),
        }
    }
}

fn flatten(items: Vec<Expr>, same: impl Fn(&Expr) -> bool) -> Vec<Expr> {
    let mut out = Vec::with_capacity(items.len());
    for e in items {
        if same(&e) {
            match e {
                Expr::And(v) | Expr::Or(v) => out.extend(v),
                _ => unreachable!(),
            }
        } else {
            out.push(e);
        }
    }
    out
}

/// Parses a query. Errors name the problem and its char position.
pub fn parse(input: &str) -> Result<Expr, SearchError> {
    let toks = lex(input)?;
    if toks.is_empty() {
        return Err(SearchError::Empty);
    }
    let mut p = Parser {
        toks,
        at: 0,
        len: input.chars().count(),
    };
    let expr = p.or()?;
    match p.peek() {
        None => Ok(expr),
        Some((Tok::RParen, pos)) => Err(SearchError::UnexpectedParen { position: *pos }),
        Some((tok, pos)) => Err(SearchError::DanglingOperator {
            operator: tok.operator_name().into(),
            position: (*pos).min(p.len),
        }),
    }
}

#[cfg(test)]
mod tests;
