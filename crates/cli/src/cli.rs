//! Argument definitions, one struct per command; `commands` mirrors this
//! file command for command.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// Attest a release, verify a download. Exit status: 0 all good, 1 a check
/// failed, 2 an error.
#[derive(Debug, Parser)]
#[command(
    name = "apostille",
    version,
    about = "Attest a release and verify a download: checksums, OpenPGP signatures, SBOMs, notices, Sigstore bundles and SLSA provenance, from one read of each file",
    max_term_width = 100,
    after_long_help = EXAMPLES_TOP
)]
pub struct Cli {
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options of the hashing engine, shared by every command that reads
/// artifacts.
#[derive(Debug, Args)]
pub struct EngineArgs {
    /// Worker threads (default: one per core).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// Read files with read(2) only, never memory-map them.
    #[arg(long, global = true)]
    pub no_mmap: bool,
    /// No progress bar; `verify` also drops its OK lines.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Attest a release folder in one read of each artifact: checksum
    /// files, OpenPGP signatures, SBOM, notices, signed SLSA provenance,
    /// and a manifest of it all.
    #[command(after_long_help = EXAMPLES_RELEASE)]
    Release(Box<ReleaseArgs>),
    /// Promote a voted release candidate to the final release without a
    /// rebuild: verify it, rename its artifacts, keep their signatures,
    /// re-sign the lists and SBOMs, and sign a SLSA verification summary
    /// linking the final names to the candidate's provenance.
    #[command(after_long_help = EXAMPLES_PROMOTE)]
    Promote(Box<PromoteArgs>),
    /// Print digests of files, like sha256sum or b3sum (`-` is standard input).
    #[command(after_long_help = EXAMPLES_HASH)]
    Hash(HashArgs),
    /// Write checksum files (SHA512SUMS-style, BSD tags, or per-file sidecars).
    #[command(after_long_help = EXAMPLES_CHECKSUMS)]
    Checksums(ChecksumsArgs),
    /// Sign release artifacts.
    #[command(subcommand)]
    Sign(SignCommand),
    /// Sign an in-toto attestation (SLSA provenance, or a custom
    /// predicate) about the files, as a Sigstore bundle with a DSSE
    /// envelope (`cosign attest-blob`).
    #[command(after_long_help = EXAMPLES_ATTEST)]
    Attest(AttestArgs),
    /// Release-manager keys and KEYS files.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Write an SPDX SBOM of a Cargo workspace, release artifacts, or an
    /// archive's contents.
    #[command(subcommand)]
    Sbom(SbomCommand),
    /// Check what a release published: `verify DIR|FILE…` checks every
    /// attestation found beside the artifacts; the subcommands check one
    /// kind.
    #[command(after_long_help = EXAMPLES_VERIFY)]
    Verify(Box<VerifyArgs>),
    /// Third-party notices for a Cargo workspace (verbatim license texts),
    /// or `notices audit` of a source release.
    Notices(NoticesArgs),
    /// Sigstore trusted roots: refresh the embedded ones through TUF.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Entry points for the sigstore-conformance suite's CLI protocol.
    #[command(subcommand)]
    Conformance(ConformanceCommand),
    /// Attach, fetch and verify attestations of container images in an OCI
    /// registry.
    #[command(subcommand)]
    Oci(OciCommand),
}

/// `apostille trust …`.
#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Fetch the current trusted_root.json through TUF (verified from the
    /// embedded TUF root) into the cache that `verify` then prefers, and
    /// print what changed. The only command that fetches trust material;
    /// `verify` never does.
    #[command(after_long_help = EXAMPLES_TRUST_UPDATE)]
    Update(TrustUpdateArgs),
}

/// `apostille trust update`.
#[derive(Debug, Args)]
pub struct TrustUpdateArgs {
    /// The staging instance's root (default: public-good).
    #[arg(long, conflicts_with = "github")]
    pub staging: bool,
    /// GitHub's instance (private-repository attestations).
    #[arg(long)]
    pub github: bool,
    /// Fetch from this TUF repository instead (a mirror, a private
    /// instance's); needs --tuf-root.
    #[arg(long, value_name = "URL", requires = "tuf_root")]
    pub tuf_url: Option<String>,
    /// The TUF root.json to start from with --tuf-url.
    #[arg(long, value_name = "FILE", requires = "tuf_url")]
    pub tuf_root: Option<PathBuf>,
}

/// `apostille conformance …`: the commands and arguments of
/// sigstore-conformance's `docs/cli_protocol.md`; the exit code is the
/// verdict.
#[derive(Debug, Subcommand)]
pub enum ConformanceCommand {
    /// `verify-bundle [--staging] --bundle F (--certificate-identity I
    /// --certificate-oidc-issuer U | --key K) [--trusted-root R] FILE_OR_DIGEST`.
    VerifyBundle(VerifyBundleArgs),
    /// `sign-bundle [--staging] --identity-token TOKEN --bundle FILE
    /// [--trusted-root R] [--signing-config S] FILE`: a keyless message
    /// signature.
    SignBundle(ConformanceSignArgs),
}

/// `apostille conformance sign-bundle`.
#[derive(Debug, Args)]
pub struct ConformanceSignArgs {
    /// Use Sigstore's staging instance (needs --signing-config: no staging
    /// signing config is embedded).
    #[arg(long)]
    pub staging: bool,
    /// The OIDC identity token itself.
    #[arg(long, value_name = "TOKEN")]
    pub identity_token: String,
    /// Where to write the bundle.
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    /// The trusted root (accepted; the bundle is not verified here).
    #[arg(long, value_name = "FILE")]
    pub trusted_root: Option<PathBuf>,
    /// The signing config naming Fulcio, Rekor and the TSA.
    #[arg(long, value_name = "FILE")]
    pub signing_config: Option<PathBuf>,
    /// The artifact.
    pub file: PathBuf,
}

/// `apostille notices [audit]`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct NoticesArgs {
    #[command(subcommand)]
    pub command: Option<NoticesCommand>,
    #[command(flatten)]
    pub generate: NoticesGenerateArgs,
}

/// `apostille notices …`.
#[derive(Debug, Subcommand)]
pub enum NoticesCommand {
    /// Check a source release (folder or archive): LICENSE, NOTICE,
    /// DISCLAIMER, KEYS, binary files, and a license header in every source
    /// file, like Apache RAT. Exit 1 on findings.
    #[command(after_long_help = EXAMPLES_NOTICES_AUDIT)]
    Audit(NoticesAuditArgs),
}

