//! Source-file license headers, as Apache RAT checks them: which files
//! need one, and which license family a file's first bytes declare.
//!
//! Recognised: an `SPDX-License-Identifier:` line, or the usual wording of
//! the Apache (ASF and plain Apache-2.0), GNU (GPL, LGPL, AGPL, and the
//! FSF's all-permissive notices), MIT, BSD, ISC, MPL, EPL, Boost, zlib,
//! curl ("licensed as described in the file COPYING") and public-domain
//! headers. Matching ignores case, comment markers and line breaks.

/// How many bytes of a file are looked at, for the header and for binary
/// content.
pub const HEAD: usize = 16 * 1024;

/// Whether a file with this path is source code or a build file, and so
/// needs a license header. Documentation, data and generated files do not.
pub fn needs_header(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if matches!(
        name,
        "Makefile"
            | "GNUmakefile"
            | "makefile"
            | "CMakeLists.txt"
            | "Dockerfile"
            | "configure.ac"
            | "configure.in"
            | "Makefile.am"
            | "meson.build"
            | "build.gradle"
            | "pom.xml"
            | "build.xml"
    ) {
        return true;
    }
    // README.cmake, INSTALL.cmake: documentation about the build.
    if name.starts_with("README") || name.starts_with("INSTALL") {
        return false;
    }
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(
        ext,
        "c" | "h"
            | "cc"
            | "cpp"
            | "cxx"
            | "hpp"
            | "hh"
            | "hxx"
            | "m"
            | "mm"
            | "rs"
            | "go"
            | "java"
            | "kt"
            | "scala"
            | "groovy"
            | "py"
            | "pl"
            | "pm"
            | "rb"
            | "php"
            | "js"
            | "mjs"
            | "cjs"
            | "ts"
            | "tsx"
            | "jsx"
            | "cs"
            | "swift"
            | "sh"
            | "bash"
            | "zsh"
            | "ps1"
            | "bat"
            | "cmd"
            | "lua"
            | "r"
            | "sql"
            | "asm"
            | "S"
            | "s"
            | "cmake"
            | "m4"
            | "awk"
            | "tcl"
            | "y"
            | "l"
            | "proto"
            | "vbs"
            | "el"
            | "erl"
            | "ex"
            | "exs"
            | "hs"
            | "ml"
            | "dart"
            | "zig"
    )
}

/// What a header declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Header {
    /// `SPDX-License-Identifier: EXPR`.
    Spdx(String),
    /// A license family recognised by its wording (`Apache-2.0`, `GPL`…).
    Family(&'static str),
}

impl Header {
    /// The category shown in reports, as RAT shows one per file.
    pub fn category(&self) -> String {
        match self {
            Header::Spdx(e) => format!("SPDX: {e}"),
            Header::Family(f) => (*f).to_string(),
        }
    }
}

/// Wording → family. Phrases are in the normalised form [`normalise`]
/// produces.
const PHRASES: &[(&str, &str)] = &[
    (
        "licensed to the apache software foundation",
        "Apache-2.0 (ASF)",
    ),
    (
        "licensed under the apache license version 2 0",
        "Apache-2.0",
    ),
    ("licensed under the apache license v2 0", "Apache-2.0"),
    ("gnu lesser general public license", "LGPL"),
    ("gnu library general public license", "LGPL"),
    ("gnu affero general public license", "AGPL"),
    ("gnu general public license", "GPL"),
    (
        "unlimited permission to copy and or distribute it",
        "FSF all-permissive",
    ),
    (
        "copying and distribution of this file with or without modification are permitted in any medium without royalty",
        "FSF all-permissive",
    ),
    (
        "this file is free software you can redistribute it",
        "FSF free software",
    ),
    (
        "permission is hereby granted free of charge to any person obtaining a copy",
        "MIT",
    ),
    (
        "redistribution and use in source and binary forms with or without modification are permitted",
        "BSD",
    ),
    (
        "permission to use copy modify and or distribute this software for any purpose",
        "ISC",
    ),
    (
        "permission to use copy modify and distribute this software for any purpose",
        "ISC",
    ),
    (
        "this software is licensed as described in the file copying",
        "curl",
    ),
    ("mozilla public license", "MPL"),
    ("eclipse public license", "EPL"),
    ("boost software license", "BSL-1.0"),
    (
        "this software is provided as is without any express or implied warranty in no event will the authors be held liable",
        "Zlib",
    ),
    (
        "permission is granted to anyone to use this software for any purpose",
        "permissive (zlib/Spencer style)",
    ),
    ("public domain", "public domain"),
];

/// The license header in the first bytes of a file, if any.
pub fn recognise(head: &[u8]) -> Option<Header> {
    let text = String::from_utf8_lossy(head);
    if let Some(i) = text.find("SPDX-License-Identifier:") {
        let rest = &text[i + "SPDX-License-Identifier:".len()..];
        let line = rest.lines().next().unwrap_or("");
        // Drop a closing comment marker: `*/`, `-->`.
        let expr = line
            .trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim();
        if !expr.is_empty() {
            return Some(Header::Spdx(expr.to_string()));
        }
    }
    let norm = normalise(&text);
    PHRASES
        .iter()
        .find(|(phrase, _)| norm.contains(phrase))
        .map(|(_, family)| Header::Family(family))
}

/// Lower case, every run of non-alphanumeric characters (comment markers,
/// punctuation, line breaks) made one space, and m4's `dnl` comment
/// markers dropped.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "dnl")
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx_lines() {
        assert_eq!(
            recognise(b"/* SPDX-License-Identifier: curl */\nint x;"),
            Some(Header::Spdx("curl".into()))
        );
        assert_eq!(
            recognise(b"# SPDX-License-Identifier: MIT OR Apache-2.0\n"),
            Some(Header::Spdx("MIT OR Apache-2.0".into()))
        );
    }

    #[test]
    fn asf_header_across_comment_lines() {
        let h = b"/* Licensed to the Apache Software Foundation (ASF) under one or more\n * contributor license agreements.  See the NOTICE file distributed with\n";
        assert_eq!(recognise(h), Some(Header::Family("Apache-2.0 (ASF)")));
        let g = b"# This program is free software; you can redistribute it and/or modify\n# it under the terms of the GNU General Public License as published by\n";
        assert_eq!(recognise(g), Some(Header::Family("GPL")));
        let l = b" * GnuPG is free software; ... the GNU Lesser General\n * Public License";
        assert_eq!(recognise(l), Some(Header::Family("LGPL")));
        let m4 = b"dnl This file is free software; the Free Software Foundation\ndnl gives unlimited permission to copy and/or distribute it,\n";
        assert_eq!(recognise(m4), Some(Header::Family("FSF all-permissive")));
    }

    #[test]
    fn no_header() {
        assert_eq!(
            recognise(b"#include <stdio.h>\nint main(void) { return 0; }\n"),
            None
        );
    }

    #[test]
    fn which_files_need_one() {
        for p in [
            "src/a.c",
            "lib/x.h",
            "build/Makefile",
            "CMakeLists.txt",
            "t/x.pl",
            "a/b.rs",
        ] {
            assert!(needs_header(p), "{p}");
        }
        for p in [
            "README",
            "README.cmake",
            "docs/INSTALL.cmake",
            "docs/x.md",
            "LICENSE",
            "tests/data/test1",
            "a.json",
            "po/de.po",
        ] {
            assert!(!needs_header(p), "{p}");
        }
    }
}
