//! The OIDC issuer double: mints ES256 JWTs with its own key, and checks
//! them for the Fulcio double (signature, issuer, audience, expiry).

use crate::pki::{Error, Key};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use serde_json::Value;

pub struct Issuer {
    pub url: String,
    key: Key,
}

/// The claims Fulcio cares about, once the token checks out.
pub struct Claims {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
}

impl Claims {
    /// What Fulcio certifies: the email when there is one, else the subject.
    pub fn identity(&self) -> &str {
        self.email.as_deref().unwrap_or(&self.subject)
    }
}

impl Issuer {
    pub fn new(url: String) -> Self {
        Issuer {
            url,
            key: Key::generate_fixed(),
        }
    }

    /// A token for `subject` (with `email` if given), audience `sigstore`,
    /// valid for ten minutes from `now`.
    pub fn mint(&self, subject: &str, email: Option<&str>, now: u64) -> String {
        let mut claims = serde_json::json!({
            "iss": self.url,
            "sub": subject,
            "aud": "sigstore",
            "iat": now,
            "nbf": now,
            "exp": now + 600,
        });
        if let Some(email) = email {
            claims["email"] = email.into();
            claims["email_verified"] = true.into();
        }
        let signing_input = format!(
            "{}.{}",
            B64URL.encode(br#"{"alg":"ES256","typ":"JWT","kid":"apostille-test"}"#),
            B64URL.encode(claims.to_string())
        );
        let sig = self.key.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", B64URL.encode(sig))
    }

    /// Checks a token this issuer minted; returns its claims.
    pub fn check(&self, jwt: &str, now: u64) -> Result<Claims, Error> {
        let mut parts = jwt.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("identity token is not a JWS compact serialization".into());
        };
        let sig = B64URL
            .decode(s)
            .map_err(|_| "token signature is not base64url")?;
        aws_lc_rs::signature::UnparsedPublicKey::new(
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
            self.key.public_point(),
        )
        .verify(format!("{h}.{c}").as_bytes(), &sig)
        .map_err(|_| "identity token signature does not verify")?;
        let claims: Value = serde_json::from_slice(
            &B64URL
                .decode(c)
                .map_err(|_| "token claims are not base64url")?,
        )
        .map_err(|_| "token claims are not JSON")?;
        let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_string);
        if text("iss").as_deref() != Some(self.url.as_str()) {
            return Err("token issuer is not this OIDC issuer".into());
        }
        if text("aud").as_deref() != Some("sigstore") {
            return Err("token audience is not sigstore".into());
        }
        let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
        if exp <= now {
            return Err("token expired".into());
        }
        Ok(Claims {
            issuer: self.url.clone(),
            subject: text("sub").ok_or("token has no subject")?,
            email: text("email"),
        })
    }
}