/// Output layout of `notices`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NoticesFormat {
    /// THIRD_PARTY_NOTICES.md: contents, packages, verbatim texts.
    Md,
    /// The same as JSON.
    Json,
}

/// `apostille notices` (generate).
#[derive(Debug, Args)]
pub struct NoticesGenerateArgs {
    /// The workspace's Cargo.toml (default: cargo's search from here).
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Write to this file, atomically (default: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output layout.
    #[arg(long, value_enum, default_value = "md")]
    pub format: NoticesFormat,
    /// Only dependencies used when building for this target triple.
    #[arg(long, value_name = "TRIPLE")]
    pub target: Option<String>,
    /// Include the workspace members' dev-dependencies.
    #[arg(long)]
    pub dev: bool,
    /// Features of the workspace members to enable (comma-separated).
    #[arg(long, short = 'F', value_name = "LIST")]
    pub features: Vec<String>,
    /// Enable all features.
    #[arg(long)]
    pub all_features: bool,
    /// Disable default features.
    #[arg(long)]
    pub no_default_features: bool,
    /// Run cargo offline (the registry cache must hold every package).
    #[arg(long)]
    pub offline: bool,
    /// Fail if Cargo.lock would change.
    #[arg(long)]
    pub locked: bool,
    /// Policy file (default: apostille.toml at the workspace root, if any).
    #[arg(long, value_name = "FILE", conflicts_with = "no_policy")]
    pub policy: Option<PathBuf>,
    /// Apply no policy file.
    #[arg(long)]
    pub no_policy: bool,
}

/// Output layout of `notices audit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// One line per finding, then a summary.
    Text,
    /// One JSON document.
    Json,
}

/// `apostille notices audit`.
#[derive(Debug, Args)]
pub struct NoticesAuditArgs {
    /// The release: a folder, or an archive (.tar, .tar.gz, .tgz, .tar.bz2,
    /// .tar.xz, .tar.zst, .zip).
    pub release: PathBuf,
    /// The release is incubating: DISCLAIMER (or DISCLAIMER-WIP) required,
    /// `incubating` required in the artifact name. Implied by an artifact
    /// name holding `incubating`.
    #[arg(long)]
    pub incubating: bool,
    /// Files needing no license header (glob; repeatable). A `.rat-excludes`
    /// file at the release root is honoured too.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read more exclusions from this file (one glob a line, `#` comments).
    #[arg(long, value_name = "FILE")]
    pub excludes_file: Option<PathBuf>,
    /// Binary files allowed in the source release (glob; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub allow_binary: Vec<String>,
    /// Policy file whose `[audit]` table adds exclusions and allowed binaries.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Report layout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: AuditFormat,
    /// Write the report to this file, atomically (default: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `apostille sbom …`.
#[derive(Debug, Subcommand)]
pub enum SbomCommand {
    /// Every package of a Cargo workspace's resolved graph (cargo metadata, Cargo.lock).
    Workspace(SbomWorkspaceArgs),
    /// Release artifacts with SHA-1, SHA-256, SHA-512 and BLAKE3 from one read each.
    Artifacts(SbomArtifactsArgs),
    /// Every regular file inside a tar(.gz/.bz2/.xz/.zst) or zip archive, in one pass.
    Archive(SbomArchiveArgs),
}

/// SBOM output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// SPDX 2.3 tag-value.
    SpdxTv,
    /// SPDX 3.0.1 JSON-LD.
    Spdx3,
    /// CycloneDX 1.6 JSON.
    #[value(alias = "cdx-json")]
    CyclonedxJson,
}

/// Options every `sbom` command has.
#[derive(Debug, Args)]
pub struct SbomOutputArgs {
    /// Write the SBOM to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "spdx-json")]
    pub format: SbomFormat,
    /// documentNamespace (default: derived from the content).
    #[arg(long, value_name = "URI")]
    pub namespace: Option<String>,
    /// Document name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Extra creator beside the tool, e.g. "Organization: Example"; repeatable.
    #[arg(long = "creator", value_name = "ACTOR")]
    pub creators: Vec<String>,
}

/// How a release or archive package is described.
#[derive(Debug, Args)]
pub struct SbomPackageArgs {
    /// Package name (default: from the first file name, e.g. curl-7.88.1.tar.gz → curl).
    #[arg(long, value_name = "NAME")]
    pub package_name: Option<String>,
    /// Package version (default: from the first file name, e.g. 7.88.1).
    #[arg(long, value_name = "VERSION")]
    pub package_version: Option<String>,
    /// Supplier (default: "Organization: NAME", NAME being the package name).
    #[arg(long, value_name = "ACTOR")]
    pub supplier: Option<String>,
}

/// `apostille sbom workspace`.
#[derive(Debug, Args)]
pub struct SbomWorkspaceArgs {
    /// The workspace's Cargo.toml (default: found from the current directory).
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Only dependencies for this target triple (default: all platforms).
    #[arg(long, value_name = "TRIPLE")]
    pub target: Option<String>,
    #[command(flatten)]
    pub out: SbomOutputArgs,
}

/// `apostille sbom artifacts`.
#[derive(Debug, Args)]
pub struct SbomArtifactsArgs {
    #[command(flatten)]
    pub package: SbomPackageArgs,
    /// Follow symlinks found inside directories.
    #[arg(long)]
    pub follow_symlinks: bool,
    #[command(flatten)]
    pub out: SbomOutputArgs,
    /// Artifacts: files or directories (walked in sorted order; names relative to them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `apostille sbom archive`.
#[derive(Debug, Args)]
pub struct SbomArchiveArgs {
    #[command(flatten)]
    pub package: SbomPackageArgs,
    #[command(flatten)]
    pub out: SbomOutputArgs,
    /// The archive.
    pub archive: PathBuf,
}

/// `apostille keys …`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Generate an OpenPGP key (RSA-4096 unless --algo ed25519).
    Generate(KeysGenerateArgs),
    /// Append a certificate to a KEYS file (listing + armored key).
    Add(KeysAddArgs),
    /// Audit a KEYS file: sizes, expiry, revocation, SHA-1, Apache policy.
    Check(KeysCheckArgs),
}

/// `apostille keys check`.
#[derive(Debug, Args)]
pub struct KeysCheckArgs {
    /// The KEYS file.
    pub keys: PathBuf,
}

