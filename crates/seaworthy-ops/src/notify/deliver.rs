//! Posting a notification body: one time-limited attempt after another, with exponential
//! backoff and jitter between them, while the failure is one that may pass (a network error,
//! 429, 5xx), never past the total time allowed. A `Retry-After` header or Discord's
//! `retry_after` field lengthens the wait when the server asks for more. Every failure is
//! described by its kind and never by the client's own error text, which can contain the URL.

use super::webhook::WebhookUrl;
use backon::{BackoffBuilder as _, ExponentialBuilder};
use std::fmt;
use std::time::{Duration, Instant, SystemTime};

/// How hard to try.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The longest one attempt may take, from connecting to reading the answer.
    pub attempt_timeout: Duration,
    /// The longest the whole delivery may take, waits included.
    pub max_time: Duration,
    /// Attempts after the first one.
    pub retries: u32,
    /// The wait before the first retry; each later wait doubles it, up to `max_delay`, and
    /// jitter adds up to as much again.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A fixed jitter sequence, for reproducible runs.
    pub jitter_seed: Option<u64>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            attempt_timeout: Duration::from_secs(10),
            max_time: Duration::from_secs(30),
            retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            jitter_seed: None,
        }
    }
}

/// What went wrong in one attempt, described without the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with a status other than 2xx.
    Status(u16),
    /// The attempt ran out of time (connecting, sending or waiting for the answer).
    Timeout,
    ConnectionRefused,
    HostNotFound,
    /// Any other socket error.
    Network(std::io::ErrorKind),
    /// The connection could not be set up for a reason the client did not name.
    ConnectionFailed,
    /// The answer was not valid HTTP.
    Protocol,
    Tls,
    /// The client refused the URL.
    InvalidUrl,
    /// Anything else the client reported.
    Other,
}

impl Failure {
    /// Whether trying again may succeed: network trouble, 429 (rate limited) and 5xx. Other
    /// 4xx answers (a revoked webhook, a payload the service refuses) and redirects, which are
    /// not followed so that the token never goes to another host, will not change.
    pub fn is_retryable(self) -> bool {
        match self {
            Failure::Status(status) => status == 429 || (500..=599).contains(&status),
            Failure::Timeout
            | Failure::ConnectionRefused
            | Failure::HostNotFound
            | Failure::Network(_)
            | Failure::ConnectionFailed
            | Failure::Protocol => true,
            Failure::Tls | Failure::InvalidUrl | Failure::Other => false,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(status) => write!(f, "HTTP {status}"),
            Failure::Timeout => f.write_str("timed out"),
            Failure::ConnectionRefused => f.write_str("connection refused"),
            Failure::HostNotFound => f.write_str("host not found"),
            Failure::Network(kind) => write!(f, "network error: {kind}"),
            Failure::ConnectionFailed => f.write_str("connection failed"),
            Failure::Protocol => f.write_str("invalid http answer"),
            Failure::Tls => f.write_str("tls error"),
            Failure::InvalidUrl => f.write_str("the http client refused the url"),
            Failure::Other => f.write_str("request failed"),
        }
    }
}

/// Why delivery stopped without success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The last failure will not pass by trying again.
    NotRetryable,
    /// Every retry the policy allows was used.
    RetriesExhausted,
    /// The next wait would have crossed the total time limit.
    OutOfTime,
    /// The server asked to wait this long before retrying, past the total time limit.
    ServerAskedToWait(Duration),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::NotRetryable => f.write_str("not retried"),
            Stop::RetriesExhausted => f.write_str("no retries left"),
            Stop::OutOfTime => f.write_str("time limit reached"),
            Stop::ServerAskedToWait(wait) => write!(
                f,
                "the server asked to wait {:.1} s, past the time limit",
                wait.as_secs_f64()
            ),
        }
    }
}

/// One request sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// When it started, from the start of the delivery.
    pub started: Duration,
    /// The status of a 2xx answer, or what went wrong.
    pub result: Result<u16, Failure>,
    /// How long the server asked to wait before the next attempt (429 or 503 answers).
    pub retry_after: Option<Duration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered { status: u16 },
    Failed { last: Failure, stop: Stop },
}

/// How a delivery went: every attempt, and the outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The webhook's host, the only part of the URL that may be shown.
    pub host: String,
    pub attempts: Vec<Attempt>,
    pub elapsed: Duration,
    pub outcome: Outcome,
}

