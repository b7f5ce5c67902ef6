#![no_main]
//! The SQL text spyglass parses: `spyglass sql "<SQL>"` hands its statement to DataFusion, which
//! parses it with sqlparser (this crate pins the version in the main Cargo.lock) in the generic
//! dialect with a recursion limit of 50 (DataFusion's defaults); and every finding turns the
//! user's slice filters into SQL (`Filters::slice_sql`), where free text (source names, sponsor
//! codes) enters only through `sql_lit`.
//!
//! Even first byte: the rest is raw SQL, parsed as DataFusion's `DFParser` does (statement loop,
//! tokenizer, recursion limit); any panic or stack overflow is a bug, and a parsed statement's text
//! must parse again without panicking.
//! Odd first byte: the rest is filter text (sources, sponsors, since, until, one per line); the
//! slice SQL must parse as exactly one query whose string literals are exactly the user's strings
//! (so no text escapes its quotes).

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use spyglass_model::query::{Filters, split_list};
use sqlparser::ast::{Expr, Statement, Value, visit_expressions};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

/// DataFusion's `datafusion.sql_parser.recursion_limit` default.
const RECURSION_LIMIT: usize = 50;

/// The statement loop of DataFusion's `DFParser::parse_statements` over sqlparser.
fn parse_like_datafusion(sql: &str) -> Result<Vec<Statement>, ParserError> {
    let dialect = GenericDialect {};
    let tokens = Tokenizer::new(&dialect, sql).tokenize_with_location()?;
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens).with_recursion_limit(RECURSION_LIMIT);
    let mut out = Vec::new();
    let mut expecting_delimiter = false;
    loop {
        while parser.consume_token(&Token::SemiColon) {
            expecting_delimiter = false;
        }
        if parser.peek_token() == Token::EOF {
            break;
        }
        if expecting_delimiter {
            return Err(ParserError::ParserError("expected end of statement".into()));
        }
        out.push(parser.parse_statement()?);
        expecting_delimiter = true;
    }
    Ok(out)
}

fn string_literals(stmts: &Vec<Statement>) -> Vec<String> {
    let mut out = Vec::new();
    let _ = visit_expressions(stmts, |e| {
        if let Expr::Value(v) = e
            && let Value::SingleQuotedString(s) = &v.value
        {
            out.push(s.clone());
        }
        ControlFlow::<()>::Continue(())
    });
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    if mode & 1 == 0 {
        if let Ok(stmts) = parse_like_datafusion(&text) {
            for s in &stmts {
                let _ = parse_like_datafusion(&s.to_string());
            }
        }
        return;
    }
    let mut lines = text.split('\n');
    let mut next = || lines.next().unwrap_or("");
    let (sources, sponsors, since, until) = (next(), next(), next(), next());
    let filters = Filters {
        state_sponsored: mode & 2 == 2,
        sources: split_list(sources),
        sponsors: split_list(sponsors).iter().map(|s| s.to_ascii_uppercase()).collect(),
        since: since.trim().parse().ok(),
        until: until.trim().parse().ok(),
        ..Filters::default()
    };
    let sql = filters.slice_sql();
    let stmts = parse_like_datafusion(&sql).unwrap_or_else(|e| panic!("slice SQL does not parse ({e}): {sql}"));
    assert_eq!(stmts.len(), 1, "slice SQL is {} statements: {sql}", stmts.len());
    assert!(matches!(stmts[0], Statement::Query(_)), "slice SQL is not a query: {sql}");
    let mut got = string_literals(&stmts);
    let mut want: Vec<String> = filters.sources.iter().map(|s| s.to_lowercase()).collect();
    want.extend(want.clone());
    want.extend(filters.sponsors.iter().cloned());
    got.sort();
    want.sort();
    assert_eq!(got, want, "string literals of the slice SQL differ from the user's strings: {sql}");
});
