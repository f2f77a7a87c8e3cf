//! The short port syntax (`127.0.0.1:8000-8001:80-81/udp`), read as docker compose v2.40.3
//! reads it: go-connections v0.6.0's `nat.ParsePortSpecs`, then compose-go's
//! `ParsePortConfig`, which sorts the resulting container ports as strings (so `10/tcp` comes
//! before `9/tcp`) and expands ranges into one entry per port.

use std::net::IpAddr;

/// One published or exposed port of a short spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec {
    pub host_ip: String,
    pub target: u16,
    /// The host port, a host range (`8000-8010`) for a single container port, or empty.
    pub published: String,
    pub protocol: String,
}

/// Parses one short port spec. Errors carry docker compose's text.
pub fn parse_port_spec(raw: &str) -> Result<Vec<PortSpec>, String> {
    let (ip, host_port, container_port) = split_parts(raw);
    let (container_port, protocol) = match container_port.split_once('/') {
        Some((port, proto)) => (port, proto),
        None => (container_port, ""),
    };
    // an empty container port leaves the protocol empty too, which fails the check below
    let protocol = match (container_port.is_empty(), protocol.is_empty()) {
        (true, _) => String::new(),
        (false, true) => "tcp".to_owned(),
        (false, false) => protocol.to_lowercase(),
    };
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {protocol}"));
    }
    let ip = if ip.starts_with('[') {
        strip_brackets(&ip).map_err(|e| format!("invalid IP address {ip}: {e}"))?
    } else {
        ip
    };
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Err(format!("invalid IP address: {ip}"));
    }
    let (start, end) = parse_port_range(container_port)
        .map_err(|_| format!("invalid containerPort: {container_port}"))?;
    let (mut host_start, mut host_end) = (0, 0);
    if !host_port.is_empty() {
        (host_start, host_end) =
            parse_port_range(host_port).map_err(|_| format!("invalid hostPort: {host_port}"))?;
        // a host range is allowed for a single container port: the engine picks one from it
        if end - start != host_end - host_start && end != start {
            return Err(format!(
                "invalid ranges specified for container and host Ports: {container_port} and {host_port}"
            ));
        }
    }
    let count = u32::from(end - start) + 1;
    let mut ports: Vec<(String, PortSpec)> = (0..count)
        .map(|i| {
            let target = u32::from(start) + i;
            let published = if host_port.is_empty() {
                String::new()
            } else if count == 1 && host_start != host_end {
                format!("{}-{host_end}", u32::from(host_start) + i)
            } else {
                (u32::from(host_start) + i).to_string()
            };
            let spec = PortSpec {
                host_ip: ip.clone(),
                target: u16::try_from(target).unwrap_or(u16::MAX),
                published,
                protocol: protocol.clone(),
            };
            (format!("{target}/{protocol}"), spec)
        })
        .collect();
    ports.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ports.into_iter().map(|(_, spec)| spec).collect())
}

fn split_parts(raw: &str) -> (String, &str, &str) {
    let parts: Vec<&str> = raw.split(':').collect();
    match parts.as_slice() {
        [container] => (String::new(), "", container),
        [host, container] => (String::new(), host, container),
        [ip, host, container] => ((*ip).to_owned(), host, container),
        [ip @ .., host, container] => (ip.join(":"), host, container),
        [] => (String::new(), "", ""),
    }
}

/// Go's `net.SplitHostPort(ip + ":")` for a bracketed address: the host without brackets.
fn strip_brackets(ip: &str) -> Result<String, String> {
    let address = format!("{ip}:");
    let fail = |why: &str| Err(format!("address {address}: {why}"));
    let Some(end) = address.find(']') else {
        return fail("missing ']' in address");
    };
    let last_colon = address.len() - 1;
    if end + 1 == address.len() {
        return fail("missing port in address");
    }
    if end + 1 != last_colon {
        return if address.as_bytes().get(end + 1) == Some(&b':') {
            fail("too many colons in address")
        } else {
            fail("missing port in address")
        };
    }
    if address[1..].contains('[') {
        return fail("unexpected '[' in address");
    }
    if address[end + 1..].contains(']') {
        return fail("unexpected ']' in address");
    }
    Ok(address[1..end].to_owned())
}

/// `8000` or `8000-8010`, each an unsigned 16-bit decimal as Go's `strconv.ParseUint` reads it.
fn parse_port_range(ports: &str) -> Result<(u16, u16), ()> {
    if ports.is_empty() {
        return Err(());
    }
    let Some((first, rest)) = ports.split_once('-') else {
        let port = parse_u16(ports)?;
        return Ok((port, port));
    };
    // go-connections reads only the first two parts of `1-2-3`
    let second = rest.split('-').next().unwrap_or(rest);
    let (start, end) = (parse_u16(first)?, parse_u16(second)?);
    if end < start {
        return Err(());
    }
    Ok((start, end))
}

fn parse_u16(text: &str) -> Result<u16, ()> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    text.parse().map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(host_ip: &str, target: u16, published: &str, protocol: &str) -> PortSpec {
        PortSpec {
            host_ip: host_ip.into(),
            target,
            published: published.into(),
            protocol: protocol.into(),
        }
    }

    #[test]
    fn container_port_alone_is_exposed_without_host_port() {
        assert_eq!(parse_port_spec("5000"), Ok(vec![port("", 5000, "", "tcp")]));
    }

    #[test]
    fn ranges_expand_in_string_order() {
        // recorded in probes/merge-ports-ranges
        let ports = parse_port_spec("9-11:9-11").unwrap();
        let targets: Vec<u16> = ports.iter().map(|p| p.target).collect();
        assert_eq!(targets, [10, 11, 9]);
        assert_eq!(ports[0].published, "10");
    }

    #[test]
    fn a_host_range_for_one_container_port_stays_a_range() {
        assert_eq!(
            parse_port_spec("8000-8010:80"),
            Ok(vec![port("", 80, "8000-8010", "tcp")])
        );
    }

    #[test]
    fn ipv6_host_addresses_with_and_without_brackets() {
        assert_eq!(
            parse_port_spec("[::1]:6001:6001"),
            Ok(vec![port("::1", 6001, "6001", "tcp")])
        );
        assert_eq!(
            parse_port_spec("::1:6000:6000/UDP"),
            Ok(vec![port("::1", 6000, "6000", "udp")])
        );
    }

    #[test]
    fn errors_carry_docker_compose_text() {
        // recorded in probes/err-bad-port
        assert_eq!(
            parse_port_spec("80:80:80:80x"),
            Err("invalid IP address: 80:80".into())
        );
        assert_eq!(parse_port_spec("80/xyz"), Err("invalid proto: xyz".into()));
        assert_eq!(parse_port_spec("x:80"), Err("invalid hostPort: x".into()));
        assert_eq!(
            parse_port_spec("+80"),
            Err("invalid containerPort: +80".into())
        );
        assert_eq!(
            parse_port_spec("1-2:5-7"),
            Err("invalid ranges specified for container and host Ports: 5-7 and 1-2".into())
        );
        // an empty container port has no protocol either, and that is checked first
        assert_eq!(
            parse_port_spec("1.2.3.4:80:"),
            Err("invalid proto: ".into())
        );
        assert_eq!(
            parse_port_spec("65536"),
            Err("invalid containerPort: 65536".into())
        );
        assert_eq!(
            parse_port_spec("[::1:80:80"),
            Err("invalid IP address [::1: address [::1:: missing ']' in address".into())
        );
    }
}
