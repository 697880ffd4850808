//! A PostgreSQL server for tests, so that the shared-project tests run
//! against the real engine on loopback and not against a mock.
//!
//! Where the server comes from, in order:
//! 1. `STORYLOOM_TEST_PG` (a `postgres://` URL; `.ci/run` starts a cluster
//!    and sets it), with `STORYLOOM_TEST_PG_RESTART` as the shell command
//!    that restarts that server;
//! 2. a cluster of our own: `initdb` and `pg_ctl` from `PATH` or Debian's
//!    `/usr/lib/postgresql/<version>/bin`, in a temporary folder, on a free
//!    port of 127.0.0.1, trust authentication (loopback only). PostgreSQL
//!    refuses to run as root, so as root it runs as the `postgres` user.
//!
//! With neither, [`server`] prints a notice and returns `None` (the test
//! skips), unless `STORYLOOM_REQUIRE_TOOLS` is set (CI), when it panics.
//! A cluster of our own is stopped when its [`TestServer`] is dropped, and
//! a watchdog stops it if the test process dies first.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A running PostgreSQL server the tests may use.
#[derive(Debug)]
pub struct TestServer {
    url: String,
    port: u16,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// Given by the environment; restarted by the given shell command.
    External { restart: Option<String> },
    /// Ours: data folder, binaries, the user it runs as.
    Own {
        data: tempfile::TempDir,
        bin: PathBuf,
        run_as: Option<String>,
        /// Serves TLS with a self-signed certificate (`server.crt` in `data`).
        tls: bool,
    },
}

/// Why a server could not be had.
#[derive(Debug)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The server shared by every test of this test binary (tests keep out of
/// each other's way by using their own project schema names), or `None`
/// with a printed notice when PostgreSQL is not installed.
pub fn server() -> Option<&'static TestServer> {
    static SHARED: OnceLock<Result<TestServer, Unavailable>> = OnceLock::new();
    let got = SHARED.get_or_init(|| match external() {
        Some(s) => Ok(s),
        None => TestServer::start_own(false),
    });
    match got {
        Ok(s) => Some(s),
        Err(why) => skip(why),
    }
}

/// A server this test alone uses, for tests that restart it. A cluster of
/// our own where PostgreSQL's binaries are here, else the environment's
/// server if it says how to restart it.
pub fn private_server() -> Option<TestServer> {
    match TestServer::start_own(false) {
        Ok(s) => Some(s),
        Err(why) => match external() {
            Some(s) if matches!(&s.kind, Kind::External { restart: Some(_) }) => Some(s),
            _ => skip(&why),
        },
    }
}

/// A server of our own that offers TLS with a certificate for 127.0.0.1
/// signed by a test authority (made with `openssl`); [`TestServer::certificate`]
/// is the authority's file.
pub fn private_tls_server() -> Option<TestServer> {
    match TestServer::start_own(true) {
        Ok(s) => Some(s),
        Err(why) => skip(&why),
    }
}

fn skip<T>(why: &Unavailable) -> Option<T> {
    if std::env::var_os("STORYLOOM_REQUIRE_TOOLS").is_some() {
        panic!("PostgreSQL is needed and STORYLOOM_REQUIRE_TOOLS is set: {why}");
    }
    eprintln!("skipping: no PostgreSQL for this test ({why}); apt-get install postgresql");
    None
}

fn external() -> Option<TestServer> {
    let url = std::env::var("STORYLOOM_TEST_PG").ok()?;
    let port = port_of(&url).unwrap_or(5432);
    Some(TestServer {
        url,
        port,
        kind: Kind::External {
            restart: std::env::var("STORYLOOM_TEST_PG_RESTART").ok(),
        },
    })
}

/// The port in a `postgres://user@host:port/db` URL.
fn port_of(url: &str) -> Option<u16> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.rsplit_once(':')?.1.parse().ok()
}

impl TestServer {
    /// `postgres://USER@127.0.0.1:PORT/postgres`: no password (trust on
    /// loopback for our own cluster).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL with another database path, e.g. `url_with_path("postgres/study")`.
    pub fn url_with_path(&self, path: &str) -> String {
        let base = match self.url.split_once("://") {
            Some((scheme, rest)) => {
                let authority = rest.split(['/', '?']).next().unwrap_or(rest);
                format!("{scheme}://{authority}")
            }
            None => self.url.clone(),
        };
        format!("{base}/{}", path.trim_start_matches('/'))
    }

