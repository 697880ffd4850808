//! Queries over codings: code expressions, matrices and inter-coder agreement.
//! Pure computations over rows the store loads; no SQL here.
