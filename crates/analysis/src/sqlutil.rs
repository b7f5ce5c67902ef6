//! Helpers for building SQL text and reading results.

use arrow::array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::DataType;

use crate::AnalysisError;

/// A SQL string literal with quotes escaped.
pub use spyglass_model::query::sql_lit as lit;

fn cast(col: &ArrayRef, to: &DataType) -> Result<ArrayRef, AnalysisError> {
    arrow::compute::cast(col, to).map_err(|e| AnalysisError::Internal(format!("cast to {to}: {e}")))
}

/// Reads `(key, count)` rows from batches whose first column is a string and second an integer.
pub fn key_counts(batches: &[RecordBatch]) -> Result<Vec<(Option<String>, u64)>, AnalysisError> {
    let mut out = Vec::new();
    for b in batches {
        if b.num_columns() < 2 {
            return Err(AnalysisError::Internal("expected two columns".into()));
        }
        let keys = cast(b.column(0), &DataType::Utf8)?;
        let keys = keys
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| AnalysisError::Internal("key column is not a string".into()))?;
        let counts = cast(b.column(1), &DataType::Int64)?;
        let counts = counts
            .as_any()
            .downcast_ref::<Int64Array>()
            .ok_or_else(|| AnalysisError::Internal("count column is not an integer".into()))?;
        for i in 0..b.num_rows() {
            let key = if keys.is_null(i) { None } else { Some(keys.value(i).to_string()) };
            out.push((key, u64::try_from(counts.value(i)).unwrap_or(0)));
        }
    }
    Ok(out)
}

/// Reads a single integer (first column, first row).
pub fn scalar_u64(batches: &[RecordBatch]) -> Result<u64, AnalysisError> {
    for b in batches {
        if b.num_rows() > 0 && b.num_columns() > 0 {
            let c = cast(b.column(0), &DataType::Int64)?;
            let c = c
                .as_any()
                .downcast_ref::<Int64Array>()
                .ok_or_else(|| AnalysisError::Internal("not an integer".into()))?;
            return Ok(u64::try_from(c.value(0)).unwrap_or(0));
        }
    }
    Ok(0)
}

/// Reads a single optional string (first column, first row).
pub fn scalar_string(batches: &[RecordBatch]) -> Result<Option<String>, AnalysisError> {
    for b in batches {
        if b.num_rows() > 0 && b.num_columns() > 0 {
            let c = cast(b.column(0), &DataType::Utf8)?;
            let c = c
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| AnalysisError::Internal("not a string".into()))?;
            return Ok(if c.is_null(0) { None } else { Some(c.value(0).to_string()) });
        }
    }
    Ok(None)
}
