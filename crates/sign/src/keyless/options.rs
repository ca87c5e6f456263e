//! What a user says on the command line about keyless signing, turned into
//! a ready [`KeylessSigner`]: the same choices for `sign blob --keyless`
//! and `attest --keyless`, with no logic left in the CLI.

use super::{DEFAULT_TIMEOUT, Endpoints, KeylessError, KeylessSigner, find_identity_token};
use std::path::PathBuf;
use std::time::Duration;

/// Keyless signing options, as cosign names them.
#[derive(Debug, Clone)]
pub struct KeylessOptions {
    /// `--identity-token FILE`; else `SIGSTORE_ID_TOKEN`, else GitHub
    /// Actions' ambient credentials.
    pub identity_token: Option<PathBuf>,
    /// `--signing-config FILE`; else the embedded public-good config.
    pub signing_config: Option<PathBuf>,
    /// `--fulcio-url`: overrides the signing config's certificate authority.
    pub fulcio_url: Option<String>,
    /// `--rekor-url`: overrides the signing config's transparency log.
    pub rekor_url: Option<String>,
    /// `--timestamp-server-url`: overrides the signing config's TSA.
    pub timestamp_server_url: Option<String>,
    /// `--no-timestamp`: no RFC 3161 timestamp even if the config has a TSA
    /// (the Rekor v1 entry's signed time then stands alone).
    pub no_timestamp: bool,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for KeylessOptions {
    fn default() -> Self {
        KeylessOptions {
            identity_token: None,
            signing_config: None,
            fulcio_url: None,
            rekor_url: None,
            timestamp_server_url: None,
            no_timestamp: false,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl KeylessOptions {
    /// The endpoints: signing config (file or public-good), then overrides.
    pub fn endpoints(&self) -> Result<Endpoints, KeylessError> {
        let mut e = match &self.signing_config {
            None => Endpoints::public_good(),
            Some(path) => {
                let origin = path.display().to_string();
                let text =
                    std::fs::read_to_string(path).map_err(|e| KeylessError::SigningConfig {
                        origin: format!(" {origin}"),
                        reason: format!("cannot read: {e}"),
                    })?;
                Endpoints::from_signing_config(&text, &origin)?
            }
        };
        let trim = |u: &String| u.trim_end_matches('/').to_string();
        if let Some(u) = &self.fulcio_url {
            e.fulcio = trim(u);
        }
        if let Some(u) = &self.rekor_url {
            e.rekor = trim(u);
        }
        if let Some(u) = &self.timestamp_server_url {
            e.tsa = Some(trim(u));
        }
        if self.no_timestamp {
            e.tsa = None;
        }
        Ok(e)
    }

    /// Finds the token, then asks Fulcio for a certificate: a signer ready
    /// for any number of artifacts and attestations.
    pub fn signer(&self) -> Result<KeylessSigner, KeylessError> {
        let endpoints = self.endpoints()?;
        let token = find_identity_token(self.identity_token.as_deref(), self.timeout)?;
        KeylessSigner::new(endpoints, &token, self.timeout)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn urls_override_the_signing_config_and_no_timestamp_wins() {
        let o = KeylessOptions {
            rekor_url: Some("http://127.0.0.1:1/".into()),
            no_timestamp: true,
            ..Default::default()
        };
        let e = o.endpoints().unwrap();
        assert_eq!(e.fulcio, "https://fulcio.sigstore.dev");
        assert_eq!(e.rekor, "http://127.0.0.1:1");
        assert_eq!(e.tsa, None);
    }

    #[test]
    fn a_missing_signing_config_file_is_named() {
        let o = KeylessOptions {
            signing_config: Some("/nonexistent/sc.json".into()),
            ..Default::default()
        };
        let e = o.endpoints().unwrap_err().to_string();
        assert!(
            e.starts_with("signing config /nonexistent/sc.json: cannot read"),
            "{e}"
        );
    }
}
