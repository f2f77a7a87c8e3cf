//! What to load (spec §2): the compose files (`-f`, `COMPOSE_FILE`, or discovery up the
//! parent directories), the working directory, the project environment (OS environment over
//! `--env-file`/`COMPOSE_ENV_FILES`/`.env`, with `COMPOSE_*` variables taken from `.env`), the
//! profiles and the project name, resolved exactly as `docker compose` resolves them.

use crate::dotenv;
use crate::error::LoadError;
use seaworthy_source::{Env, FileSystem, lexical_clean};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The global options of `docker compose`, as a user gives them.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `-f` files in order; `-` is standard input.
    pub files: Vec<PathBuf>,
    pub project_directory: Option<PathBuf>,
    pub project_name: Option<String>,
    pub env_files: Vec<PathBuf>,
    pub profiles: Vec<String>,
    /// The directory relative paths on the command line are resolved against.
    pub cwd: PathBuf,
    /// The content of standard input, for `-f -`.
    pub stdin: Option<String>,
    /// `false` for `--no-interpolate`.
    pub no_interpolate: bool,
    /// Services named on the command line (`config web db`).
    pub services: Vec<String>,
    /// Record, rather than refuse, the problems docker compose finds in a project that is
    /// otherwise whole (a missing `env_file`, a required dependency that profiles disabled,
    /// container names that clash): `check` reports them as findings beside everything else.
    pub keep_going: bool,
}

/// The project environment: variable values and where each came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_owned(), value.to_owned());
    }

    /// Adds variables not already set (compose-go's `Mapping.Merge`: what is there wins).
    pub fn merge_under(&mut self, other: impl IntoIterator<Item = (String, String)>) {
        for (k, v) in other {
            self.vars.entry(k).or_insert(v);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.vars.iter()
    }

    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| self.vars.get(name).cloned()
    }
}

/// The inputs of one load, resolved.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// Absolute paths of the compose files in order (`-` for standard input).
    pub files: Vec<PathBuf>,
    pub working_dir: PathBuf,
    pub environment: Environment,
    pub profiles: Vec<String>,
    /// `-p` or `COMPOSE_PROJECT_NAME`, already validated.
    pub imperative_name: Option<String>,
    pub env_files: Vec<PathBuf>,
}

const DEFAULT_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];
const DEFAULT_OVERRIDES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        lexical_clean(path)
    } else {
        lexical_clean(&cwd.join(path))
    }
}

