//! Every request the server makes to another machine (the OParl import, the
//! geocoder, and whatever fetches from outside later) goes through one
//! [`Outbound`] client, so that staff cannot use the server to reach what
//! only the server can reach (server-side request forgery).
//!
//! Invariants:
//! - a request goes only to public addresses: loopback, private, link-local,
//!   shared (CGNAT), unique-local, multicast, unspecified and reserved
//!   addresses are refused — checked after name resolution (our own resolver
//!   connects only to the addresses it checked, so DNS rebinding cannot slip
//!   an internal address in) and on every redirect hop, for IP literals too;
//! - the allow-list (an admin setting plus the `serve` flag) names hosts or
//!   networks that may be reached anyway, for a council system on the
//!   internal network;
//! - at most [`MAX_REDIRECTS`] redirects, a body limit per use, connect and
//!   total timeouts, no proxy from the environment;
//! - a refused address is refused before any connection is made, so the
//!   answer says nothing about whether a port is open there.

// This module is the one place allowed to build an HTTP client.
#![allow(clippy::disallowed_types)]

use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 3;

/// Hosts and networks that may be reached although their addresses are
/// internal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

impl AllowList {
    /// Reads entries separated by commas, spaces or lines: host names
    /// (`ris.intern.example`), addresses (`10.1.2.3`) or networks
    /// (`10.1.0.0/16`, `fd00::/8`). `Err` lists the entries that are none
    /// of these.
    pub fn parse(entries: &str) -> Result<AllowList, Vec<String>> {
        let mut list = AllowList::default();
        let mut bad = Vec::new();
        for entry in entries
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            if let Ok(net) = entry.parse::<IpNet>() {
                list.nets.push(net.trunc());
            } else if let Ok(ip) = entry.parse::<IpAddr>() {
                list.nets.push(IpNet::from(ip));
            } else if is_host_name(entry) {
                list.hosts
                    .push(entry.trim_end_matches('.').to_ascii_lowercase());
            } else {
                bad.push(entry.to_owned());
            }
        }
        if bad.is_empty() { Ok(list) } else { Err(bad) }
    }

    /// Both lists together.
    pub fn merged(&self, other: &AllowList) -> AllowList {
        let mut out = self.clone();
        out.hosts.extend(other.hosts.iter().cloned());
        out.nets.extend(other.nets.iter().copied());
        out
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty() && self.nets.is_empty()
    }

    fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    fn allows_ip(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|n| n.contains(&ip))
    }
}

fn is_host_name(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Whether an address is on the public internet (and so may be reached
/// without being allowed).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        // shared address space (carrier-grade NAT)
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments
        || (a == 192 && b == 0 && c == 0)
        // benchmarking
        || (a == 198 && (b == 18 || b == 19))
        // reserved for future use
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Addresses that carry an IPv4 address decide by that one: mapped
    // (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and
    // 6to4 (2002::/16).
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    if s[0..6] == [0, 0, 0, 0, 0, 0] {
        return !ip.is_unspecified() && !ip.is_loopback() && is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    // The local-use NAT64 prefix (64:ff9b:1::/48, RFC 8215) translates
    // into whatever network it is set up for: never public.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1 {
        return false;
    }
    // IPv4-translated (::ffff:0:a.b.c.d, SIIT).
    if s[0..5] == [0, 0, 0, 0, 0xffff] && s[5] == 0 {
        return is_public_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2]));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // unique local fc00::/7
        || (s[0] & 0xfe00) == 0xfc00
        // link-local fe80::/10 and the old site-local fec0::/10
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        // documentation 2001:db8::/32
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        // discard-only 100::/64
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]))
}

fn embedded_v4(hi: u16, lo: u16) -> Ipv4Addr {
    let [a, b] = hi.to_be_bytes();
    let [c, d] = lo.to_be_bytes();
    Ipv4Addr::new(a, b, c, d)
}

