//! CPIM DateTime and IMMI ExpiresDateTime values: RFC 3339 `date-time`
//! (RFC 3862 §4.4, immi-content §4.7 and §5.1).
//!
//! ```text
//! date-time      = full-date "T" full-time
//! full-date      = date-fullyear "-" date-month "-" date-mday
//! full-time      = partial-time time-offset
//! partial-time   = time-hour ":" time-minute ":" time-second [time-secfrac]
//! time-secfrac   = "." 1*DIGIT
//! time-offset    = "Z" / time-numoffset
//! time-numoffset = ("+" / "-") time-hour ":" time-minute
//! ```
//!
//! "T" and "Z" match in either case (RFC 3339 §5.6 NOTE; register
//! IMMI-DATETIME-CASE). `-00:00` is an unknown local offset (RFC 3339 §4.3).
//! Second 60 is accepted only where a leap second can be: at 23:59:60 UTC
//! on the last day of a month (RFC 3339 §5.7; register IMMI-DATETIME-LEAP).

use std::fmt;

/// A parsed date-time in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTime {
    /// The instant in UTC, whole seconds: year, month, day, hour, minute, second.
    pub utc: [u32; 6],
    /// The offset from UTC in minutes, east positive; 0 for `Z` and `-00:00`.
    pub offset_minutes: i32,
    /// The offset was `-00:00`: UTC known, local offset unknown.
    pub unknown_offset: bool,
    /// The digits of time-secfrac as written, without the dot.
    pub fraction: Option<String>,
}

impl DateTime {
    /// The UTC instant as `YYYY-MM-DDTHH:MM:SSZ` (no fraction).
    pub fn utc_string(&self) -> String {
        let [y, mo, d, h, mi, s] = self.utc;
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// A sort key for the instant: minutes since 0000-03-01, the second,
    /// then the fraction digits. Keying on the minute lets leap second 60
    /// sort after :59 and before the next minute's :00.
    pub fn sort_key(&self) -> (i64, i64, String) {
        let [y, mo, d, h, mi, s] = self.utc;
        let days = days_from_civil(y as i64, mo, d);
        let minutes = (days * 24 + h as i64) * 60 + mi as i64;
        let mut frac = self.fraction.clone().unwrap_or_default();
        while frac.ends_with('0') {
            frac.pop();
        }
        (minutes, s as i64, frac)
    }
}

impl fmt::Display for DateTime {
    /// The canonical RFC 3339 spelling of the instant in UTC, with the fraction.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [y, mo, d, h, mi, s] = self.utc;
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        if let Some(frac) = &self.fraction {
            write!(f, ".{frac}")?;
        }
        f.write_str("Z")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateTimeError {
    #[error("the date-time is empty")]
    Empty,
    #[error("not an RFC 3339 date-time: {0}")]
    Syntax(&'static str),
    #[error("date-month {0:02} is not 01-12")]
    Month(u32),
    #[error("date-mday {0:02} is not a day of that month")]
    Day(u32),
    #[error("time-hour {0:02} is not 00-23")]
    Hour(u32),
    #[error("time-minute {0:02} is not 00-59")]
    Minute(u32),
    #[error("time-second {0:02} is not 00-60")]
    Second(u32),
    #[error("time-numoffset hours or minutes out of range (00-23, 00-59)")]
    Offset,
    #[error("second 60 is only possible at 23:59:60 UTC on the last day of a month")]
    LeapSecond,
    #[error("the instant in UTC falls outside the years 0000-9999")]
    UtcRange,
}

impl DateTimeError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "immi.datetime.empty",
            Self::Syntax(_) => "immi.datetime.syntax",
            Self::Month(_) => "immi.datetime.month",
            Self::Day(_) => "immi.datetime.day",
            Self::Hour(_) => "immi.datetime.hour",
            Self::Minute(_) => "immi.datetime.minute",
            Self::Second(_) => "immi.datetime.second",
            Self::Offset => "immi.datetime.offset",
            Self::LeapSecond => "immi.datetime.leap_second",
            Self::UtcRange => "immi.datetime.utc_range",
        }
    }
}

