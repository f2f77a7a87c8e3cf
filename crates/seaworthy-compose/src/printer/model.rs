//! compose-go v2.9.1's `types` package as data: for each struct, its fields in declaration
//! order with their yaml and json names, `omitempty` flags, pointer-ness and Go type, and
//! whether it inlines `x-*` extensions. The printer walks these tables.

/// The Go type of a field, as far as decoding and marshalling tell them apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Str,
    Bool,
    /// `int`, `int64`.
    Int,
    /// `uint16`, `uint32`, `uint64`.
    UInt,
    Float32,
    /// `NanoCPUs` (a float32 with its own decoder).
    NanoCpus,
    /// `Duration`: marshalled as Go's duration text.
    Duration,
    /// `UnitBytes`: marshalled as a decimal string.
    Bytes,
    /// `FileMode`: marshalled as an octal string.
    FileMode,
    /// `DeviceCount`: `all` decodes to -1.
    DeviceCount,
    /// `[]string` and `StringList` (a string becomes a one-item list).
    StrList,
    /// `StringOrNumberList`.
    NumList,
    /// `ShellCommand`: a string is split into words; only nil counts as empty.
    Shell,
    /// `HealthCheckTest`: a string becomes `[CMD-SHELL, string]`.
    HealthTest,
    /// `MappingWithEquals`: values may be null.
    EnvMap,
    /// `Mapping`, `Labels`, `Options`, `map[string]string`.
    StrMap,
    MultiOptions,
    /// `HostsList`: printed as a sorted `host=ip` list.
    Hosts,
    /// `SSHConfig`.
    Ssh,
    /// `*UlimitsConfig`: an int, or soft and hard.
    Ulimit,
    EnvFile,
    /// `SecretConfig`: the content is never printed.
    Secret,
    /// `ConfigObjConfig`: the content is dropped when the config comes from the environment.
    ConfigObj,
    Struct(&'static Spec),
    /// A slice; `true` when its elements are pointers (a null item stays null).
    Seq(&'static Kind, bool),
    /// A Go map with string keys; `true` when its values are pointers.
    Map(&'static Kind, bool),
}

#[derive(Debug, PartialEq)]
pub struct Field {
    pub yaml: &'static str,
    /// `None` for `json:"-"`.
    pub json: Option<&'static str>,
    pub kind: Kind,
    pub ptr: bool,
    pub omit_yaml: bool,
    pub omit_json: bool,
}

#[derive(Debug, PartialEq)]
pub struct Spec {
    pub fields: &'static [Field],
    /// The struct inlines an `Extensions` map (`x-*` keys, printed by go-yaml only).
    pub extensions: bool,
}

/// A field tagged `yaml:"name,omitempty" json:"name,omitempty"`.
const fn f(name: &'static str, kind: Kind) -> Field {
    Field {
        yaml: name,
        json: Some(name),
        kind,
        ptr: false,
        omit_yaml: true,
        omit_json: true,
    }
}

impl Field {
    const fn ptr(mut self) -> Field {
        self.ptr = true;
        self
    }

    /// `json:"-"`.
    const fn yaml_only(mut self) -> Field {
        self.json = None;
        self
    }

    /// No `omitempty` in either tag.
    const fn keep(mut self) -> Field {
        self.omit_yaml = false;
        self.omit_json = false;
        self
    }

    /// No `omitempty` in the json tag.
    const fn keep_json(mut self) -> Field {
        self.omit_json = false;
        self
    }

    const fn json_name(mut self, name: &'static str) -> Field {
        self.json = Some(name);
        self
    }
}

use Kind::*;

const fn st(spec: &'static Spec) -> Kind {
    Struct(spec)
}

pub const PROJECT: Spec = Spec {
    fields: &[
        f("name", Str),
        f("services", Map(&st(&SERVICE), false)).keep(),
        f("networks", Map(&st(&NETWORK), false)),
        f("volumes", Map(&st(&VOLUME), false)),
        f("secrets", Map(&Secret, false)),
        f("configs", Map(&ConfigObj, false)),
        f("models", Map(&st(&MODEL), false)).yaml_only(),
    ],
    extensions: true,
};

pub const SERVICE: Spec = Spec {
    fields: &[
        f("profiles", StrList),
        f("annotations", StrMap),
        f("attach", Bool).ptr(),
        f("build", st(&BUILD)).ptr(),
        f("develop", st(&DEVELOP)).ptr(),
        f("blkio_config", st(&BLKIO)).ptr(),
        f("cap_add", StrList),
        f("cap_drop", StrList),
        f("cgroup_parent", Str),
        f("cgroup", Str),
        f("cpu_count", Int),
        f("cpu_percent", Float32),
        f("cpu_period", Int),
        f("cpu_quota", Int),
        f("cpu_rt_period", Int),
        f("cpu_rt_runtime", Int),
        f("cpus", Float32),
        f("cpuset", Str),
        f("cpu_shares", Int),
        f("command", Shell).keep_json(),
        f("configs", Seq(&st(&FILE_REFERENCE), false)),
        f("container_name", Str),
        f("credential_spec", st(&CREDENTIAL_SPEC)).ptr(),
        f("depends_on", Map(&st(&DEPENDENCY), false)),
        f("deploy", st(&DEPLOY)).ptr(),
        f("device_cgroup_rules", StrList),
        f("devices", Seq(&st(&DEVICE_MAPPING), false)),
        f("dns", StrList),
        f("dns_opt", StrList),
        f("dns_search", StrList),
        f("dockerfile", Str),
        f("domainname", Str),
        f("entrypoint", Shell).keep_json(),
        f("provider", st(&PROVIDER)).ptr(),
        f("environment", EnvMap),
        f("env_file", Seq(&EnvFile, false)),
        f("expose", NumList),
        f("extends", st(&EXTENDS)).ptr(),
        f("external_links", StrList),
        f("extra_hosts", Hosts),
        f("group_add", StrList),
        f("gpus", Seq(&st(&DEVICE_REQUEST), false)),
        f("hostname", Str),
        f("healthcheck", st(&HEALTHCHECK)).ptr(),
        f("image", Str),
        f("init", Bool).ptr(),
        f("ipc", Str),
        f("isolation", Str),
        f("labels", StrMap),
        f("label_file", StrList),
        f("links", StrList),
        f("logging", st(&LOGGING)).ptr(),
        f("log_driver", Str),
        f("log_opt", StrMap),
        f("mem_limit", Bytes),
        f("mem_reservation", Bytes),
        f("memswap_limit", Bytes),
        f("mem_swappiness", Bytes),
        f("mac_address", Str),
        f("models", Map(&st(&SERVICE_MODEL), true)),
        f("net", Str),
        f("network_mode", Str),
        f("networks", Map(&st(&SERVICE_NETWORK), true)),
        f("oom_kill_disable", Bool),
        f("oom_score_adj", Int),
        f("pid", Str),
        f("pids_limit", Int),
        f("platform", Str),
        f("ports", Seq(&st(&PORT), false)),
        f("privileged", Bool),
        f("pull_policy", Str),
        f("read_only", Bool),
        f("restart", Str),
        f("runtime", Str),
        f("scale", Int).ptr(),
        f("secrets", Seq(&st(&FILE_REFERENCE), false)),
        f("security_opt", StrList),
        f("shm_size", Bytes),
        f("stdin_open", Bool),
        f("stop_grace_period", Duration).ptr(),
        f("stop_signal", Str),
        f("storage_opt", StrMap),
        f("sysctls", StrMap),
        f("tmpfs", StrList),
        f("tty", Bool),
        f("ulimits", Map(&Ulimit, true)),
        f("use_api_socket", Bool),
        f("user", Str),
        f("userns_mode", Str),
        f("uts", Str),
        f("volume_driver", Str),
        f("volumes", Seq(&st(&SERVICE_VOLUME), false)),
        f("volumes_from", StrList),
        f("working_dir", Str),
        f("post_start", Seq(&st(&HOOK), false)),
        f("pre_stop", Seq(&st(&HOOK), false)),
    ],
    extensions: true,
};

const PROVIDER: Spec = Spec {
    fields: &[f("type", Str), f("options", MultiOptions)],
    extensions: true,
};

const BUILD: Spec = Spec {
    fields: &[
        f("context", Str),
        f("dockerfile", Str),
        f("dockerfile_inline", Str),
        f("entitlements", StrList),
        f("args", EnvMap),
        f("provenance", Str),
        f("sbom", Str),
        f("ssh", Ssh),
        f("labels", StrMap),
        f("cache_from", StrList),
        f("cache_to", StrList),
        f("no_cache", Bool),
        f("additional_contexts", StrMap),
        f("pull", Bool),
        f("extra_hosts", Hosts),
        f("isolation", Str),
        f("network", Str),
        f("target", Str),
        f("secrets", Seq(&st(&FILE_REFERENCE), false)),
        f("shm_size", Bytes),
        f("tags", StrList),
        f("ulimits", Map(&Ulimit, true)),
        f("platforms", StrList),
        f("privileged", Bool),
    ],
    extensions: true,
};

const BLKIO: Spec = Spec {
    fields: &[
        f("weight", UInt),
        f("weight_device", Seq(&st(&WEIGHT_DEVICE), false)),
        f("device_read_bps", Seq(&st(&THROTTLE_DEVICE), false)),
        f("device_read_iops", Seq(&st(&THROTTLE_DEVICE), false)),
        f("device_write_bps", Seq(&st(&THROTTLE_DEVICE), false)),
        f("device_write_iops", Seq(&st(&THROTTLE_DEVICE), false)),
    ],
    extensions: true,
};

const DEVICE_MAPPING: Spec = Spec {
    fields: &[f("source", Str), f("target", Str), f("permissions", Str)],
    extensions: true,
};

/// Untagged fields: go-yaml lowercases the Go name, encoding/json keeps it.
const WEIGHT_DEVICE: Spec = Spec {
    fields: &[
        f("path", Str).keep().json_name("Path"),
        f("weight", UInt).keep().json_name("Weight"),
    ],
    extensions: true,
};

const THROTTLE_DEVICE: Spec = Spec {
    fields: &[
        f("path", Str).keep().json_name("Path"),
        f("rate", Bytes).keep().json_name("Rate"),
    ],
    extensions: true,
};

const LOGGING: Spec = Spec {
    fields: &[f("driver", Str), f("options", StrMap)],
    extensions: true,
};

const DEPLOY: Spec = Spec {
    fields: &[
        f("mode", Str),
        f("replicas", Int).ptr(),
        f("labels", StrMap),
        f("update_config", st(&UPDATE)).ptr(),
        f("rollback_config", st(&UPDATE)).ptr(),
        f("resources", st(&RESOURCES)),
        f("restart_policy", st(&RESTART_POLICY)).ptr(),
        f("placement", st(&PLACEMENT)),
        f("endpoint_mode", Str),
    ],
    extensions: true,
};

const UPDATE: Spec = Spec {
    fields: &[
        f("parallelism", UInt).ptr(),
        f("delay", Duration),
        f("failure_action", Str),
        f("monitor", Duration),
        f("max_failure_ratio", Float32),
        f("order", Str),
    ],
    extensions: true,
};

const RESOURCES: Spec = Spec {
    fields: &[
        f("limits", st(&RESOURCE)).ptr(),
        f("reservations", st(&RESOURCE)).ptr(),
    ],
    extensions: true,
};

const RESOURCE: Spec = Spec {
    fields: &[
        f("cpus", NanoCpus),
        f("memory", Bytes),
        f("pids", Int),
        f("devices", Seq(&st(&DEVICE_REQUEST), false)),
        f("generic_resources", Seq(&st(&GENERIC_RESOURCE), false)),
    ],
    extensions: true,
};

const GENERIC_RESOURCE: Spec = Spec {
    fields: &[f("discrete_resource_spec", st(&DISCRETE_RESOURCE)).ptr()],
    extensions: true,
};

/// Tagged for json only: go-yaml lowercases the Go names, which gives the same keys.
const DISCRETE_RESOURCE: Spec = Spec {
    fields: &[f("kind", Str).keep(), f("value", Int).keep()],
    extensions: true,
};

const RESTART_POLICY: Spec = Spec {
    fields: &[
        f("condition", Str),
        f("delay", Duration).ptr(),
        f("max_attempts", UInt).ptr(),
        f("window", Duration).ptr(),
    ],
    extensions: true,
};

const PLACEMENT: Spec = Spec {
    fields: &[
        f("constraints", StrList),
        f("preferences", Seq(&st(&PLACEMENT_PREFERENCE), false)),
        f("max_replicas_per_node", UInt),
    ],
    extensions: true,
};

const PLACEMENT_PREFERENCE: Spec = Spec {
    fields: &[f("spread", Str)],
    extensions: true,
};

const DEVICE_REQUEST: Spec = Spec {
    fields: &[
        f("capabilities", StrList),
        f("driver", Str),
        f("count", DeviceCount),
        f("device_ids", StrList),
        f("options", StrMap),
    ],
    extensions: false,
};

const SERVICE_NETWORK: Spec = Spec {
    fields: &[
        f("aliases", StrList),
        f("driver_opts", StrMap),
        f("gw_priority", Int),
        f("interface_name", Str),
        f("ipv4_address", Str),
        f("ipv6_address", Str),
        f("link_local_ips", StrList),
        f("mac_address", Str),
        f("priority", Int),
    ],
    extensions: true,
};

const PORT: Spec = Spec {
    fields: &[
        f("name", Str),
        f("mode", Str),
        f("host_ip", Str),
        f("target", UInt),
        f("published", Str),
        f("protocol", Str),
        f("app_protocol", Str),
    ],
    extensions: true,
};

const SERVICE_VOLUME: Spec = Spec {
    fields: &[
        f("type", Str),
        f("source", Str),
        f("target", Str),
        f("read_only", Bool),
        f("consistency", Str),
        f("bind", st(&VOLUME_BIND)).ptr(),
        f("volume", st(&VOLUME_VOLUME)).ptr(),
        f("tmpfs", st(&VOLUME_TMPFS)).ptr(),
        f("image", st(&VOLUME_IMAGE)).ptr(),
    ],
    extensions: true,
};

const VOLUME_BIND: Spec = Spec {
    fields: &[
        f("selinux", Str),
        f("propagation", Str),
        f("create_host_path", Bool),
        f("recursive", Str),
    ],
    extensions: true,
};

const VOLUME_VOLUME: Spec = Spec {
    fields: &[f("labels", StrMap), f("nocopy", Bool), f("subpath", Str)],
    extensions: true,
};

const VOLUME_TMPFS: Spec = Spec {
    fields: &[f("size", Bytes), f("mode", UInt)],
    extensions: true,
};

const VOLUME_IMAGE: Spec = Spec {
    fields: &[f("subpath", Str)],
    extensions: true,
};

/// `FileReferenceConfig` (service `secrets` and `configs`, build secrets).
const FILE_REFERENCE: Spec = Spec {
    fields: &[
        f("source", Str),
        f("target", Str),
        f("uid", Str),
        f("gid", Str),
        f("mode", FileMode).ptr(),
    ],
    extensions: true,
};

const NETWORK: Spec = Spec {
    fields: &[
        f("name", Str),
        f("driver", Str),
        f("driver_opts", StrMap),
        f("ipam", st(&IPAM)),
        f("external", Bool),
        f("internal", Bool),
        f("attachable", Bool),
        f("labels", StrMap),
        f("enable_ipv4", Bool).ptr(),
        f("enable_ipv6", Bool).ptr(),
    ],
    extensions: true,
};

const IPAM: Spec = Spec {
    fields: &[f("driver", Str), f("config", Seq(&st(&IPAM_POOL), true))],
    extensions: true,
};

const IPAM_POOL: Spec = Spec {
    fields: &[
        f("subnet", Str),
        f("gateway", Str),
        f("ip_range", Str),
        f("aux_addresses", StrMap),
    ],
    extensions: true,
};

const VOLUME: Spec = Spec {
    fields: &[
        f("name", Str),
        f("driver", Str),
        f("driver_opts", StrMap),
        f("external", Bool),
        f("labels", StrMap),
    ],
    extensions: true,
};

const CREDENTIAL_SPEC: Spec = Spec {
    fields: &[f("config", Str), f("file", Str), f("registry", Str)],
    extensions: true,
};

/// `FileObjectConfig`, which secrets and configs marshal as.
pub const FILE_OBJECT: Spec = Spec {
    fields: &[
        f("name", Str),
        f("file", Str),
        f("environment", Str),
        f("content", Str),
        f("external", Bool),
        f("labels", StrMap),
        f("driver", Str),
        f("driver_opts", StrMap),
        f("template_driver", Str),
    ],
    extensions: true,
};

/// `ServiceDependency`: `required` has no `omitempty`.
const DEPENDENCY: Spec = Spec {
    fields: &[
        f("condition", Str),
        f("restart", Bool),
        f("required", Bool).keep(),
    ],
    extensions: true,
};

const EXTENDS: Spec = Spec {
    fields: &[f("file", Str), f("service", Str)],
    extensions: false,
};

const HEALTHCHECK: Spec = Spec {
    fields: &[
        f("test", HealthTest),
        f("timeout", Duration).ptr(),
        f("interval", Duration).ptr(),
        f("retries", UInt).ptr(),
        f("start_period", Duration).ptr(),
        f("start_interval", Duration).ptr(),
        f("disable", Bool),
    ],
    extensions: true,
};

const HOOK: Spec = Spec {
    fields: &[
        f("command", Shell).keep_json(),
        f("user", Str),
        f("privileged", Bool),
        f("working_dir", Str),
        f("environment", EnvMap),
    ],
    extensions: true,
};

const DEVELOP: Spec = Spec {
    fields: &[f("watch", Seq(&st(&TRIGGER), false))],
    extensions: true,
};

const TRIGGER: Spec = Spec {
    fields: &[
        f("path", Str).keep(),
        f("action", Str).keep(),
        f("target", Str),
        f("exec", st(&HOOK)),
        f("include", StrList),
        f("ignore", StrList),
        f("initial_sync", Bool),
    ],
    extensions: true,
};

const MODEL: Spec = Spec {
    fields: &[
        f("name", Str),
        f("model", Str),
        f("context_size", Int),
        f("runtime_flags", StrList),
    ],
    extensions: true,
};

const SERVICE_MODEL: Spec = Spec {
    fields: &[f("endpoint_var", Str), f("model_var", Str)],
    extensions: true,
};

/// `EnvFile`, as encoding/json writes an optional one.
pub const ENV_FILE: Spec = Spec {
    fields: &[f("path", Str), f("required", Bool).keep(), f("format", Str)],
    extensions: false,
};