/// Resolves files, working directory, environment, profiles and name like docker compose's
/// `toProjectOptions`, including the first pass that exports `COMPOSE_*` from `.env`.
pub fn resolve(
    options: &LoadOptions,
    fs: &dyn FileSystem,
    os_env: &dyn Env,
) -> Result<Resolved, LoadError> {
    let mut os_vars: BTreeMap<String, String> = os_env.vars().into_iter().collect();
    if !os_vars.contains_key("PWD") {
        os_vars.insert("PWD".into(), options.cwd.display().to_string());
    }
    let explicit_env_files: Vec<PathBuf> = if options.env_files.is_empty() {
        os_vars
            .get("COMPOSE_ENV_FILES")
            .filter(|v| !v.is_empty())
            .map(|v| v.split(',').map(PathBuf::from).collect())
            .unwrap_or_default()
    } else {
        options.env_files.clone()
    };
    let explicit_env_files: Vec<PathBuf> = explicit_env_files
        .iter()
        .map(|f| absolute(&options.cwd, f))
        .collect();

    let first_dir = |files: &[PathBuf]| -> Option<PathBuf> {
        let first = files.iter().find(|f| f.as_os_str() != "-")?;
        absolute(&options.cwd, first)
            .parent()
            .map(Path::to_path_buf)
    };
    let working_dir_of = |files: &[PathBuf]| -> PathBuf {
        match &options.project_directory {
            Some(dir) => absolute(&options.cwd, dir),
            None => first_dir(files).unwrap_or_else(|| options.cwd.clone()),
        }
    };

    // docker compose first exports COMPOSE_* variables found in the env files to its own
    // process environment (when not already set there).
    let pre_dir = working_dir_of(&options.files);
    let pre_files = env_files_for(&explicit_env_files, &pre_dir, &os_vars, fs)?;
    if let Ok(from_files) = read_env_files(&pre_files, &os_vars, fs) {
        for (k, v) in from_files {
            if k.starts_with("COMPOSE_") && !os_vars.contains_key(&k) {
                os_vars.insert(k, v);
            }
        }
    }

    let mut environment = Environment {
        vars: os_vars.clone(),
    };
    let env_files = env_files_for(&explicit_env_files, &pre_dir, &os_vars, fs)?;
    environment.merge_under(read_env_files(&env_files, &environment.vars, fs)?);

    let mut files: Vec<PathBuf> = options.files.clone();
    if files.is_empty()
        && let Some(list) = environment.get("COMPOSE_FILE")
    {
        let separator = environment
            .get("COMPOSE_PATH_SEPARATOR")
            .filter(|s| !s.is_empty())
            .unwrap_or(":")
            .to_owned();
        files = list.split(separator.as_str()).map(PathBuf::from).collect();
    }
    let mut env_files = env_files;
    if files.is_empty() {
        files = discover(&working_dir_of(&[]), fs)?;
        // The working directory may have moved to where the files were found: its .env counts.
        let dir = working_dir_of(&files);
        let more = env_files_for(&explicit_env_files, &dir, &os_vars, fs)?;
        environment.merge_under(read_env_files(&more, &environment.vars, fs)?);
        if env_files.is_empty() {
            env_files = more;
        }
    }
    let files: Vec<PathBuf> = files
        .iter()
        .map(|f| {
            if f.as_os_str() == "-" {
                f.clone()
            } else {
                absolute(&options.cwd, f)
            }
        })
        .collect();
    let working_dir = working_dir_of(&files);

    let profiles = if options.profiles.is_empty() {
        environment
            .get("COMPOSE_PROFILES")
            .unwrap_or_default()
            .split(',')
            .map(|p| p.trim().to_owned())
            .collect()
    } else {
        options.profiles.clone()
    };

    let imperative_name = match &options.project_name {
        Some(name) => Some(validate_name(name)?),
        None => match environment
            .get("COMPOSE_PROJECT_NAME")
            .filter(|n| !n.is_empty())
        {
            Some(name) => Some(validate_name(name)?),
            None => None,
        },
    };

    Ok(Resolved {
        files,
        working_dir,
        environment,
        profiles,
        imperative_name,
        env_files,
    })
}

fn validate_name(name: &str) -> Result<String, LoadError> {
    if normalize_project_name(name) != name {
        return Err(LoadError::new(format!(
            "invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number"
        ))
        .with_help("use lowercase letters, digits, `-` and `_`, starting with a letter or digit"));
    }
    Ok(name.to_owned())
}

/// compose-go's `NormalizeProjectName`: lowercase, keep `[a-z0-9_-]`, drop leading `_`/`-`.
pub fn normalize_project_name(name: &str) -> String {
    let lowered = name.to_lowercase();
    let kept: String = lowered
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    kept.trim_start_matches(['_', '-']).to_owned()
}