/// Why a request failed. The messages are for the log; users see the rule
/// the caller maps each to.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OutboundError {
    /// Not an http(s) URL with a host.
    #[error("not an http(s) URL")]
    InvalidUrl,
    /// The address is internal and not on the allow-list (nothing was
    /// sent).
    #[error("the address is internal and not allowed")]
    Refused,
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    /// Could not connect, timed out, or the connection broke.
    #[error("unreachable")]
    Unreachable,
    /// Answered with a status other than 2xx.
    #[error("answered with status {0}")]
    Status(u16),
    /// The answer is larger than the limit.
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    /// The answer is not the JSON asked for.
    #[error("the answer is not valid JSON")]
    NotJson,
}

/// The address check, shared by the resolver and the redirect policy.
#[derive(Debug)]
struct Guard {
    allow: AllowList,
    /// The operator at the command line may reach anything.
    unrestricted: bool,
}

impl Guard {
    fn permits(&self, host: Option<&str>, ip: IpAddr) -> bool {
        self.unrestricted
            || is_public(ip)
            || self.allow.allows_ip(ip)
            || host.is_some_and(|h| self.allow.allows_host(h))
    }

    /// The URL's own check: http(s), a host, and, for an IP literal, a
    /// permitted address (literals never reach the resolver).
    fn check_url(&self, url: &url::Url) -> Result<(), OutboundError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(OutboundError::InvalidUrl);
        }
        match url.host() {
            None => Err(OutboundError::InvalidUrl),
            Some(url::Host::Ipv4(ip)) if !self.permits(None, IpAddr::V4(ip)) => {
                Err(OutboundError::Refused)
            }
            Some(url::Host::Ipv6(ip)) if !self.permits(None, IpAddr::V6(ip)) => {
                Err(OutboundError::Refused)
            }
            Some(_) => Ok(()),
        }
    }
}

/// Marks a resolver refusal inside reqwest's error chain.
#[derive(Debug)]
struct RefusedAddress;

impl std::fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the address is internal and not allowed")
    }
}

impl std::error::Error for RefusedAddress {}

#[derive(Debug)]
struct TooManyRedirects;

impl std::fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {MAX_REDIRECTS} redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// Resolves names and lets through only what the guard permits; when any
/// address of a name is refused, the name is refused (a mixed answer is how
/// rebinding attacks look).
struct GuardedResolver(Arc<Guard>);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() || addrs.iter().any(|a| !guard.permits(Some(&host), a.ip())) {
                return Err(Box::new(RefusedAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// What one kind of request may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest answer read, in bytes.
    pub max_body: usize,
    /// Connecting, at most.
    pub connect: Duration,
    /// The whole request including the answer, at most.
    pub total: Duration,
}

impl Limits {
    /// OParl pages: large lists, slow council systems.
    pub const OPARL: Limits = Limits {
        max_body: 20 * 1024 * 1024,
        connect: Duration::from_secs(5),
        total: Duration::from_secs(30),
    };
    /// A geocoder's answer is a few hundred bytes.
    pub const GEOCODER: Limits = Limits {
        max_body: 1024 * 1024,
        connect: Duration::from_secs(5),
        total: Duration::from_secs(8),
    };
}

/// The outbound HTTP client. Build one per task (it is cheap) with the
/// current allow-list.
pub struct Outbound {
    client: reqwest::Client,
    guard: Arc<Guard>,
    limits: Limits,
}

impl Outbound {
    /// A client that reaches public addresses and the allowed ones.
    pub fn guarded(allow: AllowList, limits: Limits, purpose: &str) -> Result<Outbound, String> {
        Outbound::build(
            Guard {
                allow,
                unrestricted: false,
            },
            limits,
            purpose,
        )
    }

    /// A client for the operator at the command line: any address, the
    /// same limits otherwise.
    pub fn unrestricted(limits: Limits, purpose: &str) -> Result<Outbound, String> {
        Outbound::build(
            Guard {
                allow: AllowList::default(),
                unrestricted: true,
            },
            limits,
            purpose,
        )
    }

    fn build(guard: Guard, limits: Limits, purpose: &str) -> Result<Outbound, String> {
        let guard = Arc::new(guard);
        let redirect_guard = guard.clone();
        let client = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(limits.connect)
            .timeout(limits.total)
            .user_agent(format!("msohub/{} ({purpose})", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver(guard.clone())))
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    return attempt.error(TooManyRedirects);
                }
                match redirect_guard.check_url(attempt.url()) {
                    Ok(()) => attempt.follow(),
                    Err(_) => attempt.error(RefusedAddress),
                }
            }))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Outbound {
            client,
            guard,
            limits,
        })
    }

    /// GETs a URL (with query pairs) and returns the answer's bytes.
    pub async fn get(&self, url: &str, query: &[(&str, &str)]) -> Result<Vec<u8>, OutboundError> {
        let mut url = url::Url::parse(url).map_err(|_| OutboundError::InvalidUrl)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        self.guard.check_url(&url)?;
        let mut response = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| classify(&e))?;
        if !response.status().is_success() {
            return Err(OutboundError::Status(response.status().as_u16()));
        }
        let max = self.limits.max_body;
        if response.content_length().is_some_and(|l| l > max as u64) {
            return Err(OutboundError::TooLarge(max));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e))? {
            if body.len() + chunk.len() > max {
                return Err(OutboundError::TooLarge(max));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// GETs a URL and reads the answer as JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        query: &[(&str, &str)],
    ) -> Result<T, OutboundError> {
        let body = self.get(url, query).await?;
        serde_json::from_slice(&body).map_err(|_| OutboundError::NotJson)
    }
}