    /// Stops the server and starts it again (connections drop meanwhile);
    /// returns when it accepts connections again.
    pub fn restart(&self) -> Result<(), Unavailable> {
        match &self.kind {
            Kind::External { restart: Some(cmd) } => {
                run(Command::new("sh").arg("-c").arg(cmd), "restart command")?;
            }
            Kind::External { restart: None } => {
                return Err(Unavailable(
                    "STORYLOOM_TEST_PG_RESTART is not set: cannot restart the server".into(),
                ));
            }
            Kind::Own {
                data,
                bin,
                run_as,
                tls,
            } => {
                let ctl = bin.join("pg_ctl");
                let mut cmd = as_user(run_as.as_deref(), &ctl);
                cmd.arg("-D")
                    .arg(data.path().join("data"))
                    .args(["-m", "fast", "-w", "-t", "60", "restart"])
                    .arg("-l")
                    .arg(data.path().join("log"))
                    .arg("-o")
                    .arg(server_options(self.port, data.path(), *tls));
                run(&mut cmd, "pg_ctl restart")?;
            }
        }
        self.wait_ready(Duration::from_secs(60))
    }

    /// The authority that signed a TLS server's certificate (PEM).
    pub fn certificate(&self) -> Option<PathBuf> {
        match &self.kind {
            Kind::Own {
                data, tls: true, ..
            } => Some(data.path().join("ca.crt")),
            _ => None,
        }
    }

    fn start_own(tls: bool) -> Result<TestServer, Unavailable> {
        let bin = find_bin()?;
        let run_as = if is_root() {
            Some("postgres".to_owned())
        } else {
            None
        };
        if run_as.is_some() && !user_exists("postgres") {
            return Err(Unavailable(
                "running as root and there is no `postgres` user to run the server as".into(),
            ));
        }
        let data = tempfile::Builder::new()
            .prefix("storyloom-pg-")
            .tempdir()
            .map_err(|e| Unavailable(format!("temporary folder: {e}")))?;
        if let Some(user) = &run_as {
            run(
                Command::new("chown")
                    .arg(format!("{user}:"))
                    .arg(data.path()),
                "chown",
            )?;
        }
        let user = run_as.clone().unwrap_or_else(current_user);
        let mut init = as_user(run_as.as_deref(), &bin.join("initdb"));
        init.arg("-D").arg(data.path().join("data")).args([
            "-A",
            "trust",
            "-U",
            &user,
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        run(&mut init, "initdb")?;
        if tls {
            make_certificate(data.path(), run_as.as_deref())?;
        }
        let port = free_port()?;
        let mut start = as_user(run_as.as_deref(), &bin.join("pg_ctl"));
        start
            .arg("-D")
            .arg(data.path().join("data"))
            .args(["-w", "-t", "60", "start", "-l"])
            .arg(data.path().join("log"))
            .arg("-o")
            .arg(server_options(port, data.path(), tls));
        run(&mut start, "pg_ctl start")?;
        let server = TestServer {
            url: format!("postgres://{user}@127.0.0.1:{port}/postgres"),
            port,
            kind: Kind::Own {
                data,
                bin,
                run_as,
                tls,
            },
        };
        server.watch_for_our_death();
        server.wait_ready(Duration::from_secs(60))?;
        Ok(server)
    }

    /// Stops our cluster if this process ends without dropping the server
    /// (a static, a crash): a shell that waits for our pid to go.
    fn watch_for_our_death(&self) {
        let Kind::Own {
            data, bin, run_as, ..
        } = &self.kind
        else {
            return;
        };
        let stop = stop_command(bin, run_as.as_deref(), data.path());
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop}; rm -rf '{dir}'",
            pid = std::process::id(),
            dir = data.path().display()
        );
        let _ = Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }

