//! Code expressions: the query language of coding retrieval.
//!
//! ```text
//! Loneliness AND "Being known by name"
//! Trust OR Belonging
//! Loneliness NOT Family            (same as Loneliness AND NOT Family)
//! (A OR B) AND C
//! Belonging > Being known by name  (a code path; quotes optional)
//! Trust & Belonging | Loneliness - Family
//! ```
//!
//! Grammar, loosest first: `OR` (`|`), then `AND` (`&`) and `NOT` (`-`) at
//! the same level, left to right; parentheses group. Operators are whole
//! words in capitals, so "Loss and loneliness" is one code name. So
//! `A OR B NOT C` is `A OR (B NOT C)`.
//!
//! Why these rules:
//!
//! * Code names may be written without quotes, spaces and all: consecutive
//!   bare words form one name (`Being known by name AND Trust`). Quotes
//!   (`"…"` or `“…”`) are needed only for a name containing AND, OR, NOT,
//!   parentheses, `&`, `|` or `>`.
//! * `-` is NOT only where a token starts (after a space, `(` or another
//!   operator): inside a word it is a hyphen, so `Self-care` is one code.
//! * A code path's parts are joined with `" > "`, so the resolver always
//!   receives `Belonging > Being known by name` however it was spaced or
//!   quoted (`Belonging>"Being known by name"`).
//! * NOT subtracts: `A NOT B` is the text of A not covered by B. A NOT with
//!   nothing on its left in its AND group (`NOT Family`, `A OR NOT B`) is an
//!   error rather than "all text not coded Family", because codings are the
//!   only text a query sees and a researcher rarely wants the whole corpus.
//!   Negated operands of an AND group are subtracted from the intersection of
//!   the others, so `NOT Family AND Loneliness` works too.
//! * Names are resolved while parsing by a caller-supplied function, which
//!   decides what a name means (usually the code plus its descendants) and
//!   whose error text is shown to the researcher with the column.

use std::fmt;
use storyloom_text::ids::CodeId;

use serde::{Deserialize, Serialize};

use super::{AnalysisError, Result};

/// A code as written in a query, with the code ids it resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRef {
    /// The name as given to the resolver (path parts joined by `" > "`).
    pub name: String,
    /// Code ids, sorted and deduplicated (the code and, if the resolver says
    /// so, its descendants).
    pub ids: Vec<CodeId>,
}

