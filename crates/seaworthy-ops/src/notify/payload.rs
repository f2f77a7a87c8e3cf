//! The JSON each kind of webhook accepts for one notification: a Slack attachment coloured by
//! status, a Discord embed, or a plain generic document. The clock is a parameter so the
//! documents can be tested exactly.

use super::webhook::Kind;
use serde_json::{Map, Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the thing being announced went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Success,
    Failure,
    Warning,
    Info,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Failure => "failure",
            Status::Warning => "warning",
            Status::Info => "info",
        }
    }

    /// `success`, `failure`, `warning` or `info`.
    pub fn parse(name: &str) -> Option<Status> {
        match name {
            "success" => Some(Status::Success),
            "failure" => Some(Status::Failure),
            "warning" => Some(Status::Warning),
            "info" => Some(Status::Info),
            _ => None,
        }
    }

    /// Slack's own good/danger/warning colours, and a blue for information.
    pub fn colour(self) -> u32 {
        match self {
            Status::Success => 0x2e_b8_86,
            Status::Failure => 0xd5_02_00,
            Status::Warning => 0xda_a0_38,
            Status::Info => 0x43_9f_e0,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Status::Success => "Success",
            Status::Failure => "Failure",
            Status::Warning => "Warning",
            Status::Info => "Info",
        }
    }
}

/// One notification, whatever service it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub status: Status,
    pub message: String,
    pub project: String,
    /// The deployment target (`production`, a seaworthy.toml target), when there is one.
    pub target: Option<String>,
    /// Details such as version, commit or environment, in the order given; a key appears once.
    pub fields: Vec<(String, String)>,
}

impl Notification {
    /// Adds a detail; a key given again replaces the earlier value in its place.
    pub fn set_field(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        let value = value.into();
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some(field) => field.1 = value,
            None => self.fields.push((key, value)),
        }
    }

    /// `shop (production): success`.
    pub fn heading(&self) -> String {
        match &self.target {
            Some(target) => format!("{} ({target}): {}", self.project, self.status.as_str()),
            None => format!("{}: {}", self.project, self.status.as_str()),
        }
    }
}

/// The document to post for `notification` to a webhook of this kind, stamped with `now`.
pub fn payload(kind: Kind, notification: &Notification, now: SystemTime) -> Value {
    let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    match kind {
        Kind::Slack => slack(notification, since_epoch.as_secs()),
        Kind::Discord => discord(notification, &rfc3339(since_epoch)),
        Kind::Generic => generic(notification, &rfc3339(since_epoch)),
    }
}

fn slack(n: &Notification, unix: u64) -> Value {
    let fields: Vec<Value> = n
        .fields
        .iter()
        .map(|(key, value)| json!({"title": key, "value": value, "short": true}))
        .collect();
    json!({
        "text": n.heading(),
        "attachments": [{
            "fallback": format!("{}: {}", n.heading(), n.message),
            "color": format!("#{:06x}", n.status.colour()),
            "title": n.status.title(),
            "text": n.message,
            "fields": fields,
            "footer": "seaworthy",
            "ts": unix,
        }],
    })
}

// Discord answers 400 to an embed past its limits, so long texts are cut rather than lost.
const DISCORD_TITLE: usize = 256;
const DISCORD_DESCRIPTION: usize = 4096;
const DISCORD_FIELDS: usize = 25;
const DISCORD_FIELD_NAME: usize = 256;
const DISCORD_FIELD_VALUE: usize = 1024;

fn discord(n: &Notification, timestamp: &str) -> Value {
    let fields: Vec<Value> = n
        .fields
        .iter()
        .take(DISCORD_FIELDS)
        .map(|(key, value)| {
            // Discord refuses a field with an empty name or value.
            let name = if key.is_empty() { "-" } else { key };
            let value = if value.is_empty() { "-" } else { value };
            json!({
                "name": cut(name, DISCORD_FIELD_NAME),
                "value": cut(value, DISCORD_FIELD_VALUE),
                "inline": true,
            })
        })
        .collect();
    json!({
        "content": null,
        "embeds": [{
            "title": cut(&n.heading(), DISCORD_TITLE),
            "description": cut(&n.message, DISCORD_DESCRIPTION),
            "color": n.status.colour(),
            "fields": fields,
            "footer": {"text": "seaworthy"},
            "timestamp": timestamp,
        }],
    })
}

fn generic(n: &Notification, timestamp: &str) -> Value {
    let mut document = Map::new();
    document.insert("status".into(), n.status.as_str().into());
    document.insert("message".into(), n.message.as_str().into());
    document.insert("project".into(), n.project.as_str().into());
    document.insert(
        "target".into(),
        n.target.as_deref().map_or(Value::Null, Value::from),
    );
    document.insert("timestamp".into(), timestamp.into());
    if !n.fields.is_empty() {
        let details: Map<String, Value> = n
            .fields
            .iter()
            .map(|(key, value)| (key.clone(), Value::from(value.as_str())))
            .collect();
        document.insert("details".into(), Value::Object(details));
    }
    Value::Object(document)
}

