//! Placeholder until the full template module lands: `${VAR}` substitution.
use std::ops::Range;

pub struct Substitution {
    pub value: String,
    pub uses: Vec<VariableUse>,
    pub unset: Vec<String>,
}

pub struct VariableUse {
    pub name: String,
    pub range: Range<usize>,
    pub set: bool,
}

#[derive(Debug)]
pub enum TemplateError {
    Invalid {
        template: String,
    },
    Required {
        name: String,
        message: Option<String>,
    },
}

impl TemplateError {
    pub fn message(&self, path: &str) -> String {
        match self {
            TemplateError::Invalid { template } => format!(
                "invalid interpolation format for {path}.\nYou may need to escape any $ with another $.\n{template}"
            ),
            TemplateError::Required { name, message } => match message {
                Some(m) => format!(
                    "error while interpolating {path}: required variable {name} is missing a value: {m}"
                ),
                None => format!(
                    "error while interpolating {path}: required variable {name} is missing a value"
                ),
            },
        }
    }
}

pub fn substitute(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Substitution, TemplateError> {
    let mut value = String::new();
    let mut rest = template;
    let mut unset = Vec::new();
    while let Some(i) = rest.find('$') {
        value.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            value.push('$');
            rest = r;
        } else if let Some(r) = after.strip_prefix('{') {
            let Some(end) = r.find('}') else {
                return Err(TemplateError::Invalid {
                    template: template.into(),
                });
            };
            let name = &r[..end];
            match lookup(name) {
                Some(v) => value.push_str(&v),
                None => unset.push(name.to_owned()),
            }
            rest = &r[end + 1..];
        } else {
            value.push('$');
            rest = after;
        }
    }
    value.push_str(rest);
    Ok(Substitution {
        value,
        uses: Vec::new(),
        unset,
    })
}