    /// Waits until the port accepts a connection.
    fn wait_ready(&self, limit: Duration) -> Result<(), Unavailable> {
        let start = Instant::now();
        let host = if self.url.contains("localhost") {
            "localhost"
        } else {
            "127.0.0.1"
        };
        loop {
            if std::net::TcpStream::connect((host, self.port)).is_ok() {
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(Unavailable(format!(
                    "PostgreSQL on port {} did not come up within {limit:?}",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Kind::Own {
            data, bin, run_as, ..
        } = &self.kind
        {
            let mut cmd = as_user(run_as.as_deref(), &bin.join("pg_ctl"));
            cmd.arg("-D")
                .arg(data.path().join("data"))
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let _ = cmd.status();
        }
    }
}

fn server_options(port: u16, dir: &Path, tls: bool) -> String {
    let ssl = if tls {
        format!(
            " -c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key",
            dir.display()
        )
    } else {
        String::new()
    };
    // Loopback only; the socket in our own folder; small and quick (test data
    // need not survive a power cut, but must survive a restart: fsync off
    // keeps what a clean restart writes).
    format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100{ssl}",
        dir.display()
    )
}

/// A certificate authority of the test's own (`ca.crt`) and a server
/// certificate for 127.0.0.1 signed by it, with its key readable by the
/// server's user only (PostgreSQL refuses a key others can read).
fn make_certificate(dir: &Path, run_as: Option<&str>) -> Result<(), Unavailable> {
    let at = |name: &str| dir.join(name);
    run(
        Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args(["-subj", "/CN=Storyloom test authority"])
            .arg("-keyout")
            .arg(at("ca.key"))
            .arg("-out")
            .arg(at("ca.crt")),
        "openssl req (making a test authority)",
    )?;
    run(
        Command::new("openssl")
            .args(["req", "-new", "-newkey", "rsa:2048", "-nodes"])
            .args(["-subj", "/CN=127.0.0.1"])
            .arg("-keyout")
            .arg(at("server.key"))
            .arg("-out")
            .arg(at("server.csr")),
        "openssl req (a server key)",
    )?;
    std::fs::write(at("ext.cnf"), "subjectAltName=IP:127.0.0.1\n")
        .map_err(|e| Unavailable(format!("ext.cnf: {e}")))?;
    run(
        Command::new("openssl")
            .args(["x509", "-req", "-days", "2", "-CAcreateserial"])
            .arg("-in")
            .arg(at("server.csr"))
            .arg("-CA")
            .arg(at("ca.crt"))
            .arg("-CAkey")
            .arg(at("ca.key"))
            .arg("-extfile")
            .arg(at("ext.cnf"))
            .arg("-out")
            .arg(at("server.crt")),
        "openssl x509 (signing the server certificate)",
    )?;
    run(
        Command::new("chmod").arg("600").arg(at("server.key")),
        "chmod",
    )?;
    if let Some(user) = run_as {
        run(
            Command::new("chown")
                .arg(format!("{user}:"))
                .arg(at("server.key"))
                .arg(at("server.crt")),
            "chown",
        )?;
    }
    Ok(())
}

fn stop_command(bin: &Path, run_as: Option<&str>, dir: &Path) -> String {
    let ctl = format!(
        "'{}' -D '{}' -m immediate stop",
        bin.join("pg_ctl").display(),
        dir.join("data").display()
    );
    match run_as {
        Some(u) => format!("runuser -u {u} -- {ctl}"),
        None => ctl,
    }
}

fn as_user(run_as: Option<&str>, program: &Path) -> Command {
    match run_as {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn run(cmd: &mut Command, what: &str) -> Result<(), Unavailable> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Unavailable(format!("{what}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Unavailable(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// `initdb` and `pg_ctl`: on `PATH` (only if both are), else the newest
/// of Debian's `/usr/lib/postgresql/<version>/bin`.
fn find_bin() -> Result<PathBuf, Unavailable> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Ok(dir);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, b)| b)
        .ok_or_else(|| Unavailable("initdb and pg_ctl not found".into()))
}

fn free_port() -> Result<u16, Unavailable> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| Unavailable(format!("port: {e}")))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| Unavailable(format!("port: {e}")))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn user_exists(name: &str) -> bool {
    Command::new("id")
        .arg(name)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn current_user() -> String {
    std::env::var("USER")
        .ok()
        .or_else(|| {
            Command::new("id")
                .arg("-un")
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        })
        .unwrap_or_else(|| "postgres".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_port_of_a_url() {
        assert_eq!(port_of("postgres://a:b@127.0.0.1:5433/x"), Some(5433));
        assert_eq!(port_of("postgres://127.0.0.1:6000"), Some(6000));
        assert_eq!(port_of("postgres://host/db"), None);
    }

    /// The server comes up, takes connections, survives a restart and goes
    /// away when dropped.
    #[test]
    fn a_private_server_starts_restarts_and_stops() {
        let Some(server) = private_server() else {
            return;
        };
        let port = server.port();
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        server.restart().unwrap();
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        assert!(
            server
                .url_with_path("postgres/study")
                .ends_with("/postgres/study")
        );
        let own = matches!(server.kind, Kind::Own { .. });
        assert!(server.certificate().is_none());
        drop(server);
        if own {
            assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
        }
    }
}
