//! Where a shared project lives: `postgres://[user[:password]@]host[:port]/database/project`
//! (or `postgres://…/database?project=NAME`). The project's name is the
//! PostgreSQL schema its tables live in, so it must be a plain identifier
//! (lower-case letters, digits, `_`, starting with a letter or `_`, at most
//! 48 characters).
//!
//! The password is never stored: [`Locator::display`] leaves it out, and
//! [`Locator::password`] comes from the URL typed at the command line,
//! else `PGPASSWORD`, else `~/.pgpass` (`host:port:database:user:password`,
//! `*` matching anything), else none (trust or peer authentication).

use crate::error::{Error, Result};
use std::path::PathBuf;

/// A parsed shared-project URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Locator {
    pub user: String,
    pub host: String,
    pub port: u16,
    pub database: String,
    /// The project's schema on the server.
    pub schema: String,
    /// `disable`, `prefer` (the default), `require` or `verify-full`
    /// (as libpq: prefer and require encrypt without checking the
    /// certificate; verify-full checks it against `sslrootcert` and the host).
    pub sslmode: String,
    /// The certificate authority file for `verify-full` (PEM).
    pub sslrootcert: Option<PathBuf>,
    password: Option<String>,
}

impl std::fmt::Debug for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

impl Locator {
    /// Parses a URL (`postgres://` or `postgresql://`).
    pub fn parse(url: &str) -> Result<Locator> {
        let bad = |why: &str| Error::Locator(format!("{}: {why}", redact(url)));
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or_else(|| bad("a shared project's address starts with postgres://"))?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(u) => match u.split_once(':') {
                Some((u, p)) => (decode(u), Some(decode(p))),
                None => (decode(u), None),
            },
            None => (String::new(), None),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h.to_owned(),
                p.parse::<u16>()
                    .map_err(|_| bad("the port is not a number"))?,
            ),
            None => (hostport.to_owned(), 5432),
        };
        let host = if host.is_empty() {
            "localhost".to_owned()
        } else {
            host
        };
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        let database = segments.next().map(decode);
        let mut schema = segments.next().map(decode);
        if segments.next().is_some() {
            return Err(bad("the address has more than /database/project"));
        }
        let mut sslmode = "prefer".to_owned();
        let mut sslrootcert = None;
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "project" => schema = Some(decode(v)),
                "sslmode" => sslmode = v.to_owned(),
                "sslrootcert" => sslrootcert = Some(PathBuf::from(decode(v))),
                _ => {}
            }
        }
        let database =
            database.ok_or_else(|| bad("no database (postgres://host/DATABASE/project)"))?;
        let schema = schema.ok_or_else(|| {
            bad("no project name (postgres://host/database/PROJECT or ?project=NAME)")
        })?;
        check_identifier(&schema).map_err(|why| bad(&why))?;
        if !["disable", "allow", "prefer", "require", "verify-full"].contains(&sslmode.as_str()) {
            return Err(bad(
                "sslmode must be disable, prefer, require or verify-full",
            ));
        }
        if sslmode == "verify-full" && sslrootcert.is_none() {
            return Err(bad(
                "sslmode=verify-full needs sslrootcert=FILE (the server's certificate authority, PEM)",
            ));
        }
        let user = if user.is_empty() {
            std::env::var("PGUSER")
                .or_else(|_| std::env::var("USER"))
                .unwrap_or_else(|_| "postgres".into())
        } else {
            user
        };
        Ok(Locator {
            user,
            host,
            port,
            database,
            schema,
            sslmode,
            sslrootcert,
            password,
        })
    }

    /// The address without its password: what the project file keeps.
    /// The TLS settings stay (they are not secret, and a replica reopened
    /// later must connect the same way).
    pub fn display(&self) -> String {
        let mut s = format!(
            "postgres://{}@{}:{}/{}/{}",
            self.user, self.host, self.port, self.database, self.schema
        );
        let mut sep = '?';
        if self.sslmode != "prefer" {
            s.push_str(&format!("{sep}sslmode={}", self.sslmode));
            sep = '&';
        }
        if let Some(root) = &self.sslrootcert {
            s.push_str(&format!("{sep}sslrootcert={}", root.display()));
        }
        s
    }

    /// The password: from the URL, `PGPASSWORD` or `~/.pgpass`.
    pub fn password(&self) -> Option<String> {
        if let Some(p) = &self.password {
            return Some(p.clone());
        }
        if let Ok(p) = std::env::var("PGPASSWORD") {
            return Some(p);
        }
        let file = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
        let text = std::fs::read_to_string(file).ok()?;
        pgpass_lookup(&text, self)
    }

    /// The same locator, given a password (one typed at a prompt).
    pub fn with_password(mut self, password: Option<String>) -> Locator {
        self.password = password;
        self
    }

    /// The NOTIFY channel of the project.
    pub fn channel(&self) -> String {
        format!("storyloom_{}", self.schema)
    }

    pub(crate) fn config(&self) -> postgres::Config {
        let mut c = postgres::Config::new();
        c.host(&self.host)
            .port(self.port)
            .user(&self.user)
            .dbname(&self.database)
            .application_name("storyloom")
            .connect_timeout(std::time::Duration::from_secs(5));
        if let Some(p) = self.password() {
            c.password(p);
        }
        c
    }
}

/// A schema name PostgreSQL takes unquoted.
pub fn check_identifier(name: &str) -> std::result::Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 48
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with("pg_");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{name}' is not a usable project name on the server (lower-case letters, digits and _, starting with a letter)"
        ))
    }
}

/// The URL with any password replaced, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}@{host}{}", &rest[authority_end..])
        }
        None => url.to_owned(),
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn pgpass_lookup(text: &str, l: &Locator) -> Option<String> {
    let port = l.port.to_string();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        let want = [
            l.host.as_str(),
            port.as_str(),
            l.database.as_str(),
            l.user.as_str(),
        ];
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

/// `~/.pgpass` fields: `:` separates, `\:` and `\\` escape.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(n), Some(last)) = (chars.next(), fields.last_mut()) {
                    last.push(n);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms_and_keeps_no_password() {
        let l = Locator::parse("postgres://ana:s%40cret@db.example:6543/research/study").unwrap();
        assert_eq!(l.user, "ana");
        assert_eq!(l.port, 6543);
        assert_eq!(l.database, "research");
        assert_eq!(l.schema, "study");
        assert_eq!(l.password().as_deref(), Some("s@cret"));
        assert_eq!(l.display(), "postgres://ana@db.example:6543/research/study");
        assert!(!format!("{l:?}").contains("cret"));
        let q = Locator::parse("postgresql://ana@localhost/research?project=pilot_2").unwrap();
        assert_eq!(q.schema, "pilot_2");
        assert_eq!(q.port, 5432);
        for bad in [
            "postgres://h/db",
            "postgres://h/db/Study",
            "postgres://h/db/x;drop",
            "mysql://h/db/x",
            "postgres://h/db/pg_catalog",
        ] {
            assert!(Locator::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(redact("postgres://ana:pw@h/db/s"), "postgres://ana@h/db/s");
    }

    #[test]
    fn reads_pgpass_lines() {
        let l = Locator::parse("postgres://ana@h:5432/db/s").unwrap();
        let text = "# comment\nother:5432:db:ana:no\nh:*:db:ana:pa\\:ss\n";
        assert_eq!(pgpass_lookup(text, &l).as_deref(), Some("pa:ss"));
    }
}
