//! Credentials that ship inside the compose files (RULES.md section 5). Every rule here judges
//! the raw text before interpolation, so a `${VAR}` the operator sets is not a leak while a
//! `${VAR:-default}` is, and every finding redacts the value it found and shows it masked.
pub(crate) mod dotenv_secrets_not_ignored;
pub(crate) mod known_token_pattern;
pub(crate) mod plaintext_secret_env;
pub(crate) mod prefer_file_secrets;
pub(crate) mod secret_build_arg;
pub(crate) mod secret_file_exposed;
pub(crate) mod secret_file_missing;
pub(crate) mod secret_file_unusable;
pub(crate) mod secret_in_command;
pub(crate) mod secret_in_labels;
pub(crate) mod secret_in_url;