fn env_files_for(
    explicit: &[PathBuf],
    working_dir: &Path,
    os_vars: &BTreeMap<String, String>,
    fs: &dyn FileSystem,
) -> Result<Vec<PathBuf>, LoadError> {
    if !explicit.is_empty() {
        return Ok(explicit.to_vec());
    }
    if let Some(disable) = os_vars.get("COMPOSE_DISABLE_ENV_FILE") {
        match parse_go_bool(disable) {
            Some(true) => return Ok(Vec::new()),
            Some(false) => {}
            None => {
                return Err(LoadError::new(format!(
                    "strconv.ParseBool: parsing {disable:?}: invalid syntax"
                )));
            }
        }
    }
    let default = working_dir.join(".env");
    Ok(if fs.is_file(&default) {
        vec![default]
    } else {
        Vec::new()
    })
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// compose-go's `GetEnvFromFile`: files in order, later files override earlier ones, each
/// interpolated against the given environment first and then its own earlier values.
pub fn read_env_files(
    files: &[PathBuf],
    environment: &BTreeMap<String, String>,
    fs: &dyn FileSystem,
) -> Result<Vec<(String, String)>, LoadError> {
    let mut collected: BTreeMap<String, String> = BTreeMap::new();
    for file in files {
        match fs.metadata(file) {
            Ok(meta) if meta.is_dir => {
                return Err(LoadError::new(format!("{} is a directory", file.display())));
            }
            Ok(_) => {}
            Err(_) => {
                return Err(
                    LoadError::new(format!("couldn't find env file: {}", file.display()))
                        .with_help("check the --env-file path, or create the file"),
                );
            }
        }
        let text = fs
            .read_to_string(file)
            .map_err(|e| LoadError::new(format!("failed to read {}: {e}", file.display())))?;
        let lookup = |name: &str| {
            environment
                .get(name)
                .cloned()
                .or_else(|| collected.get(name).cloned())
        };
        let entries = dotenv::parse(&text, &lookup).map_err(|e| {
            LoadError::new(format!("failed to read {}: {}", file.display(), e.message))
        })?;
        for entry in entries {
            collected.insert(entry.key, entry.value);
        }
    }
    Ok(collected.into_iter().collect())
}

/// Default file discovery: the first directory, from the working directory up, that holds a
/// compose file; its override file comes along.
fn discover(start: &Path, fs: &dyn FileSystem) -> Result<Vec<PathBuf>, LoadError> {
    let mut dir = Some(start);
    while let Some(current) = dir {
        if let Some(main) = DEFAULT_FILES
            .iter()
            .map(|n| current.join(n))
            .find(|p| fs.is_file(p))
        {
            let mut files = vec![main];
            if let Some(over) = DEFAULT_OVERRIDES
                .iter()
                .map(|n| current.join(n))
                .find(|p| fs.is_file(p))
            {
                files.push(over);
            }
            return Ok(files);
        }
        dir = current.parent();
    }
    Err(LoadError::new("no configuration file provided: not found")
        .with_help("run seaworthy in a directory with a compose.yaml, or name the files with -f"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::{MapEnv, MemoryFs};

    fn options(cwd: &str) -> LoadOptions {
        LoadOptions {
            cwd: PathBuf::from(cwd),
            ..LoadOptions::default()
        }
    }

    #[test]
    fn discovery_walks_up_and_takes_the_override_file() {
        let fs = MemoryFs::new()
            .with("/p/compose.yaml", "")
            .with("/p/compose.override.yml", "")
            .with("/p/compose.override.yaml", "")
            .with("/p/sub/deeper/x.txt", "");
        let resolved = resolve(&options("/p/sub/deeper"), &fs, &MapEnv::new()).unwrap();
        assert_eq!(
            resolved.files,
            vec![
                PathBuf::from("/p/compose.yaml"),
                PathBuf::from("/p/compose.override.yml")
            ]
        );
        assert_eq!(resolved.working_dir, PathBuf::from("/p"));
    }

    #[test]
    fn compose_file_is_split_on_the_path_separator() {
        let fs = MemoryFs::new().with("/p/a.yml", "").with("/p/b.yml", "");
        let env = MapEnv::new()
            .with("COMPOSE_FILE", "a.yml;b.yml")
            .with("COMPOSE_PATH_SEPARATOR", ";");
        let resolved = resolve(&options("/p"), &fs, &env).unwrap();
        assert_eq!(
            resolved.files,
            vec![PathBuf::from("/p/a.yml"), PathBuf::from("/p/b.yml")]
        );
    }

    #[test]
    fn os_environment_wins_over_dotenv() {
        let fs = MemoryFs::new()
            .with("/p/compose.yaml", "")
            .with("/p/.env", "A=file\nB=file\n");
        let env = MapEnv::new().with("A", "shell");
        let resolved = resolve(&options("/p"), &fs, &env).unwrap();
        assert_eq!(resolved.environment.get("A"), Some("shell"));
        assert_eq!(resolved.environment.get("B"), Some("file"));
    }

    #[test]
    fn an_invalid_imperative_project_name_is_an_error() {
        let fs = MemoryFs::new().with("/p/compose.yaml", "");
        let mut opts = options("/p");
        opts.project_name = Some("Bad_Name".into());
        let err = resolve(&opts, &fs, &MapEnv::new()).unwrap_err();
        assert!(err.message.starts_with("invalid project name \"Bad_Name\""));
    }

    #[test]
    fn project_names_are_normalized_like_compose_go() {
        assert_eq!(normalize_project_name("My_Project.V2"), "my_projectv2");
        assert_eq!(normalize_project_name("_-Weird"), "weird");
        assert_eq!(normalize_project_name("My Dir.v2_"), "mydirv2_");
    }

    #[test]
    fn profiles_come_from_compose_profiles_trimmed() {
        let fs = MemoryFs::new().with("/p/compose.yaml", "");
        let env = MapEnv::new().with("COMPOSE_PROFILES", "debug, x");
        let resolved = resolve(&options("/p"), &fs, &env).unwrap();
        assert_eq!(resolved.profiles, vec!["debug".to_owned(), "x".to_owned()]);
    }
}
