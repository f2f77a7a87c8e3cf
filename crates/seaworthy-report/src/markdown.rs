//! stub
use crate::view::View;
use crate::{Report, RuleInfo};

#[derive(Debug)]
pub struct Section {
    pub heading: String,
    pub body: String,
}

pub fn render_markdown(report: &Report<'_>, rules: &[RuleInfo], sections: &[Section]) -> String {
    render(&View::new(report, rules), sections)
}

pub(crate) fn render(_view: &View<'_>, _sections: &[Section]) -> String {
    String::new()
}
