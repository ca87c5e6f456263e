//! `apostille notices` and `apostille notices audit`, judged by tools that
//! share no code with them: `cargo tree` for the package set and declared
//! licenses, a cargo-about golden file for detected licenses, GNU `tar`
//! for the contents of the upstream tarballs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{apostille, peer, run};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ripgrep_fixture() -> PathBuf {
    repo_root().join("testdata/notices/ripgrep-14.1.1")
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e})"))
}

/// `name version → declared license` of every third-party package, as
/// `cargo tree` lists them (normal and build edges, every target).
fn cargo_tree_licenses(manifest: &Path) -> BTreeMap<String, String> {
    let out = run(peer("cargo")
        .args(["tree", "--locked", "--workspace"])
        .args([
            "-e",
            "normal,build",
            "--target",
            "all",
            "--prefix",
            "none",
            "--format",
            "{p}|{l}",
            "--manifest-path",
        ])
        .arg(manifest))
    .ok_stdout();
    let mut m = BTreeMap::new();
    for line in String::from_utf8(out).unwrap().lines() {
        let line = line.trim_end_matches(" (*)");
        let Some((p, l)) = line.split_once('|') else {
            continue;
        };
        // Workspace members carry their path: `grep v0.3.2 (/…/crates/grep)`;
        // proc-macros say so: `serde_derive v1.0.210 (proc-macro)`.
        let p = p.trim_end_matches(" (proc-macro)");
        if p.contains(" (") {
            continue;
        }
        let (name, version) = p.split_once(" v").unwrap();
        m.insert(format!("{name} {version}"), l.to_string());
    }
    m
}

