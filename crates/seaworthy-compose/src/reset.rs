//! `!reset` and `!override` (spec §5.4): collected from a freshly parsed document (where
//! `!reset` nodes are removed), then applied to the accumulated dict of the previous files
//! (and to the base copy of an extended service) by deleting the tagged paths.

use crate::node::{Node, Tag, Value};
use seaworthy_source::Span;

/// The paths a document tagged, with the span of each tag's node.
#[derive(Clone, Debug, Default)]
pub struct ResetPaths {
    paths: Vec<(Vec<String>, Span)>,
}

impl ResetPaths {
    /// Walks a document: removes `!reset` nodes and records their paths and the paths of
    /// `!override` nodes. Sequence items get a path that never matches a mapping key, so a
    /// tagged item only disappears from this document, as in compose-go.
    pub fn collect(document: &mut Node) -> ResetPaths {
        let mut found = ResetPaths::default();
        // Most documents carry no tag at all: a read-only scan spares copying every key.
        if has_tag(document, 0) {
            collect(document, &mut Vec::new(), &mut found);
        }
        found
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Deletes every recorded path from `target`.
    pub fn apply(&self, target: &mut Node) {
        if self.paths.is_empty() {
            return;
        }
        apply(target, &mut Vec::new(), self);
    }

    fn matches(&self, path: &[String]) -> bool {
        self.paths.iter().any(|(p, _)| p.as_slice() == path)
    }
}

/// Whether any node below `node` is tagged `!reset` or `!override` (the document root's own
/// tag is never looked at).
fn has_tag(node: &Node, depth: usize) -> bool {
    if depth > 512 {
        // Deeper than any real file: let `collect` decide, as before this scan existed.
        return true;
    }
    let tagged = |child: &Node| child.tag != Tag::None || has_tag(child, depth + 1);
    match &node.value {
        Value::Map(map) => map.values().any(tagged),
        Value::Seq(items) => items.iter().any(tagged),
        _ => false,
    }
}

fn collect(node: &mut Node, path: &mut Vec<String>, found: &mut ResetPaths) {
    match &mut node.value {
        Value::Map(map) => {
            let mut removed = Vec::new();
            for (key, child) in map.iter_mut() {
                path.push(key.clone());
                match child.tag {
                    Tag::Reset => {
                        found.paths.push((path.clone(), child.span));
                        removed.push(key.clone());
                    }
                    Tag::Override => {
                        found.paths.push((path.clone(), child.span));
                        child.tag = Tag::None;
                        collect(child, path, found);
                    }
                    Tag::None => collect(child, path, found),
                }
                path.pop();
            }
            for key in removed {
                map.shift_remove(&key);
            }
        }
        Value::Seq(items) => {
            items.retain(|item| item.tag != Tag::Reset);
            for (index, item) in items.iter_mut().enumerate() {
                // `\0` cannot appear in a YAML key that reached here, so this never matches.
                path.push(format!("\0{index}"));
                item.tag = Tag::None;
                collect(item, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

fn apply(node: &mut Node, path: &mut Vec<String>, resets: &ResetPaths) {
    let Value::Map(map) = &mut node.value else {
        // Sequence items are addressed as `[i]` in compose-go and never match a tag's path.
        return;
    };
    let mut removed = Vec::new();
    for (key, child) in map.iter_mut() {
        path.push(key.clone());
        if resets.matches(path) {
            removed.push(key.clone());
        } else {
            apply(child, path, resets);
        }
        path.pop();
    }
    for key in removed {
        map.shift_remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;
    use seaworthy_source::FileId;

    fn doc(text: &str) -> Node {
        parse_documents(text, FileId(0)).unwrap().remove(0)
    }

    #[test]
    fn reset_removes_the_node_from_its_document_and_the_path_from_the_previous_result() {
        let mut base = doc("services:\n  web:\n    image: a\n    ports: ['80:80']\n");
        let mut overlay = doc("services:\n  web:\n    ports: !reset []\n");
        let resets = ResetPaths::collect(&mut overlay);
        assert!(overlay.path("services.web.ports").is_none());
        resets.apply(&mut base);
        assert!(base.path("services.web.ports").is_none());
        assert!(base.path("services.web.image").is_some());
    }

    #[test]
    fn override_keeps_the_node_and_deletes_the_previous_value() {
        let mut base = doc("services:\n  web:\n    volumes: [a:/a]\n");
        let mut overlay = doc("services:\n  web:\n    volumes: !override [b:/b]\n");
        let resets = ResetPaths::collect(&mut overlay);
        assert_eq!(
            overlay
                .path("services.web.volumes")
                .unwrap()
                .as_seq()
                .unwrap()
                .len(),
            1
        );
        resets.apply(&mut base);
        assert!(base.path("services.web.volumes").is_none());
    }

    #[test]
    fn a_reset_sequence_item_only_leaves_its_own_document() {
        let mut overlay = doc("list: [a, !reset b, c]\n");
        let resets = ResetPaths::collect(&mut overlay);
        assert_eq!(overlay.get("list").unwrap().as_seq().unwrap().len(), 2);
        let mut base = doc("list: [x]\n");
        resets.apply(&mut base);
        assert_eq!(base.get("list").unwrap().as_seq().unwrap().len(), 1);
    }
}