/// A parsed code expression over interval sets of coded text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expr {
    /// The text coded with any of the code's ids.
    Code(CodeRef),
    /// Text covered by both sides (overlapping text).
    And(Box<Expr>, Box<Expr>),
    /// Text covered by either side.
    Or(Box<Expr>, Box<Expr>),
    /// Text of the left side not covered by the right side.
    Not(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// A code leaf; ids are sorted and deduplicated.
    pub fn code(name: impl Into<String>, ids: impl IntoIterator<Item = CodeId>) -> Expr {
        let mut ids: Vec<CodeId> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        Expr::Code(CodeRef {
            name: name.into(),
            ids,
        })
    }

    pub fn and(self, other: Expr) -> Expr {
        Expr::And(Box::new(self), Box::new(other))
    }

    pub fn or(self, other: Expr) -> Expr {
        Expr::Or(Box::new(self), Box::new(other))
    }

    /// `self NOT other`.
    pub fn not(self, other: Expr) -> Expr {
        Expr::Not(Box::new(self), Box::new(other))
    }

    /// Every code id the expression mentions, sorted and deduplicated.
    pub fn code_ids(&self) -> Vec<CodeId> {
        let mut out = Vec::new();
        self.collect_ids(&mut out, true, true);
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Code ids whose codings can contribute text to a result: those not on
    /// the subtracted side of a NOT (two NOTs cancel), sorted and
    /// deduplicated.
    pub fn positive_code_ids(&self) -> Vec<CodeId> {
        let mut out = Vec::new();
        self.collect_ids(&mut out, true, false);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_ids(&self, out: &mut Vec<CodeId>, positive: bool, all: bool) {
        match self {
            Expr::Code(c) => {
                if positive || all {
                    out.extend_from_slice(&c.ids);
                }
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.collect_ids(out, positive, all);
                b.collect_ids(out, positive, all);
            }
            Expr::Not(a, b) => {
                a.collect_ids(out, positive, all);
                b.collect_ids(out, !positive, all);
            }
        }
    }

    /// Whether the expression is a code or an OR of codes: then every coding
    /// of its codes is part of the result.
    pub fn is_union(&self) -> bool {
        match self {
            Expr::Code(_) => true,
            Expr::Or(a, b) => a.is_union() && b.is_union(),
            _ => false,
        }
    }

    /// Every code leaf, left to right.
    pub fn codes(&self) -> Vec<&CodeRef> {
        let mut out = Vec::new();
        self.collect_codes(&mut out);
        out
    }

    fn collect_codes<'a>(&'a self, out: &mut Vec<&'a CodeRef>) {
        match self {
            Expr::Code(c) => out.push(c),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Not(a, b) => {
                a.collect_codes(out);
                b.collect_codes(out);
            }
        }
    }
}

/// Prints the expression so that [`parse`] reads it back to the same tree:
/// names quoted when needed, parentheses only where precedence needs them.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn side(f: &mut fmt::Formatter<'_>, e: &Expr, parens: bool) -> fmt::Result {
            if parens {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        }
        let (a, b, op) = match self {
            Expr::Code(c) => return write_name(f, &c.name),
            Expr::Or(a, b) => (a, b, "OR"),
            Expr::And(a, b) => (a, b, "AND"),
            Expr::Not(a, b) => (a, b, "NOT"),
        };
        if op == "OR" {
            side(f, a, false)?;
            write!(f, " OR ")?;
            side(f, b, matches!(**b, Expr::Or(..)))
        } else {
            // `A NOT B AND C` would read back as `(A AND C) NOT B`: same
            // text, different tree; parentheses keep the tree.
            let left_parens = match self {
                Expr::And(..) => matches!(**a, Expr::Or(..) | Expr::Not(..)),
                _ => matches!(**a, Expr::Or(..)),
            };
            side(f, a, left_parens)?;
            write!(f, " {op} ")?;
            side(f, b, !matches!(**b, Expr::Code(_)))
        }
    }
}

fn write_name(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    let bare = !name.is_empty()
        && !name.contains(char::is_whitespace)
        && !name.starts_with('-')
        && !name.chars().any(is_special)
        && !is_operator_word(name);
    if bare {
        write!(f, "{name}")
    } else if name.contains('"') {
        write!(f, "“{name}”")
    } else {
        write!(f, "\"{name}\"")
    }
}

/// Chars that end a bare word.
fn is_special(c: char) -> bool {
    matches!(c, '(' | ')' | '&' | '|' | '>' | '"' | '“' | '”')
}

/// Operators are written in capitals, so code names such as "Loss and
/// loneliness" need no quotes (the same rule as in search).
fn is_operator_word(w: &str) -> bool {
    ["AND", "OR", "NOT"].contains(&w)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Gt,
    Quoted(String),
    Word(String),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// 1-based char column where the token starts.
    column: usize,
    /// The token as written, for messages (`AND`, `&`, `-`).
    text: String,
}

