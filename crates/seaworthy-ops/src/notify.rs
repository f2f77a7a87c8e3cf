//! Deployment notifications: the webhook URL and the service it belongs to ([`webhook`]), the
//! document each service accepts ([`payload`]), and delivery with bounded retries
//! ([`deliver`]). Callers read the URL from wherever it is configured and print the outcome;
//! nothing here prints, reads the environment or the file system, and nothing here ever puts
//! the URL's path, query or credentials into a message.

pub mod deliver;
pub mod payload;
pub mod webhook;

pub use deliver::{Attempt, Delivery, Failure, Outcome, Policy, Stop, deliver};
pub use payload::{Notification, Status, payload};
pub use webhook::{Kind, UrlProblem, WebhookUrl};
