//! The published port bindings of a service, read from docker compose's canonical long form
//! (`{mode, host_ip?, target, published?, protocol}`), and what kind of host address each one
//! listens on. Compose has already expanded `"3000-3005:3000-3005"` into one entry per port;
//! a host range for a single target (`"3000-3005:80"`) stays a range.

use crate::Service;
use seaworthy_compose::{Node, Value};
use std::net::IpAddr;

/// Where a binding listens on the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HostAddress {
    /// No `host_ip`, or any spelling of the unspecified address: every interface.
    Wildcard,
    /// `127.0.0.0/8`, `::1` or their IPv4-mapped forms.
    Loopback,
    /// One specific address (a LAN or VPN IP).
    Explicit,
}

/// An inclusive range of host ports (a single port has `start == end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PortRange {
    pub start: u32,
    pub end: u32,
}

impl std::fmt::Display for PortRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// One entry of a service's `ports`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Binding<'a> {
    /// The whole entry (a short-syntax string keeps its span on every field).
    pub entry: &'a Node,
    /// `host_ip` as resolved, when set.
    pub host_ip: Option<&'a str>,
    /// The host port or range; `None` when Docker picks an ephemeral port.
    pub published: Option<PortRange>,
    /// The container port.
    pub target: Option<u32>,
    /// `tcp`, `udp` or `sctp` (lowercase).
    pub protocol: &'a str,
}

impl<'a> Binding<'a> {
    pub fn address(&self) -> HostAddress {
        classify(self.host_ip.unwrap_or(""))
    }

    /// The node to point at for a finding about where the port listens: `host_ip` or
    /// `published` when written in long syntax, else the entry.
    pub fn span_node(&self) -> &'a Node {
        self.entry
            .get("host_ip")
            .or_else(|| self.entry.get("published"))
            .unwrap_or(self.entry)
    }

    /// The host side as a person writes it: `0.0.0.0:5432`, `127.0.0.1:8080`, `[::]:80`.
    pub fn host_text(&self) -> String {
        let port = self
            .published
            .map_or_else(|| "<ephemeral>".to_owned(), |p| p.to_string());
        match self.host_ip {
            Some(ip) if ip.contains(':') => format!("[{ip}]:{port}"),
            Some(ip) if !ip.is_empty() => format!("{ip}:{port}"),
            _ => format!("0.0.0.0:{port}"),
        }
    }

    /// Whether this binding was set only through variables the operator supplies at deploy
    /// time (then rules treat the address as set but unknown).
    pub fn operator_supplied(&self) -> bool {
        [self.entry.get("host_ip"), self.entry.get("published")]
            .into_iter()
            .flatten()
            .any(crate::values::is_operator_supplied)
    }
}

/// Every published entry of `service.ports` (entries of other shapes are skipped: the loader
/// has already reported them).
pub(crate) fn bindings<'a>(service: &Service<'a>) -> Vec<Binding<'a>> {
    let Some(entries) = service.get("ports").and_then(Node::as_seq) else {
        return Vec::new();
    };
    entries.iter().filter_map(binding).collect()
}

fn binding(entry: &Node) -> Option<Binding<'_>> {
    entry.as_map()?;
    let host_ip = entry
        .get("host_ip")
        .and_then(Node::as_str)
        .filter(|ip| !ip.is_empty());
    let published = entry.get("published").and_then(|n| match &n.value {
        Value::Str(s) => parse_range(s),
        Value::Int(i) => u32::try_from(*i)
            .ok()
            .map(|p| PortRange { start: p, end: p }),
        _ => None,
    });
    let target = entry.get("target").and_then(|n| match &n.value {
        Value::Int(i) => u32::try_from(*i).ok(),
        Value::Str(s) => s.parse().ok(),
        _ => None,
    });
    let protocol = entry
        .get("protocol")
        .and_then(Node::as_str)
        .unwrap_or("tcp");
    Some(Binding {
        entry,
        host_ip,
        published,
        target,
        protocol,
    })
}