fn tokenize(input: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let single = |tok: Tok| Token {
            tok,
            column,
            text: c.to_string(),
        };
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(single(Tok::LParen));
                i += 1;
            }
            ')' => {
                out.push(single(Tok::RParen));
                i += 1;
            }
            '>' => {
                out.push(single(Tok::Gt));
                i += 1;
            }
            '-' => {
                out.push(single(Tok::Not));
                i += 1;
            }
            '&' | '|' => {
                // `&&` and `||` are read as one operator.
                let doubled = chars.get(i + 1) == Some(&c);
                let text: String = if doubled {
                    [c, c].iter().collect()
                } else {
                    c.to_string()
                };
                let tok = if c == '&' { Tok::And } else { Tok::Or };
                out.push(Token { tok, column, text });
                i += if doubled { 2 } else { 1 };
            }
            '"' | '“' | '”' => {
                // A curly quote closes with a curly one when there is one,
                // so “He said "no"” keeps its straight quotes; a straight
                // closing quote is accepted after a curly opening one.
                let rest = &chars[i + 1..];
                let find = |close: char| rest.iter().position(|&ch| ch == close);
                let len = if c == '"' {
                    find('"')
                } else {
                    find('”').or_else(|| find('"'))
                }
                .ok_or(AnalysisError::UnclosedQuote { column })?;
                let name: String = rest[..len].iter().collect();
                let name = name.trim().to_owned();
                if name.is_empty() {
                    return Err(AnalysisError::EmptyName { column });
                }
                out.push(Token {
                    tok: Tok::Quoted(name.clone()),
                    column,
                    text: name,
                });
                i += len + 2;
            }
            _ => {
                let len = chars[i..]
                    .iter()
                    .position(|ch| ch.is_whitespace() || is_special(*ch))
                    .unwrap_or(chars.len() - i);
                let word: String = chars[i..i + len].iter().collect();
                let tok = match word.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word.clone()),
                };
                out.push(Token {
                    tok,
                    column,
                    text: word,
                });
                i += len;
            }
        }
    }
    Ok(out)
}

/// Checks parentheses before parsing, so that an unbalanced one is reported
/// where it is rather than as a confusing "expected" error further on.
fn check_parens(tokens: &[Token]) -> Result<()> {
    let mut open: Vec<usize> = Vec::new();
    for t in tokens {
        match t.tok {
            Tok::LParen => open.push(t.column),
            Tok::RParen => {
                open.pop()
                    .ok_or(AnalysisError::UnopenedParen { column: t.column })?;
            }
            _ => {}
        }
    }
    match open.last() {
        Some(&column) => Err(AnalysisError::UnclosedParen { column }),
        None => Ok(()),
    }
}

/// Parses a code expression, resolving each code name with `resolve`.
///
/// `resolve` gets the name (path parts joined by `" > "`) and returns the
/// code ids it stands for, or a message saying why it is not a code (shown
/// to the researcher after the name and column).
pub fn parse<F>(input: &str, resolve: F) -> Result<Expr>
where
    F: Fn(&str) -> Result<Vec<CodeId>, String>,
{
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Err(AnalysisError::EmptyQuery);
    }
    check_parens(&tokens)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        resolve: &resolve,
    };
    let expr = p.or(None)?;
    // Parentheses are balanced, so what can be left is a token that cannot
    // follow a complete expression, such as the `>` of `(A) > B`.
    match p.peek() {
        None => Ok(expr),
        Some(t) => Err(AnalysisError::MissingOperator { column: t.column }),
    }
}