/// `apostille keys generate`.
#[derive(Debug, Args)]
pub struct KeysGenerateArgs {
    /// Make a cosign-compatible Sigstore key pair instead (ECDSA P-256:
    /// PREFIX.key in cosign's encrypted format, password from
    /// COSIGN_PASSWORD or the terminal, and PREFIX.pub; PREFIX defaults
    /// to cosign).
    #[arg(long, conflicts_with_all = ["uid", "algo", "v6"])]
    pub sigstore: bool,
    /// Replace existing key files (--sigstore only).
    #[arg(long, requires = "sigstore")]
    pub force: bool,
    /// User ID, e.g. "Jane Doe (CODE SIGNING KEY) <jane@apache.org>".
    #[arg(long, required_unless_present = "sigstore")]
    pub uid: Option<String>,
    /// rsa4096 (the Apache policy) or ed25519.
    #[arg(long)]
    pub algo: Option<String>,
    /// Make an OpenPGP v6 key (RFC 9580) instead of v4.
    #[arg(long)]
    pub v6: bool,
    /// Protect the secret key with the passphrase in this file (first line).
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_env")]
    pub passphrase_file: Option<PathBuf>,
    /// Protect the secret key with the passphrase in this variable.
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// Write the secret key unprotected. Without it and without a
    /// passphrase file or variable, the passphrase is asked for on the
    /// terminal (twice, as gpg does); with no terminal, the command fails.
    #[arg(long, conflicts_with_all = ["passphrase_file", "passphrase_env", "sigstore"])]
    pub no_passphrase: bool,
    /// Write PREFIX.sec.asc (mode 0600) and PREFIX.pub.asc.
    #[arg(
        long,
        short = 'o',
        value_name = "PREFIX",
        required_unless_present = "sigstore"
    )]
    pub output: Option<PathBuf>,
}

/// `apostille keys add`.
#[derive(Debug, Args)]
pub struct KeysAddArgs {
    /// The KEYS file (created if missing).
    pub keys: PathBuf,
    /// The certificate to add (armored or binary).
    pub cert: PathBuf,
}

/// `apostille sign …`.
#[derive(Debug, Subcommand)]
pub enum SignCommand {
    /// Detached ASCII-armored OpenPGP signatures (ARTIFACT.asc), one pass over each file.
    #[command(after_long_help = EXAMPLES_SIGN_PGP)]
    Pgp(SignPgpArgs),
    /// Sigstore bundles (ARTIFACT.sigstore.json) over each file's SHA-256,
    /// as `cosign sign-blob --bundle` makes them.
    Blob(SignBlobArgs),
}

/// The Sigstore signer (`sign blob`, `attest`): a key, or keyless.
#[derive(Debug, Args)]
pub struct SigstoreKeyArgs {
    /// Private key: cosign's encrypted format (password from
    /// COSIGN_PASSWORD or the terminal) or PKCS#8 PEM.
    #[arg(
        long,
        value_name = "KEY",
        required_unless_present = "keyless",
        conflicts_with = "keyless"
    )]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub keyless: KeylessArgs,
}

/// Keyless signing: where the identity and the Sigstore services come
/// from.
#[derive(Debug, Args)]
pub struct KeylessArgs {
    /// Keyless: an OIDC identity, a Fulcio certificate for an ephemeral
    /// key, a Rekor entry and (when the signing config has a TSA) an RFC
    /// 3161 timestamp.
    #[arg(long)]
    pub keyless: bool,
    /// Keyless: the OIDC token in this file (else SIGSTORE_ID_TOKEN, else
    /// GitHub Actions' ambient credentials).
    #[arg(long, value_name = "FILE", requires = "keyless")]
    pub identity_token: Option<PathBuf>,
    /// Keyless: the Sigstore signing config (default: the public-good
    /// instance's, embedded).
    #[arg(long, value_name = "FILE", requires = "keyless")]
    pub signing_config: Option<PathBuf>,
    /// Keyless: Fulcio's URL, overriding the signing config.
    #[arg(long, value_name = "URL", requires = "keyless")]
    pub fulcio_url: Option<String>,
    /// Keyless: Rekor's URL, overriding the signing config.
    #[arg(long, value_name = "URL", requires = "keyless")]
    pub rekor_url: Option<String>,
    /// Keyless: the timestamp authority's URL, overriding the signing config.
    #[arg(long, value_name = "URL", requires = "keyless")]
    pub timestamp_server_url: Option<String>,
    /// Keyless: no RFC 3161 timestamp, even if the signing config has a TSA.
    #[arg(long, requires = "keyless")]
    pub no_timestamp: bool,
}

/// `apostille sign blob`.
#[derive(Debug, Args)]
pub struct SignBlobArgs {
    #[command(flatten)]
    pub key: SigstoreKeyArgs,
    /// Bundle path for a single file (default FILE.sigstore.json).
    #[arg(long, value_name = "OUT")]
    pub bundle: Option<PathBuf>,
    /// Replace existing bundles.
    #[arg(long)]
    pub force: bool,
    /// The files to sign.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// How the provenance describes the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProvenanceSource {
    /// GitHub Actions' variables.
    Github,
    /// GitLab CI's variables.
    Gitlab,
    /// --builder-id, --source-uri and friends.
    Generic,
}

/// How SLSA provenance describes the build.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where the build ran (default: detected from the environment; generic
    /// when --builder-id is given).
    #[arg(long, value_enum)]
    pub provenance: Option<ProvenanceSource>,
    /// Generic provenance: the builder's ID.
    #[arg(long, value_name = "ID")]
    pub builder_id: Option<String>,
    /// Generic provenance: the source repository (`git+https://…`).
    #[arg(long, value_name = "URI")]
    pub source_uri: Option<String>,
    /// Generic provenance: the source ref (refs/tags/v1.0).
    #[arg(long, value_name = "REF")]
    pub source_ref: Option<String>,
    /// Generic provenance: the source commit.
    #[arg(long, value_name = "SHA")]
    pub source_digest: Option<String>,
    /// Generic provenance: the build type URI.
    #[arg(long, value_name = "URI")]
    pub build_type: Option<String>,
}

