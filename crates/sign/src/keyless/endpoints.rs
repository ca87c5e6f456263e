//! Where the Sigstore services are: a signing config
//! (`application/vnd.dev.sigstore.signingconfig.v0.2+json`) reduced to the
//! three URLs a keyless signature needs.

use super::KeylessError;
use serde::Deserialize;

/// The public-good instance's signing config, as published in Sigstore's TUF
/// repository (target `signing_config.v0.2.json`). Embedded so that signing
/// needs no TUF round trip; a newer one can be passed as a file.
pub const PUBLIC_GOOD_SIGNING_CONFIG: &str = include_str!("signing_config.public-good.json");

const MEDIA_TYPE: &str = "application/vnd.dev.sigstore.signingconfig.v0.2+json";

/// The endpoints of one Sigstore instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Fulcio base URL (`…/api/v2/signingCert` is appended).
    pub fulcio: String,
    /// Rekor v1 base URL (`…/api/v1/log/entries` is appended).
    pub rekor: String,
    /// Full URL of an RFC 3161 timestamp endpoint, if one is used.
    pub tsa: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SigningConfig {
    media_type: String,
    #[serde(default)]
    ca_urls: Vec<Service>,
    #[serde(default)]
    rekor_tlog_urls: Vec<Service>,
    #[serde(default)]
    tsa_urls: Vec<Service>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    url: String,
    major_api_version: u32,
    valid_for: ValidFor,
}

#[derive(Deserialize)]
struct ValidFor {
    start: jiff::Timestamp,
    #[serde(default)]
    end: Option<jiff::Timestamp>,
}

impl Endpoints {
    /// The public-good instance (Fulcio, Rekor v1 and the timestamp
    /// authority at sigstore.dev).
    pub fn public_good() -> Self {
        // The embedded config is tested to parse; failing here would be a
        // build defect, so fall back to its known URLs rather than panic.
        Self::from_signing_config(PUBLIC_GOOD_SIGNING_CONFIG, "").unwrap_or_else(|_| Endpoints {
            fulcio: "https://fulcio.sigstore.dev".into(),
            rekor: "https://rekor.sigstore.dev".into(),
            tsa: Some("https://timestamp.sigstore.dev/api/v1/timestamp".into()),
        })
    }

    /// Reads a signing config: for each service, the entry valid now with
    /// the API version we speak (Fulcio 1, Rekor 1, TSA 1) and the newest
    /// start. `origin` names the file in errors (empty for embedded text).
    pub fn from_signing_config(json: &str, origin: &str) -> Result<Self, KeylessError> {
        let err = |reason: String| KeylessError::SigningConfig {
            origin: if origin.is_empty() {
                String::new()
            } else {
                format!(" {origin}")
            },
            reason,
        };
        let config: SigningConfig =
            serde_json::from_str(json).map_err(|e| err(format!("not a signing config: {e}")))?;
        if config.media_type != MEDIA_TYPE {
            return Err(err(format!(
                "media type {:?} is not {MEDIA_TYPE}",
                config.media_type
            )));
        }
        let now = jiff::Timestamp::now();
        let pick = |services: &[Service], what: &str| -> Result<Option<String>, KeylessError> {
            let valid = services
                .iter()
                .filter(|s| s.valid_for.start <= now && s.valid_for.end.is_none_or(|e| now < e));
            let speakable = valid.clone().filter(|s| s.major_api_version == 1);
            match speakable.max_by_key(|s| s.valid_for.start) {
                Some(s) => Ok(Some(s.url.trim_end_matches('/').to_string())),
                None if valid.count() > 0 => Err(err(format!(
                    "every {what} valid now needs an API version other than 1, which apostille does not speak"
                ))),
                None => Ok(None),
            }
        };
        let fulcio = pick(&config.ca_urls, "certificate authority (caUrls)")?
            .ok_or_else(|| err("no certificate authority (caUrls) valid now".into()))?;
        let rekor = pick(&config.rekor_tlog_urls, "transparency log (rekorTlogUrls)")?
            .ok_or_else(|| err("no transparency log (rekorTlogUrls) valid now".into()))?;
        let tsa = pick(&config.tsa_urls, "timestamp authority (tsaUrls)")?;
        Ok(Endpoints { fulcio, rekor, tsa })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_public_good_config_parses() {
        let e = Endpoints::from_signing_config(PUBLIC_GOOD_SIGNING_CONFIG, "").unwrap();
        assert_eq!(e.fulcio, "https://fulcio.sigstore.dev");
        assert_eq!(e.rekor, "https://rekor.sigstore.dev");
        assert_eq!(
            e.tsa.as_deref(),
            Some("https://timestamp.sigstore.dev/api/v1/timestamp")
        );
    }

    #[test]
    fn a_config_with_only_rekor_v2_is_refused_by_name() {
        let json = r#"{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
          "caUrls":[{"url":"http://ca","majorApiVersion":1,"validFor":{"start":"2020-01-01T00:00:00Z"}}],
          "rekorTlogUrls":[{"url":"http://log","majorApiVersion":2,"validFor":{"start":"2020-01-01T00:00:00Z"}}]}"#;
        let e = Endpoints::from_signing_config(json, "sc.json").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("signing config sc.json:"), "{msg}");
        assert!(msg.contains("rekorTlogUrls"), "{msg}");
    }

    #[test]
    fn expired_entries_are_skipped_and_the_newest_valid_one_wins() {
        let json = r#"{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
          "caUrls":[
            {"url":"http://old","majorApiVersion":1,"validFor":{"start":"2020-01-01T00:00:00Z","end":"2021-01-01T00:00:00Z"}},
            {"url":"http://mid/","majorApiVersion":1,"validFor":{"start":"2021-01-01T00:00:00Z"}},
            {"url":"http://new","majorApiVersion":1,"validFor":{"start":"2022-01-01T00:00:00Z"}}],
          "rekorTlogUrls":[{"url":"http://log","majorApiVersion":1,"validFor":{"start":"2020-01-01T00:00:00Z"}}]}"#;
        let e = Endpoints::from_signing_config(json, "").unwrap();
        assert_eq!(e.fulcio, "http://new");
        assert_eq!(e.tsa, None);
    }
}
