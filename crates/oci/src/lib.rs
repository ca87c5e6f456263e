//! OCI registries for apostille: attach Sigstore bundles and SBOMs to
//! container images and fetch them back for verification.
//!
//! * [`Registry`] talks to one registry host: every request has a connect
//!   and a total timeout, manifests are capped (4 MiB by default) and blobs
//!   too, and everything fetched is checked against the digest it was asked
//!   for before it is parsed. Plain HTTP is used for loopback registries
//!   only, unless [`RegistryOptions::insecure`] says otherwise.
//! * [`Registry::resolve`] turns a tag into a digest; for a multi-platform
//!   index it names the index itself unless a [`Platform`] is chosen.
//! * [`Registry::attach`] stores an [`Attachment`] as an OCI 1.1 referrer
//!   (an artifact manifest with a `subject`): through the registry's
//!   referrers API when it has one, else with the referrers tag scheme
//!   (`sha256-<hex>` index, read-modify-write).
//! * [`Registry::referrers`] and [`Registry::fetch_referrer`] list and fetch
//!   them; a referrer whose subject is another digest is refused.
//! * [`cosign`] writes and reads cosign 2.x's legacy `sha256-<hex>.sig` /
//!   `.att` tags.
//!
//! Transport is `oci-client` 0.18, the maintained successor of
//! `oci-distribution` (same code, renamed when it moved to the ORAS
//! project); it also does the bearer-token exchange.
//!
//! What it will not do: decide whether an attestation is good (bundles and
//! SBOMs are opaque bytes with a media type here; `apostille-verify`
//! judges them), or contact anything but the registry it is given.
//!
//! ```no_run
//! use apostille_oci::{Attachment, ImageRef, Registry, RegistryOptions};
//! # fn main() -> Result<(), apostille_oci::OciError> {
//! let image = ImageRef::parse("127.0.0.1:5000/demo/app:1.0")?;
//! let registry = Registry::for_image(&image, RegistryOptions::default())?;
//! let resolved = registry.resolve(&image, None)?;
//! let bundle = std::fs::read("app.sigstore.json").unwrap_or_default();
//! let attached = registry.attach(
//!     &image,
//!     &resolved.subject.descriptor(),
//!     &Attachment::sigstore_bundle(bundle),
//! )?;
//! println!("{} → {} ({})", attached.subject, attached.referrer, attached.scheme);
//! # Ok(())
//! # }
//! ```

mod auth;
mod client;
pub mod cosign;
mod digest;
mod error;
pub mod manifest;
mod reference;
mod referrers;
mod resolve;
#[cfg(feature = "test-registry")]
pub mod testing;

pub use auth::{Credentials, credentials_from_docker_config, docker_config_path};
pub use client::{FetchedManifest, Registry, RegistryOptions};
pub use digest::Digest;
pub use error::{OciError, Result};
pub use manifest::{Descriptor, Platform};
pub use reference::{ImageRef, is_loopback_host};
pub use referrers::{Attached, Attachment, FetchedAttachment, Referrer, ReferrersScheme};
pub use resolve::Resolved;