/// `apostille attest`.
#[derive(Debug, Args)]
pub struct AttestArgs {
    #[command(flatten)]
    pub key: SigstoreKeyArgs,
    #[command(flatten)]
    pub build: BuildArgs,
    /// A custom predicate (JSON) instead of SLSA provenance; needs
    /// --predicate-type (an SBOM: `https://spdx.dev/Document`).
    #[arg(
        long,
        value_name = "FILE",
        requires = "predicate_type",
        conflicts_with = "provenance"
    )]
    pub predicate: Option<PathBuf>,
    /// The predicate type of --predicate.
    #[arg(long, value_name = "URI", requires = "predicate")]
    pub predicate_type: Option<String>,
    /// Release version recorded in the provenance.
    #[arg(long, value_name = "VERSION")]
    pub release_version: Option<String>,
    /// Digests each subject lists: sha256,sha512 (default) or sha256.
    /// On CPUs with SHA-256 instructions SHA-512 is the slower digest, so
    /// sha256 alone makes the single pass cheaper.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "sha256,sha512"
    )]
    pub subject_digests: Vec<String>,
    /// Output bundle (default: the first file's name + .intoto.sigstore.json).
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace an existing bundle.
    #[arg(long)]
    pub force: bool,
    /// The subjects.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `apostille sign pgp`.
#[derive(Debug, Args)]
pub struct SignPgpArgs {
    /// Armored secret key file (asks for its passphrase on the terminal
    /// when it is protected and neither --passphrase-file nor
    /// --passphrase-env is given).
    #[arg(long, value_name = "KEY.asc", required_unless_present = "agent")]
    pub key: Option<PathBuf>,
    /// Sign with this key held by gpg-agent (primary or subkey
    /// fingerprint); the secret never leaves the agent or smartcard.
    #[arg(long, value_name = "FINGERPRINT", conflicts_with = "key")]
    pub agent: Option<String>,
    /// With --agent: the certificate, from this file (a KEYS file will do)
    /// instead of `gpg --export`.
    #[arg(long, value_name = "FILE", requires = "agent")]
    pub cert: Option<PathBuf>,
    /// With --agent: GnuPG home of the agent (default: $GNUPGHOME, then
    /// ~/.gnupg).
    #[arg(long, value_name = "DIR", requires = "agent")]
    pub gnupg_home: Option<PathBuf>,
    /// Read the key's passphrase from this file (first line).
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_env")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the key's passphrase from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// Hash algorithm of the signatures: sha512, sha384 or sha256.
    #[arg(long, default_value = "sha512", value_name = "ALGO")]
    pub hash: String,
    /// Also write checksum sidecars (FILE.sha512, …) from the same read:
    /// comma-separated algorithms, e.g. sha512 or sha512,sha256.
    #[arg(long, value_name = "ALGOS", value_delimiter = ',')]
    pub checksums: Vec<String>,
    /// Replace existing .asc (and sidecar) files.
    #[arg(long)]
    pub force: bool,
    /// Files to sign.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Output layout of `hash`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HashFormat {
    /// `HASH  name`, as sha256sum prints (one algorithm only).
    Gnu,
    /// `SHA256 (name) = HASH`, as sha256sum --tag prints.
    Bsd,
    /// One JSON array with an object per input.
    Json,
}

/// Layout of a written checksum file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StyleArg {
    /// `HASH  name` lines (coreutils, b3sum).
    Gnu,
    /// `SHA512 (name) = HASH` lines (BSD, sha512sum --tag).
    Bsd,
}

/// `apostille hash`.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// Algorithms, comma-separated: sha256, sha384, sha512, blake3, sha1, md5.
    #[arg(long, short = 'a', default_value = "sha256", value_name = "LIST")]
    pub algo: String,
    /// Output layout (default: gnu for one algorithm, bsd for several).
    #[arg(long, value_enum)]
    pub format: Option<HashFormat>,
    /// Follow symlinks found inside directories.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Not a hash option: checking a list is `apostille verify checksums
    /// FILE` (the sha256sum -c habit is pointed there).
    #[arg(short = 'c', long = "check", hide = true)]
    pub check: bool,
    /// Files or directories (walked in sorted order); `-` or nothing: stdin.
    pub files: Vec<PathBuf>,
}

/// `apostille checksums`.
#[derive(Debug, Args)]
pub struct ChecksumsArgs {
    /// Algorithms, comma-separated. MD5 and SHA-1 are legacy: written only
    /// when asked, with a warning.
    #[arg(long, short = 'a', default_value = "sha512", value_name = "LIST")]
    pub algo: String,
    /// Line layout.
    #[arg(long, value_enum, default_value = "gnu")]
    pub style: StyleArg,
    /// Write `ARTIFACT.<algo>` beside each artifact (one line, base name).
    #[arg(long)]
    pub sidecar: bool,
    /// Write all lines to this file (names relative to its folder).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// Write one SHA256SUMS-style file per algorithm into this folder.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Follow symlinks found inside directories.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Artifacts: files or directories (walked in sorted order).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `apostille verify [DIR|FILE…] | verify <kind> …`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct VerifyArgs {
    #[command(subcommand)]
    pub command: Option<VerifyCommand>,
    #[command(flatten)]
    pub all: VerifyAllArgs,
}

/// Who must have signed a Sigstore bundle, and which trusted root to
/// believe (`verify`, `verify bundle`, `verify attestation`, `oci verify`).
#[derive(Debug, Args)]
pub struct SigstoreTrustArgs {
    /// Sigstore: the certificate identity (SAN) that must have signed.
    #[arg(
        long,
        value_name = "IDENTITY",
        requires = "certificate_oidc_issuer",
        conflicts_with = "key"
    )]
    pub certificate_identity: Option<String>,
    /// Sigstore: a regular expression the identity must match (unanchored).
    #[arg(long, value_name = "REGEXP", requires = "certificate_oidc_issuer", conflicts_with_all = ["key", "certificate_identity"])]
    pub certificate_identity_regexp: Option<String>,
    /// Sigstore: the OIDC issuer the certificate must name.
    #[arg(long, value_name = "URL", conflicts_with = "key")]
    pub certificate_oidc_issuer: Option<String>,
    /// Sigstore: a PEM public key that must have signed (key-based bundles).
    #[arg(long, value_name = "KEY.pub")]
    pub key: Option<PathBuf>,
    /// Sigstore, with --key: accept bundles without a transparency-log
    /// entry (key-based bundles made offline).
    #[arg(long, requires = "key")]
    pub insecure_ignore_tlog: bool,
    /// Sigstore: believe this trusted_root.json instead of the embedded
    /// public-good one.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["staging", "github"])]
    pub trusted_root: Option<PathBuf>,
    /// Sigstore: believe the embedded staging trusted root.
    #[arg(long, conflicts_with = "github")]
    pub staging: bool,
    /// Sigstore: believe GitHub's own instance (artifact attestations of
    /// private repositories: no transparency log, RFC 3161 timestamps).
    #[arg(long)]
    pub github: bool,
}

