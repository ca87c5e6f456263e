//! Hostile release: see the module list in `hostile/mod.rs`.

use super::*;
use crate::common::create;

/// A temporary folder with `dist/demo-1.0.tar.gz` and, when given, an
/// `apostille.toml` holding `config`.
fn release_folder(config: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("dist")).unwrap();
    std::fs::write(tmp.path().join("dist/demo-1.0.tar.gz"), b"demo").unwrap();
    if let Some(c) = config {
        std::fs::write(tmp.path().join("apostille.toml"), c).unwrap();
    }
    tmp
}

/// Nothing but the artifact in `dist`: the release was not made.
fn nothing_written(tmp: &tempfile::TempDir) {
    assert_eq!(entries(&tmp.path().join("dist")), ["demo-1.0.tar.gz"]);
}

#[test]
fn misspelt_release_table_is_an_error() {
    for config in [
        "[relase]\nname = \"demo\"\n",
        "[relase.pgp]\nkey = \"release.sec.asc\"\n",
    ] {
        let tmp = release_folder(Some(config));
        // Found by default in the current folder, and given with --config.
        for args in [
            &["release", "dist"][..],
            &["release", "--config", "apostille.toml", "dist"][..],
        ] {
            let run = bounded(tmp.path(), args);
            refused(
                &run,
                2,
                &["apostille.toml: unknown table `relase` (did you mean `release`?)"],
            );
            nothing_written(&tmp);
        }
    }
    // Unknown keys within [release] and its tables, with the file named.
    let tmp = release_folder(Some("[release.pgp]\nkye = \"release.sec.asc\"\n"));
    let run = bounded(tmp.path(), ["release", "dist"]);
    refused(
        &run,
        2,
        &["apostille.toml: unknown key `release.pgp.kye` (did you mean `release.pgp.key`?)"],
    );
    // A wrong type names the file too.
    let tmp = release_folder(Some("[release.sbom]\nenabled = \"no\"\n"));
    let run = bounded(tmp.path(), ["release", "dist"]);
    refused(&run, 2, &["apostille.toml: "]);
    nothing_written(&tmp);
    // The tables of `apostille notices` are not unknown.
    let tmp = release_folder(Some(
        "[notices]\ncopyleft = \"deny\"\n[audit]\nexclude = [\"x\"]\n[release]\nname = \"demo\"\n",
    ));
    bounded(tmp.path(), ["release", "dist"]).code_is(0);
    assert!(tmp.path().join("dist/demo.spdx.json").is_file());
}

#[test]
fn hostile_release_names_are_refused() {
    let long = "x".repeat(201);
    for name in [
        "new\nline",
        "esc\x1b]0;owned\x07",
        "a/b",
        "../up",
        ".",
        "..",
        "",
        long.as_str(),
    ] {
        let tmp = release_folder(None);
        let run = bounded(tmp.path(), ["release", "--name", name, "dist"]);
        refused(&run, 2, &["release name `"]);
        nothing_written(&tmp);
    }
    // NUL (which argv cannot carry) and ESC through `name =`.
    for escaped in ["nul\\u0000byte", "esc\\u001b[31m"] {
        let tmp = release_folder(Some(&format!("[release]\nname = \"{escaped}\"\n")));
        let run = bounded(tmp.path(), ["release", "dist"]);
        refused(&run, 2, &["release name `"]);
        nothing_written(&tmp);
    }
    let tmp = release_folder(None);
    let run = bounded(tmp.path(), ["release", "--name", "esc\x1b[31m", "dist"]);
    refused(
        &run,
        2,
        &["release name `esc\\x1b[31m` contains control character"],
    );
    // 200 bytes is still a name.
    let tmp = release_folder(None);
    let ok = "x".repeat(200);
    bounded(tmp.path(), ["release", "--name", ok.as_str(), "dist"]).code_is(0);
}

#[test]
fn naming_errors_show_hostile_names_terminal_safe() {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    create(&dist, b"evil\x1b]0;title\x07\xe2\x80\xae.tar.gz");
    let run = bounded(
        tmp.path(),
        [
            "release",
            "--name",
            "demo",
            "--require-in-name",
            "-incubating",
            "dist",
        ],
    );
    refused(
        &run,
        2,
        &["evil\\x1b]0;title\\x07\\u{202e}.tar.gz: does not contain \"-incubating\""],
    );
}

