//! Where the OIDC identity token comes from: a file, `SIGSTORE_ID_TOKEN`,
//! or GitHub Actions' ambient credentials (audience `sigstore`).

use super::{KeylessError, Service};
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// Where an identity token was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `--identity-token FILE`.
    File(String),
    /// The `SIGSTORE_ID_TOKEN` environment variable.
    Environment,
    /// GitHub Actions' token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`).
    GitHubActions,
    /// Given as a value on the command line (sigstore-conformance's
    /// `--identity-token TOKEN`).
    CommandLine,
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::File(p) => write!(f, "file {p}"),
            TokenSource::Environment => f.write_str("SIGSTORE_ID_TOKEN"),
            TokenSource::GitHubActions => f.write_str("GitHub Actions"),
            TokenSource::CommandLine => f.write_str("the command line"),
        }
    }
}

/// An OIDC identity token (a JWT), with the claims Fulcio binds into the
/// certificate. Its signature is not checked here: Fulcio checks it.
#[derive(Clone)]
pub struct IdentityToken {
    pub(super) inner: sigstore_oidc::IdentityToken,
    source: TokenSource,
}

impl fmt::Debug for IdentityToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token itself: it is a bearer credential.
        f.debug_struct("IdentityToken")
            .field("identity", &self.identity())
            .field("issuer", &self.issuer())
            .field("source", &self.source)
            .finish()
    }
}

impl IdentityToken {
    /// Parses a JWT; refuses one that is malformed or already expired.
    pub fn from_jwt(jwt: &str, source: TokenSource) -> Result<Self, KeylessError> {
        let bad = |reason: String| KeylessError::BadToken {
            source_name: source.to_string(),
            reason,
        };
        let inner = sigstore_oidc::IdentityToken::from_jwt(jwt.trim())
            .map_err(|e| bad(format!("not a usable JWT: {e}")))?;
        if inner.is_expired() {
            return Err(bad(format!("expired at {}", inner.expiration())));
        }
        Ok(IdentityToken { inner, source })
    }

    /// The identity Fulcio certifies: the `email` claim, else `sub`.
    pub fn identity(&self) -> &str {
        self.inner.identity()
    }

    /// The token's issuer (`iss`).
    pub fn issuer(&self) -> &str {
        self.inner.issuer()
    }

    /// Where the token came from.
    pub fn source(&self) -> &TokenSource {
        &self.source
    }
}

/// Finds an identity token: `file` if given, else `SIGSTORE_ID_TOKEN`, else
/// GitHub Actions' ambient credentials. [`KeylessError::NoToken`] when none
/// of them is there.
pub fn find_identity_token(
    file: Option<&Path>,
    timeout: Duration,
) -> Result<IdentityToken, KeylessError> {
    find_identity_token_with(file, |name| std::env::var(name).ok(), timeout)
}

/// [`find_identity_token`] with the environment given as a function, for
/// callers that keep their own environment (and for tests).
pub fn find_identity_token_with(
    file: Option<&Path>,
    env: impl Fn(&str) -> Option<String>,
    timeout: Duration,
) -> Result<IdentityToken, KeylessError> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|source| KeylessError::TokenFile {
            path: path.display().to_string(),
            source,
        })?;
        return IdentityToken::from_jwt(&text, TokenSource::File(path.display().to_string()));
    }
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    if let Some(jwt) = set("SIGSTORE_ID_TOKEN") {
        return IdentityToken::from_jwt(&jwt, TokenSource::Environment);
    }
    if let (Some(url), Some(bearer)) = (
        set("ACTIONS_ID_TOKEN_REQUEST_URL"),
        set("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
    ) {
        let jwt = github_actions_token(&url, &bearer, timeout)?;
        return IdentityToken::from_jwt(&jwt, TokenSource::GitHubActions);
    }
    Err(KeylessError::NoToken)
}

/// Asks GitHub Actions' token endpoint for a token with audience `sigstore`.
fn github_actions_token(
    url: &str,
    bearer: &str,
    timeout: Duration,
) -> Result<String, KeylessError> {
    #[derive(serde::Deserialize)]
    struct Answer {
        value: String,
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}audience=sigstore");
    // The query carries no secret; the bearer token goes in a header and is
    // never part of an error message.
    let shown = url.clone();
    let err = |reason: String| KeylessError::Service {
        service: Service::Oidc,
        url: shown.clone(),
        reason,
    };
    let client = super::signer::http_client(timeout).map_err(&err)?;
    super::signer::block_on(async {
        let resp = client
            .get(&url)
            .bearer_auth(bearer)
            .send()
            .await
            .map_err(|e| err(super::signer::describe(&e)))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(err(format!("HTTP {status}")));
        }
        let answer: Answer = resp
            .json()
            .await
            .map_err(|e| err(format!("answer is not {{\"value\": TOKEN}}: {e}")))?;
        Ok(answer.value)
    })
    .map_err(&err)?
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        use base64::Engine as _;
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.{}",
            b.encode(br#"{"alg":"ES256"}"#),
            b.encode(claims),
            b.encode(b"sig")
        )
    }

    #[test]
    fn sigstore_id_token_is_used_when_no_file_is_given() {
        let t = jwt(
            r#"{"iss":"https://issuer","sub":"s","email":"a@b.c","aud":"sigstore","exp":4102444800,"iat":1}"#,
        );
        let got = find_identity_token_with(
            None,
            |n| (n == "SIGSTORE_ID_TOKEN").then(|| t.clone()),
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(got.identity(), "a@b.c");
        assert_eq!(got.issuer(), "https://issuer");
        assert_eq!(got.source(), &TokenSource::Environment);
        assert!(
            !format!("{got:?}").contains(&t),
            "Debug must not print the token"
        );
    }

    #[test]
    fn nothing_set_is_no_token() {
        let e = find_identity_token_with(None, |_| None, Duration::from_secs(1)).unwrap_err();
        assert!(matches!(e, KeylessError::NoToken));
    }

    #[test]
    fn an_expired_token_is_refused_naming_its_source() {
        let t = jwt(r#"{"iss":"https://issuer","sub":"s","aud":"sigstore","exp":1000,"iat":1}"#);
        let e = IdentityToken::from_jwt(&t, TokenSource::Environment).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("identity token from SIGSTORE_ID_TOKEN: expired"),
            "{e}"
        );
    }

    #[test]
    fn garbage_is_a_bad_token_not_a_panic() {
        let e = IdentityToken::from_jwt("not.a.jwt!", TokenSource::Environment).unwrap_err();
        assert!(matches!(e, KeylessError::BadToken { .. }), "{e}");
    }
}
