//! TLS to the server, as libpq's `sslmode` means it: `disable` never
//! encrypts; `prefer` (the default) encrypts when the server offers it and
//! goes on unencrypted when it does not; `require` refuses a server without
//! TLS; neither checks the certificate (libpq does not either: they guard
//! against listening, not against a stranger in the middle). `verify-full`
//! checks the certificate against `sslrootcert` and the host name.
//!
//! rustls with ring: no system OpenSSL is needed to build or run.

use crate::error::{Error, Result};
use crate::locator::Locator;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// Opens a client connection with the locator's TLS mode.
pub(crate) fn connect(locator: &Locator) -> Result<postgres::Client> {
    let mut config = locator.config();
    let mode = match locator.sslmode.as_str() {
        "disable" => return Ok(config.connect(postgres::NoTls)?),
        "prefer" | "allow" => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    };
    config.ssl_mode(mode);
    let tls = tokio_postgres_rustls::MakeRustlsConnect::new(client_config(locator)?);
    Ok(config.connect(tls)?)
}

fn client_config(locator: &Locator) -> Result<ClientConfig> {
    #[allow(
        deprecated,
        reason = "ring has no post-quantum key exchange; aws-lc-rs would need cmake and nasm to build"
    )]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Server(format!("TLS: {e}")))?;
    let config = if locator.sslmode == "verify-full" {
        let file = locator
            .sslrootcert
            .as_ref()
            .ok_or_else(|| Error::Locator("sslmode=verify-full needs sslrootcert=FILE".into()))?;
        let mut roots = RootCertStore::empty();
        let certs = CertificateDer::pem_file_iter(file)
            .map_err(|e| Error::Locator(format!("sslrootcert {}: {e}", file.display())))?;
        for cert in certs {
            let cert =
                cert.map_err(|e| Error::Locator(format!("sslrootcert {}: {e}", file.display())))?;
            roots
                .add(cert)
                .map_err(|e| Error::Locator(format!("sslrootcert {}: {e}", file.display())))?;
        }
        if roots.is_empty() {
            return Err(Error::Locator(format!(
                "sslrootcert {}: no certificate in it",
                file.display()
            )));
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(EncryptOnly(
                provider.signature_verification_algorithms,
            )))
            .with_no_client_auth()
    };
    Ok(config)
}

/// `prefer`/`require`: any certificate is taken (as libpq does), but the
/// handshake's signatures are still checked, so the session is encrypted
/// with the key of the certificate the server showed.
#[derive(Debug)]
struct EncryptOnly(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}
