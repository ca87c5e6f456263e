//! Criterion benches of the digest engine live in `benches/`; this library is empty.
