//! Showing the configuration without its secrets: the one database-URL redactor (used by
//! `onewindow config`, the log and every message naming a database) and the settings in force
//! as TOML.

use super::{Config, PrinterTarget};

const MASK: &str = "***";

/// A database URL with every password form replaced by `***`: the user-info password
/// (`postgres://u:secret@host`), any query parameter whose name holds "password" or is `pwd`,
/// in any case and percent-encoded or not (`?password=…`, `?PassWord=…`, `?sslpassword=…`);
/// also a libpq key/value string (`host=… password=…`), should one be given where a URL was
/// expected. A SQLite path is left as it is.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return redact_params(url, ' ');
    };
    if url[..scheme_end].eq_ignore_ascii_case("sqlite") {
        return url.to_string();
    }
    let rest = &url[scheme_end + 3..];
    // The query starts at the first `?`; a `#` fragment goes with it.
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    // A password may hold `/` or `@` when not percent-encoded: the user-info ends at the last
    // `@` before the query.
    let mut out = url[..scheme_end + 3].to_string();
    match before_query.rsplit_once('@') {
        Some((userinfo, host)) => {
            match userinfo.split_once(':') {
                Some((user, _)) => out.push_str(&format!("{user}:{MASK}")),
                None => out.push_str(userinfo),
            }
            out.push('@');
            out.push_str(host);
        }
        None => out.push_str(before_query),
    }
    if let Some(q) = query {
        out.push('?');
        out.push_str(&redact_params(q, '&'));
    }
    out
}

/// `key=value` pairs separated by `sep`, the values of secret keys masked.
fn redact_params(text: &str, sep: char) -> String {
    text.split(sep)
        .map(|p| match p.split_once('=') {
            Some((k, _)) if is_secret_key(k) => format!("{k}={MASK}"),
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}

fn is_secret_key(key: &str) -> bool {
    let k = percent_decode(key.trim()).to_ascii_lowercase();
    k.contains("password") || k == "pwd" || k == "pass"
}

/// `%XX` escapes decoded (lossy): enough to see through an encoded key name.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(h, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Config {
    /// The settings in force as TOML, for `onewindow config`: the database URL redacted, no
    /// other secret held. Built field by field, never from `Debug`.
    pub fn to_toml_masked(&self) -> String {
        use toml::{Table, Value};
        let s = |v: &str| Value::String(v.to_string());
        let n = |v: i64| Value::Integer(v);
        let path = |p: &std::path::Path| Value::String(p.display().to_string());
        let mut site = Table::new();
        site.insert("code".into(), s(&self.site.code));
        site.insert("name".into(), s(&self.site.name));
        if let Some(w) = self.site.minimum_wage_monthly {
            site.insert("minimum_wage_monthly".into(), s(&w.yuan_text()));
        }
        site.insert(
            "major_dispute_threshold".into(),
            n(i64::from(self.site.major_dispute_threshold)),
        );
        site.insert(
            "region_prefixes".into(),
            Value::Array(self.site.region_prefixes.iter().map(|p| s(p)).collect()),
        );
        let prefixes: Table = self
            .site
            .ticket_prefixes
            .iter()
            .map(|(r, p)| (r.code().to_string(), s(p)))
            .collect();
        site.insert("ticket_prefixes".into(), Value::Table(prefixes));
        let mut database = Table::new();
        database.insert("url".into(), s(&redact_url(&self.database_url)));
        let mut printer = Table::new();
        printer.insert("profile".into(), s(&self.printer_profile));
        let to = match &self.printer {
            PrinterTarget::Spool(p) => format!("spool:{}", p.display()),
            PrinterTarget::Tcp(a) => format!("tcp://{a}"),
            PrinterTarget::Device(p) => format!("device:{}", p.display()),
        };
        printer.insert("to".into(), s(&to));
        let mut ui = Table::new();
        ui.insert("lang".into(), s(self.lang.code()));
        ui.insert("window".into(), n(i64::from(self.window)));
        ui.insert(
            "idle_lock_minutes".into(),
            n(i64::from(self.idle_lock_minutes)),
        );
        let mut log = Table::new();
        log.insert("file".into(), path(&self.log_file));
        log.insert("filter".into(), s(&self.log_filter));
        let mut data = Table::new();
        if let Some(y) = self.data.retention_years {
            data.insert("retention_years".into(), n(i64::from(y)));
        }
        data.insert(
            "spool_keep_days".into(),
            n(i64::from(self.data.spool_keep_days)),
        );
        data.insert(
            "draft_keep_days".into(),
            n(i64::from(self.data.draft_keep_days)),
        );
        let mut all = Table::new();
        for (k, v) in [
            ("site", site),
            ("database", database),
            ("printer", printer),
            ("ui", ui),
            ("log", log),
            ("data", data),
        ] {
            all.insert(k.into(), Value::Table(v));
        }
        let mut text = String::new();
        if let Some(f) = &self.file {
            text.push_str(&format!("# read from {}\n", f.display()));
        }
        text.push_str(&toml::to_string(&all).unwrap_or_default());
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_password_form_is_masked() {
        for (url, secret) in [
            ("postgres://u:s3cret@db/ow", "s3cret"),
            ("postgresql://u:p%40ss@db:5432/ow?sslmode=require", "p%40ss"),
            ("postgres://u:pa/ss@word@db/ow", "pa/ss@word"),
            ("postgres://:s3cret@db/ow", "s3cret"),
            ("postgres://u@db/ow?password=s3cret", "s3cret"),
            (
                "postgres://u@db/ow?sslmode=require&PassWord=s3cret",
                "s3cret",
            ),
            ("postgres://u@db/ow?sslpassword=s3cret", "s3cret"),
            ("postgres://u@db/ow?pass%77ord=s3cret", "s3cret"),
            ("POSTGRES://u:s3cret@db/ow", "s3cret"),
            ("host=db user=u password=s3cret", "s3cret"),
        ] {
            let r = redact_url(url);
            assert!(!r.contains(secret), "{url} -> {r}");
            assert!(r.contains(MASK), "{url} -> {r}");
        }
        assert_eq!(
            redact_url("postgres://u@db/ow?sslmode=require"),
            "postgres://u@db/ow?sslmode=require"
        );
        assert_eq!(
            redact_url("sqlite:///srv/a@b/ow.db"),
            "sqlite:///srv/a@b/ow.db"
        );
    }
}
