//! Hostile names: see the module list in `hostile/mod.rs`.

#[allow(unused_imports)]
use super::*;