fn is_leap_year(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Days in a month (RFC 3339 §5.7 table, with its leap-year rule).
pub fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 0000-03-01 (proleptic Gregorian), H. Hinnant's algorithm.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A fixed-width run of ASCII digits at `pos`.
fn digits(s: &[u8], pos: usize, n: usize) -> Result<u32, DateTimeError> {
    let run = s
        .get(pos..pos + n)
        .ok_or(DateTimeError::Syntax("too short"))?;
    if !run.iter().all(u8::is_ascii_digit) {
        return Err(DateTimeError::Syntax("a digit is expected"));
    }
    Ok(run.iter().fold(0, |a, &b| a * 10 + u32::from(b - b'0')))
}

fn expect(s: &[u8], pos: usize, want: u8, what: &'static str) -> Result<(), DateTimeError> {
    if s.get(pos) == Some(&want) {
        Ok(())
    } else {
        Err(DateTimeError::Syntax(what))
    }
}

/// Parses one RFC 3339 date-time, nothing before or after it.
///
/// The grammar is checked over the whole text first; then the fields, in
/// the order month, day, hour, minute, second, offset; then the leap second
/// and the range of the UTC year.
pub fn parse(text: &str) -> Result<DateTime, DateTimeError> {
    let s = text.as_bytes();
    if s.is_empty() {
        return Err(DateTimeError::Empty);
    }
    // Grammar.
    let year = digits(s, 0, 4)?;
    expect(s, 4, b'-', "\"-\" after date-fullyear")?;
    let month = digits(s, 5, 2)?;
    expect(s, 7, b'-', "\"-\" after date-month")?;
    let day = digits(s, 8, 2)?;
    match s.get(10) {
        Some(b'T' | b't') => {}
        _ => {
            return Err(DateTimeError::Syntax(
                "\"T\" between full-date and full-time",
            ));
        }
    }
    let hour = digits(s, 11, 2)?;
    expect(s, 13, b':', "\":\" after time-hour")?;
    let minute = digits(s, 14, 2)?;
    expect(s, 16, b':', "\":\" after time-minute")?;
    let second = digits(s, 17, 2)?;
    let mut pos = 19;
    let mut fraction = None;
    if s.get(pos) == Some(&b'.') {
        let start = pos + 1;
        let mut end = start;
        while end < s.len() && s[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return Err(DateTimeError::Syntax("time-secfrac needs 1*DIGIT"));
        }
        fraction = Some(text[start..end].to_owned());
        pos = end;
    }
    let (offset, unknown_offset) = match s.get(pos) {
        Some(b'Z' | b'z') => {
            pos += 1;
            (None, false)
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(s, pos + 1, 2)?;
            expect(s, pos + 3, b':', "\":\" in time-numoffset")?;
            let om = digits(s, pos + 4, 2)?;
            pos += 6;
            let negative = sign == b'-';
            (Some((negative, oh, om)), negative && oh == 0 && om == 0)
        }
        None => return Err(DateTimeError::Syntax("time-offset is missing")),
        Some(_) => {
            return Err(DateTimeError::Syntax(
                "time-offset is \"Z\" or +hh:mm / -hh:mm",
            ));
        }
    };
    if pos != s.len() {
        return Err(DateTimeError::Syntax("data after time-offset"));
    }
    // Fields.
    if !(1..=12).contains(&month) {
        return Err(DateTimeError::Month(month));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(DateTimeError::Day(day));
    }
    if hour > 23 {
        return Err(DateTimeError::Hour(hour));
    }
    if minute > 59 {
        return Err(DateTimeError::Minute(minute));
    }
    if second > 60 {
        return Err(DateTimeError::Second(second));
    }
    let offset_minutes = match offset {
        None => 0,
        Some((_, oh, om)) if oh > 23 || om > 59 => return Err(DateTimeError::Offset),
        Some((negative, oh, om)) => {
            let m = (oh * 60 + om) as i32;
            if negative { -m } else { m }
        }
    };
    // Local time minus the offset; seconds do not move (whole-minute offsets).
    let local_minutes =
        days_from_civil(year as i64, month, day) * 1440 + (hour * 60 + minute) as i64;
    let utc_minutes = local_minutes - offset_minutes as i64;
    let (uy, um, ud) = civil_from_days(utc_minutes.div_euclid(1440));
    let in_day = utc_minutes.rem_euclid(1440) as u32;
    let (uh, umi) = (in_day / 60, in_day % 60);
    if second == 60
        && !(uh == 23
            && umi == 59
            && (0..=9999).contains(&uy)
            && ud == days_in_month(uy as u32, um))
    {
        return Err(DateTimeError::LeapSecond);
    }
    if !(0..=9999).contains(&uy) {
        return Err(DateTimeError::UtcRange);
    }
    Ok(DateTime {
        utc: [uy as u32, um, ud, uh, umi, second],
        offset_minutes,
        unknown_offset,
        fraction,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn leap_second_sorts_between_59_and_the_next_minute() {
        let k = |t: &str| super::parse(t).unwrap().sort_key();
        assert!(k("2016-12-31T23:59:59Z") < k("2016-12-31T23:59:60Z"));
        assert!(k("2016-12-31T23:59:60Z") < k("2017-01-01T00:00:00Z"));
    }

    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-1_000_000i64, -1, 0, 1, 59, 60, 730_000, 3_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn rfc3339_examples() {
        let d = parse("1990-12-31T15:59:60-08:00").unwrap();
        assert_eq!(d.utc_string(), "1990-12-31T23:59:60Z");
        let d = parse("1937-01-01T12:00:27.87+00:20").unwrap();
        assert_eq!(d.to_string(), "1937-01-01T11:40:27.87Z");
    }
}
