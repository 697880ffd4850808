#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
//! TLS as `sslmode` says, against real servers: one offering TLS with a
//! self-signed certificate, one without.

use storyloom_share::{Locator, Server};

fn locator(url: &str, query: &str) -> Locator {
    Locator::parse(&format!("{url}/study{query}")).unwrap()
}

#[test]
fn a_server_offering_tls_is_used_encrypted() {
    let Some(server) = storyloom_pgtest::private_tls_server() else {
        return;
    };
    let cert = server.certificate().unwrap();
    let url = server.url().to_owned();
    for mode in ["", "?sslmode=prefer", "?sslmode=require"] {
        let mut s = Server::connect(&locator(&url, mode)).unwrap();
        assert!(s.encrypted().unwrap(), "{mode}: not encrypted");
    }
    let mut plain = Server::connect(&locator(&url, "?sslmode=disable")).unwrap();
    assert!(!plain.encrypted().unwrap());
    // verify-full: the certificate is checked against the given authority and the host.
    let query = format!("?sslmode=verify-full&sslrootcert={}", cert.display());
    let mut checked = Server::connect(&locator(&url, &query)).unwrap();
    assert!(checked.encrypted().unwrap());
    let by_name = url.replace("127.0.0.1", "localhost");
    let Err(err) = Server::connect(&locator(&by_name, &query)) else {
        panic!("a certificate for 127.0.0.1 was taken for localhost");
    };
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
}

#[test]
fn a_server_without_tls_is_refused_only_when_tls_is_required() {
    let Some(server) = storyloom_pgtest::server() else {
        return;
    };
    let url = server.url().to_owned();
    let mut s = Server::connect(&locator(&url, "")).unwrap();
    assert!(!s.encrypted().unwrap());
    assert!(Server::connect(&locator(&url, "?sslmode=require")).is_err());
}

#[test]
fn the_stored_address_keeps_tls_settings_but_no_password() {
    let l = Locator::parse(
        "postgres://ana:secret@db.example:5433/team/study?sslmode=verify-full&sslrootcert=/etc/ca.pem",
    )
    .unwrap();
    let shown = l.display();
    assert!(!shown.contains("secret"));
    assert_eq!(Locator::parse(&shown).unwrap().sslmode, "verify-full");
    assert!(Locator::parse("postgres://h/db/study?sslmode=verify-full").is_err());
}
