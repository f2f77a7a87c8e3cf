//! Development settings that leak into production through a shared base file or a dev
//! overlay (RULES.md section 10). They are judged on the merged model, so an overlay that
//! replaces the dev command silences them.
pub(crate) mod debug_log_level;
pub(crate) mod debug_port_published;
pub(crate) mod dev_environment;
pub(crate) mod dev_server_command;
pub(crate) mod develop_watch;
pub(crate) mod override_file_autoload;
pub(crate) mod source_bind_mount;
pub(crate) mod tty_stdin;