struct Parser<'r> {
    tokens: Vec<Token>,
    pos: usize,
    resolve: &'r dyn Fn(&str) -> Result<Vec<CodeId>, String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_tok(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// `or := and (OR and)*`. `before` is the operator or `(` that precedes
    /// this expression, for error messages.
    fn or(&mut self, before: Option<&Token>) -> Result<Expr> {
        let mut left = self.and(before)?;
        while let Some(Tok::Or) = self.peek_tok() {
            let op = self.next();
            let right = self.and(op.as_ref())?;
            left = left.or(right);
        }
        Ok(left)
    }

    /// `and := [NOT] primary ((AND [NOT] | NOT) primary)*`; negated operands
    /// are subtracted from the intersection of the others.
    fn and(&mut self, before: Option<&Token>) -> Result<Expr> {
        let mut positives: Vec<Expr> = Vec::new();
        let mut negatives: Vec<Expr> = Vec::new();
        let mut first_not: Option<usize> = None;
        let mut before = before.cloned();
        loop {
            let mut negated = false;
            if let Some(Tok::Not) = self.peek_tok() {
                let not = self.next();
                self.refuse_double_not()?;
                first_not.get_or_insert(not.as_ref().map_or(0, |t| t.column));
                negated = true;
                before = not;
            }
            let operand = self.primary(before.as_ref())?;
            if negated {
                negatives.push(operand);
            } else {
                positives.push(operand);
            }
            match self.peek_tok() {
                // `AND NOT` and a binary `NOT`: the NOT itself is read at
                // the top of the loop.
                Some(Tok::And) => before = self.next(),
                Some(Tok::Not) => {}
                Some(Tok::Word(_) | Tok::Quoted(_) | Tok::LParen) => {
                    let column = self.peek().map_or(0, |t| t.column);
                    return Err(AnalysisError::MissingOperator { column });
                }
                _ => break,
            }
        }
        let mut iter = positives.into_iter();
        let Some(first) = iter.next() else {
            return Err(AnalysisError::NothingToSubtractFrom {
                column: first_not.unwrap_or(0),
            });
        };
        let kept = iter.fold(first, Expr::and);
        Ok(negatives.into_iter().fold(kept, Expr::not))
    }

    fn refuse_double_not(&self) -> Result<()> {
        match self.peek() {
            Some(t) if t.tok == Tok::Not => Err(AnalysisError::DoubleNot { column: t.column }),
            _ => Ok(()),
        }
    }

    /// `primary := '(' or ')' | name`.
    fn primary(&mut self, before: Option<&Token>) -> Result<Expr> {
        let Some(token) = self.peek().cloned() else {
            return Err(dangling_after(before));
        };
        match token.tok {
            Tok::LParen => {
                self.pos += 1;
                if let Some(Tok::RParen) = self.peek_tok() {
                    return Err(AnalysisError::EmptyParens {
                        column: token.column,
                    });
                }
                let inner = self.or(Some(&token))?;
                match self.next() {
                    Some(t) if t.tok == Tok::RParen => Ok(inner),
                    // check_parens guarantees a ')' follows a complete group;
                    // anything else is two operands side by side.
                    Some(t) => Err(AnalysisError::MissingOperator { column: t.column }),
                    None => Err(AnalysisError::UnclosedParen {
                        column: token.column,
                    }),
                }
            }
            Tok::Word(_) | Tok::Quoted(_) => self.name(),
            Tok::RParen => Err(dangling_after(before)),
            Tok::And | Tok::Or | Tok::Gt | Tok::Not => match before {
                // An operator where a code should be: blame the earlier
                // operator if there is one (`A AND OR B`), else this one
                // (`OR B`, `(AND B)`).
                Some(b) if b.tok != Tok::LParen => Err(dangling_after(Some(b))),
                _ => Err(AnalysisError::DanglingOperator {
                    operator: token.text.clone(),
                    column: token.column,
                    side: "left",
                }),
            },
        }
    }

    /// `name := part ('>' part)*`, `part := quoted | word+`.
    fn name(&mut self) -> Result<Expr> {
        let column = self.peek().map_or(0, |t| t.column);
        let mut parts: Vec<String> = Vec::new();
        loop {
            let Some(part) = self.name_part() else {
                // After a '>' with no name behind it.
                let before = self.tokens.get(self.pos.wrapping_sub(1)).cloned();
                return Err(dangling_after(before.as_ref()));
            };
            parts.push(part);
            if let Some(Tok::Gt) = self.peek_tok() {
                self.pos += 1;
            } else {
                break;
            }
        }
        let name = parts.join(" > ");
        let ids = (self.resolve)(&name).map_err(|reason| AnalysisError::UnknownCode {
            name: name.clone(),
            column,
            reason,
        })?;
        Ok(Expr::code(name, ids))
    }

    /// One quoted name or a run of bare words joined by single spaces.
    fn name_part(&mut self) -> Option<String> {
        match self.peek_tok()? {
            Tok::Quoted(q) => {
                let q = q.clone();
                self.pos += 1;
                Some(q)
            }
            Tok::Word(_) => {
                let mut words = Vec::new();
                while let Some(Tok::Word(w)) = self.peek_tok() {
                    words.push(w.clone());
                    self.pos += 1;
                }
                Some(words.join(" "))
            }
            _ => None,
        }
    }
}

/// The error for an operator with nothing usable after it.
fn dangling_after(before: Option<&Token>) -> AnalysisError {
    match before {
        Some(t) if t.tok != Tok::LParen => AnalysisError::DanglingOperator {
            operator: t.text.clone(),
            column: t.column,
            side: "right",
        },
        Some(t) => AnalysisError::EmptyParens { column: t.column },
        None => AnalysisError::EmptyQuery,
    }
}

#[cfg(test)]
mod tests;