/// What an in-toto attestation must claim, as slsa-verifier checks it
/// (`verify`, `verify attestation`, `oci verify`).
#[derive(Debug, Args)]
pub struct AttestationPolicyArgs {
    /// The predicate type required: a URI, or one of cosign's names
    /// (slsaprovenance1, slsaprovenance = slsaprovenance02, spdxjson,
    /// cyclonedx, vuln, custom). Default: any, unless a --source-… or --builder-id option is
    /// given, which requires SLSA provenance (v1 or v0.2).
    #[arg(long = "type", value_name = "TYPE")]
    pub predicate_type: Option<String>,
    /// The source repository the provenance must name (github.com/o/r, any
    /// URL form).
    #[arg(long, value_name = "URI")]
    pub source_uri: Option<String>,
    /// The tag it must have been built from (v1.0 or refs/tags/v1.0); with
    /// --source-branch, the ref must be one of the two.
    #[arg(long, value_name = "TAG")]
    pub source_tag: Option<String>,
    /// The branch it must have been built from (main or refs/heads/main).
    #[arg(long, value_name = "BRANCH")]
    pub source_branch: Option<String>,
    /// The builder ID it must name; without @…, any version of it.
    #[arg(long, value_name = "ID")]
    pub builder_id: Option<String>,
}

/// `apostille promote DIR --to VERSION`.
#[derive(Debug, Args)]
pub struct PromoteArgs {
    /// The final version (`1.3.0`): it replaces the candidate's version in
    /// every name.
    #[arg(long, value_name = "VERSION")]
    pub to: String,
    /// The candidate's version (default: the one its manifest records).
    #[arg(long, value_name = "VERSION")]
    pub from: Option<String>,
    /// The final tag (default: the candidate's tag with the version
    /// replaced, `v1.3.0-rc2` → `v1.3.0`).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// OpenPGP: re-sign the lists and SBOMs with this armored secret key
    /// (the artifacts' own .asc files are kept).
    #[arg(long, value_name = "KEY.asc")]
    pub pgp_key: Option<PathBuf>,
    /// OpenPGP: the key's passphrase from this file (first line).
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Sigstore: sign the promotion, the lists' bundles and the SBOM
    /// attestations with this key (cosign's format or PKCS#8).
    #[arg(long, value_name = "KEY")]
    pub sigstore_key: Option<PathBuf>,
    /// How the candidate is verified first: every artifact must be
    /// VERIFIED, or nothing is changed.
    #[command(flatten)]
    pub verify: VerifyAllArgs,
}

/// `apostille verify DIR|FILE…`: a whole download in one pass.
#[derive(Debug, Args)]
pub struct VerifyAllArgs {
    /// Folders (walked) and files to verify; the attestations beside them
    /// are found by name.
    #[arg(value_name = "DIR|FILE", required = true)]
    pub paths: Vec<PathBuf>,
    /// KEYS file(s) whose certificates OpenPGP signatures are checked
    /// with. A KEYS file in the download is never trusted by itself.
    #[arg(long, value_name = "KEYS")]
    pub keys: Vec<PathBuf>,
    /// Accept SHA-1 self-signatures binding keys in KEYS (not data signatures).
    #[arg(long)]
    pub allow_sha1_bindings: bool,
    #[command(flatten)]
    pub sigstore: SigstoreTrustArgs,
    #[command(flatten)]
    pub attestation: AttestationPolicyArgs,
    /// OpenPGP: good signatures by distinct trusted certificates an .asc
    /// (or clear-signed list) needs to vouch for its file.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_signatures: usize,
    /// OpenPGP: only good signatures by this certificate (primary or
    /// signing-key fingerprint) count; repeatable.
    #[arg(long = "signer", value_name = "FPR")]
    pub signers: Vec<String>,
    /// A policy file (TOML): `require = ["pgp", "checksum", "provenance"]`,
    /// `ignore_missing`, `allow_weak`, `allow_integrity_only`.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Kinds that must pass for every artifact (comma-separated: checksum,
    /// pgp, sigstore, provenance, sbom); added to the policy file's. A
    /// signature kind is met through any chain rooted in it (pgp: an .asc
    /// over the file, or over a checksum list whose line matches).
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub require: Vec<String>,
    /// Artifacts named by an attestation but absent are skipped, not failed.
    #[arg(long)]
    pub ignore_missing: bool,
    /// MD5/SHA-1-only checksums count as passing.
    #[arg(long)]
    pub allow_weak: bool,
    /// Accept artifacts whose checksums match although no trusted signer
    /// vouches for them: their verdict is INTEGRITY ONLY (exit 0), never
    /// VERIFIED.
    #[arg(long)]
    pub allow_integrity_only: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `apostille verify <kind> …`.
#[derive(Debug, Subcommand)]
pub enum VerifyCommand {
    /// Check checksum files, like sha256sum -c but failing closed.
    #[command(after_long_help = EXAMPLES_VERIFY_CHECKSUMS)]
    Checksums(VerifyChecksumsArgs),
    /// Check a detached OpenPGP signature (.asc) against a KEYS file.
    #[command(after_long_help = EXAMPLES_VERIFY_PGP)]
    Pgp(VerifyPgpArgs),
    /// Check a Sigstore bundle (keyless or key-based, blob or DSSE
    /// attestation) offline, against the embedded public-good trusted root.
    #[command(after_long_help = EXAMPLES_VERIFY_BUNDLE)]
    Bundle(VerifyBundleArgs),
    /// Check an in-toto attestation in a Sigstore bundle (SLSA provenance,
    /// SBOM, …): its signature as `verify bundle` does, then what it claims
    /// (predicate type, source, ref, builder) like slsa-verifier.
    #[command(after_long_help = EXAMPLES_VERIFY_ATTESTATION)]
    Attestation(VerifyAttestationArgs),
    /// Check an SPDX SBOM's checksums against the artifacts; report NOASSERTION licenses and NTIA gaps.
    Sbom(VerifySbomArgs),
}

/// `apostille verify attestation`.
#[derive(Debug, Args)]
pub struct VerifyAttestationArgs {
    /// The bundle, signer, trust root and artifact, as for `verify bundle`.
    #[command(flatten)]
    pub bundle: VerifyBundleArgs,
    #[command(flatten)]
    pub attestation: AttestationPolicyArgs,
}

/// `apostille verify bundle` (and `apostille conformance verify-bundle`).
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("signer")
        .required(true)
        .args(["certificate_identity", "certificate_identity_regexp", "key"])
))]
pub struct VerifyBundleArgs {
    /// The Sigstore bundle (`*.sigstore.json`, v0.1 to v0.3), or a file of
    /// JSON lines with one bundle each (`gh attestation download`): the
    /// artifact is verified when one of them verifies.
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    #[command(flatten)]
    pub trust: SigstoreTrustArgs,
    /// Online, and only when given: search this Rekor v1 log for the entry
    /// of a bare DSSE envelope (slsa-github-generator's `.intoto.jsonl`
    /// before v2.1), which cannot be verified offline.
    #[arg(long, value_name = "URL")]
    pub rekor_url: Option<String>,
    /// The artifact (for a DSSE attestation: one of its subjects), or its
    /// digest as sha256:HEX, sha512:HEX or sha384:HEX (then the file is
    /// not needed).
    #[arg(value_name = "FILE_OR_sha256:HEX")]
    pub artifact: PathBuf,
}