impl Delivery {
    pub fn is_delivered(&self) -> bool {
        matches!(self.outcome, Outcome::Delivered { .. })
    }
}

/// Posts `body` (JSON) to `url`, retrying as `policy` allows. Blocks until delivered or given
/// up, at most about `policy.max_time`.
pub fn deliver(url: &WebhookUrl, body: &[u8], policy: &Policy) -> Delivery {
    let start = Instant::now();
    let deadline = start + policy.max_time;
    let agent = agent();
    let mut backoff = ExponentialBuilder::default()
        .with_min_delay(policy.base_delay)
        .with_factor(2.0)
        .with_max_delay(policy.max_delay.max(policy.base_delay))
        .with_max_times(usize::try_from(policy.retries).unwrap_or(usize::MAX))
        .with_jitter();
    if let Some(seed) = policy.jitter_seed {
        backoff = backoff.with_jitter_seed(seed);
    }
    let mut delays = backoff.build();
    let mut attempts = Vec::new();
    let outcome = loop {
        let now = Instant::now();
        let timeout = policy
            .attempt_timeout
            .min(deadline.saturating_duration_since(now));
        let (result, retry_after) = attempt(&agent, url, body, timeout);
        attempts.push(Attempt {
            started: now.duration_since(start),
            result,
            retry_after,
        });
        let failure = match result {
            Ok(status) => break Outcome::Delivered { status },
            Err(failure) => failure,
        };
        if !failure.is_retryable() {
            break Outcome::Failed {
                last: failure,
                stop: Stop::NotRetryable,
            };
        }
        let Some(computed) = delays.next() else {
            break Outcome::Failed {
                last: failure,
                stop: Stop::RetriesExhausted,
            };
        };
        let remaining = deadline.saturating_duration_since(Instant::now());
        match next_wait(computed, retry_after, remaining) {
            Ok(wait) => std::thread::sleep(wait),
            Err(stop) => {
                break Outcome::Failed {
                    last: failure,
                    stop,
                };
            }
        }
    };
    Delivery {
        host: url.host().to_owned(),
        attempts,
        elapsed: start.elapsed(),
        outcome,
    }
}

/// The wait before the next attempt: the backoff's, or the server's when it asks for more;
/// or why there is no next attempt, when the wait would leave no time for it.
pub fn next_wait(
    computed: Duration,
    retry_after: Option<Duration>,
    remaining: Duration,
) -> Result<Duration, Stop> {
    let wait = retry_after.map_or(computed, |asked| asked.max(computed));
    if wait < remaining {
        Ok(wait)
    } else if retry_after.is_some_and(|asked| asked > computed) {
        Err(Stop::ServerAskedToWait(wait))
    } else {
        Err(Stop::OutOfTime)
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        // 429 and 5xx are answers to read (Retry-After), not errors.
        .http_status_as_error(false)
        // A redirect is reported, not followed: the body and the token stay with this host.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .user_agent(concat!("seaworthy/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

// Enough for Discord's rate-limit document; a larger answer is not read.
const ANSWER_LIMIT: u64 = 16 * 1024;

fn attempt(
    agent: &ureq::Agent,
    url: &WebhookUrl,
    body: &[u8],
    timeout: Duration,
) -> (Result<u16, Failure>, Option<Duration>) {
    let sent = agent
        .post(url.secret_text())
        .config()
        .timeout_global(Some(timeout))
        .build()
        .header("Content-Type", "application/json")
        .send(body);
    let mut response = match sent {
        Ok(response) => response,
        Err(error) => return (Err(failure_of(&error)), None),
    };
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return (Ok(status), None);
    }
    let mut retry_after = None;
    if status == 429 || status == 503 {
        retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| retry_after_header(value, SystemTime::now()));
        if status == 429 {
            let answer = response
                .body_mut()
                .with_config()
                .limit(ANSWER_LIMIT)
                .read_to_vec()
                .unwrap_or_default();
            let from_body = retry_after_field(&answer);
            retry_after = retry_after.max(from_body);
        }
    }
    (Err(Failure::Status(status)), retry_after)
}