#[test]
fn excludes_file_bad_pattern_names_file_line_and_pattern() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("rel")).unwrap();
    std::fs::write(tmp.path().join("rel/README"), b"hello\n").unwrap();
    // Valid glob syntax, too large for the matcher.
    let huge = "?".repeat(100_000);
    std::fs::write(tmp.path().join("F"), format!("# ok\nok/*\n{huge}\n")).unwrap();
    let run = bounded(
        tmp.path(),
        ["notices", "audit", "--excludes-file", "F", "rel"],
    );
    refused(
        &run,
        2,
        &[&format!("F:3: bad pattern `{}…`: ", &huge[..200])],
    );
    // A syntax error too.
    std::fs::write(tmp.path().join("F"), "ok/*\n\na[\n").unwrap();
    let run = bounded(
        tmp.path(),
        ["notices", "audit", "--excludes-file", "F", "rel"],
    );
    refused(&run, 2, &["F:3: bad pattern `a[`: "]);
}

#[test]
fn a_release_failing_while_writing_leaves_the_folder_as_it_was() {
    // An output path occupied by a directory, under --force: found before
    // anything is put in place.
    let tmp = release_folder(None);
    std::fs::create_dir(tmp.path().join("dist/SHA256SUMS")).unwrap();
    let run = bounded(tmp.path(), ["release", "--force", "--name", "demo", "dist"]);
    refused(
        &run,
        2,
        &["SHA256SUMS: cannot write: ", "a directory is in the way"],
    );
    assert_eq!(
        entries(&tmp.path().join("dist")),
        ["SHA256SUMS", "demo-1.0.tar.gz"]
    );

    // An artifact whose sidecar name the file system refuses (255 bytes
    // per name): the error comes while staging, and nothing is in place.
    let tmp = release_folder(None);
    let long = format!("demo-1.0-{}.tar.gz", "x".repeat(238));
    std::fs::write(tmp.path().join("dist").join(&long), b"long").unwrap();
    let run = bounded(tmp.path(), ["release", "--name", "demo", "dist"]);
    run.code_is(2);
    assert!(
        run.streams().contains(".tar.gz.sha512: cannot write: "),
        "{}",
        run.streams()
    );
    let mut want = vec![long.clone(), "demo-1.0.tar.gz".to_string()];
    want.sort();
    assert_eq!(entries(&tmp.path().join("dist")), want);
}

#[test]
fn what_a_killed_release_left_is_removed_by_the_next_run() {
    let tmp = release_folder(None);
    let dist = tmp.path().join("dist");
    // What SIGKILL in the write phase leaves: a staging folder and a
    // temporary file of ours, their locks no longer held.
    std::fs::create_dir_all(dist.join(".apostille-stage-Ab12Cd/f")).unwrap();
    std::fs::write(dist.join(".apostille-stage-Ab12Cd/.lock"), b"").unwrap();
    std::fs::write(dist.join(".apostille-stage-Ab12Cd/f/0"), b"half a sidecar").unwrap();
    std::fs::write(dist.join(".apostille-Xy34Zw.tmp"), b"half").unwrap();
    let run = bounded(tmp.path(), ["release", "--name", "demo", "dist"]);
    clean(&run).code_is(0);
    let names = entries(&dist);
    assert!(
        names.iter().all(|n| !n.starts_with(".apostille-")),
        "{names:?}"
    );
    assert!(
        names.contains(&"apostille-manifest.json".to_string()),
        "{names:?}"
    );
}

#[test]
fn configs_with_wrong_types_or_huge_values_are_refused_naming_the_file() {
    let huge_name = format!("[release]\nname = \"{}\"\n", "n".repeat(1 << 20));
    for config in [
        "[release]\nname = 5\n",
        "[release]\nname = [\"a\"]\n",
        "[release.checksums]\nsidecars = \"sha512\"\n",
        "[release.checksums]\nsidecars = [\"sha513\"]\n",
        "[release.checksums]\nlists = [1e308]\n",
        "[release.naming]\nversion = \"yes\"\n",
        "[release.sbom]\nenabled = 99999999999999999999\n",
        "[release]\nname = \"demo\"\nname = \"again\"\n",
        "release = 1\n",
        "[release\n",
        huge_name.as_str(),
    ] {
        let tmp = release_folder(Some(config));
        let run = bounded(tmp.path(), ["release", "dist"]);
        refused(&run, 2, &["apostille.toml"]);
        assert!(
            run.stderr.len() < 2000,
            "{} bytes of error",
            run.stderr.len()
        );
        nothing_written(&tmp);
    }
}

#[test]
fn verify_policy_with_wrong_types_or_unknown_keys_is_refused() {
    let tmp = release_folder(None);
    for policy in [
        "require = \"pgp\"\n",
        "require = [\"pgpp\"]\n",
        "ignore_missing = \"false\"\n",
        "allow_weak = 1\n",
        "alow_weak = true\n",
        "require = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"pgp\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    ] {
        std::fs::write(tmp.path().join("policy.toml"), policy).unwrap();
        let run = bounded(tmp.path(), ["verify", "--policy", "policy.toml", "dist"]);
        refused(&run, 2, &["policy.toml"]);
    }
}
