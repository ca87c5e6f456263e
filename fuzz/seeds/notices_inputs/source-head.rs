//! The hashing engine of apostille: every byte of every artifact is read
//! once, and that one read feeds every digest and every signature hash
//! context the run needs.
//!
//! # What it does
//!
//! * [`Algorithm`]: SHA-256, SHA-384, SHA-512, BLAKE3, SHA-1 and MD5, each
//!   with the implementation that measured fastest here ([`hasher`] docs).
//! * [`Engine`]: the fused pass. A [`Job`] name