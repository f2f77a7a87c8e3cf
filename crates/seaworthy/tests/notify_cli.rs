//! `seaworthy notify` end to end: the built binary posting to a real HTTP server on 127.0.0.1
//! that the test starts. Every case also checks that the webhook URL's path and token never
//! reach standard output or standard error.
#![allow(clippy::disallowed_methods)] // tests write their projects to disk

mod common;

use common::{project, seaworthy};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "SECRETTOKEN123";
const URL_PATH: &str = "/services/T000/B000/SECRETTOKEN123";

/// One request as the server saw it.
struct Received {
    at: Instant,
    path: String,
    content_type: Option<String>,
    body: String,
}

/// Status and headers of one scripted answer.
type Answer = (u16, Vec<(&'static str, &'static str)>);

/// A webhook endpoint that gives the scripted answers in order (500 once they run out) and
/// records every request, until dropped.
struct Endpoint {
    port: u16,
    log: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Endpoint {
    fn start(script: Vec<Answer>) -> Endpoint {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (thread_log, thread_stop) = (Arc::clone(&log), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut script = script.into_iter();
            let started = Instant::now();
            while !thread_stop.load(Ordering::Relaxed)
                && started.elapsed() < Duration::from_secs(30)
            {
                let Ok(Some(mut request)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let at = Instant::now();
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let content_type = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Content-Type"))
                    .map(|h| h.value.to_string());
                thread_log.lock().unwrap().push(Received {
                    at,
                    path: request.url().to_owned(),
                    content_type,
                    body,
                });
                let (status, headers) = script.next().unwrap_or((500, vec![]));
                let mut response = tiny_http::Response::empty(status);
                for (name, value) in headers {
                    response.add_header(
                        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap(),
                    );
                }
                let _ = request.respond(response);
            }
        });
        Endpoint { port, log, stop }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}{URL_PATH}", self.port)
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn received(&self) -> std::sync::MutexGuard<'_, Vec<Received>> {
        self.log.lock().unwrap()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A server that accepts connections and never answers; counts the connections.
struct Silent {
    port: u16,
    connections: Arc<Mutex<usize>>,
    stop: Arc<AtomicBool>,
}

impl Silent {
    fn start() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let connections = Arc::new(Mutex::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (thread_connections, thread_stop) = (Arc::clone(&connections), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut held = Vec::new();
            let started = Instant::now();
            while !thread_stop.load(Ordering::Relaxed)
                && started.elapsed() < Duration::from_secs(30)
            {
                match listener.accept() {
                    Ok((stream, _)) => {
                        held.push(stream);
                        *thread_connections.lock().unwrap() += 1;
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Silent {
            port,
            connections,
            stop,
        }
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `seaworthy notify ...` in `dir` with these extra variables, and checks that nothing it
/// printed holds the URL's path or token.
fn notify(dir: &std::path::Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = seaworthy(dir);
    command.arg("notify").args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let started = Instant::now();
    let output = command.output().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        elapsed: started.elapsed(),
    };
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !text.contains(TOKEN) && !text.contains("/services/T000"),
            "{stream} shows the webhook url: {text}"
        );
    }
    run
}

/// A project whose `webhook-url` file holds the endpoint's URL.
fn with_url_file(endpoint_url: &str) -> tempfile::TempDir {
    project(&[("webhook-url", &format!("  {endpoint_url}\n"))])
}

#[test]
fn success_on_the_first_try_posts_the_generic_document_once() {
    let endpoint = Endpoint::start(vec![(200, vec![])]);
    let dir = with_url_file(&endpoint.url());
    let run = notify(
        dir.path(),
        &[],
        &[
            "success",
            "deployed api 1.4.2",
            "--webhook-url-file",
            "webhook-url",
            "--project",
            "shop",
            "--target",
            "production",
            "--field",
            "version=1.4.2",
            "--field",
            "commit=abc123",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("notified {} (success) in 1 attempt\n", endpoint.host())
    );
    assert_eq!(run.stdout, "");
    let received = endpoint.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, URL_PATH);
    assert_eq!(
        received[0].content_type.as_deref(),
        Some("application/json")
    );
    let body: serde_json::Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(body["status"], "success");
    assert_eq!(body["message"], "deployed api 1.4.2");
    assert_eq!(body["project"], "shop");
    assert_eq!(body["target"], "production");
    assert_eq!(
        body["details"],
        serde_json::json!({"version": "1.4.2", "commit": "abc123"})
    );
    assert!(!received[0].body.contains('\n'), "the body is compact JSON");
}

#[test]
fn two_503s_then_200_is_delivered_on_the_third_request_with_growing_waits() {
    let endpoint = Endpoint::start(vec![(503, vec![]), (503, vec![]), (200, vec![])]);
    let dir = project(&[]);
    let run = notify(
        dir.path(),
        &[("DEPLOY_WEBHOOK_URL", &endpoint.url())],
        &["success", "deployed", "--backoff-base-ms", "200"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("notified {} (success) in 3 attempts\n", endpoint.host())
    );
    let received = endpoint.received();
    assert_eq!(received.len(), 3);
    let first_wait = received[1].at - received[0].at;
    let second_wait = received[2].at - received[1].at;
    // With jitter the first wait is in [200, 400) ms and the second in [400, 800) ms.
    assert!(first_wait >= Duration::from_millis(200), "{first_wait:?}");
    assert!(first_wait < Duration::from_millis(500), "{first_wait:?}");
    assert!(second_wait >= Duration::from_millis(400), "{second_wait:?}");
    assert!(second_wait > first_wait);
}

#[test]
fn a_429_with_retry_after_1_waits_a_second_before_the_next_request() {
    let endpoint = Endpoint::start(vec![(429, vec![("Retry-After", "1")]), (204, vec![])]);
    let dir = with_url_file(&endpoint.url());
    let run = notify(
        dir.path(),
        &[],
        &[
            "info",
            "rate limited",
            "--webhook-url-file",
            "webhook-url",
            "--backoff-base-ms",
            "50",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("in 2 attempts"), "{}", run.stderr);
    let received = endpoint.received();
    assert_eq!(received.len(), 2);
    let wait = received[1].at - received[0].at;
    assert!(wait >= Duration::from_millis(1000), "{wait:?}");
    assert!(wait < Duration::from_millis(2500), "{wait:?}");
}

#[test]
fn a_400_is_not_retried_and_fails_only_with_strict() {
    let endpoint = Endpoint::start(vec![(400, vec![]), (400, vec![])]);
    let dir = with_url_file(&endpoint.url());
    let args = [
        "failure",
        "deploy failed",
        "--webhook-url-file",
        "webhook-url",
    ];
    let run = notify(dir.path(), &[], &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "warning: notification not delivered to {}: HTTP 400 after 1 attempt in ",
            endpoint.host()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with(" s (not retried)\n"), "{}", run.stderr);
    assert_eq!(endpoint.received().len(), 1);
    let strict = notify(dir.path(), &[], &[&args[..], &["--strict"]].concat());
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert_eq!(endpoint.received().len(), 2, "one request per run");
}

#[test]
fn a_server_that_never_answers_is_given_up_within_max_time() {
    let silent = Silent::start();
    let dir = project(&[]);
    let url = format!("http://127.0.0.1:{}{URL_PATH}", silent.port);
    let run = notify(
        dir.path(),
        &[("DEPLOY_WEBHOOK_URL", &url)],
        &["success", "deployed", "--timeout", "1", "--max-time", "3"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.elapsed < Duration::from_secs(4),
        "took {:?}",
        run.elapsed
    );
    assert!(
        run.elapsed >= Duration::from_secs(2),
        "two attempts of a second each: {:?}",
        run.elapsed
    );
    assert!(
        run.stderr.starts_with(&format!(
            "warning: notification not delivered to 127.0.0.1:{}: timed out after 2 attempts",
            silent.port
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("(time limit reached)\n"),
        "{}",
        run.stderr
    );
    assert_eq!(*silent.connections.lock().unwrap(), 2);
}

#[test]
fn without_a_webhook_it_warns_sends_nothing_and_exits_0_unless_strict() {
    let endpoint = Endpoint::start(vec![]);
    let dir = project(&[("seaworthy.toml", "[notify]\nproject = \"shop\"\n")]);
    // An empty variable is the seeds' way of switching notifications off.
    let run = notify(
        dir.path(),
        &[("DEPLOY_WEBHOOK_URL", "")],
        &["success", "deployed"],
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "warning: no webhook configured: pass --webhook-url-file FILE, set DEPLOY_WEBHOOK_URL, or name a file with `webhook-url-file` under [notify] in seaworthy.toml; notification not sent\n"
    );
    let strict = notify(dir.path(), &[], &["success", "deployed", "--strict"]);
    assert_eq!(strict.code, 1);
    assert_eq!(endpoint.received().len(), 0);
}

#[test]
fn seaworthy_toml_names_the_url_file_relative_to_itself() {
    let endpoint = Endpoint::start(vec![(200, vec![])]);
    let dir = project(&[
        (
            "seaworthy.toml",
            "[notify]\nwebhook-url-file = \"secrets/webhook-url\"\nproject = \"shop\"\nkind = \"slack\"\n",
        ),
        ("secrets/webhook-url", &endpoint.url()),
        ("docker/compose.yaml", "services: {}\n"),
    ]);
    let run = notify(
        &dir.path().join("docker"),
        &[],
        &["warning", "disk almost full"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let received = endpoint.received();
    assert_eq!(received.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(body["text"], "shop: warning");
    assert_eq!(body["attachments"][0]["color"], "#daa038");
}

#[test]
fn the_flag_wins_over_the_variable() {
    let flagged = Endpoint::start(vec![(200, vec![])]);
    let variable = Endpoint::start(vec![(200, vec![])]);
    let dir = with_url_file(&flagged.url());
    let run = notify(
        dir.path(),
        &[("DEPLOY_WEBHOOK_URL", &variable.url())],
        &["success", "x", "--webhook-url-file", "webhook-url"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(flagged.received().len(), 1);
    assert_eq!(variable.received().len(), 0);
}

#[test]
fn an_unusable_url_file_is_named_by_path_and_never_by_content() {
    let dir = project(&[
        ("empty-url", "\n"),
        (
            "ftp-url",
            "ftp://files.example/services/T000/B000/SECRETTOKEN123\n",
        ),
    ]);
    let missing = notify(
        dir.path(),
        &[],
        &["success", "x", "--webhook-url-file", "nope"],
    );
    assert_eq!(missing.code, 0);
    assert_eq!(
        missing.stderr,
        "warning: webhook url file nope: no such file; notification not sent\n"
    );
    let empty = notify(
        dir.path(),
        &[],
        &[
            "success",
            "x",
            "--webhook-url-file",
            "empty-url",
            "--strict",
        ],
    );
    assert_eq!(empty.code, 1);
    assert_eq!(
        empty.stderr,
        "warning: webhook url file empty-url: the webhook url is empty; notification not sent\n"
    );
    let ftp = notify(
        dir.path(),
        &[],
        &["success", "x", "--webhook-url-file", "ftp-url"],
    );
    assert_eq!(
        ftp.stderr,
        "warning: webhook url file ftp-url: the webhook url is not an http or https url; notification not sent\n"
    );
}

#[test]
fn dry_run_prints_the_payload_and_sends_nothing() {
    let endpoint = Endpoint::start(vec![(200, vec![])]);
    let dir = with_url_file(&endpoint.url());
    let run = notify(
        dir.path(),
        &[],
        &[
            "failure",
            "deploy failed",
            "--webhook-url-file",
            "webhook-url",
            "--kind",
            "discord",
            "--project",
            "shop",
            "--dry-run",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "dry run: discord payload for {}, nothing sent\n",
            endpoint.host()
        )
    );
    let payload: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(payload["embeds"][0]["title"], "shop: failure");
    assert_eq!(payload["embeds"][0]["color"], 0xd5_02_00);
    assert!(run.stdout.contains("\n  "), "pretty-printed");
    assert_eq!(endpoint.received().len(), 0);
}

#[test]
fn a_field_without_equals_is_a_usage_error() {
    let dir = project(&[]);
    let run = notify(dir.path(), &[], &["success", "x", "--field", "version"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`version` is not KEY=VALUE"),
        "{}",
        run.stderr
    );
    let run = notify(dir.path(), &[], &["done", "x"]);
    assert_eq!(run.code, 2, "an unknown status is a usage error");
}

#[test]
fn a_seaworthy_toml_that_does_not_parse_is_reported_and_left_aside() {
    let endpoint = Endpoint::start(vec![(200, vec![])]);
    let dir = project(&[("seaworthy.toml", "[notify]\nwebhook-url = \"x\"\n")]);
    let run = notify(
        dir.path(),
        &[("DEPLOY_WEBHOOK_URL", &endpoint.url())],
        &["success", "deployed"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown key `webhook-url` in [notify]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: seaworthy.toml is ignored for this notification"),
        "{}",
        run.stderr
    );
    assert_eq!(endpoint.received().len(), 1);
}

#[test]
fn check_notify_sends_the_verdict_counts_and_worst_findings() {
    let server = Endpoint::start(vec![(200, vec![])]);
    let dir = project(&[(
        "compose.yaml",
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    privileged: true\n    environment:\n      DB_PASSWORD: hunter2-in-plain\n",
    )]);
    let output = seaworthy(dir.path())
        .args(["check", "--notify", "--format", "json"])
        .env("DEPLOY_WEBHOOK_URL", server.url())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the check's verdict: {stderr}"
    );
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains(TOKEN) && !text.contains("/services/T000"),
            "{text}"
        );
    }
    assert!(
        stderr.contains(&format!(
            "notified {} (failure) in 1 attempt",
            server.host()
        )),
        "{stderr}"
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(body["status"], "failure", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.starts_with("seaworthy check: "), "{message}");
    assert!(
        message.contains("- [critical] no-privileged: "),
        "{message}"
    );
    assert!(!message.contains("hunter2-in-plain"), "{message}");
    assert_eq!(
        body["details"]["failing targets"],
        body["details"]["targets"]
    );
}

#[test]
fn check_notify_without_a_webhook_warns_and_keeps_the_checks_exit_code() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n",
    )]);
    let output = seaworthy(dir.path())
        .args(["check", "--notify", "--exit-zero"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr.contains("no webhook configured"), "{stderr}");
}