/// At most `max` characters, the last one an ellipsis when text was cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `2026-01-23T22:27:42Z`: UTC, whole seconds.
pub fn rfc3339(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = secs / 86_400;
    let in_day = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's days-to-civil
/// algorithm, in unsigned form since the clock never gives a date before the epoch here).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-23T22:27:42Z.
    fn clock() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_769_207_262)
    }

    fn deploy() -> Notification {
        let mut n = Notification {
            status: Status::Failure,
            message: "deploy of api failed".into(),
            project: "shop".into(),
            target: Some("production".into()),
            fields: Vec::new(),
        };
        n.set_field("version", "1.4.2");
        n.set_field("commit", "abc123");
        n
    }

    #[test]
    fn slack_payload_is_an_attachment_coloured_by_status() {
        let value = payload(Kind::Slack, &deploy(), clock());
        let expected = r##"{"attachments":[{"color":"#d50200","fallback":"shop (production): failure: deploy of api failed","fields":[{"short":true,"title":"version","value":"1.4.2"},{"short":true,"title":"commit","value":"abc123"}],"footer":"seaworthy","text":"deploy of api failed","title":"Failure","ts":1769207262}],"text":"shop (production): failure"}"##;
        assert_eq!(value.to_string(), expected);
    }

    #[test]
    fn discord_payload_is_an_embed_with_an_integer_colour() {
        let value = payload(Kind::Discord, &deploy(), clock());
        let expected = r#"{"content":null,"embeds":[{"color":13959680,"description":"deploy of api failed","fields":[{"inline":true,"name":"version","value":"1.4.2"},{"inline":true,"name":"commit","value":"abc123"}],"footer":{"text":"seaworthy"},"timestamp":"2026-01-23T22:27:42Z","title":"shop (production): failure"}]}"#;
        assert_eq!(value.to_string(), expected);
    }

    #[test]
    fn generic_payload_has_status_message_project_target_timestamp_and_details() {
        let value = payload(Kind::Generic, &deploy(), clock());
        let expected = r#"{"details":{"commit":"abc123","version":"1.4.2"},"message":"deploy of api failed","project":"shop","status":"failure","target":"production","timestamp":"2026-01-23T22:27:42Z"}"#;
        assert_eq!(value.to_string(), expected);
    }

    #[test]
    fn generic_payload_has_a_null_target_and_no_details_when_there_are_none() {
        let n = Notification {
            status: Status::Success,
            message: "deployed".into(),
            project: "shop".into(),
            target: None,
            fields: Vec::new(),
        };
        let value = payload(Kind::Generic, &n, clock());
        let expected = r#"{"message":"deployed","project":"shop","status":"success","target":null,"timestamp":"2026-01-23T22:27:42Z"}"#;
        assert_eq!(value.to_string(), expected);
        assert_eq!(n.heading(), "shop: success");
    }

    #[test]
    fn each_status_has_its_colour() {
        let colours: Vec<String> = [
            Status::Success,
            Status::Failure,
            Status::Warning,
            Status::Info,
        ]
        .iter()
        .map(|s| format!("#{:06x}", s.colour()))
        .collect();
        assert_eq!(colours, ["#2eb886", "#d50200", "#daa038", "#439fe0"]);
        assert_eq!(Status::parse("warning"), Some(Status::Warning));
        assert_eq!(Status::parse("ok"), None);
    }

    #[test]
    fn a_repeated_field_replaces_the_earlier_value_in_place() {
        let mut n = deploy();
        n.set_field("version", "1.4.3");
        assert_eq!(
            n.fields,
            [
                ("version".to_owned(), "1.4.3".to_owned()),
                ("commit".to_owned(), "abc123".to_owned())
            ]
        );
    }

    #[test]
    fn discord_texts_are_cut_to_its_limits() {
        let mut n = deploy();
        n.message = "x".repeat(5000);
        n.set_field("empty", "");
        for i in 0..30 {
            n.set_field(format!("k{i}"), "v");
        }
        let value = payload(Kind::Discord, &n, clock());
        let embed = &value["embeds"][0];
        let description = embed["description"].as_str().unwrap();
        assert_eq!(description.chars().count(), 4096);
        assert!(description.ends_with('…'));
        let fields = embed["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 25);
        assert_eq!(fields[2]["value"], "-");
    }

    #[test]
    fn timestamps_are_utc_rfc3339() {
        assert_eq!(rfc3339(Duration::ZERO), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            rfc3339(Duration::from_secs(1_709_251_199)),
            "2024-02-29T23:59:59Z"
        );
        assert_eq!(
            rfc3339(Duration::from_secs(4_107_542_400)),
            "2100-03-01T00:00:00Z"
        );
        assert_eq!(
            rfc3339(Duration::from_millis(1_769_207_262_999)),
            "2026-01-23T22:27:42Z"
        );
    }
}