/// Finds our own refusals in reqwest's error chain; everything else is
/// "unreachable" (connection refused and timed out alike).
fn classify(err: &reqwest::Error) -> OutboundError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<RefusedAddress>() {
            return OutboundError::Refused;
        }
        if e.is::<TooManyRedirects>() {
            return OutboundError::TooManyRedirects;
        }
        source = e.source();
    }
    OutboundError::Unreachable
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for internal in [
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fc00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::808:808",
            "::ffff:0:7f00:1",
            "2002:7f00:1::",
        ] {
            assert!(!is_public(ip(internal)), "{internal}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2a00:1450:4001::1",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip(public)), "{public}");
        }
    }

    #[test]
    fn the_allow_list_takes_hosts_addresses_and_networks() {
        let list =
            AllowList::parse("ris.intern.example, 10.1.0.0/16\n192.168.5.5 fd00::/8").unwrap();
        assert!(list.allows_host("RIS.intern.example."));
        assert!(!list.allows_host("other.example"));
        assert!(list.allows_ip(ip("10.1.200.3")));
        assert!(!list.allows_ip(ip("10.2.0.1")));
        assert!(list.allows_ip(ip("192.168.5.5")));
        assert!(list.allows_ip(ip("fd12::1")));
        assert_eq!(
            AllowList::parse("ok.example, http://x, 10.0.0.0/99").unwrap_err(),
            vec!["http://x".to_owned(), "10.0.0.0/99".to_owned()]
        );
        assert!(AllowList::parse("  ").unwrap().is_empty());
    }

    #[test]
    fn urls_are_checked_before_anything_is_sent() {
        let guard = Guard {
            allow: AllowList::parse("10.9.0.0/16").unwrap(),
            unrestricted: false,
        };
        let check = |u: &str| guard.check_url(&url::Url::parse(u).unwrap());
        assert_eq!(
            check("http://127.0.0.1:8080/x"),
            Err(OutboundError::Refused)
        );
        // The decimal form of 127.0.0.1 is parsed as that address.
        assert_eq!(check("http://2130706433/"), Err(OutboundError::Refused));
        assert_eq!(check("http://[::1]/"), Err(OutboundError::Refused));
        assert_eq!(check("file:///etc/passwd"), Err(OutboundError::InvalidUrl));
        assert_eq!(check("http://10.9.1.1/"), Ok(()));
        assert_eq!(check("https://ris.example.org/oparl"), Ok(()));
    }
}