/// `apostille verify sbom`.
#[derive(Debug, Args)]
pub struct VerifySbomArgs {
    /// Don't fail for artifacts the SBOM names that are not there.
    #[arg(long)]
    pub ignore_missing: bool,
    /// The SBOM (SPDX 2.x JSON or tag-value).
    pub sbom: PathBuf,
    /// The artifacts: one folder (names relative to it; default: the
    /// current folder) or files.
    pub artifacts: Vec<PathBuf>,
}

/// `apostille verify pgp`.
#[derive(Debug, Args)]
pub struct VerifyPgpArgs {
    /// KEYS file (or any keyring) holding the signers' certificates;
    /// repeatable.
    #[arg(long, required = true, value_name = "KEYS")]
    pub keys: Vec<PathBuf>,
    /// Require at least this many good signatures.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_signatures: usize,
    /// Count only signatures by this fingerprint (primary or signing key);
    /// repeatable.
    #[arg(long = "signer", value_name = "FINGERPRINT")]
    pub signers: Vec<String>,
    /// Also check these checksum files (e.g. FILE.sha512) from the same
    /// read of the signed file; repeatable.
    #[arg(long = "checksums", value_name = "SUMS")]
    pub checksums: Vec<PathBuf>,
    /// Accept keys bound to their certificate only by SHA-1
    /// self-signatures, which the standard policy refuses since 2023-02-01
    /// whatever their age (SHA-1 data signatures stay rejected).
    #[arg(long)]
    pub allow_sha1_bindings: bool,
    /// The detached signature (.asc or binary .sig).
    pub signature: PathBuf,
    /// The signed file (default: the signature's path without .asc/.sig).
    pub file: Option<PathBuf>,
}

/// `apostille verify checksums`.
#[derive(Debug, Args)]
pub struct VerifyChecksumsArgs {
    /// Don't fail or report status for missing files.
    #[arg(long)]
    pub ignore_missing: bool,
    /// Accept a file covered only by MD5 or SHA-1.
    #[arg(long)]
    pub allow_weak: bool,
    /// Accept absolute names and names with `..`.
    #[arg(long)]
    pub allow_outside: bool,
    /// Exit non-zero for improperly formatted checksum lines.
    #[arg(long)]
    pub strict: bool,
    /// Warn about each improperly formatted checksum line.
    #[arg(long, short = 'w')]
    pub warn: bool,
    /// Print nothing; the exit status tells. (`--quiet` drops the OK lines
    /// and the progress bar.)
    #[arg(long)]
    pub status: bool,
    /// Algorithm for lines whose layout does not say (e.g. blake3 for a
    /// B3SUMS file under another name).
    #[arg(long, short = 'a', value_name = "ALGO")]
    pub algo: Option<String>,
    /// Checksum files; `-` or nothing: standard input.
    pub files: Vec<PathBuf>,
}

/// `apostille oci …`.
#[derive(Debug, Subcommand)]
pub enum OciCommand {
    /// Print the manifest digest a tag names; for a multi-platform index,
    /// its platforms (and with --platform, that platform's digest).
    Resolve(OciResolveArgs),
    /// Print cosign's simple-signing payload for the image's digest: sign
    /// it (e.g. `sign blob`) to attach a legacy cosign `.sig`.
    Payload(OciResolveArgs),
    /// Attach Sigstore bundles and SPDX SBOMs to an image as OCI 1.1
    /// referrers (the sha256-HEX tag scheme on registries without the
    /// referrers API).
    Attach(OciAttachArgs),
    /// Sign an image: a Sigstore message signature over its manifest
    /// digest, attached as a referrer (key-based or keyless).
    Sign(Box<OciSignArgs>),
    /// Attest an image: an in-toto statement about its manifest digest
    /// (SLSA provenance, or --predicate), signed and attached as a referrer.
    Attest(Box<OciAttestArgs>),
    /// List an image's referrers, or download them with --output-dir.
    Fetch(OciFetchArgs),
    /// Verify the Sigstore bundles attached to an image against its
    /// manifest digest, with the policy flags of `verify bundle`.
    Verify(OciVerifyArgs),
    /// Remove one referrer from an image (and from the referrers tag).
    Detach(OciDetachArgs),
}

/// How to reach the registry: credentials, TLS, time limits.
#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// User name for the registry (the password is read from standard
    /// input with --password-stdin). Default: docker's config.json
    /// ($DOCKER_CONFIG or ~/.docker), else anonymous.
    #[arg(long, value_name = "USER", requires = "password_stdin")]
    pub username: Option<String>,
    /// Read the password (or token) for --username from standard input.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
    /// Allow plain HTTP to a registry that is not on a loopback address
    /// (loopback registries always use plain HTTP).
    #[arg(long)]
    pub insecure: bool,
    /// Seconds allowed for each registry operation (connecting: at most 10).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,
}

/// The image and which of an index's manifests to use.
#[derive(Debug, Args)]
pub struct ImageArgs {
    /// The image: REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:HEX.
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// For a multi-platform index: use this platform's manifest
    /// (os/arch[/variant]) instead of the index itself.
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
}

/// `apostille oci resolve`.
#[derive(Debug, Args)]
pub struct OciResolveArgs {
    #[command(flatten)]
    pub image: ImageArgs,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `apostille oci attach`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).multiple(true).args(["bundle", "sbom"])))]
