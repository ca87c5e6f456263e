//! Document formats of apostille as plain data: parse and serialize, no
//! policy and no I/O.
//!
//! This crate is where KEYS files, DSSE envelopes and their PAE, in-toto
//! Statement v1, SLSA Provenance v1, Sigstore bundle v0.3 and
//! `trusted_root.json` will live, so that the producer (`apostille-sign`) and
//! the consumer (`apostille-verify`) share one definition of each format.
//!
//! What it will not do: decide whether a document is trustworthy (that is
//! `apostille-verify`), hold private keys or talk to the network.
//!
//! Today: [`armor`], which finds the ASCII-armored OpenPGP blocks in a file
//! (detached signatures and KEYS files hold several), [`keys`] (KEYS files:
//! loading with reasons for what cannot be used, and the text listing),
//! [`layout`] (what a file of a release folder is, by its name), [`fulcio`]
//! (the identity a Fulcio certificate's SAN asserts), and
//! [`pgp`], the
//! hash-context sink that lets signing and verifying ride on the digest
//! engine's single pass. Checksum files live
//! beside the engine in `apostille_digest::checksum` because they are tied
//! to its algorithms.

pub mod armor;
pub mod fulcio;
pub mod keys;
pub mod layout;
pub mod pgp;
pub mod sniff;
pub mod time;
