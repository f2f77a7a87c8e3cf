//! `declare_rule!`: a rule's struct, its metadata and its documentation in one place. The doc
//! comment becomes the rule's documentation, so `seaworthy explain` and `docs/rules/` show
//! exactly what the source says.

/// Declares a rule: a unit struct and its [`RuleMeta`](crate::RuleMeta) as `META`.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $rule:ident {
            name: $name:literal,
            code: $code:literal,
            area: $area:ident,
            severity: $severity:ident,
            fix: $fix:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $rule;

        impl $rule {
            pub(crate) const META: $crate::RuleMeta = $crate::RuleMeta {
                name: $name,
                code: $code,
                area: $crate::Area::$area,
                severity: ::seaworthy_source::Severity::$severity,
                fix: $crate::Fix::$fix,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
