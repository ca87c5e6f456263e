# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_apostille_global_optspecs
    string join \n threads= no-mmap q/quiet h/help V/version
end

function __fish_apostille_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_apostille_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_apostille_using_subcommand
    set -l cmd (__fish_apostille_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c apostille -n "__fish_apostille_needs_command" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_needs_command" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_needs_command" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_needs_command" -s V -l version -d 'Print version'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "release" -d 'Attest a release folder in one read of each artifact: checksum files, OpenPGP signatures, SBOM, notices, signed SLSA provenance, and a manifest of it all'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "promote" -d 'Promote a voted release candidate to the final release without a rebuild: verify it, rename its artifacts, keep their signatures, re-sign the lists and SBOMs, and sign a SLSA verification summary linking the final names to the candidate\'s provenance'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "hash" -d 'Print digests of files, like sha256sum or b3sum (`-` is standard input)'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "checksums" -d 'Write checksum files (SHA512SUMS-style, BSD tags, or per-file sidecars)'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "sign" -d 'Sign release artifacts'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "attest" -d 'Sign an in-toto attestation (SLSA provenance, or a custom predicate) about the files, as a Sigstore bundle with a DSSE envelope (`cosign attest-blob`)'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "keys" -d 'Release-manager keys and KEYS files'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "sbom" -d 'Write an SPDX SBOM of a Cargo workspace, release artifacts, or an archive\'s contents'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "verify" -d 'Check what a release published: `verify DIR|FILE…` checks every attestation found beside the artifacts; the subcommands check one kind'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "notices" -d 'Third-party notices for a Cargo workspace (verbatim license texts), or `notices audit` of a source release'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "trust" -d 'Sigstore trusted roots: refresh the embedded ones through TUF'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "conformance" -d 'Entry points for the sigstore-conformance suite\'s CLI protocol'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "oci" -d 'Attach, fetch and verify attestations of container images in an OCI registry'
complete -c apostille -n "__fish_apostille_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l out -d 'Where to write the outputs (default: beside the artifacts)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l config -d 'The configuration (its `[release]` table; default: apostille.toml in the current folder, when there is one)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l name -d 'Release name: NAME.spdx.json, NAME.intoto.jsonl (default: the folder\'s name)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l release-version -d 'Release version (default: from --tag, GITHUB_REF_NAME on a tag, or CI_COMMIT_TAG, without a leading `v`)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l series -d 'Release series (`1.4`), recorded in the provenance' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l tag -d 'The git tag being released (`v1.4.0`); gives the version' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l sidecars -d 'Checksum sidecars (default sha512): comma-separated algorithms; md5 and sha1 are legacy and warned about' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l lists -d 'Checksum lists, SHA256SUMS-style (default sha256)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l require-in-name -d 'Artifact names must contain this (repeatable; e.g. -incubating)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l pgp-key -d 'OpenPGP: sign every artifact with this armored secret key' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l pgp-agent -d 'OpenPGP: sign with this key held by gpg-agent (fingerprint)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l pgp-cert -d 'OpenPGP with --pgp-agent: the certificate (default: gpg --export)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l gnupg-home -d 'OpenPGP with --pgp-agent: GnuPG home of the agent' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l passphrase-file -d 'OpenPGP: the key\'s passphrase from this file (first line)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l passphrase-env -d 'OpenPGP: the key\'s passphrase from this environment variable' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l keys -d 'OpenPGP: the project\'s KEYS file; the signing key must be in it and meet the release policy' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l sigstore-key -d 'Sigstore: sign the provenance with this key (cosign\'s format or PKCS#8)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l identity-token -d 'Keyless: the OIDC token in this file (else SIGSTORE_ID_TOKEN, else GitHub Actions\' ambient credentials)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l signing-config -d 'Keyless: the Sigstore signing config (default: the public-good instance\'s, embedded)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l fulcio-url -d 'Keyless: Fulcio\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l rekor-url -d 'Keyless: Rekor\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l timestamp-server-url -d 'Keyless: the timestamp authority\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l provenance -d 'Where the build ran (default: detected from the environment; generic when --builder-id is given)' -r -f -a "github\t'GitHub Actions\' variables'
gitlab\t'GitLab CI\'s variables'
generic\t'--builder-id, --source-uri and friends'"
complete -c apostille -n "__fish_apostille_using_subcommand release" -l builder-id -d 'Generic provenance: the builder\'s ID' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l source-uri -d 'Generic provenance: the source repository (`git+https://…`)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l source-ref -d 'Generic provenance: the source ref (refs/tags/v1.0)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l source-digest -d 'Generic provenance: the source commit' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l build-type -d 'Generic provenance: the build type URI' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l sbom-format -d 'SBOM formats (default spdx-json): spdx-json, cyclonedx-json; comma-separated, each its own document (NAME.spdx.json, NAME.cdx.json)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l candidate -d 'The release candidate this is (`rc2`; default: from a version or tag ending in -rcN), recorded for `apostille promote`' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l notices-manifest -d 'Third-party notices for this Cargo workspace (its Cargo.toml)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand release" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand release" -l keyless -d 'Keyless: an OIDC identity, a Fulcio certificate for an ephemeral key, a Rekor entry and (when the signing config has a TSA) an RFC 3161 timestamp'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l no-timestamp -d 'Keyless: no RFC 3161 timestamp, even if the signing config has a TSA'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l no-sbom -d 'No SBOM'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l sbom-per-artifact -d 'One SBOM per artifact (X.spdx.json, X.cdx.json) instead of one for the release'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l sbom-contents -d 'List the files inside tar archives in each archive\'s own SBOM (X.spdx.json), from the same read of the archive'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l sbom-blake3 -d 'Add BLAKE3 checksums to the SBOMs (an extra digest of every byte)'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l announce -d 'Print the vote mail (see `apostille announce`) instead of the summary'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l force -d 'Replace outputs that exist'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l json -d 'Print the report as JSON on standard output'
complete -c apostille -n "__fish_apostille_using_subcommand release" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand release" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand release" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l to -d 'The final version (`1.3.0`): it replaces the candidate\'s version in every name' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l from -d 'The candidate\'s version (default: the one its manifest records)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l tag -d 'The final tag (default: the candidate\'s tag with the version replaced, `v1.3.0-rc2` → `v1.3.0`)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l pgp-key -d 'OpenPGP: re-sign the lists and SBOMs with this armored secret key (the artifacts\' own .asc files are kept)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l passphrase-file -d 'OpenPGP: the key\'s passphrase from this file (first line)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l sigstore-key -d 'Sigstore: sign the promotion, the lists\' bundles and the SBOM attestations with this key (cosign\'s format or PKCS#8)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l keys -d 'KEYS file(s) whose certificates OpenPGP signatures are checked with. A KEYS file in the download is never trusted by itself' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l certificate-identity -d 'Sigstore: the certificate identity (SAN) that must have signed' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l certificate-identity-regexp -d 'Sigstore: a regular expression the identity must match (unanchored)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l certificate-oidc-issuer -d 'Sigstore: the OIDC issuer the certificate must name' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l key -d 'Sigstore: a PEM public key that must have signed (key-based bundles)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l trusted-root -d 'Sigstore: believe this trusted_root.json instead of the embedded public-good one' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l type -d 'The predicate type required: a URI, or one of cosign\'s names (slsaprovenance1, slsaprovenance = slsaprovenance02, spdxjson, cyclonedx, vuln, custom). Default: any, unless a --source-… or --builder-id option is given, which requires SLSA provenance (v1 or v0.2)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l source-uri -d 'The source repository the provenance must name (github.com/o/r, any URL form)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l source-tag -d 'The tag it must have been built from (v1.0 or refs/tags/v1.0); with --source-branch, the ref must be one of the two' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l source-branch -d 'The branch it must have been built from (main or refs/heads/main)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l builder-id -d 'The builder ID it must name; without @…, any version of it' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l min-signatures -d 'OpenPGP: good signatures by distinct trusted certificates an .asc (or clear-signed list) needs to vouch for its file' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l signer -d 'OpenPGP: only good signatures by this certificate (primary or signing-key fingerprint) count; repeatable' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l policy -d 'A policy file (TOML): `require = ["pgp", "checksum", "provenance"]`, `ignore_missing`, `allow_weak`, `allow_integrity_only`' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l require -d 'Kinds that must pass for every artifact (comma-separated: checksum, pgp, sigstore, provenance, sbom); added to the policy file\'s. A signature kind is met through any chain rooted in it (pgp: an .asc over the file, or over a checksum list whose line matches)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l allow-sha1-bindings -d 'Accept SHA-1 self-signatures binding keys in KEYS (not data signatures)'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l insecure-ignore-tlog -d 'Sigstore, with --key: accept bundles without a transparency-log entry (key-based bundles made offline)'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l staging -d 'Sigstore: believe the embedded staging trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l github -d 'Sigstore: believe GitHub\'s own instance (artifact attestations of private repositories: no transparency log, RFC 3161 timestamps)'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l ignore-missing -d 'Artifacts named by an attestation but absent are skipped, not failed'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l allow-weak -d 'MD5/SHA-1-only checksums count as passing'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l allow-integrity-only -d 'Accept artifacts whose checksums match although no trusted signer vouches for them: their verdict is INTEGRITY ONLY (exit 0), never VERIFIED'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l json -d 'Print the report as JSON'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand hash" -s a -l algo -d 'Algorithms, comma-separated: sha256, sha384, sha512, blake3, sha1, md5' -r
complete -c apostille -n "__fish_apostille_using_subcommand hash" -l format -d 'Output layout (default: gnu for one algorithm, bsd for several)' -r -f -a "gnu\t'`HASH  name`, as sha256sum prints (one algorithm only)'
bsd\t'`SHA256 (name) = HASH`, as sha256sum --tag prints'
json\t'One JSON array with an object per input'"
complete -c apostille -n "__fish_apostille_using_subcommand hash" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand hash" -l follow-symlinks -d 'Follow symlinks found inside directories'
complete -c apostille -n "__fish_apostille_using_subcommand hash" -s c -l check -d 'Not a hash option: checking a list is `apostille verify checksums FILE` (the sha256sum -c habit is pointed there)'
complete -c apostille -n "__fish_apostille_using_subcommand hash" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand hash" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand hash" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -s a -l algo -d 'Algorithms, comma-separated. MD5 and SHA-1 are legacy: written only when asked, with a warning' -r
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -l style -d 'Line layout' -r -f -a "gnu\t'`HASH  name` lines (coreutils, b3sum)'
bsd\t'`SHA512 (name) = HASH` lines (BSD, sha512sum --tag)'"
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -s o -l output -d 'Write all lines to this file (names relative to its folder)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -l output-dir -d 'Write one SHA256SUMS-style file per algorithm into this folder' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -l sidecar -d 'Write `ARTIFACT.<algo>` beside each artifact (one line, base name)'
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -l follow-symlinks -d 'Follow symlinks found inside directories'
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand checksums" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and not __fish_seen_subcommand_from pgp blob help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and not __fish_seen_subcommand_from pgp blob help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and not __fish_seen_subcommand_from pgp blob help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and not __fish_seen_subcommand_from pgp blob help" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and not __fish_seen_subcommand_from pgp blob help" -f -a "pgp" -d 'Detached ASCII-armored OpenPGP signatures (ARTIFACT.asc), one pass over each file'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and not __fish_seen_subcommand_from pgp blob help" -f -a "blob" -d 'Sigstore bundles (ARTIFACT.sigstore.json) over each file\'s SHA-256, as `cosign sign-blob --bundle` makes them'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and not __fish_seen_subcommand_from pgp blob help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l key -d 'Armored secret key file (asks for its passphrase on the terminal when it is protected and neither --passphrase-file nor --passphrase-env is given)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l agent -d 'Sign with this key held by gpg-agent (primary or subkey fingerprint); the secret never leaves the agent or smartcard' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l cert -d 'With --agent: the certificate, from this file (a KEYS file will do) instead of `gpg --export`' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l gnupg-home -d 'With --agent: GnuPG home of the agent (default: $GNUPGHOME, then ~/.gnupg)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l passphrase-file -d 'Read the key\'s passphrase from this file (first line)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l passphrase-env -d 'Read the key\'s passphrase from this environment variable' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l hash -d 'Hash algorithm of the signatures: sha512, sha384 or sha256' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l checksums -d 'Also write checksum sidecars (FILE.sha512, …) from the same read: comma-separated algorithms, e.g. sha512 or sha512,sha256' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l force -d 'Replace existing .asc (and sidecar) files'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from pgp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l key -d 'Private key: cosign\'s encrypted format (password from COSIGN_PASSWORD or the terminal) or PKCS#8 PEM' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l identity-token -d 'Keyless: the OIDC token in this file (else SIGSTORE_ID_TOKEN, else GitHub Actions\' ambient credentials)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l signing-config -d 'Keyless: the Sigstore signing config (default: the public-good instance\'s, embedded)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l fulcio-url -d 'Keyless: Fulcio\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l rekor-url -d 'Keyless: Rekor\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l timestamp-server-url -d 'Keyless: the timestamp authority\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l bundle -d 'Bundle path for a single file (default FILE.sigstore.json)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l keyless -d 'Keyless: an OIDC identity, a Fulcio certificate for an ephemeral key, a Rekor entry and (when the signing config has a TSA) an RFC 3161 timestamp'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l no-timestamp -d 'Keyless: no RFC 3161 timestamp, even if the signing config has a TSA'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l force -d 'Replace existing bundles'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from blob" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from help" -f -a "pgp" -d 'Detached ASCII-armored OpenPGP signatures (ARTIFACT.asc), one pass over each file'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from help" -f -a "blob" -d 'Sigstore bundles (ARTIFACT.sigstore.json) over each file\'s SHA-256, as `cosign sign-blob --bundle` makes them'
complete -c apostille -n "__fish_apostille_using_subcommand sign; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l key -d 'Private key: cosign\'s encrypted format (password from COSIGN_PASSWORD or the terminal) or PKCS#8 PEM' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l identity-token -d 'Keyless: the OIDC token in this file (else SIGSTORE_ID_TOKEN, else GitHub Actions\' ambient credentials)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l signing-config -d 'Keyless: the Sigstore signing config (default: the public-good instance\'s, embedded)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l fulcio-url -d 'Keyless: Fulcio\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l rekor-url -d 'Keyless: Rekor\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l timestamp-server-url -d 'Keyless: the timestamp authority\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l provenance -d 'Where the build ran (default: detected from the environment; generic when --builder-id is given)' -r -f -a "github\t'GitHub Actions\' variables'
gitlab\t'GitLab CI\'s variables'
generic\t'--builder-id, --source-uri and friends'"
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l builder-id -d 'Generic provenance: the builder\'s ID' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l source-uri -d 'Generic provenance: the source repository (`git+https://…`)' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l source-ref -d 'Generic provenance: the source ref (refs/tags/v1.0)' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l source-digest -d 'Generic provenance: the source commit' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l build-type -d 'Generic provenance: the build type URI' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l predicate -d 'A custom predicate (JSON) instead of SLSA provenance; needs --predicate-type (an SBOM: `https://spdx.dev/Document`)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l predicate-type -d 'The predicate type of --predicate' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l release-version -d 'Release version recorded in the provenance' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l subject-digests -d 'Digests each subject lists: sha256,sha512 (default) or sha256. On CPUs with SHA-256 instructions SHA-512 is the slower digest, so sha256 alone makes the single pass cheaper' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -s o -l output -d 'Output bundle (default: the first file\'s name + .intoto.sigstore.json)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l keyless -d 'Keyless: an OIDC identity, a Fulcio certificate for an ephemeral key, a Rekor entry and (when the signing config has a TSA) an RFC 3161 timestamp'
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l no-timestamp -d 'Keyless: no RFC 3161 timestamp, even if the signing config has a TSA'
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l force -d 'Replace an existing bundle'
complete -c apostille -n "__fish_apostille_using_subcommand attest" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand attest" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand attest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -f -a "generate" -d 'Generate an OpenPGP key (RSA-4096 unless --algo ed25519)'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -f -a "add" -d 'Append a certificate to a KEYS file (listing + armored key)'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -f -a "check" -d 'Audit a KEYS file: sizes, expiry, revocation, SHA-1, Apache policy'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and not __fish_seen_subcommand_from generate add check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l uid -d 'User ID, e.g. "Jane Doe (CODE SIGNING KEY) <jane@apache.org>"' -r
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l algo -d 'rsa4096 (the Apache policy) or ed25519' -r
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l passphrase-file -d 'Protect the secret key with the passphrase in this file (first line)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l passphrase-env -d 'Protect the secret key with the passphrase in this variable' -r
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -s o -l output -d 'Write PREFIX.sec.asc (mode 0600) and PREFIX.pub.asc' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l sigstore -d 'Make a cosign-compatible Sigstore key pair instead (ECDSA P-256: PREFIX.key in cosign\'s encrypted format, password from COSIGN_PASSWORD or the terminal, and PREFIX.pub; PREFIX defaults to cosign)'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l force -d 'Replace existing key files (--sigstore only)'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l v6 -d 'Make an OpenPGP v6 key (RFC 9580) instead of v4'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l no-passphrase -d 'Write the secret key unprotected. Without it and without a passphrase file or variable, the passphrase is asked for on the terminal (twice, as gpg does); with no terminal, the command fails'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from add" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from add" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from add" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from check" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from check" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from check" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Generate an OpenPGP key (RSA-4096 unless --algo ed25519)'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "add" -d 'Append a certificate to a KEYS file (listing + armored key)'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "check" -d 'Audit a KEYS file: sizes, expiry, revocation, SHA-1, Apache policy'
complete -c apostille -n "__fish_apostille_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -f -a "workspace" -d 'Every package of a Cargo workspace\'s resolved graph (cargo metadata, Cargo.lock)'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -f -a "artifacts" -d 'Release artifacts with SHA-1, SHA-256, SHA-512 and BLAKE3 from one read each'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -f -a "archive" -d 'Every regular file inside a tar(.gz/.bz2/.xz/.zst) or zip archive, in one pass'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and not __fish_seen_subcommand_from workspace artifacts archive help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l manifest-path -d 'The workspace\'s Cargo.toml (default: found from the current directory)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l target -d 'Only dependencies for this target triple (default: all platforms)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -s o -l output -d 'Write the SBOM to this file (atomically) instead of standard output' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l format -d 'Output format' -r -f -a "spdx-json\t'SPDX 2.3 JSON'
spdx-tv\t'SPDX 2.3 tag-value'
spdx3\t'SPDX 3.0.1 JSON-LD'
cyclonedx-json\t'CycloneDX 1.6 JSON'"
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l namespace -d 'documentNamespace (default: derived from the content)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l name -d 'Document name' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l creator -d 'Extra creator beside the tool, e.g. "Organization: Example"; repeatable' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from workspace" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l package-name -d 'Package name (default: from the first file name, e.g. curl-7.88.1.tar.gz → curl)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l package-version -d 'Package version (default: from the first file name, e.g. 7.88.1)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l supplier -d 'Supplier (default: "Organization: NAME", NAME being the package name)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -s o -l output -d 'Write the SBOM to this file (atomically) instead of standard output' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l format -d 'Output format' -r -f -a "spdx-json\t'SPDX 2.3 JSON'
spdx-tv\t'SPDX 2.3 tag-value'
spdx3\t'SPDX 3.0.1 JSON-LD'
cyclonedx-json\t'CycloneDX 1.6 JSON'"
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l namespace -d 'documentNamespace (default: derived from the content)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l name -d 'Document name' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l creator -d 'Extra creator beside the tool, e.g. "Organization: Example"; repeatable' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l follow-symlinks -d 'Follow symlinks found inside directories'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from artifacts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l package-name -d 'Package name (default: from the first file name, e.g. curl-7.88.1.tar.gz → curl)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l package-version -d 'Package version (default: from the first file name, e.g. 7.88.1)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l supplier -d 'Supplier (default: "Organization: NAME", NAME being the package name)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -s o -l output -d 'Write the SBOM to this file (atomically) instead of standard output' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l format -d 'Output format' -r -f -a "spdx-json\t'SPDX 2.3 JSON'
spdx-tv\t'SPDX 2.3 tag-value'
spdx3\t'SPDX 3.0.1 JSON-LD'
cyclonedx-json\t'CycloneDX 1.6 JSON'"
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l namespace -d 'documentNamespace (default: derived from the content)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l name -d 'Document name' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l creator -d 'Extra creator beside the tool, e.g. "Organization: Example"; repeatable' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from archive" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from help" -f -a "workspace" -d 'Every package of a Cargo workspace\'s resolved graph (cargo metadata, Cargo.lock)'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from help" -f -a "artifacts" -d 'Release artifacts with SHA-1, SHA-256, SHA-512 and BLAKE3 from one read each'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from help" -f -a "archive" -d 'Every regular file inside a tar(.gz/.bz2/.xz/.zst) or zip archive, in one pass'
complete -c apostille -n "__fish_apostille_using_subcommand sbom; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l keys -d 'KEYS file(s) whose certificates OpenPGP signatures are checked with. A KEYS file in the download is never trusted by itself' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l certificate-identity -d 'Sigstore: the certificate identity (SAN) that must have signed' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l certificate-identity-regexp -d 'Sigstore: a regular expression the identity must match (unanchored)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l certificate-oidc-issuer -d 'Sigstore: the OIDC issuer the certificate must name' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l key -d 'Sigstore: a PEM public key that must have signed (key-based bundles)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l trusted-root -d 'Sigstore: believe this trusted_root.json instead of the embedded public-good one' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l type -d 'The predicate type required: a URI, or one of cosign\'s names (slsaprovenance1, slsaprovenance = slsaprovenance02, spdxjson, cyclonedx, vuln, custom). Default: any, unless a --source-… or --builder-id option is given, which requires SLSA provenance (v1 or v0.2)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l source-uri -d 'The source repository the provenance must name (github.com/o/r, any URL form)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l source-tag -d 'The tag it must have been built from (v1.0 or refs/tags/v1.0); with --source-branch, the ref must be one of the two' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l source-branch -d 'The branch it must have been built from (main or refs/heads/main)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l builder-id -d 'The builder ID it must name; without @…, any version of it' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l min-signatures -d 'OpenPGP: good signatures by distinct trusted certificates an .asc (or clear-signed list) needs to vouch for its file' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l signer -d 'OpenPGP: only good signatures by this certificate (primary or signing-key fingerprint) count; repeatable' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l policy -d 'A policy file (TOML): `require = ["pgp", "checksum", "provenance"]`, `ignore_missing`, `allow_weak`, `allow_integrity_only`' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l require -d 'Kinds that must pass for every artifact (comma-separated: checksum, pgp, sigstore, provenance, sbom); added to the policy file\'s. A signature kind is met through any chain rooted in it (pgp: an .asc over the file, or over a checksum list whose line matches)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l allow-sha1-bindings -d 'Accept SHA-1 self-signatures binding keys in KEYS (not data signatures)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l insecure-ignore-tlog -d 'Sigstore, with --key: accept bundles without a transparency-log entry (key-based bundles made offline)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l staging -d 'Sigstore: believe the embedded staging trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l github -d 'Sigstore: believe GitHub\'s own instance (artifact attestations of private repositories: no transparency log, RFC 3161 timestamps)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l ignore-missing -d 'Artifacts named by an attestation but absent are skipped, not failed'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l allow-weak -d 'MD5/SHA-1-only checksums count as passing'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l allow-integrity-only -d 'Accept artifacts whose checksums match although no trusted signer vouches for them: their verdict is INTEGRITY ONLY (exit 0), never VERIFIED'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l json -d 'Print the report as JSON'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -a "checksums" -d 'Check checksum files, like sha256sum -c but failing closed'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -a "pgp" -d 'Check a detached OpenPGP signature (.asc) against a KEYS file'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -a "bundle" -d 'Check a Sigstore bundle (keyless or key-based, blob or DSSE attestation) offline, against the embedded public-good trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -a "attestation" -d 'Check an in-toto attestation in a Sigstore bundle (SLSA provenance, SBOM, …): its signature as `verify bundle` does, then what it claims (predicate type, source, ref, builder) like slsa-verifier'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -a "sbom" -d 'Check an SPDX SBOM\'s checksums against the artifacts; report NOASSERTION licenses and NTIA gaps'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and not __fish_seen_subcommand_from checksums pgp bundle attestation sbom help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -s a -l algo -d 'Algorithm for lines whose layout does not say (e.g. blake3 for a B3SUMS file under another name)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -l ignore-missing -d 'Don\'t fail or report status for missing files'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -l allow-weak -d 'Accept a file covered only by MD5 or SHA-1'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -l allow-outside -d 'Accept absolute names and names with `..`'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -l strict -d 'Exit non-zero for improperly formatted checksum lines'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -s w -l warn -d 'Warn about each improperly formatted checksum line'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -l status -d 'Print nothing; the exit status tells. (`--quiet` drops the OK lines and the progress bar.)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from checksums" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -l keys -d 'KEYS file (or any keyring) holding the signers\' certificates; repeatable' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -l min-signatures -d 'Require at least this many good signatures' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -l signer -d 'Count only signatures by this fingerprint (primary or signing key); repeatable' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -l checksums -d 'Also check these checksum files (e.g. FILE.sha512) from the same read of the signed file; repeatable' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -l allow-sha1-bindings -d 'Accept keys bound to their certificate only by SHA-1 self-signatures, which the standard policy refuses since 2023-02-01 whatever their age (SHA-1 data signatures stay rejected)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from pgp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l bundle -d 'The Sigstore bundle (`*.sigstore.json`, v0.1 to v0.3), or a file of JSON lines with one bundle each (`gh attestation download`): the artifact is verified when one of them verifies' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l certificate-identity -d 'Sigstore: the certificate identity (SAN) that must have signed' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l certificate-identity-regexp -d 'Sigstore: a regular expression the identity must match (unanchored)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l certificate-oidc-issuer -d 'Sigstore: the OIDC issuer the certificate must name' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l key -d 'Sigstore: a PEM public key that must have signed (key-based bundles)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l trusted-root -d 'Sigstore: believe this trusted_root.json instead of the embedded public-good one' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l rekor-url -d 'Online, and only when given: search this Rekor v1 log for the entry of a bare DSSE envelope (slsa-github-generator\'s `.intoto.jsonl` before v2.1), which cannot be verified offline' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l insecure-ignore-tlog -d 'Sigstore, with --key: accept bundles without a transparency-log entry (key-based bundles made offline)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l staging -d 'Sigstore: believe the embedded staging trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l github -d 'Sigstore: believe GitHub\'s own instance (artifact attestations of private repositories: no transparency log, RFC 3161 timestamps)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from bundle" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l bundle -d 'The Sigstore bundle (`*.sigstore.json`, v0.1 to v0.3), or a file of JSON lines with one bundle each (`gh attestation download`): the artifact is verified when one of them verifies' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l certificate-identity -d 'Sigstore: the certificate identity (SAN) that must have signed' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l certificate-identity-regexp -d 'Sigstore: a regular expression the identity must match (unanchored)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l certificate-oidc-issuer -d 'Sigstore: the OIDC issuer the certificate must name' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l key -d 'Sigstore: a PEM public key that must have signed (key-based bundles)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l trusted-root -d 'Sigstore: believe this trusted_root.json instead of the embedded public-good one' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l rekor-url -d 'Online, and only when given: search this Rekor v1 log for the entry of a bare DSSE envelope (slsa-github-generator\'s `.intoto.jsonl` before v2.1), which cannot be verified offline' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l type -d 'The predicate type required: a URI, or one of cosign\'s names (slsaprovenance1, slsaprovenance = slsaprovenance02, spdxjson, cyclonedx, vuln, custom). Default: any, unless a --source-… or --builder-id option is given, which requires SLSA provenance (v1 or v0.2)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l source-uri -d 'The source repository the provenance must name (github.com/o/r, any URL form)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l source-tag -d 'The tag it must have been built from (v1.0 or refs/tags/v1.0); with --source-branch, the ref must be one of the two' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l source-branch -d 'The branch it must have been built from (main or refs/heads/main)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l builder-id -d 'The builder ID it must name; without @…, any version of it' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l insecure-ignore-tlog -d 'Sigstore, with --key: accept bundles without a transparency-log entry (key-based bundles made offline)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l staging -d 'Sigstore: believe the embedded staging trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l github -d 'Sigstore: believe GitHub\'s own instance (artifact attestations of private repositories: no transparency log, RFC 3161 timestamps)'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from attestation" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from sbom" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from sbom" -l ignore-missing -d 'Don\'t fail for artifacts the SBOM names that are not there'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from sbom" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from sbom" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from sbom" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "checksums" -d 'Check checksum files, like sha256sum -c but failing closed'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "pgp" -d 'Check a detached OpenPGP signature (.asc) against a KEYS file'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "bundle" -d 'Check a Sigstore bundle (keyless or key-based, blob or DSSE attestation) offline, against the embedded public-good trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "attestation" -d 'Check an in-toto attestation in a Sigstore bundle (SLSA provenance, SBOM, …): its signature as `verify bundle` does, then what it claims (predicate type, source, ref, builder) like slsa-verifier'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "sbom" -d 'Check an SPDX SBOM\'s checksums against the artifacts; report NOASSERTION licenses and NTIA gaps'
complete -c apostille -n "__fish_apostille_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l manifest-path -d 'The workspace\'s Cargo.toml (default: cargo\'s search from here)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -s o -l output -d 'Write to this file, atomically (default: standard output)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l format -d 'Output layout' -r -f -a "md\t'THIRD_PARTY_NOTICES.md: contents, packages, verbatim texts'
json\t'The same as JSON'"
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l target -d 'Only dependencies used when building for this target triple' -r
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -s F -l features -d 'Features of the workspace members to enable (comma-separated)' -r
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l policy -d 'Policy file (default: apostille.toml at the workspace root, if any)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l dev -d 'Include the workspace members\' dev-dependencies'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l all-features -d 'Enable all features'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l no-default-features -d 'Disable default features'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l offline -d 'Run cargo offline (the registry cache must hold every package)'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l locked -d 'Fail if Cargo.lock would change'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l no-policy -d 'Apply no policy file'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -f -a "audit" -d 'Check a source release (folder or archive): LICENSE, NOTICE, DISCLAIMER, KEYS, binary files, and a license header in every source file, like Apache RAT. Exit 1 on findings'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and not __fish_seen_subcommand_from audit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l exclude -d 'Files needing no license header (glob; repeatable). A `.rat-excludes` file at the release root is honoured too' -r
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l excludes-file -d 'Read more exclusions from this file (one glob a line, `#` comments)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l allow-binary -d 'Binary files allowed in the source release (glob; repeatable)' -r
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l policy -d 'Policy file whose `[audit]` table adds exclusions and allowed binaries' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l format -d 'Report layout' -r -f -a "text\t'One line per finding, then a summary'
json\t'One JSON document'"
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -s o -l output -d 'Write the report to this file, atomically (default: standard output)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l incubating -d 'The release is incubating: DISCLAIMER (or DISCLAIMER-WIP) required, `incubating` required in the artifact name. Implied by an artifact name holding `incubating`'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from help" -f -a "audit" -d 'Check a source release (folder or archive): LICENSE, NOTICE, DISCLAIMER, KEYS, binary files, and a license header in every source file, like Apache RAT. Exit 1 on findings'
complete -c apostille -n "__fish_apostille_using_subcommand notices; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and not __fish_seen_subcommand_from update help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand trust; and not __fish_seen_subcommand_from update help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and not __fish_seen_subcommand_from update help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and not __fish_seen_subcommand_from update help" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and not __fish_seen_subcommand_from update help" -f -a "update" -d 'Fetch the current trusted_root.json through TUF (verified from the embedded TUF root) into the cache that `verify` then prefers, and print what changed. The only command that fetches trust material; `verify` never does'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and not __fish_seen_subcommand_from update help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -l tuf-url -d 'Fetch from this TUF repository instead (a mirror, a private instance\'s); needs --tuf-root' -r
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -l tuf-root -d 'The TUF root.json to start from with --tuf-url' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -l staging -d 'The staging instance\'s root (default: public-good)'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -l github -d 'GitHub\'s instance (private-repository attestations)'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "update" -d 'Fetch the current trusted_root.json through TUF (verified from the embedded TUF root) into the cache that `verify` then prefers, and print what changed. The only command that fetches trust material; `verify` never does'
complete -c apostille -n "__fish_apostille_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and not __fish_seen_subcommand_from verify-bundle sign-bundle help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and not __fish_seen_subcommand_from verify-bundle sign-bundle help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and not __fish_seen_subcommand_from verify-bundle sign-bundle help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and not __fish_seen_subcommand_from verify-bundle sign-bundle help" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and not __fish_seen_subcommand_from verify-bundle sign-bundle help" -f -a "verify-bundle" -d '`verify-bundle [--staging] --bundle F (--certificate-identity I --certificate-oidc-issuer U | --key K) [--trusted-root R] FILE_OR_DIGEST`'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and not __fish_seen_subcommand_from verify-bundle sign-bundle help" -f -a "sign-bundle" -d '`sign-bundle [--staging] --identity-token TOKEN --bundle FILE [--trusted-root R] [--signing-config S] FILE`: a keyless message signature'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and not __fish_seen_subcommand_from verify-bundle sign-bundle help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l bundle -d 'The Sigstore bundle (`*.sigstore.json`, v0.1 to v0.3), or a file of JSON lines with one bundle each (`gh attestation download`): the artifact is verified when one of them verifies' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l certificate-identity -d 'Sigstore: the certificate identity (SAN) that must have signed' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l certificate-identity-regexp -d 'Sigstore: a regular expression the identity must match (unanchored)' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l certificate-oidc-issuer -d 'Sigstore: the OIDC issuer the certificate must name' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l key -d 'Sigstore: a PEM public key that must have signed (key-based bundles)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l trusted-root -d 'Sigstore: believe this trusted_root.json instead of the embedded public-good one' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l rekor-url -d 'Online, and only when given: search this Rekor v1 log for the entry of a bare DSSE envelope (slsa-github-generator\'s `.intoto.jsonl` before v2.1), which cannot be verified offline' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l insecure-ignore-tlog -d 'Sigstore, with --key: accept bundles without a transparency-log entry (key-based bundles made offline)'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l staging -d 'Sigstore: believe the embedded staging trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l github -d 'Sigstore: believe GitHub\'s own instance (artifact attestations of private repositories: no transparency log, RFC 3161 timestamps)'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from verify-bundle" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -l identity-token -d 'The OIDC identity token itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -l bundle -d 'Where to write the bundle' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -l trusted-root -d 'The trusted root (accepted; the bundle is not verified here)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -l signing-config -d 'The signing config naming Fulcio, Rekor and the TSA' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -l staging -d 'Use Sigstore\'s staging instance (needs --signing-config: no staging signing config is embedded)'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from sign-bundle" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from help" -f -a "verify-bundle" -d '`verify-bundle [--staging] --bundle F (--certificate-identity I --certificate-oidc-issuer U | --key K) [--trusted-root R] FILE_OR_DIGEST`'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from help" -f -a "sign-bundle" -d '`sign-bundle [--staging] --identity-token TOKEN --bundle FILE [--trusted-root R] [--signing-config S] FILE`: a keyless message signature'
complete -c apostille -n "__fish_apostille_using_subcommand conformance; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "resolve" -d 'Print the manifest digest a tag names; for a multi-platform index, its platforms (and with --platform, that platform\'s digest)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "payload" -d 'Print cosign\'s simple-signing payload for the image\'s digest: sign it (e.g. `sign blob`) to attach a legacy cosign `.sig`'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "attach" -d 'Attach Sigstore bundles and SPDX SBOMs to an image as OCI 1.1 referrers (the sha256-HEX tag scheme on registries without the referrers API)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "sign" -d 'Sign an image: a Sigstore message signature over its manifest digest, attached as a referrer (key-based or keyless)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "attest" -d 'Attest an image: an in-toto statement about its manifest digest (SLSA provenance, or --predicate), signed and attached as a referrer'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "fetch" -d 'List an image\'s referrers, or download them with --output-dir'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "verify" -d 'Verify the Sigstore bundles attached to an image against its manifest digest, with the policy flags of `verify bundle`'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "detach" -d 'Remove one referrer from an image (and from the referrers tag)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and not __fish_seen_subcommand_from resolve payload attach sign attest fetch verify detach help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from resolve" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from payload" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l bundle -d 'A Sigstore bundle to attach (repeatable)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l sbom -d 'An SPDX JSON SBOM to attach (repeatable)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l legacy-cosign-tags -d 'Also write cosign 2.x\'s legacy tags: DSSE attestations go to sha256-HEX.att; a message signature over `oci payload`\'s simple-signing document goes to sha256-HEX.sig'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l key -d 'Private key: cosign\'s encrypted format (password from COSIGN_PASSWORD or the terminal) or PKCS#8 PEM' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l identity-token -d 'Keyless: the OIDC token in this file (else SIGSTORE_ID_TOKEN, else GitHub Actions\' ambient credentials)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l signing-config -d 'Keyless: the Sigstore signing config (default: the public-good instance\'s, embedded)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l fulcio-url -d 'Keyless: Fulcio\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l rekor-url -d 'Keyless: Rekor\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l timestamp-server-url -d 'Keyless: the timestamp authority\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l keyless -d 'Keyless: an OIDC identity, a Fulcio certificate for an ephemeral key, a Rekor entry and (when the signing config has a TSA) an RFC 3161 timestamp'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l no-timestamp -d 'Keyless: no RFC 3161 timestamp, even if the signing config has a TSA'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l key -d 'Private key: cosign\'s encrypted format (password from COSIGN_PASSWORD or the terminal) or PKCS#8 PEM' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l identity-token -d 'Keyless: the OIDC token in this file (else SIGSTORE_ID_TOKEN, else GitHub Actions\' ambient credentials)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l signing-config -d 'Keyless: the Sigstore signing config (default: the public-good instance\'s, embedded)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l fulcio-url -d 'Keyless: Fulcio\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l rekor-url -d 'Keyless: Rekor\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l timestamp-server-url -d 'Keyless: the timestamp authority\'s URL, overriding the signing config' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l provenance -d 'Where the build ran (default: detected from the environment; generic when --builder-id is given)' -r -f -a "github\t'GitHub Actions\' variables'
gitlab\t'GitLab CI\'s variables'
generic\t'--builder-id, --source-uri and friends'"
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l builder-id -d 'Generic provenance: the builder\'s ID' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l source-uri -d 'Generic provenance: the source repository (`git+https://…`)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l source-ref -d 'Generic provenance: the source ref (refs/tags/v1.0)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l source-digest -d 'Generic provenance: the source commit' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l build-type -d 'Generic provenance: the build type URI' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l predicate -d 'A custom predicate (JSON) instead of SLSA provenance; needs --predicate-type (an SBOM: `https://spdx.dev/Document`)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l predicate-type -d 'The predicate type of --predicate' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l release-version -d 'Release version recorded in the provenance' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l keyless -d 'Keyless: an OIDC identity, a Fulcio certificate for an ephemeral key, a Rekor entry and (when the signing config has a TSA) an RFC 3161 timestamp'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l no-timestamp -d 'Keyless: no RFC 3161 timestamp, even if the signing config has a TSA'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l legacy-cosign-tags -d 'Also write cosign 2.x\'s legacy sha256-HEX.att tag'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from attest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l type -d 'Only referrers of this artifact type: `bundle`, `sbom`, or a media type' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -s o -l output-dir -d 'Download each referrer into this folder as DIGEST-HEX.sigstore.json or DIGEST-HEX.spdx.json (default: only list them)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from fetch" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l certificate-identity -d 'Sigstore: the certificate identity (SAN) that must have signed' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l certificate-identity-regexp -d 'Sigstore: a regular expression the identity must match (unanchored)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l certificate-oidc-issuer -d 'Sigstore: the OIDC issuer the certificate must name' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l key -d 'Sigstore: a PEM public key that must have signed (key-based bundles)' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l trusted-root -d 'Sigstore: believe this trusted_root.json instead of the embedded public-good one' -r -F
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l type -d 'The predicate type required: a URI, or one of cosign\'s names (slsaprovenance1, slsaprovenance = slsaprovenance02, spdxjson, cyclonedx, vuln, custom). Default: any, unless a --source-… or --builder-id option is given, which requires SLSA provenance (v1 or v0.2)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l source-uri -d 'The source repository the provenance must name (github.com/o/r, any URL form)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l source-tag -d 'The tag it must have been built from (v1.0 or refs/tags/v1.0); with --source-branch, the ref must be one of the two' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l source-branch -d 'The branch it must have been built from (main or refs/heads/main)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l builder-id -d 'The builder ID it must name; without @…, any version of it' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l insecure-ignore-tlog -d 'Sigstore, with --key: accept bundles without a transparency-log entry (key-based bundles made offline)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l staging -d 'Sigstore: believe the embedded staging trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l github -d 'Sigstore: believe GitHub\'s own instance (artifact attestations of private repositories: no transparency log, RFC 3161 timestamps)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l platform -d 'For a multi-platform index: use this platform\'s manifest (os/arch[/variant]) instead of the index itself' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l referrer -d 'The referrer manifest\'s digest (as `oci fetch` lists it)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l username -d 'User name for the registry (the password is read from standard input with --password-stdin). Default: docker\'s config.json ($DOCKER_CONFIG or ~/.docker), else anonymous' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l timeout -d 'Seconds allowed for each registry operation (connecting: at most 10)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l threads -d 'Worker threads (default: one per core)' -r
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l password-stdin -d 'Read the password (or token) for --username from standard input'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l insecure -d 'Allow plain HTTP to a registry that is not on a loopback address (loopback registries always use plain HTTP)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -l no-mmap -d 'Read files with read(2) only, never memory-map them'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -s q -l quiet -d 'No progress bar; `verify` also drops its OK lines'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from detach" -s h -l help -d 'Print help'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "resolve" -d 'Print the manifest digest a tag names; for a multi-platform index, its platforms (and with --platform, that platform\'s digest)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "payload" -d 'Print cosign\'s simple-signing payload for the image\'s digest: sign it (e.g. `sign blob`) to attach a legacy cosign `.sig`'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "attach" -d 'Attach Sigstore bundles and SPDX SBOMs to an image as OCI 1.1 referrers (the sha256-HEX tag scheme on registries without the referrers API)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "sign" -d 'Sign an image: a Sigstore message signature over its manifest digest, attached as a referrer (key-based or keyless)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "attest" -d 'Attest an image: an in-toto statement about its manifest digest (SLSA provenance, or --predicate), signed and attached as a referrer'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "fetch" -d 'List an image\'s referrers, or download them with --output-dir'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Verify the Sigstore bundles attached to an image against its manifest digest, with the policy flags of `verify bundle`'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "detach" -d 'Remove one referrer from an image (and from the referrers tag)'
complete -c apostille -n "__fish_apostille_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "release" -d 'Attest a release folder in one read of each artifact: checksum files, OpenPGP signatures, SBOM, notices, signed SLSA provenance, and a manifest of it all'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "promote" -d 'Promote a voted release candidate to the final release without a rebuild: verify it, rename its artifacts, keep their signatures, re-sign the lists and SBOMs, and sign a SLSA verification summary linking the final names to the candidate\'s provenance'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "hash" -d 'Print digests of files, like sha256sum or b3sum (`-` is standard input)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "checksums" -d 'Write checksum files (SHA512SUMS-style, BSD tags, or per-file sidecars)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "sign" -d 'Sign release artifacts'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "attest" -d 'Sign an in-toto attestation (SLSA provenance, or a custom predicate) about the files, as a Sigstore bundle with a DSSE envelope (`cosign attest-blob`)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "keys" -d 'Release-manager keys and KEYS files'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "sbom" -d 'Write an SPDX SBOM of a Cargo workspace, release artifacts, or an archive\'s contents'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "verify" -d 'Check what a release published: `verify DIR|FILE…` checks every attestation found beside the artifacts; the subcommands check one kind'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "notices" -d 'Third-party notices for a Cargo workspace (verbatim license texts), or `notices audit` of a source release'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "trust" -d 'Sigstore trusted roots: refresh the embedded ones through TUF'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "conformance" -d 'Entry points for the sigstore-conformance suite\'s CLI protocol'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "oci" -d 'Attach, fetch and verify attestations of container images in an OCI registry'
complete -c apostille -n "__fish_apostille_using_subcommand help; and not __fish_seen_subcommand_from release promote hash checksums sign attest keys sbom verify notices trust conformance oci help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from sign" -f -a "pgp" -d 'Detached ASCII-armored OpenPGP signatures (ARTIFACT.asc), one pass over each file'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from sign" -f -a "blob" -d 'Sigstore bundles (ARTIFACT.sigstore.json) over each file\'s SHA-256, as `cosign sign-blob --bundle` makes them'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "generate" -d 'Generate an OpenPGP key (RSA-4096 unless --algo ed25519)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "add" -d 'Append a certificate to a KEYS file (listing + armored key)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "check" -d 'Audit a KEYS file: sizes, expiry, revocation, SHA-1, Apache policy'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from sbom" -f -a "workspace" -d 'Every package of a Cargo workspace\'s resolved graph (cargo metadata, Cargo.lock)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from sbom" -f -a "artifacts" -d 'Release artifacts with SHA-1, SHA-256, SHA-512 and BLAKE3 from one read each'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from sbom" -f -a "archive" -d 'Every regular file inside a tar(.gz/.bz2/.xz/.zst) or zip archive, in one pass'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "checksums" -d 'Check checksum files, like sha256sum -c but failing closed'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "pgp" -d 'Check a detached OpenPGP signature (.asc) against a KEYS file'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "bundle" -d 'Check a Sigstore bundle (keyless or key-based, blob or DSSE attestation) offline, against the embedded public-good trusted root'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "attestation" -d 'Check an in-toto attestation in a Sigstore bundle (SLSA provenance, SBOM, …): its signature as `verify bundle` does, then what it claims (predicate type, source, ref, builder) like slsa-verifier'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "sbom" -d 'Check an SPDX SBOM\'s checksums against the artifacts; report NOASSERTION licenses and NTIA gaps'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from notices" -f -a "audit" -d 'Check a source release (folder or archive): LICENSE, NOTICE, DISCLAIMER, KEYS, binary files, and a license header in every source file, like Apache RAT. Exit 1 on findings'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from trust" -f -a "update" -d 'Fetch the current trusted_root.json through TUF (verified from the embedded TUF root) into the cache that `verify` then prefers, and print what changed. The only command that fetches trust material; `verify` never does'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from conformance" -f -a "verify-bundle" -d '`verify-bundle [--staging] --bundle F (--certificate-identity I --certificate-oidc-issuer U | --key K) [--trusted-root R] FILE_OR_DIGEST`'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from conformance" -f -a "sign-bundle" -d '`sign-bundle [--staging] --identity-token TOKEN --bundle FILE [--trusted-root R] [--signing-config S] FILE`: a keyless message signature'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "resolve" -d 'Print the manifest digest a tag names; for a multi-platform index, its platforms (and with --platform, that platform\'s digest)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "payload" -d 'Print cosign\'s simple-signing payload for the image\'s digest: sign it (e.g. `sign blob`) to attach a legacy cosign `.sig`'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "attach" -d 'Attach Sigstore bundles and SPDX SBOMs to an image as OCI 1.1 referrers (the sha256-HEX tag scheme on registries without the referrers API)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "sign" -d 'Sign an image: a Sigstore message signature over its manifest digest, attached as a referrer (key-based or keyless)'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "attest" -d 'Attest an image: an in-toto statement about its manifest digest (SLSA provenance, or --predicate), signed and attached as a referrer'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "fetch" -d 'List an image\'s referrers, or download them with --output-dir'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "verify" -d 'Verify the Sigstore bundles attached to an image against its manifest digest, with the policy flags of `verify bundle`'
complete -c apostille -n "__fish_apostille_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "detach" -d 'Remove one referrer from an image (and from the referrers tag)'
