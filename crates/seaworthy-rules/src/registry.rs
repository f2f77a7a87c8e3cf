//! Every rule, sorted by name. Written by hand (no link-time registration); a test checks
//! that each rule file is listed here, once, in order.

use crate::Rule;
use crate::rules::{
    context, correctness, dev, dockerfile, health, images, logging, mounts, network, privileges,
    resources, restart, secrets,
};

pub static RULES: &[&dyn Rule] = &[
    &privileges::apparmor_unconfined::ApparmorUnconfined,
    &images::build_and_image::BuildAndImage,
    &correctness::build_context_missing::BuildContextMissing,
    &images::build_target_dev::BuildTargetDev,
    &privileges::cap_add_dangerous::CapAddDangerous,
    &privileges::cap_drop_all::CapDropAll,
    &privileges::cgroup_parent::CgroupParent,
    &mounts::config_mount_writable::ConfigMountWritable,
    &correctness::container_name_scaled::ContainerNameScaled,
    &context::context_secret_files::ContextSecretFiles,
    &context::context_too_broad::ContextTooBroad,
    &context::context_unreadable::ContextUnreadable,
    &context::context_vcs_dir::ContextVcsDir,
    &context::copy_ignored_file::CopyIgnoredFile,
    &resources::cpu_limit::CpuLimit,
    &privileges::dangerous_device::DangerousDevice,
    &network::datastore_port_published::DatastorePortPublished,
    &dev::debug_log_level::DebugLogLevel,
    &dev::debug_port_published::DebugPortPublished,
    &health::depends_on_healthy_without_healthcheck::DependsOnHealthyWithoutHealthcheck,
    &correctness::depends_on_inactive_profile::DependsOnInactiveProfile,
    &health::depends_on_no_health_condition::DependsOnNoHealthCondition,
    &dev::dev_environment::DevEnvironment,
    &dev::dev_server_command::DevServerCommand,
    &dev::develop_watch::DevelopWatch,
    &network::docker_api_exposed::DockerApiExposed,
    &mounts::docker_socket::DockerSocket,
    &dockerfile::dockerfile_add::DockerfileAdd,
    &dockerfile::dockerfile_add_url::DockerfileAddUrl,
    &dockerfile::dockerfile_apt_hygiene::AptHygiene,
    &dockerfile::dockerfile_base_digest::DockerfileBaseDigest,
    &dockerfile::dockerfile_base_mutable::DockerfileBaseMutable,
    &dockerfile::dockerfile_curl_pipe_shell::CurlPipeShell,
    &dockerfile::dockerfile_exec_form::DockerfileExecForm,
    &dockerfile::dockerfile_invalid::DockerfileInvalid,
    &dockerfile::dockerfile_multistage::Multistage,
    &dockerfile::dockerfile_pipefail::Pipefail,
    &dockerfile::dockerfile_pkg_cache::PkgCache,
    &dockerfile::dockerfile_root_user::DockerfileRootUser,
    &dockerfile::dockerfile_secret_arg_env::DockerfileSecretArgEnv,
    &dockerfile::dockerfile_secret_copy::DockerfileSecretCopy,
    &dockerfile::dockerfile_ssh::Ssh,
    &dockerfile::dockerfile_sudo::Sudo,
    &dockerfile::dockerfile_workdir_relative::DockerfileWorkdirRelative,
    &context::dockerignore_missing::DockerignoreMissing,
    &secrets::dotenv_secrets_not_ignored::DotenvSecretsNotIgnored,
    &correctness::env_file_missing::EnvFileMissing,
    &health::healthcheck_disabled::HealthcheckDisabled,
    &health::healthcheck_missing::HealthcheckMissing,
    &health::healthcheck_timing::HealthcheckTiming,
    &resources::heap_exceeds_limit::HeapExceedsLimit,
    &privileges::host_cgroupns::HostCgroupns,
    &privileges::host_ipc::HostIpc,
    &network::host_network::HostNetwork,
    &privileges::host_pid::HostPid,
    &privileges::host_userns::HostUserns,
    &privileges::host_uts::HostUts,
    &images::image_mutable_tag::ImageMutableTag,
    &images::image_no_digest::ImageNoDigest,
    &correctness::interpolation_unset::InterpolationUnset,
    &correctness::invalid_suppression::InvalidSuppression,
    &secrets::known_token_pattern::KnownTokenPattern,
    &resources::limit_out_of_range::LimitOutOfRange,
    &logging::log_driver_none::LogDriverNone,
    &logging::log_rotation_missing::LogRotationMissing,
    &logging::loki_blocking_mode::LokiBlockingMode,
    &logging::loki_circular::LokiCircular,
    &resources::memory_limit::MemoryLimit,
    &mounts::mount_propagation_shared::MountPropagationShared,
    &privileges::no_new_privileges::NoNewPrivileges,
    &privileges::no_privileged::NoPrivileged,
    &resources::oom_kill_disable::OomKillDisable,
    &correctness::overlay_repeats_value::OverlayRepeatsValue,
    &correctness::overlay_unknown_service::OverlayUnknownService,
    &dev::override_file_autoload::OverrideFileAutoload,
    &resources::pids_limit::PidsLimit,
    &secrets::plaintext_secret_env::PlaintextSecretEnv,
    &network::port_all_interfaces::PortAllInterfaces,
    &network::port_conflict::PortConflict,
    &secrets::prefer_file_secrets::PreferFileSecrets,
    &network::privileged_host_port::PrivilegedHostPort,
    &privileges::read_only_rootfs::ReadOnlyRootfs,
    &resources::reservation_exceeds_limit::ReservationExceedsLimit,
    &resources::reservations_missing::ReservationsMissing,
    &resources::resource_budget::ResourceBudget,
    &restart::restart_policy_conflict::RestartPolicyConflict,
    &restart::restart_policy_missing::RestartPolicyMissing,
    &restart::restart_unbounded_on_failure::RestartUnboundedOnFailure,
    &privileges::seccomp_unconfined::SeccompUnconfined,
    &secrets::secret_build_arg::SecretBuildArg,
    &secrets::secret_file_exposed::SecretFileExposed,
    &secrets::secret_file_missing::SecretFileMissing,
    &secrets::secret_file_unusable::SecretFileUnusable,
    &secrets::secret_in_command::SecretInCommand,
    &secrets::secret_in_labels::SecretInLabels,
    &secrets::secret_in_url::SecretInUrl,
    &privileges::selinux_disabled::SelinuxDisabled,
    &mounts::sensitive_host_mount::SensitiveHostMount,
    &dev::source_bind_mount::SourceBindMount,
    &mounts::stateful_named_volume::StatefulNamedVolume,
    &privileges::sysctls_host::SysctlsHost,
    &privileges::tmpfs_exec::TmpfsExec,
    &dev::tty_stdin::TtyStdin,
    &privileges::user_root::UserRoot,
    &correctness::version_obsolete::VersionObsolete,
];

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_and_unique_by_name_and_code() {
        let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "registry must be sorted by name, without duplicates"
        );
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "codes must be unique");
    }

    #[test]
    fn every_rule_is_documented_with_the_required_sections() {
        for rule in RULES {
            let docs = rule.meta().docs;
            for heading in [
                "## What it checks",
                "## Why it matters in production",
                "## Example",
                "Use instead:",
                "## Known false positives",
                "## References",
            ] {
                assert!(
                    docs.contains(heading),
                    "{} lacks {heading:?}",
                    rule.meta().name
                );
            }
            // What `harden` writes is documented exactly for the rules it can fix.
            assert_eq!(
                docs.contains("## What harden writes"),
                rule.meta().fix != crate::Fix::Never,
                "{}: `fix` and the \"What harden writes\" section disagree",
                rule.meta().name
            );
        }
    }
}
