//! `deliver` against a real HTTP server on 127.0.0.1: what the server receives, which answers
//! are retried, and how long the waits are.

use seaworthy_ops::notify::{Failure, Outcome, Policy, Stop, WebhookUrl, deliver};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One request as the server saw it.
#[derive(Debug)]
struct Received {
    at: Instant,
    path: String,
    content_type: Option<String>,
    body: String,
}

/// A scripted answer: status, headers, body.
type Answer = (u16, Vec<(&'static str, &'static str)>, &'static str);

/// A server that answers each request with the next scripted (status, headers, body), then
/// stops; `log` fills as requests arrive.
struct Server {
    url: String,
    log: Arc<Mutex<Vec<Received>>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(script: Vec<Answer>) -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let thread_log = Arc::clone(&log);
        let thread = std::thread::spawn(move || {
            for (status, headers, body) in script {
                let Ok(Some(mut request)) = server.recv_timeout(Duration::from_secs(10)) else {
                    return;
                };
                let at = Instant::now();
                let mut text = String::new();
                request.as_reader().read_to_string(&mut text).unwrap();
                let content_type = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Content-Type"))
                    .map(|h| h.value.to_string());
                thread_log.lock().unwrap().push(Received {
                    at,
                    path: request.url().to_owned(),
                    content_type,
                    body: text,
                });
                let mut response = tiny_http::Response::from_string(body).with_status_code(status);
                for (name, value) in headers {
                    response.add_header(
                        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap(),
                    );
                }
                let _ = request.respond(response);
            }
        });
        Server {
            url: format!("http://127.0.0.1:{port}/services/T000/B000/SECRETTOKEN123"),
            log,
            thread: Some(thread),
        }
    }

    fn received(&self) -> std::sync::MutexGuard<'_, Vec<Received>> {
        self.log.lock().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The thread ends on its own when its script is used up or after ten idle seconds.
        drop(self.thread.take());
    }
}

fn fast(retries: u32) -> Policy {
    Policy {
        attempt_timeout: Duration::from_secs(2),
        max_time: Duration::from_secs(10),
        retries,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(2),
        jitter_seed: None,
    }
}

fn url(server: &Server) -> WebhookUrl {
    WebhookUrl::parse(&server.url).unwrap()
}

#[test]
fn a_2xx_answer_delivers_on_the_first_attempt_with_a_compact_json_body() {
    let server = Server::start(vec![(204, vec![], "")]);
    let body = br#"{"text":"deployed"}"#;
    let delivery = deliver(&url(&server), body, &fast(4));
    assert_eq!(delivery.outcome, Outcome::Delivered { status: 204 });
    assert_eq!(delivery.attempts.len(), 1);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/services/T000/B000/SECRETTOKEN123");
    assert_eq!(
        received[0].content_type.as_deref(),
        Some("application/json")
    );
    assert_eq!(received[0].body, r#"{"text":"deployed"}"#);
}

#[test]
fn two_503s_then_200_takes_three_attempts_with_growing_waits() {
    let server = Server::start(vec![
        (503, vec![], ""),
        (503, vec![], ""),
        (200, vec![], "ok"),
    ]);
    let delivery = deliver(&url(&server), b"{}", &fast(4));
    assert_eq!(delivery.outcome, Outcome::Delivered { status: 200 });
    assert_eq!(delivery.attempts.len(), 3);
    let received = server.received();
    assert_eq!(received.len(), 3);
    let first_wait = received[1].at - received[0].at;
    let second_wait = received[2].at - received[1].at;
    // Jitter adds up to the base again: the first wait is in [100, 200) ms, the second in
    // [200, 400) ms, so the second is never the shorter one.
    assert!(first_wait >= Duration::from_millis(100), "{first_wait:?}");
    assert!(first_wait < Duration::from_millis(300), "{first_wait:?}");
    assert!(second_wait >= Duration::from_millis(200), "{second_wait:?}");
}

#[test]
fn discord_retry_after_in_the_body_is_honoured_on_429() {
    let server = Server::start(vec![
        (
            429,
            vec![("Content-Type", "application/json")],
            r#"{"message":"You are being rate limited.","retry_after":0.6,"global":false}"#,
        ),
        (204, vec![], ""),
    ]);
    let delivery = deliver(&url(&server), b"{}", &fast(4));
    assert_eq!(delivery.outcome, Outcome::Delivered { status: 204 });
    assert_eq!(
        delivery.attempts[0].retry_after,
        Some(Duration::from_millis(600))
    );
    let received = server.received();
    assert!(received[1].at - received[0].at >= Duration::from_millis(600));
}

#[test]
fn a_400_is_not_retried() {
    let server = Server::start(vec![(400, vec![], "invalid_payload"), (200, vec![], "")]);
    let delivery = deliver(&url(&server), b"{}", &fast(4));
    assert_eq!(
        delivery.outcome,
        Outcome::Failed {
            last: Failure::Status(400),
            stop: Stop::NotRetryable
        }
    );
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_redirect_is_reported_and_not_followed() {
    let server = Server::start(vec![
        (302, vec![("Location", "http://127.0.0.1:9/elsewhere")], ""),
        (200, vec![], ""),
    ]);
    let delivery = deliver(&url(&server), b"{}", &fast(4));
    assert_eq!(
        delivery.outcome,
        Outcome::Failed {
            last: Failure::Status(302),
            stop: Stop::NotRetryable
        }
    );
}

#[test]
fn retries_end_when_the_policy_allows_no_more() {
    let server = Server::start(vec![
        (500, vec![], ""),
        (500, vec![], ""),
        (200, vec![], ""),
    ]);
    let delivery = deliver(&url(&server), b"{}", &fast(1));
    assert_eq!(
        delivery.outcome,
        Outcome::Failed {
            last: Failure::Status(500),
            stop: Stop::RetriesExhausted
        }
    );
    assert_eq!(delivery.attempts.len(), 2);
}

#[test]
fn a_retry_after_past_the_time_limit_stops_at_once() {
    let server = Server::start(vec![(429, vec![("Retry-After", "60")], "")]);
    let policy = Policy {
        max_time: Duration::from_secs(3),
        ..fast(4)
    };
    let started = Instant::now();
    let delivery = deliver(&url(&server), b"{}", &policy);
    assert_eq!(
        delivery.outcome,
        Outcome::Failed {
            last: Failure::Status(429),
            stop: Stop::ServerAskedToWait(Duration::from_secs(60))
        }
    );
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_closed_port_is_a_refused_connection_named_without_the_url() {
    // Bind and drop to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = WebhookUrl::parse(&format!("http://127.0.0.1:{port}/hook/SECRETTOKEN123")).unwrap();
    let delivery = deliver(&url, b"{}", &fast(1));
    let Outcome::Failed { last, stop } = delivery.outcome else {
        panic!("delivered to a closed port");
    };
    assert_eq!(last, Failure::ConnectionRefused);
    assert_eq!(stop, Stop::RetriesExhausted);
    assert_eq!(delivery.attempts.len(), 2);
    assert!(!format!("{delivery:?}").contains("SECRETTOKEN123"));
}
