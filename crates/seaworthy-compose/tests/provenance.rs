//! What the loaded model remembers about the text behind each value: spans, the values an
//! overlay replaced, and the raw text before interpolation.

use seaworthy_compose::{LoadOptions, Project, Sources, load};
use seaworthy_source::{MapEnv, MemoryFs};
use std::path::Path;

fn load_files(files: &[(&str, &str)]) -> (Project, Sources) {
    let mut fs = MemoryFs::new();
    for (name, text) in files {
        fs.insert(Path::new("/p").join(name), text.as_bytes().to_vec());
    }
    let options = LoadOptions {
        files: files
            .iter()
            .map(|(name, _)| Path::new("/p").join(name))
            .collect(),
        cwd: Path::new("/p").to_path_buf(),
        ..LoadOptions::default()
    };
    let mut sources = Sources::new();
    let project = load(&options, &fs, &MapEnv::new(), &mut sources).unwrap();
    (project, sources)
}

#[test]
fn environment_values_keep_their_raw_text_in_list_and_map_form() {
    let (project, _) = load_files(&[(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    environment:\n      - PASSWORD=${PASS:-changeme}\n  b:\n    image: x\n    environment:\n      PASSWORD: ${PASS:-changeme}\n",
    )]);
    for service in ["a", "b"] {
        let value = project
            .model
            .path(&format!("services.{service}.environment.PASSWORD"))
            .unwrap();
        assert_eq!(value.as_str(), Some("changeme"), "{service}");
        assert_eq!(value.raw.as_deref(), Some("${PASS:-changeme}"), "{service}");
    }
}

#[test]
fn an_overlay_value_points_at_the_overlay_and_remembers_the_base() {
    let (project, sources) = load_files(&[
        (
            "compose.yaml",
            "services:\n  a:\n    image: x\n    restart: always\n",
        ),
        (
            "compose.prod.yaml",
            "services:\n  a:\n    restart: unless-stopped\n",
        ),
    ]);
    let restart = project.model.path("services.a.restart").unwrap();
    let (file, position) = sources.map.locate(restart.span).unwrap();
    assert_eq!(
        (file, position.line),
        (Path::new("/p/compose.prod.yaml"), 3)
    );
    let (base, position) = sources.map.locate(restart.overridden[0]).unwrap();
    assert_eq!((base, position.line), (Path::new("/p/compose.yaml"), 4));
    // the service itself is reported where it was first declared
    let service = project.model.path("services.a").unwrap();
    let (file, _) = sources.map.locate(service.key_span).unwrap();
    assert_eq!(file, Path::new("/p/compose.yaml"));
}

#[test]
fn raw_text_survives_merging_environment_mappings() {
    // found on examples/unhardened-stack: base and overlay both in mapping form
    let mut fs = MemoryFs::new();
    fs.insert(
        "/p/compose.yaml",
        b"services:\n  a:\n    image: x\n    environment:\n      OTHER: x\n".to_vec(),
    );
    fs.insert(
        "/p/compose.prod.yaml",
        b"services:\n  a:\n    environment:\n      PASSWORD: ${PASS}\n".to_vec(),
    );
    fs.insert("/p/.env", b"PASS=from-env\n".to_vec());
    let options = LoadOptions {
        files: vec!["/p/compose.yaml".into(), "/p/compose.prod.yaml".into()],
        cwd: Path::new("/p").to_path_buf(),
        ..LoadOptions::default()
    };
    let project = load(&options, &fs, &MapEnv::new(), &mut Sources::new()).unwrap();
    let value = project
        .model
        .path("services.a.environment.PASSWORD")
        .unwrap();
    assert_eq!(value.as_str(), Some("from-env"));
    assert_eq!(value.raw.as_deref(), Some("${PASS}"));
}

#[test]
fn bare_keys_filled_from_the_environment_read_as_references() {
    let mut fs = MemoryFs::new();
    fs.insert(
        "/p/compose.yaml",
        b"services:\n  a:\n    image: x\n    environment:\n      - SMTP_PASSWORD\n    build:\n      context: .\n      args:\n        - TOKEN\n".to_vec(),
    );
    fs.insert("/p/.env", b"SMTP_PASSWORD=from-env\nTOKEN=t0ken\n".to_vec());
    let options = LoadOptions {
        cwd: Path::new("/p").to_path_buf(),
        ..LoadOptions::default()
    };
    let project = load(&options, &fs, &MapEnv::new(), &mut Sources::new()).unwrap();
    let password = project
        .model
        .path("services.a.environment.SMTP_PASSWORD")
        .unwrap();
    assert_eq!(password.as_str(), Some("from-env"));
    assert_eq!(password.raw.as_deref(), Some("${SMTP_PASSWORD}"));
}
