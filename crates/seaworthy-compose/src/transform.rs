//! Placeholder until the canonical transforms land.
pub struct VolumeSpec {
    pub target: String,
}

pub fn parse_volume_spec(spec: &str) -> Result<VolumeSpec, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let target = if parts.len() >= 2 { parts[1] } else { parts[0] };
    Ok(VolumeSpec {
        target: target.to_owned(),
    })
}

pub struct TransformError {
    pub path: String,
    pub message: String,
    pub span: seaworthy_source::Span,
}

pub fn canonical(
    _project: &mut crate::node::Node,
    _ignore_parse_error: bool,
) -> Result<(), TransformError> {
    Ok(())
}

pub fn set_defaults(_project: &mut crate::node::Node) -> Result<(), TransformError> {
    Ok(())
}
