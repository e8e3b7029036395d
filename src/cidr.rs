//! CIDR ranges, just enough to tell a private network from the internet.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An address range such as `10.0.0.0/16` or `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub address: IpAddr,
    pub prefix: u8,
}

/// Why a string is not a CIDR range.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    #[error("`{0}` is not a CIDR range: write an address and a prefix length, e.g. `10.0.0.0/16`")]
    Syntax(String),
    #[error("the prefix length of `{0}` is out of range (0-32 for IPv4, 0-128 for IPv6)")]
    Prefix(String),
    #[error("`{given}` has host bits set: the range starts at `{canonical}`")]
    HostBits { given: String, canonical: Cidr },
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Cidr, CidrError> {
        let (address, prefix) = text
            .split_once('/')
            .ok_or_else(|| CidrError::Syntax(text.to_string()))?;
        let address: IpAddr = address
            .parse()
            .map_err(|_| CidrError::Syntax(text.to_string()))?;
        let prefix: u8 = prefix
            .parse()
            .map_err(|_| CidrError::Syntax(text.to_string()))?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        if prefix > bits {
            return Err(CidrError::Prefix(text.to_string()));
        }
        let cidr = Cidr { address, prefix };
        let canonical = cidr.network();
        if canonical != cidr {
            return Err(CidrError::HostBits {
                given: text.to_string(),
                canonical,
            });
        }
        Ok(cidr)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

impl Cidr {
    /// Returns the range with its host bits cleared.
    pub fn network(self) -> Cidr {
        let address = match self.address {
            IpAddr::V4(v4) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4((u32::from(v4) & mask).into())
            }
            IpAddr::V6(v6) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6((u128::from(v6) & mask).into())
            }
        };
        Cidr {
            address,
            prefix: self.prefix,
        }
    }

    /// Returns whether the whole range lies inside `other`.
    pub fn within(self, other: Cidr) -> bool {
        self.address.is_ipv4() == other.address.is_ipv4()
            && self.prefix >= other.prefix
            && Cidr {
                address: self.address,
                prefix: other.prefix,
            }
            .network()
                == other
    }

    /// Returns whether the whole range is private: RFC 1918, RFC 4193 (unique local) or loopback.
    pub fn is_private(self) -> bool {
        const PRIVATE: [&str; 6] = [
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "127.0.0.0/8",
            "fc00::/7",
            "::1/128",
        ];
        PRIVATE
            .iter()
            .any(|range| self.within(range.parse().expect("built-in ranges are valid")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(text: &str) -> Cidr {
        text.parse().unwrap()
    }

    #[test]
    fn tells_private_ranges_from_public_ones() {
        for private in [
            "10.0.0.0/16",
            "172.16.0.0/12",
            "172.31.255.0/24",
            "192.168.1.0/24",
            "127.0.0.1/32",
            "fd00::/8",
            "::1/128",
        ] {
            assert!(cidr(private).is_private(), "{private}");
        }
        for public in [
            "0.0.0.0/0",
            "::/0",
            "8.8.8.0/24",
            "172.32.0.0/16",
            "10.0.0.0/7",
            "2001:db8::/32",
        ] {
            assert!(!cidr(public).is_private(), "{public}");
        }
    }

    #[test]
    fn rejects_malformed_ranges() {
        assert_eq!(
            "10.0.0.0".parse::<Cidr>(),
            Err(CidrError::Syntax("10.0.0.0".into()))
        );
        assert_eq!(
            "10.0.0.0/33".parse::<Cidr>(),
            Err(CidrError::Prefix("10.0.0.0/33".into()))
        );
        assert!(matches!(
            "10.0.0.1/16".parse::<Cidr>(),
            Err(CidrError::HostBits { .. })
        ));
    }
}