pub struct OciAttachArgs {
    #[command(flatten)]
    pub image: ImageArgs,
    /// A Sigstore bundle to attach (repeatable).
    #[arg(long, value_name = "FILE")]
    pub bundle: Vec<PathBuf>,
    /// An SPDX JSON SBOM to attach (repeatable).
    #[arg(long, value_name = "FILE")]
    pub sbom: Vec<PathBuf>,
    /// Also write cosign 2.x's legacy tags: DSSE attestations go to
    /// sha256-HEX.att; a message signature over `oci payload`'s
    /// simple-signing document goes to sha256-HEX.sig.
    #[arg(long)]
    pub legacy_cosign_tags: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `apostille oci sign`.
#[derive(Debug, Args)]
pub struct OciSignArgs {
    #[command(flatten)]
    pub image: ImageArgs,
    #[command(flatten)]
    pub key: SigstoreKeyArgs,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `apostille oci attest`.
#[derive(Debug, Args)]
pub struct OciAttestArgs {
    #[command(flatten)]
    pub image: ImageArgs,
    #[command(flatten)]
    pub key: SigstoreKeyArgs,
    #[command(flatten)]
    pub build: BuildArgs,
    /// A custom predicate (JSON) instead of SLSA provenance; needs
    /// --predicate-type (an SBOM: `https://spdx.dev/Document`).
    #[arg(
        long,
        value_name = "FILE",
        requires = "predicate_type",
        conflicts_with = "provenance"
    )]
    pub predicate: Option<PathBuf>,
    /// The predicate type of --predicate.
    #[arg(long, value_name = "URI", requires = "predicate")]
    pub predicate_type: Option<String>,
    /// Release version recorded in the provenance.
    #[arg(long, value_name = "VERSION")]
    pub release_version: Option<String>,
    /// Also write cosign 2.x's legacy sha256-HEX.att tag.
    #[arg(long)]
    pub legacy_cosign_tags: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `apostille oci fetch`.
#[derive(Debug, Args)]
pub struct OciFetchArgs {
    #[command(flatten)]
    pub image: ImageArgs,
    /// Only referrers of this artifact type: `bundle`, `sbom`, or a media type.
    #[arg(long = "type", value_name = "TYPE")]
    pub artifact_type: Option<String>,
    /// Download each referrer into this folder as DIGEST-HEX.sigstore.json
    /// or DIGEST-HEX.spdx.json (default: only list them).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `apostille oci verify`.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("signer")
        .required(true)
        .args(["certificate_identity", "certificate_identity_regexp", "key"])
))]
pub struct OciVerifyArgs {
    #[command(flatten)]
    pub image: ImageArgs,
    #[command(flatten)]
    pub trust: SigstoreTrustArgs,
    // What the attestations must claim: given, only DSSE attestations
    // that meet it count (`--type` alone filters by predicate type).
    #[command(flatten)]
    pub attestation: AttestationPolicyArgs,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `apostille oci detach`.
#[derive(Debug, Args)]
pub struct OciDetachArgs {
    #[command(flatten)]
    pub image: ImageArgs,
    /// The referrer manifest's digest (as `oci fetch` lists it).
    #[arg(long, value_name = "sha256:HEX")]
    pub referrer: String,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `apostille release`.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// The release folder (its artifacts; attestations found there are
    /// outputs, never inputs).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Where to write the outputs (default: beside the artifacts).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The configuration (its `[release]` table; default: apostille.toml
    /// in the current folder, when there is one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Release name: NAME.spdx.json, NAME.intoto.jsonl (default: the
    /// folder's name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Release version (default: from --tag, GITHUB_REF_NAME on a tag, or
    /// CI_COMMIT_TAG, without a leading `v`).
    #[arg(long, value_name = "VERSION")]
    pub release_version: Option<String>,
    /// Release series (`1.4`), recorded in the provenance.
    #[arg(long, value_name = "SERIES")]
    pub series: Option<String>,
    /// The git tag being released (`v1.4.0`); gives the version.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Checksum sidecars (default sha512): comma-separated algorithms;
    /// md5 and sha1 are legacy and warned about.
    #[arg(long, value_name = "ALGOS", value_delimiter = ',')]
    pub sidecars: Option<Vec<String>>,
    /// Checksum lists, SHA256SUMS-style (default sha256).
    #[arg(long, value_name = "ALGOS", value_delimiter = ',')]
    pub lists: Option<Vec<String>>,
    /// Artifact names must contain this (repeatable; e.g. -incubating).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub require_in_name: Vec<String>,
    /// OpenPGP: sign every artifact with this armored secret key.
    #[arg(long, value_name = "KEY.asc", conflicts_with = "pgp_agent")]
    pub pgp_key: Option<PathBuf>,
    /// OpenPGP: sign with this key held by gpg-agent (fingerprint).
    #[arg(long, value_name = "FINGERPRINT")]
    pub pgp_agent: Option<String>,
    /// OpenPGP with --pgp-agent: the certificate (default: gpg --export).
    #[arg(long, value_name = "FILE", requires = "pgp_agent")]
    pub pgp_cert: Option<PathBuf>,
    /// OpenPGP with --pgp-agent: GnuPG home of the agent.
    #[arg(long, value_name = "DIR", requires = "pgp_agent")]
    pub gnupg_home: Option<PathBuf>,
    /// OpenPGP: the key's passphrase from this file (first line).
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_env")]
    pub passphrase_file: Option<PathBuf>,
    /// OpenPGP: the key's passphrase from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// OpenPGP: the project's KEYS file; the signing key must be in it and
    /// meet the release policy.
    #[arg(long, value_name = "KEYS")]
    pub keys: Option<PathBuf>,
    /// Sigstore: sign the provenance with this key (cosign's format or
    /// PKCS#8).
    #[arg(long, value_name = "KEY", conflicts_with = "keyless")]
    pub sigstore_key: Option<PathBuf>,
    #[command(flatten)]
    pub keyless: KeylessArgs,
    #[command(flatten)]
    pub build: BuildArgs,
    /// No SBOM.
    #[arg(long)]
    pub no_sbom: bool,
    /// SBOM formats (default spdx-json): spdx-json, cyclonedx-json;
    /// comma-separated, each its own document (NAME.spdx.json,
    /// NAME.cdx.json).
    #[arg(long, value_name = "FORMATS", value_delimiter = ',')]
    pub sbom_format: Option<Vec<String>>,
    /// One SBOM per artifact (X.spdx.json, X.cdx.json) instead of one for
    /// the release.
    #[arg(long)]
    pub sbom_per_artifact: bool,
    /// List the files inside tar archives in each archive's own SBOM
    /// (X.spdx.json), from the same read of the archive.
    #[arg(long)]
    pub sbom_contents: bool,
    /// Add BLAKE3 checksums to the SBOMs (an extra digest of every byte).
    #[arg(long)]
    pub sbom_blake3: bool,
    /// The release candidate this is (`rc2`; default: from a version or
    /// tag ending in -rcN), recorded for `apostille promote`.
    #[arg(long, value_name = "RC")]
    pub candidate: Option<String>,
    /// Print the vote mail (see `apostille announce`) instead of the
    /// summary.
    #[arg(long)]
    pub announce: bool,
    /// Third-party notices for this Cargo workspace (its Cargo.toml).
    #[arg(long, value_name = "Cargo.toml")]
    pub notices_manifest: Option<PathBuf>,
    /// Replace outputs that exist.
    #[arg(long)]
    pub force: bool,
    /// Print the report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

// Exit status and examples of `--help`, which `cargo xtask gen-docs` also
// turns into the man pages' EXIT STATUS and EXAMPLES sections (a heading
// line, then indented lines). Without an `Exit status:` block a page says
// what every command's codes mean.

/// `apostille --help`.
const EXAMPLES_TOP: &str = "Examples:
  apostille release dist/ --pgp-key release.sec.asc --keyless
  apostille verify downloads/ --keys KEYS
  apostille verify attestation --bundle app.intoto.jsonl --certificate-identity-regexp '^https://github.com/o/r/' --certificate-oidc-issuer https://token.actions.githubusercontent.com app";

/// `apostille release`.
/// `apostille promote`.
const EXAMPLES_PROMOTE: &str = "Examples:
  apostille promote demo-1.3.0-rc2/ --to 1.3.0 --keys KEYS --key cosign.pub --pgp-key release.sec.asc --sigstore-key cosign.key
  apostille verify demo-1.3.0-rc2/ --keys KEYS --key cosign.pub --source-uri github.com/example/demo --source-tag v1.3.0";

const EXAMPLES_RELEASE: &str = "Examples:
  apostille release dist/ --pgp-key release.sec.asc --keys KEYS
  apostille release dist/ --keyless --config apostille.toml --out attestations/";

/// `apostille hash`.
const EXAMPLES_HASH: &str = "Examples:
  apostille hash app-1.0.tar.gz
  apostille hash --algo sha256,sha512,blake3 dist/
  apostille hash --format json dist/ > digests.json
  (to check a list, as sha256sum -c does: apostille verify checksums SHA256SUMS)";

/// `apostille checksums`.
const EXAMPLES_CHECKSUMS: &str = "Examples:
  apostille checksums dist/ -o dist/SHA512SUMS
  apostille checksums --algo sha256 --sidecar dist/";

/// `apostille attest`.
const EXAMPLES_ATTEST: &str = "Examples:
  apostille attest --key cosign.key dist/app-1.0.tar.gz
  apostille attest --keyless --provenance github dist/*";

/// `apostille verify`.
const EXAMPLES_VERIFY: &str = "Exit status:
  0  every artifact VERIFIED (or INTEGRITY ONLY with --allow-integrity-only)
  1  otherwise: an artifact FAILED or is NOT AUTHENTICATED
  2  a trust input cannot be used (KEYS, key, trusted root, policy file, an unknown --require kind), or bad usage

Examples:
  apostille verify downloads/ --keys KEYS
  apostille verify downloads/ --keys KEYS --require pgp,checksum
  apostille verify downloads/ --certificate-identity-regexp '^https://github.com/o/r/' --certificate-oidc-issuer https://token.actions.githubusercontent.com --source-uri github.com/o/r";

/// `apostille trust update`.
const EXAMPLES_TRUST_UPDATE: &str = "Exit status:
  0  the root was fetched, verified through TUF and stored
  1  TUF refused the repository (rollback, expired metadata, bad signature) or it could not be reached; the root in use is unchanged
  2  an error: bad usage, no cache folder

Examples:
  apostille trust update
  apostille trust update --github";

/// `apostille notices audit`.
const EXAMPLES_NOTICES_AUDIT: &str = "Examples:
  apostille notices audit apache-foo-1.0-src.tar.gz
  apostille notices audit --incubating --exclude 'testdata/**' src-release/";

/// `apostille sign pgp`.
const EXAMPLES_SIGN_PGP: &str = "Examples:
  apostille sign pgp --key release.sec.asc dist/app-1.0.tar.gz
  apostille sign pgp --agent 0123456789ABCDEF0123456789ABCDEF01234567 --checksums sha512 dist/*";

/// `apostille verify checksums`.
const EXAMPLES_VERIFY_CHECKSUMS: &str = "Exit status:
  0  every line verified its file (with --ignore-missing: at least one file was verified)
  1  a digest differed, a listed file could not be read, a name was refused, a file had only weak digests, or --strict and a malformed line
  2  a checksum file could not be read or had no properly formatted line, or bad usage

Examples:
  apostille verify checksums SHA256SUMS
  apostille verify checksums --ignore-missing --quiet *.sha512";

/// `apostille verify pgp`.
const EXAMPLES_VERIFY_PGP: &str = "Exit status:
  0  enough good signatures by trusted certificates
  1  no (or too few) good signatures by a certificate of KEYS
  2  an error: bad usage, a file that cannot be read

Examples:
  apostille verify pgp --keys KEYS app-1.0.tar.gz.asc
  apostille verify pgp --keys KEYS --checksums app-1.0.tar.gz.sha512 app-1.0.tar.gz.sha512.asc";

/// `apostille verify bundle`.
const EXAMPLES_VERIFY_BUNDLE: &str = "Exit status:
  0  verified
  1  a check failed, including a bundle, key or trusted root whose content is not valid
  2  an error: bad usage, a file that cannot be read

Examples:
  apostille verify bundle --bundle app.sigstore.json --certificate-identity dev@example.org --certificate-oidc-issuer https://accounts.google.com app
  apostille verify bundle --bundle app.sigstore.json --key cosign.pub sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// `apostille verify attestation`.
const EXAMPLES_VERIFY_ATTESTATION: &str = "Exit status:
  0  verified, and the statement says what was required
  1  a check failed (signature, proof, identity, time, malformed, policy)
  2  an error: bad usage, a file that cannot be read

Examples:
  apostille verify attestation --bundle sha256:HEX.jsonl --certificate-identity-regexp '^https://github.com/o/r/' --certificate-oidc-issuer https://token.actions.githubusercontent.com --source-tag v1.0 app
  apostille verify attestation --bundle app.intoto.jsonl --rekor-url https://rekor.sigstore.dev --builder-id https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v2.1.0 <identity options> app";
