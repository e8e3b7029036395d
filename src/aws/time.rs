//! The two time formats AWS uses here: SigV4's `20150830T123600Z` and ISO 8601 timestamps
//! (`2015-08-30T12:36:00Z`, as STS gives credentials' expiry), both UTC. Civil dates come from
//! `policy::Date` (Howard Hinnant's algorithm), so no date crate is needed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A UTC time to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl From<SystemTime> for UtcTime {
    fn from(time: SystemTime) -> UtcTime {
        let seconds = time
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let date = crate::policy::Date::from_days_since_epoch(days);
        let (year, month, day) = (
            i64::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        );
        UtcTime {
            year,
            month,
            day,
            hour: (rest / 3600) as u32,
            minute: (rest % 3600 / 60) as u32,
            second: (rest % 60) as u32,
        }
    }
}

impl UtcTime {
    /// `YYYYMMDD`, the date in a SigV4 credential scope.
    pub fn date(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// `YYYYMMDDTHHMMSSZ`, the `x-amz-date` header.
    pub fn amz_date(&self) -> String {
        format!(
            "{}T{:02}{:02}{:02}Z",
            self.date(),
            self.hour,
            self.minute,
            self.second
        )
    }

    pub fn to_system_time(self) -> SystemTime {
        let days = days_from_civil(self.year, self.month, self.day);
        let seconds = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        UNIX_EPOCH + Duration::from_secs(seconds.max(0) as u64)
    }
}

/// Parses an ISO 8601 UTC timestamp as AWS writes them: `2015-08-30T12:36:00Z`, optionally with
/// fractional seconds (`12:36:00.000Z`) or a `+00:00` offset.
pub fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', 't', ' '])?;
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    let time = time
        .strip_suffix(['Z', 'z'])
        .or_else(|| time.strip_suffix("+00:00"))?;
    let time = time.split_once('.').map_or(time, |(whole, _)| whole);
    let mut time_parts = time.splitn(3, ':');
    let hour: u32 = time_parts.next()?.parse().ok()?;
    let minute: u32 = time_parts.next()?.parse().ok()?;
    let second: u32 = time_parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    Some(
        UtcTime {
            year,
            month,
            day,
            hour,
            minute,
            second: second.min(60),
        }
        .to_system_time(),
    )
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_sigv4_dates() {
        let time = UtcTime::from(UNIX_EPOCH + Duration::from_secs(1_440_938_160));
        assert_eq!(time.amz_date(), "20150830T123600Z");
        assert_eq!(time.date(), "20150830");
        let leap = UtcTime::from(UNIX_EPOCH + Duration::from_secs(951_782_400));
        assert_eq!(leap.amz_date(), "20000229T000000Z");
    }

    #[test]
    fn parses_iso8601_both_ways() {
        let expected = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(parse_iso8601("2015-08-30T12:36:00Z"), Some(expected));
        assert_eq!(parse_iso8601("2015-08-30T12:36:00.123Z"), Some(expected));
        assert_eq!(parse_iso8601("2015-08-30T12:36:00+00:00"), Some(expected));
        assert_eq!(parse_iso8601("yesterday"), None);
        for seconds in [0u64, 59, 86_399, 951_782_400, 4_102_444_800] {
            let time = UNIX_EPOCH + Duration::from_secs(seconds);
            assert_eq!(UtcTime::from(time).to_system_time(), time);
        }
    }
}
