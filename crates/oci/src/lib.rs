//! OCI registries for apostille: attach Sigstore bundles, SBOMs and
//! provenance to container images (OCI 1.1 referrers, the `sha256-<hex>` tag
//! fallback, cosign's legacy `.sig`/`.att` tags) and fetch them back for
//! verification.
//!
//! What it will not do: decide whether a fetched attestation is good (that
//! is `apostille-verify`), or contact anything but the registry it is given.
//!
//! Empty until the OCI milestone.