fn failure_of(error: &ureq::Error) -> Failure {
    use std::io::ErrorKind;
    match error {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::TimedOut | ErrorKind::WouldBlock => Failure::Timeout,
            ErrorKind::ConnectionRefused => Failure::ConnectionRefused,
            kind => Failure::Network(kind),
        },
        ureq::Error::HostNotFound => Failure::HostNotFound,
        ureq::Error::ConnectionFailed => Failure::ConnectionFailed,
        ureq::Error::Protocol(_) => Failure::Protocol,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => Failure::Tls,
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => Failure::InvalidUrl,
        _ => Failure::Other,
    }
}

// A server asking for more than a day is not going to be waited for anyway.
const LONGEST_WAIT: Duration = Duration::from_secs(86_400);

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`.
pub fn retry_after_header(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds).min(LONGEST_WAIT));
    }
    let at = http_date(value)?;
    let since_epoch = now.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some(Duration::from_secs(at.saturating_sub(since_epoch.as_secs())).min(LONGEST_WAIT))
}

/// Discord's `{"retry_after": 0.35, ...}` (seconds, fractional).
pub fn retry_after_field(answer: &[u8]) -> Option<Duration> {
    let document: serde_json::Value = serde_json::from_slice(answer).ok()?;
    let seconds = document.get("retry_after")?.as_f64()?;
    Duration::try_from_secs_f64(seconds.min(LONGEST_WAIT.as_secs_f64())).ok()
}

/// Seconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form
/// HTTP requires senders to use.
fn http_date(text: &str) -> Option<u64> {
    let (_weekday, rest) = text.split_once(", ")?;
    let mut parts = rest.split(' ');
    let day: u64 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: u64 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let mut clock = time.split(':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some()
        || !(1..=31).contains(&day)
        || !(1970..=9999).contains(&year)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a proleptic Gregorian date on or after it.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year % 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).saturating_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn the_server_wait_wins_only_when_longer() {
        assert_eq!(next_wait(MS(500), None, MS(10_000)), Ok(MS(500)));
        assert_eq!(next_wait(MS(500), Some(MS(1000)), MS(10_000)), Ok(MS(1000)));
        assert_eq!(next_wait(MS(500), Some(MS(100)), MS(10_000)), Ok(MS(500)));
    }

    #[test]
    fn a_wait_that_crosses_the_deadline_stops_delivery() {
        assert_eq!(next_wait(MS(2000), None, MS(1500)), Err(Stop::OutOfTime));
        assert_eq!(
            next_wait(MS(500), Some(MS(60_000)), MS(1500)),
            Err(Stop::ServerAskedToWait(MS(60_000)))
        );
        assert_eq!(
            next_wait(MS(500), None, Duration::ZERO),
            Err(Stop::OutOfTime)
        );
    }

    #[test]
    fn only_network_errors_429_and_5xx_are_retried() {
        for status in [429, 500, 502, 503, 504] {
            assert!(Failure::Status(status).is_retryable(), "{status}");
        }
        for status in [301, 400, 401, 403, 404, 410, 413] {
            assert!(!Failure::Status(status).is_retryable(), "{status}");
        }
        assert!(Failure::Timeout.is_retryable());
        assert!(Failure::ConnectionRefused.is_retryable());
        assert!(!Failure::Tls.is_retryable());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(retry_after_header(" 1 ", now), Some(MS(1000)));
        assert_eq!(
            retry_after_header("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(MS(10_000))
        );
        assert_eq!(
            retry_after_header("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(retry_after_header("soon", now), None);
        assert_eq!(retry_after_header("-1", now), None);
        assert_eq!(
            retry_after_header("Wed, 32 Oct 2015 07:28:00 GMT", now),
            None
        );
        assert_eq!(retry_after_header("99999999999", now), Some(LONGEST_WAIT));
    }

    #[test]
    fn discord_retry_after_is_fractional_seconds() {
        let answer =
            br#"{"message": "You are being rate limited.", "retry_after": 0.35, "global": false}"#;
        assert_eq!(retry_after_field(answer), Some(MS(350)));
        assert_eq!(retry_after_field(br#"{"retry_after": -1}"#), None);
        assert_eq!(retry_after_field(b"<html>"), None);
        assert_eq!(
            retry_after_field(br#"{"retry_after": 1e300}"#),
            Some(LONGEST_WAIT)
        );
    }

    #[test]
    fn days_from_civil_agrees_with_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2015, 10, 21), 16_729);
    }
}
