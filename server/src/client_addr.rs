//! The client's address (DESIGN.md §6), which rate limits key on: the socket peer, or, when the
//! peer is one of the configured trusted proxies (the load balancer in front of several
//! instances), the address that proxy forwarded in `X-Forwarded-For`.
//!
//! A client can write anything in `X-Forwarded-For`, and each proxy appends the peer it saw, so
//! the header is read from the right: the first entry that is not a trusted proxy is the client.
//! From any other peer the header is ignored.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

/// One address or a CIDR block of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    network: IpAddr,
    prefix: u8,
}

impl Block {
    fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(network) & mask == u32::from(address) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(network) & mask == u128::from(address) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Block {
    type Err = String;

    fn from_str(text: &str) -> Result<Block, String> {
        let refused = || format!("{text:?} is not an IP address or a CIDR block (10.0.0.0/8)");
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().map_err(|_| refused())?;
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|prefix| *prefix <= width)
                .ok_or_else(refused)?,
        };
        // An IPv4-mapped IPv6 block (::ffff:10.0.0.0/104) is the IPv4 block it maps.
        match network {
            IpAddr::V6(v6) if prefix >= 96 => match v6.to_ipv4_mapped() {
                Some(v4) => Ok(Block {
                    network: IpAddr::V4(v4),
                    prefix: prefix - 96,
                }),
                None => Ok(Block { network, prefix }),
            },
            _ => Ok(Block { network, prefix }),
        }
    }
}

/// The peers whose `X-Forwarded-For` is believed: addresses and CIDR blocks, from
/// `TOKHAI_TRUSTED_PROXIES` (comma-separated). Empty by default: the peer is the client.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<[Block]>);

impl TrustedProxies {
    fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|block| block.contains(address))
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// `10.0.0.0/8, 192.0.2.7, fd00::/8`; empty entries are ignored.
    fn from_str(text: &str) -> Result<TrustedProxies, String> {
        let blocks = text
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(Block::from_str)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustedProxies(blocks.into()))
    }
}

/// The client's address; unspecified (`0.0.0.0`) when the connection's peer is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The client of a request from `peer` with `headers`.
    pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, proxies: &TrustedProxies) -> Self {
        let Some(peer) = peer else {
            return ClientAddr(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        };
        let mut client = peer.to_canonical();
        if !proxies.contains(client) {
            return ClientAddr(client);
        }
        // Right to left over every X-Forwarded-For line: the nearest hop that is not one of
        // ours. An entry that is not an address ends the walk at the last hop known good.
        let values: Vec<_> = headers.get_all("x-forwarded-for").iter().collect();
        'walk: for value in values.into_iter().rev() {
            let Ok(value) = value.to_str() else { break };
            for hop in value.rsplit(',') {
                let Some(address) = hop_address(hop) else {
                    break 'walk;
                };
                client = address;
                if !proxies.contains(address) {
                    break 'walk;
                }
            }
        }
        ClientAddr(client)
    }

    /// The address rate limits count under: an IPv6 client by its /64, which one home or phone
    /// usually holds whole (one key per address would let it change address at every try).
    pub fn limit_key(&self) -> IpAddr {
        match self.0.to_canonical() {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u128::MAX >> 64))),
        }
    }
}

/// An `X-Forwarded-For` entry's address (`203.0.113.7`, `2001:db8::1`, or either with a port).
fn hop_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|socket| socket.ip()))
        .ok()
        .map(|address| address.to_canonical())
}

impl<S> FromRequestParts<S> for ClientAddr
where
    S: Send + Sync,
    TrustedProxies: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientAddr::resolve(
            peer,
            &parts.headers,
            &TrustedProxies::from_ref(state),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn client(peer: &str, forwarded: &[&str], proxies: &str) -> String {
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        let proxies: TrustedProxies = proxies.parse().unwrap();
        ClientAddr::resolve(Some(peer.parse().unwrap()), &headers, &proxies)
            .0
            .to_string()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        assert_eq!(client("198.51.100.1", &["203.0.113.9"], ""), "198.51.100.1");
        assert_eq!(
            client("198.51.100.1", &["203.0.113.9"], "10.0.0.0/8"),
            "198.51.100.1"
        );
        assert_eq!(
            client("10.1.2.3", &["203.0.113.9"], "10.0.0.0/8"),
            "203.0.113.9"
        );
        // No header from a trusted proxy: the proxy itself.
        assert_eq!(client("10.1.2.3", &[], "10.0.0.0/8"), "10.1.2.3");
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        // The client wrote the first entry itself; the load balancer appended the real peer.
        let proxies = "10.0.0.0/8, 192.0.2.7";
        assert_eq!(
            client("10.0.0.1", &["1.1.1.1, 203.0.113.9, 192.0.2.7"], proxies),
            "203.0.113.9"
        );
        assert_eq!(
            client(
                "10.0.0.1",
                &["1.1.1.1", "203.0.113.9:5555, 10.9.9.9"],
                proxies
            ),
            "203.0.113.9"
        );
        // Every hop ours: the farthest one.
        assert_eq!(
            client("10.0.0.1", &["10.0.0.2, 10.0.0.3"], proxies),
            "10.0.0.2"
        );
        // Garbage ends the walk at the last good hop.
        assert_eq!(
            client("10.0.0.1", &["203.0.113.9, unknown, 10.0.0.5"], proxies),
            "10.0.0.5"
        );
        assert_eq!(
            client("10.0.0.1", &["[2001:db8::5]:443"], proxies),
            "2001:db8::5"
        );
    }

    #[test]
    fn blocks_and_mapped_addresses() {
        assert_eq!(
            client("::ffff:10.0.0.1", &["203.0.113.9"], "10.0.0.0/8"),
            "203.0.113.9"
        );
        assert_eq!(
            client("10.0.0.1", &["203.0.113.9"], "::ffff:10.0.0.0/104"),
            "203.0.113.9"
        );
        assert_eq!(
            client("fd00::1", &["2001:db8::1"], "fd00::/8"),
            "2001:db8::1"
        );
        assert_eq!(client("fe80::1", &["2001:db8::1"], "fd00::/8"), "fe80::1");
        assert_eq!(
            client("11.0.0.1", &["203.0.113.9"], "0.0.0.0/0"),
            "203.0.113.9"
        );
        for bad in ["10.0.0.0/33", "10.0.0", "fd00::/129", "proxy.internal"] {
            assert!(bad.parse::<TrustedProxies>().is_err(), "{bad}");
        }
        assert!("".parse::<TrustedProxies>().unwrap().0.is_empty());
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64() {
        let key = |address: &str| ClientAddr(address.parse().unwrap()).limit_key().to_string();
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::");
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
        assert_eq!(key("::ffff:203.0.113.9"), "203.0.113.9");
    }
}
