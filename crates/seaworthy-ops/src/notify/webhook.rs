//! The webhook URL, which is itself a credential: Slack, Discord and most chat services put the
//! token in the path. This type keeps the text out of every message it can reach: its `Debug`
//! shows only the origin, and everything that describes it to a person uses [`WebhookUrl::host`].

use std::fmt;

/// Which service a webhook belongs to, and so which payload it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Slack,
    Discord,
    /// Any other endpoint: a plain JSON document (see [`super::payload`]).
    Generic,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Slack => "slack",
            Kind::Discord => "discord",
            Kind::Generic => "generic",
        }
    }

    /// `slack`, `discord` or `generic`.
    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "slack" => Some(Kind::Slack),
            "discord" => Some(Kind::Discord),
            "generic" => Some(Kind::Generic),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An `http` or `https` URL with a host. The full text is only handed to the HTTP client.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    text: String,
    https: bool,
    /// `host` or `host:port`, without any `user:password@`.
    host: String,
    /// Lowercase host name without the port, for detection.
    hostname: String,
    path_start: usize,
}

/// Why a text is not a usable webhook URL. The messages never repeat the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    #[error("the webhook url is empty")]
    Empty,
    #[error("the webhook url is not an http or https url")]
    NotHttp,
    #[error("the webhook url has no host")]
    NoHost,
    #[error("the webhook url contains spaces or control characters")]
    BadCharacters,
}

impl WebhookUrl {
    /// Reads a URL as found in a file or a variable: surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<WebhookUrl, UrlProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(UrlProblem::Empty);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(UrlProblem::BadCharacters);
        }
        let (scheme, rest) = text.split_once("://").ok_or(UrlProblem::NotHttp)?;
        let https = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return Err(UrlProblem::NotHttp);
        };
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..authority_len).unwrap_or_default();
        // Credentials in the authority are as secret as the path.
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let hostname = if let Some(bracketed) = host.strip_prefix('[') {
            bracketed.split_once(']').map(|(ip, _)| ip).unwrap_or("")
        } else {
            host.split(':').next().unwrap_or("")
        };
        if hostname.is_empty() {
            return Err(UrlProblem::NoHost);
        }
        Ok(WebhookUrl {
            text: text.to_owned(),
            https,
            host: host.to_owned(),
            hostname: hostname.to_ascii_lowercase(),
            path_start: scheme.len() + 3 + authority_len,
        })
    }

    /// What may be shown of the URL: `hooks.slack.com`, or `host:port` when a port is given.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The service, from the host: Slack's `hooks.slack.com`, Discord's `/api/webhooks/` on
    /// `discord.com` or `discordapp.com` (and their `ptb.`/`canary.` hosts); anything else is
    /// generic.
    pub fn kind(&self) -> Kind {
        let host = self.hostname.trim_end_matches('.');
        if host == "hooks.slack.com" {
            return Kind::Slack;
        }
        let discord = ["discord.com", "discordapp.com"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")));
        let path = self.text.get(self.path_start..).unwrap_or_default();
        if discord && path.starts_with("/api/webhooks/") {
            return Kind::Discord;
        }
        if discord && path.starts_with("/api/v") {
            // `/api/v10/webhooks/...` is the same endpoint with an API version.
            let after_version = path
                .get(6..)
                .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_digit()));
            if after_version.is_some_and(|rest| rest.starts_with("/webhooks/")) {
                return Kind::Discord;
            }
        }
        Kind::Generic
    }

    /// The full URL, for the HTTP client only.
    pub(crate) fn secret_text(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        write!(f, "WebhookUrl({scheme}://{}/<redacted>)", self.host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Kind {
        WebhookUrl::parse(text).unwrap().kind()
    }

    #[test]
    fn kind_is_detected_from_the_host_and_path() {
        assert_eq!(
            kind("https://hooks.slack.com/services/T000/B000/XXXX"),
            Kind::Slack
        );
        assert_eq!(
            kind("https://discord.com/api/webhooks/123/abc"),
            Kind::Discord
        );
        assert_eq!(
            kind("https://discordapp.com/api/webhooks/123/abc"),
            Kind::Discord
        );
        assert_eq!(
            kind("https://canary.discord.com/api/v10/webhooks/123/abc"),
            Kind::Discord
        );
        assert_eq!(
            kind("https://HOOKS.SLACK.COM/services/T/B/X"),
            Kind::Slack,
            "host names are case-insensitive"
        );
        assert_eq!(kind("https://discord.com/channels/1/2"), Kind::Generic);
        assert_eq!(
            kind("https://notdiscord.com/api/webhooks/1/2"),
            Kind::Generic
        );
        assert_eq!(
            kind("https://hooks.slack.com.evil.example/services/x"),
            Kind::Generic
        );
        assert_eq!(kind("http://127.0.0.1:8080/hook"), Kind::Generic);
    }

    #[test]
    fn host_keeps_the_port_and_drops_credentials_and_path() {
        let url = WebhookUrl::parse("  https://user:pw@example.com:8443/a/SECRET?t=1\n").unwrap();
        assert_eq!(url.host(), "example.com:8443");
        assert!(url.is_https());
        assert_eq!(
            url.secret_text(),
            "https://user:pw@example.com:8443/a/SECRET?t=1"
        );
        let ipv6 = WebhookUrl::parse("http://[::1]:9000/x").unwrap();
        assert_eq!(ipv6.host(), "[::1]:9000");
    }

    #[test]
    fn debug_never_shows_the_path_query_or_credentials() {
        let url =
            WebhookUrl::parse("https://u:pw@hooks.slack.com/services/T/B/SECRETTOKEN?q=1").unwrap();
        let debug = format!("{url:?}");
        assert_eq!(debug, "WebhookUrl(https://hooks.slack.com/<redacted>)");
    }

    #[test]
    fn problems_are_named_without_the_text() {
        assert_eq!(WebhookUrl::parse("  \n"), Err(UrlProblem::Empty));
        assert_eq!(
            WebhookUrl::parse("ftp://example.com/SECRET"),
            Err(UrlProblem::NotHttp)
        );
        assert_eq!(
            WebhookUrl::parse("hooks.slack.com/services/SECRET"),
            Err(UrlProblem::NotHttp)
        );
        assert_eq!(
            WebhookUrl::parse("https:///SECRET"),
            Err(UrlProblem::NoHost)
        );
        assert_eq!(
            WebhookUrl::parse("https://user@/SECRET"),
            Err(UrlProblem::NoHost)
        );
        assert_eq!(
            WebhookUrl::parse("https://a.example/x y"),
            Err(UrlProblem::BadCharacters)
        );
        for problem in [
            UrlProblem::Empty,
            UrlProblem::NotHttp,
            UrlProblem::NoHost,
            UrlProblem::BadCharacters,
        ] {
            assert!(!problem.to_string().contains("SECRET"));
        }
    }
}
