//! A parsed query made ready to run: terms compiled to patterns, filters
//! resolved to id sets, then translated to a tantivy query.

use crate::error::Result;
use crate::filters::{IdSet, Resolver};
use crate::highlight::{Analyzers, Pattern};
use crate::index::Fields;
use crate::query::Expr;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

/// How many words a prefix may expand to.
const MAX_PREFIX_EXPANSIONS: u32 = 10_000;

/// A query with its terms compiled and its filters resolved.
#[derive(Debug)]
pub(crate) enum Node {
    Pattern(Pattern),
    Set(IdSet),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

pub(crate) fn prepare(
    e: &Expr,
    resolver: &mut Resolver,
    analyzers: &mut Analyzers,
) -> Result<Node> {
    Ok(match e {
        Expr::Term(t) => Node::Pattern(analyzers.compile(t)?),
        Expr::Filter(f) => Node::Set(resolver.resolve(f)?),
        Expr::Not(e) => Node::Not(Box::new(prepare(e, resolver, analyzers)?)),
        Expr::And(v) => Node::And(
            v.iter()
                .map(|e| prepare(e, resolver, analyzers))
                .collect::<Result<_>>()?,
        ),
        Expr::Or(v) => Node::Or(
            v.iter()
                .map(|e| prepare(e, resolver, analyzers))
                .collect::<Result<_>>()?,
        ),
    })
}

/// Every turn, contributing nothing to the score.
fn all() -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0))
}

/// Translates the query to tantivy's. Boolean logic is built here, not by
/// tantivy's parser (whose `a AND NOT b` finds nothing): a negation next to
/// positive clauses is `MustNot`; a negation alone is "all turns but".
pub(crate) fn to_tantivy(node: &Node, f: &Fields) -> Box<dyn Query> {
    let words = |field: Field, w: &[String]| -> Box<dyn Query> {
        let mut terms: Vec<tantivy::Term> = w
            .iter()
            .map(|s| tantivy::Term::from_field_text(field, s))
            .collect();
        if terms.len() > 1 {
            return Box::new(PhraseQuery::new(terms));
        }
        match terms.pop() {
            Some(only) => Box::new(TermQuery::new(only, IndexRecordOption::WithFreqs)),
            // No words (the query parser never makes this, but nothing matches it).
            None => Box::new(EmptyQuery),
        }
    };
    match node {
        Node::Pattern(Pattern::Stems(w)) => words(f.text, w),
        Node::Pattern(Pattern::Exact(w)) => words(f.exact, w),
        Node::Pattern(Pattern::Prefix(w)) => {
            let terms = w
                .iter()
                .map(|s| tantivy::Term::from_field_text(f.exact, s))
                .collect();
            let mut q = PhrasePrefixQuery::new(terms);
            q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
            Box::new(q)
        }
        Node::Set(set) => {
            let (field, ids) = match set {
                IdSet::Speakers(s) => (f.speaker_id, s),
                IdSet::Docs(s) => (f.doc_id, s),
                IdSet::Turns(s) => (f.turn_id, s),
            };
            if ids.is_empty() {
                return Box::new(EmptyQuery);
            }
            let terms = ids
                .iter()
                .map(|id| tantivy::Term::from_field_u64(field, *id as u64));
            Box::new(ConstScoreQuery::new(
                Box::new(TermSetQuery::new(terms)),
                0.0,
            ))
        }
        Node::Not(n) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, all()),
            (Occur::MustNot, to_tantivy(n, f)),
        ])),
        Node::And(v) => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = v
                .iter()
                .map(|n| match n {
                    Node::Not(inner) => (Occur::MustNot, to_tantivy(inner, f)),
                    n => (Occur::Must, to_tantivy(n, f)),
                })
                .collect();
            if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                clauses.push((Occur::Must, all()));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Node::Or(v) => Box::new(BooleanQuery::new(
            v.iter()
                .map(|n| (Occur::Should, to_tantivy(n, f)))
                .collect(),
        )),
    }
}
