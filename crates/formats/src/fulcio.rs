//! What a Fulcio certificate says about who it was issued to: the identity
//! of its Subject Alternative Name, read the same way when signing (to
//! report who signed) and when verifying (to match a policy).
//!
//! Fulcio writes one of three SAN kinds: an e-mail address (`rfc822Name`),
//! a URI (a CI workflow, a SPIFFE ID), or, for its username issuers, an
//! `otherName` of type [`USERNAME_OID`] holding a UTF8String such as
//! `foo!oidc.local`.

use x509_cert::der::Decode;
use x509_cert::der::asn1::Utf8StringRef;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

/// The otherName type of Fulcio's username identities
/// (`user!issuer-host`).
pub const USERNAME_OID: &str = "1.3.6.1.4.1.57264.1.7";

/// A certificate or SAN that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("the certificate's SAN cannot be read: {0}")]
pub struct SanError(String);

/// The identity a certificate's SAN asserts: the first e-mail address or
/// URI (as sigstore-verify and cosign read it), else the first Fulcio
/// username otherName. `None`: the certificate has no SAN of these kinds.
pub fn san_identity(cert_der: &[u8]) -> Result<Option<String>, SanError> {
    let bad = |e: &dyn std::fmt::Display| SanError(e.to_string());
    let cert = x509_cert::Certificate::from_der(cert_der).map_err(|e| bad(&e))?;
    let san: Option<(bool, SubjectAltName)> = cert.tbs_certificate.get().map_err(|e| bad(&e))?;
    let Some((_, san)) = san else {
        return Ok(None);
    };
    let mut username = None;
    for name in &san.0 {
        match name {
            GeneralName::Rfc822Name(s) | GeneralName::UniformResourceIdentifier(s) => {
                return Ok(Some(s.to_string()));
            }
            GeneralName::OtherName(o)
                if username.is_none() && o.type_id.to_string() == USERNAME_OID =>
            {
                let v = o
                    .value
                    .decode_as::<Utf8StringRef<'_>>()
                    .map_err(|e| bad(&e))?;
                username = Some(v.as_str().to_string());
            }
            _ => {}
        }
    }
    Ok(username)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(san_identity(b"").is_err());
        assert!(san_identity(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
    }
}
