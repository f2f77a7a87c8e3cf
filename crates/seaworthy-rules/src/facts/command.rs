//! The words of a service's `command` and `entrypoint`, as a shell would split them: a list
//! form is taken item by item, and every item (a `sh -c` script included) is split again on
//! whitespace, so `["sh", "-c", "cd /app && npm run dev"]` reads as
//! `sh -c cd /app && npm run dev`. Quotes are dropped; `${...}` groups stay whole.

use seaworthy_compose::{Node, Value};

/// The words of a `command`/`entrypoint` node after interpolation.
pub(crate) fn words(node: &Node) -> Vec<String> {
    texts(node, |n| n.scalar_text())
}

/// The words as written in the file, before interpolation (for secrets: `${VAR}` stays).
pub(crate) fn raw_words(node: &Node) -> Vec<String> {
    texts(node, |n| {
        n.raw
            .as_deref()
            .map(str::to_owned)
            .or_else(|| n.scalar_text())
    })
}

fn texts(node: &Node, text: impl Fn(&Node) -> Option<String>) -> Vec<String> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(&text)
            .flat_map(|t| split(&t))
            .collect(),
        _ => text(node).map(|t| split(&t)).unwrap_or_default(),
    }
}

/// Splits on unquoted whitespace, dropping quotes; a `${...}` group is never split.
pub(crate) fn split(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut braces = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'{') => {
                braces += 1;
                word.push(c);
                in_word = true;
            }
            '}' if braces > 0 => {
                braces -= 1;
                word.push(c);
            }
            '"' | '\'' if braces == 0 && quote.is_none() => {
                quote = Some(c);
                in_word = true;
            }
            q if Some(q) == quote => quote = None,
            c if c.is_whitespace() && quote.is_none() && braces == 0 => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// The program name of a word (`/usr/local/bin/uvicorn` → `uvicorn`).
pub(crate) fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Words that end one command and start another in a shell line.
pub(crate) fn is_separator(word: &str) -> bool {
    matches!(word, "&&" | "||" | ";" | "|" | "&" | "exec" | "-c") || word.ends_with(';')
}

/// Both `command` and `entrypoint` of a service, each with its node.
pub(crate) fn command_nodes<'a>(service: &crate::Service<'a>) -> Vec<(&'static str, &'a Node)> {
    ["entrypoint", "command"]
        .into_iter()
        .filter_map(|field| {
            service
                .get(field)
                .filter(|n| !n.is_null())
                .map(|n| (field, n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell_without_breaking_variable_groups() {
        assert_eq!(
            split("sh -c 'npm run dev'"),
            vec!["sh", "-c", "npm run dev"]
        );
        assert_eq!(
            split("redis-server --requirepass ${PW:-a b}"),
            vec!["redis-server", "--requirepass", "${PW:-a b}"]
        );
        assert_eq!(split("  a   \"\"  b "), vec!["a", "", "b"]);
    }

    #[test]
    fn list_items_are_split_again() {
        let node = Node::synthetic(Value::Seq(vec![
            Node::synthetic(Value::Str("sh".into())),
            Node::synthetic(Value::Str("-c".into())),
            Node::synthetic(Value::Str("cd /app && npm run dev".into())),
        ]));
        assert_eq!(
            words(&node),
            vec!["sh", "-c", "cd", "/app", "&&", "npm", "run", "dev"]
        );
    }
}