/// `"8080"` or `"3000-3005"`; `None` for an empty or malformed value.
pub(crate) fn parse_range(text: &str) -> Option<PortRange> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (start, end) = match text.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let port = text.parse().ok()?;
            (port, port)
        }
    };
    (start <= end).then_some(PortRange { start, end })
}

/// Classifies a host IP in any spelling docker accepts or a person writes: empty, `0.0.0.0`,
/// `::`, `[::]`, `*`, `::ffff:0.0.0.0` and `0:0:0:0:0:0:0:0` all mean every interface.
pub(crate) fn classify(host_ip: &str) -> HostAddress {
    let ip = host_ip.trim();
    let ip = ip
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(ip);
    if ip.is_empty() || ip == "*" {
        return HostAddress::Wildcard;
    }
    if ip.eq_ignore_ascii_case("localhost") {
        return HostAddress::Loopback;
    }
    match ip.parse::<IpAddr>() {
        Ok(addr) => {
            let v4 = match addr {
                IpAddr::V4(v4) => Some(v4),
                IpAddr::V6(v6) => v6.to_ipv4_mapped(),
            };
            match v4 {
                Some(v4) if v4.is_unspecified() => HostAddress::Wildcard,
                Some(v4) if v4.is_loopback() => HostAddress::Loopback,
                _ if addr.is_unspecified() => HostAddress::Wildcard,
                _ if addr.is_loopback() => HostAddress::Loopback,
                _ => HostAddress::Explicit,
            }
        }
        Err(_) => HostAddress::Explicit,
    }
}

/// Whether two bindings can listen on the same socket: the wildcard overlaps every address of
/// its family and, since Docker binds `0.0.0.0` and `::` together, every address.
pub(crate) fn addresses_overlap(a: Option<&str>, b: Option<&str>) -> bool {
    let (a, b) = (a.unwrap_or(""), b.unwrap_or(""));
    if classify(a) == HostAddress::Wildcard || classify(b) == HostAddress::Wildcard {
        return true;
    }
    normalize_ip(a) == normalize_ip(b)
}

fn normalize_ip(ip: &str) -> String {
    let bare = ip
        .trim()
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(ip.trim());
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or_else(|| v6.to_string(), |v4| v4.to_string()),
        Ok(addr) => addr.to_string(),
        Err(_) => bare.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_the_unspecified_address_is_a_wildcard() {
        for ip in [
            "",
            "0.0.0.0",
            "::",
            "[::]",
            "*",
            "::ffff:0.0.0.0",
            "0:0:0:0:0:0:0:0",
            "::0",
        ] {
            assert_eq!(classify(ip), HostAddress::Wildcard, "{ip:?}");
        }
    }

    #[test]
    fn loopback_and_explicit_addresses() {
        for ip in ["127.0.0.1", "127.0.1.1", "::1", "[::1]", "::ffff:127.0.0.1"] {
            assert_eq!(classify(ip), HostAddress::Loopback, "{ip:?}");
        }
        for ip in ["10.0.0.5", "192.168.1.20", "fd00::1", "100.64.0.1"] {
            assert_eq!(classify(ip), HostAddress::Explicit, "{ip:?}");
        }
    }

    #[test]
    fn ranges_parse_and_overlap() {
        let r = parse_range("3000-3005").unwrap();
        assert_eq!((r.start, r.end), (3000, 3005));
        assert_eq!(
            parse_range("3005"),
            Some(PortRange {
                start: 3005,
                end: 3005
            })
        );
        assert_eq!(parse_range(""), None);
        assert_eq!(parse_range("90-80"), None);
        assert_eq!(r.to_string(), "3000-3005");
    }

    #[test]
    fn the_wildcard_overlaps_every_address_but_two_ips_do_not() {
        assert!(addresses_overlap(None, Some("127.0.0.1")));
        assert!(addresses_overlap(Some("::"), Some("10.0.0.1")));
        assert!(addresses_overlap(
            Some("127.0.0.1"),
            Some("::ffff:127.0.0.1")
        ));
        assert!(!addresses_overlap(Some("127.0.0.1"), Some("10.0.0.1")));
    }
}