fn our_licenses(doc: &serde_json::Value) -> BTreeMap<String, String> {
    doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                format!(
                    "{} {}",
                    p["name"].as_str().unwrap(),
                    p["version"].as_str().unwrap()
                ),
                p["declared"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Asserts two `package → license` maps are equal, printing only where
/// they differ.
fn assert_same(ours: &BTreeMap<String, String>, cargo: &BTreeMap<String, String>) {
    let only_ours: Vec<_> = ours
        .iter()
        .filter(|(k, v)| cargo.get(*k) != Some(v))
        .collect();
    let only_cargo: Vec<_> = cargo
        .iter()
        .filter(|(k, v)| ours.get(*k) != Some(v))
        .collect();
    assert!(
        only_ours.is_empty() && only_cargo.is_empty(),
        "ours only: {only_ours:?}\ncargo tree only: {only_cargo:?}"
    );
}

fn package<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in the notices"))
}

fn has_flag(p: &serde_json::Value, flag: &str) -> bool {
    p["flags"].as_array().unwrap().iter().any(|f| f == flag)
}

#[test]
fn this_workspace_shows_sequoia_as_lgpl_and_copyleft() {
    let manifest = repo_root().join("Cargo.toml");
    let r = run(apostille()
        .args([
            "notices",
            "--format",
            "json",
            "--no-policy",
            "--manifest-path",
        ])
        .arg(&manifest));
    let doc = json(&r.ok_stdout());
    let sq = package(&doc, "sequoia-openpgp");
    assert_eq!(sq["declared"], "LGPL-2.0-or-later");
    assert!(has_flag(sq, "copyleft"), "{sq:#}");
    assert_same(&our_licenses(&doc), &cargo_tree_licenses(&manifest));
}

#[test]
fn ripgrep_lock_same_packages_and_expressions_as_cargo() {
    let manifest = ripgrep_fixture().join("Cargo.toml");
    let r = run(apostille()
        .args(["notices", "--locked", "--format", "json", "--manifest-path"])
        .arg(&manifest));
    let doc = json(&r.ok_stdout());
    let ours = our_licenses(&doc);
    assert_same(&ours, &cargo_tree_licenses(&manifest));
    assert_eq!(ours.len(), 48);
}

/// The licenses cargo-about 0.9.3 detected in each package's files
/// (golden file; testdata/notices/cargo-about/README.md has the command
/// that made it), against ours, file by file. Where cargo-about put a stock
/// text instead of a file the package ships, we must have embedded the
/// shipped files.
#[test]
fn ripgrep_detected_licenses_agree_with_cargo_about() {
    let manifest = ripgrep_fixture().join("Cargo.toml");
    let golden =
        std::fs::read(repo_root().join("testdata/notices/cargo-about/ripgrep-14.1.1.json"))
            .unwrap();
    let about = json(&golden);
    let r = run(apostille()
        .args(["notices", "--locked", "--format", "json", "--manifest-path"])
        .arg(&manifest));
    let doc = json(&r.ok_stdout());
    let texts: BTreeMap<&str, &serde_json::Value> = doc["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t))
        .collect();
    let (mut files_compared, mut stock_replaced) = (0, 0);
    for c in about["crates"].as_array().unwrap() {
        let Some(p) = doc["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == c["name"] && p["version"] == c["version"])
        else {
            // A workspace member or a dev-dependency: not in our notices.
            continue;
        };
        let label = format!("{} {}", c["name"], c["version"]);
        for l in c["licenses"].as_array().unwrap() {
            let id = l["id"].as_str().unwrap();
            match l["file"].as_str() {
                Some(file) => {
                    let f = p["files"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|f| f["path"] == file)
                        .unwrap_or_else(|| panic!("{label}: we did not embed {file}"));
                    let t = texts[f["text"].as_str().unwrap()];
                    let ours: Vec<&str> = t["detection"]["licenses"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|l| l["id"].as_str().unwrap())
                        .collect();
                    assert!(
                        ours.contains(&id),
                        "{label} {file}: cargo-about {id}, we {ours:?}"
                    );
                    files_compared += 1;
                }
                None => {
                    // cargo-about used the stock text of `id`: we embed what
                    // the package ships, and the package is covered.
                    assert!(
                        p["files"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|f| f["role"] == "license"),
                        "{label}: no shipped license file either"
                    );
                    assert_ne!(p["coverage"], "none", "{label}");
                    stock_replaced += 1;
                }
            }
        }
    }
    assert!(files_compared >= 25, "only {files_compared} files compared");
    // ryu, unicode-ident and the windows crates ship their license files.
    assert!(stock_replaced >= 10, "{stock_replaced}");
}

/// A workspace made here: a path dependency whose license holds Markdown
/// fences, a NOTICE, one with no license file at all.
fn small_workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path();
    let write = |p: &str, s: &str| {
        let p = w.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    write(
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n[dependencies]\nfenced = { path = \"../fenced\" }\nbare = { path = \"../bare\" }\n[dev-dependencies]\ntesthelper = { path = \"../testhelper\" }\n[target.'cfg(windows)'.dependencies]\nwinonly = { path = \"../winonly\" }\n[workspace]\n",
    );
    write("app/src/lib.rs", "");
    write(
        "fenced/Cargo.toml",
        "[package]\nname = \"fenced\"\nversion = \"1.0.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
    );
    write("fenced/src/lib.rs", "");
    write("fenced/src/license.rs", "// not a license\n");
    // The MIT text with a three- and a four-backtick fence inside.
    let mit = MIT
        .replace("The above copyright", "```\nThe above copyright")
        .replace(
            "portions of the Software.\n",
            "portions of the Software.\n````\n",
        );
    write("fenced/LICENSE", &mit);
    write(
        "fenced/NOTICE",
        "Fenced\nThis product includes software developed by Fence Maker.\n",
    );
    write(
        "bare/Cargo.toml",
        "[package]\nname = \"bare\"\nversion = \"2.0.0\"\nedition = \"2021\"\nlicense = \"Apache-2.0\"\n",
    );
    write("bare/src/lib.rs", "");
    write(
        "testhelper/Cargo.toml",
        "[package]\nname = \"testhelper\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"GPL-3.0-only\"\n",
    );
    write("testhelper/src/lib.rs", "");
    write(
        "winonly/Cargo.toml",
        "[package]\nname = \"winonly\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
    );
    write("winonly/src/lib.rs", "");
    write("winonly/LICENSE", MIT);
    tmp
}

#[test]
fn target_filters_platform_dependencies() {
    let tmp = small_workspace();
    let manifest = tmp.path().join("app/Cargo.toml");
    let names = |extra: &[&str]| -> Vec<String> {
        let r = run(apostille()
            .args(["notices", "--offline", "--format", "json"])
            .args(extra)
            .arg("--manifest-path")
            .arg(&manifest));
        let doc = json(&r.ok_stdout());
        assert_eq!(
            doc["target"],
            extra
                .get(1)
                .copied()
                .map_or(serde_json::Value::Null, |t| t.into())
        );
        doc["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&[]), ["bare", "fenced", "winonly"]);
    assert_eq!(
        names(&["--target", "x86_64-unknown-linux-gnu"]),
        ["bare", "fenced"]
    );
    assert_eq!(
        names(&["--target", "x86_64-pc-windows-msvc"]),
        ["bare", "fenced", "winonly"]
    );
}

#[test]
fn fences_notice_fallback_and_dev_dependencies() {
    let tmp = small_workspace();
    let manifest = tmp.path().join("app/Cargo.toml");
    let out = tmp.path().join("NOTICES.md");
    run(apostille()
        .args(["notices", "--offline", "-o"])
        .arg(&out)
        .arg("--manifest-path")
        .arg(&manifest))
    .code_is(0);
    let md = std::fs::read_to_string(&out).unwrap();
    let license = std::fs::read_to_string(tmp.path().join("fenced/LICENSE")).unwrap();
    // Fenced with five backticks: longer than the four inside.
    assert!(md.contains(&format!("`````text\n{license}`````\n")), "{md}");
    // The NOTICE is passed on, verbatim.
    assert!(
        md.contains(
            "```text\nFenced\nThis product includes software developed by Fence Maker.\n```\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("- [fenced 1.0.0](#pkg-fenced-1-0-0): NOTICE"),
        "{md}"
    );
    // No source file taken for a license.
    assert!(!md.contains("license.rs"), "{md}");
    // The package with no file gets the standard text, marked as such.
    assert!(
        md.contains("Standard text of `Apache-2.0` put in, **not shipped by upstream**"),
        "{md}"
    );
    assert!(md.contains("**Standard text from the SPDX license list, not shipped by upstream.**"));
    // Dev-dependencies only when asked.
    assert!(!md.contains("testhelper"));
    let r = run(apostille()
        .args([
            "notices",
            "--offline",
            "--dev",
            "--format",
            "json",
            "--manifest-path",
        ])
        .arg(&manifest));
    let doc = json(&r.ok_stdout());
    assert!(has_flag(package(&doc, "testhelper"), "copyleft"));
    assert!(has_flag(package(&doc, "testhelper"), "no-license-file"));
}

#[test]
fn output_is_deterministic() {
    let tmp = small_workspace();
    let manifest = tmp.path().join("app/Cargo.toml");
    let once = |fmt: &str| {
        run(apostille()
            .args(["notices", "--offline", "--format", fmt, "--manifest-path"])
            .arg(&manifest))
        .ok_stdout()
    };
    assert_eq!(once("md"), once("md"));
    assert_eq!(once("json"), once("json"));
}

#[test]
fn policy_violation_exits_1_and_still_writes() {
    let tmp = small_workspace();
    let manifest = tmp.path().join("app/Cargo.toml");
    std::fs::write(
        tmp.path().join("app/apostille.toml"),
        "[notices]\nallow = [\"MIT\"]\n",
    )
    .unwrap();
    let out = tmp.path().join("NOTICES.md");
    run(apostille()
        .args(["notices", "--offline", "-o"])
        .arg(&out)
        .arg("--manifest-path")
        .arg(&manifest))
    .code_is(1)
    .stderr_has("bare 2.0.0: policy violation: `Apache-2.0`: Apache-2.0 not allowed by the policy");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("- **Policy violation**: `Apache-2.0`"), "{md}");
    // A broken policy file is an error (2) naming the file.
    std::fs::write(
        tmp.path().join("app/apostille.toml"),
        "[notices]\nallow = [\"Nope-1.0\"]\n",
    )
    .unwrap();
    run(apostille()
        .args(["notices", "--offline", "--manifest-path"])
        .arg(&manifest))
    .code_is(2)
    .stderr_has("apostille.toml");
}

#[test]
fn this_workspace_passes_its_own_policy() {
    let manifest = repo_root().join("Cargo.toml");
    run(apostille()
        .args(["notices", "--format", "json", "--manifest-path"])
        .arg(&manifest))
    .code_is(0);
}

/// What the audit of one upstream tarball must find.
struct Expected {
    archive: &'static str,
    top: &'static str,
    license: &'static str,
    notice: bool,
    unapproved: &'static [&'static str],
    binaries: usize,
    media: usize,
}

const TARBALLS: &[Expected] = &[
    Expected {
        archive: "curl/curl_7.88.1.orig.tar.gz",
        top: "curl-7.88.1",
        license: "COPYING",
        notice: false,
        // Generated at release time from the manual; carries no header.
        unapproved: &["src/tool_hugehelp.c"],
        // tests/certs/*.der and eight tests/data/test* files holding NULs.
        binaries: 20,
        media: 0,
    },
    Expected {
        archive: "apr-util/apr-util_1.6.3.orig.tar.bz2",
        top: "apr-util-1.6.3",
        license: "LICENSE",
        notice: true,
        unapproved: &[
            "build/get-version.sh",
            "build/install.sh",
            "build/w32locatedb.pl",
            "configure.in",
            "test/nw_misc.c",
        ],
        binaries: 0,
        media: 0,
    },
    Expected {
        archive: "gnupg2/gnupg2_2.2.40.orig.tar.bz2",
        top: "gnupg-2.2.40",
        license: "COPYING",
        notice: false,
        unapproved: &[
            "common/t-iobuf.c",
            "dirmngr/dirmngr-err.h",
            "m4/Makefile.am",
            "m4/libcurl.m4",
            "regexp/_unicode_mapping.c",
            "regexp/jimregexp.h",
            "regexp/utf8.c",
            "regexp/utf8.h",
            "tests/gpgscm/opdefines.h",
            "tests/gpgscm/scheme-private.h",
            "tests/gpgscm/scheme.c",
            "tests/gpgscm/scheme.h",
        ],
        // .gmo catalogs, test keyrings and keys, DER certificates; the
        // PNG, BMP, ICO and PDF files are listed but allowed.
        binaries: 79,
        media: 10,
    },
];

fn audit_json(path: &Path) -> (i32, serde_json::Value) {
    let r = run(apostille()
        .args(["notices", "audit", "--format", "json"])
        .arg(path));
    (r.code(), json(&r.stdout))
}

fn check_findings(e: &Expected, doc: &serde_json::Value) {
    let findings = doc["findings"].as_array().unwrap();
    let of = |check: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["check"] == check)
            .map(|f| f["path"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        of("license"),
        Vec::<String>::new(),
        "{}: {findings:#?}",
        e.archive
    );
    assert_eq!(of("notice").len(), usize::from(!e.notice), "{}", e.archive);
    assert_eq!(of("header"), e.unapproved, "{}", e.archive);
    assert_eq!(of("binary").len(), e.binaries - e.media, "{}", e.archive);
    assert_eq!(
        doc["binaries"].as_array().unwrap().len(),
        e.binaries,
        "{}",
        e.archive
    );
    assert!(of("keys").is_empty() && of("disclaimer").is_empty());
    let root: Vec<&str> = doc["root_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(root.contains(&e.license), "{}: {root:?}", e.archive);
}

#[test]
fn audit_of_upstream_tarballs_matches_their_trees() {
    let Some(root) = crate::common::vectors("openpgp") else {
        return;
    };
    for e in TARBALLS {
        let archive = root.join(e.archive);
        let (code, doc) = audit_json(&archive);
        assert_eq!(code, 1, "{}", e.archive);
        assert_eq!(doc["top_folder"], e.top);
        check_findings(e, &doc);
        // The same tree unpacked by GNU tar gives the same findings.
        let tmp = tempfile::tempdir().unwrap();
        run(peer("tar")
            .arg("-xf")
            .arg(&archive)
            .arg("-C")
            .arg(tmp.path()))
        .code_is(0);
        let (code, dir_doc) = audit_json(&tmp.path().join(e.top));
        assert_eq!(code, 1);
        assert_eq!(
            dir_doc["findings"], doc["findings"],
            "{}: folder and archive differ",
            e.archive
        );
        assert_eq!(dir_doc["headers"], doc["headers"]);
    }
}

#[test]
fn audit_license_detection_of_the_tarballs() {
    let Some(root) = crate::common::vectors("openpgp") else {
        return;
    };
    let (_, curl) = audit_json(&root.join("curl/curl_7.88.1.orig.tar.gz"));
    assert_eq!(
        curl["root_files"][0]["detection"]["licenses"][0]["id"],
        "curl"
    );
    let (_, apr) = audit_json(&root.join("apr-util/apr-util_1.6.3.orig.tar.bz2"));
    let lic = &apr["root_files"][0];
    assert_eq!(lic["name"], "LICENSE");
    assert_eq!(lic["detection"]["licenses"][0]["id"], "Apache-2.0");
}

#[test]
fn clean_release_passes_and_rat_excludes_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let rel = tmp.path().join("foo-1.0-incubating");
    let write = |p: &str, b: &[u8]| {
        let p = rel.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b).unwrap();
    };
    write("LICENSE", MIT.as_bytes());
    write(
        "NOTICE",
        b"Apache Foo\nCopyright 2026 The Apache Software Foundation\n",
    );
    write(
        "DISCLAIMER",
        b"Apache Foo is an effort undergoing incubation.\n",
    );
    write(
        "src/main.rs",
        b"// SPDX-License-Identifier: Apache-2.0\nfn main() {}\n",
    );
    write("src/generated.rs", b"fn generated() {}\n");
    let r = run(apostille()
        .args(["notices", "audit", "--incubating"])
        .arg(&rel));
    r.code_is(1)
        .stdout_has(b"FAIL header: src/generated.rs: no license header");
    write(".rat-excludes", b"# generated code\ngenerated.rs\n");
    let out = tmp.path().join("report.txt");
    run(apostille()
        .args(["notices", "audit", "--incubating", "-o"])
        .arg(&out)
        .arg(&rel))
    .code_is(0);
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(report.contains(" 0 findings"), "{report}");
    assert!(report.contains("1 excluded"), "{report}");
}

/// The MIT license text, with a copyright line.
const MIT: &str = "Copyright (c) 2026 Fence Maker\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";
