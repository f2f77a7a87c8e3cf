//! The commands a `RUN` instruction runs, read well enough to find programs and their flags:
//! shell text split on `&&`, `||`, `;`, `&`, `|` and newlines with quotes, escapes,
//! substitutions (`$(…)`, backquotes, `<(…)`), redirections and here-documents understood,
//! then the scripts a command carries (`sh -c '…'`, substitutions, a here-document fed to a
//! shell) read the same way. This is not a shell: control keywords (`if`, `then`, `do`…)
//! are skipped as prefixes, and anything stranger yields odd words, never a panic.

use seaworthy_build::dockerfile::{CommandLine, Run};

/// Nested scripts (`sh -c "$(…)"` inside `bash -c`) are followed this deep.
const MAX_NESTING: usize = 8;

/// One simple command: its words without quotes, as the shell would pass them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Command {
    /// The words, unquoted; a substitution stays as written (`$(curl -fsSL x)`).
    pub words: Vec<String>,
    /// The inner text of each `$(…)`, backquote or `<(…)` in the words.
    pub substitutions: Vec<String>,
    /// Commands joined by `|` share a pipeline number (unique within one parse).
    pub pipeline: usize,
    /// Read from a script another command carries (`sh -c`, a substitution, a here-document
    /// fed to a shell), not from the instruction's own text.
    pub nested: bool,
}

/// A command with its prefixes taken apart: `DEBIAN_FRONTEND=x sudo -E apt-get install y`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Launch<'a> {
    /// Leading `NAME=value` words.
    pub assignments: Vec<&'a str>,
    /// Wrappers that run the program (`sudo`, `env`, `nice`, `exec`…), by base name.
    pub wrappers: Vec<&'a str>,
    /// The base name of the program (`/usr/bin/pip3` → `pip3`).
    pub program: &'a str,
    pub args: &'a [String],
}

impl Command {
    /// The program this command runs and its arguments; `None` for a bare assignment or an
    /// empty command.
    pub fn launch(&self) -> Option<Launch<'_>> {
        let mut assignments = Vec::new();
        let mut wrappers = Vec::new();
        let mut i = 0;
        while let Some(word) = self.words.get(i) {
            let name = base_name(word);
            if is_assignment(word) {
                assignments.push(word.as_str());
                i += 1;
            } else if KEYWORDS.contains(&word.as_str()) {
                i += 1;
            } else if name == "command"
                && self
                    .words
                    .get(i + 1)
                    .is_some_and(|w| w == "-v" || w == "-V")
            {
                // `command -v curl` looks a program up; it runs nothing.
                return Some(Launch {
                    assignments,
                    wrappers,
                    program: name,
                    args: self.words.get(i + 1..).unwrap_or(&[]),
                });
            } else if let Some(takes_value) = wrapper_options(name) {
                wrappers.push(name);
                i += 1;
                // The wrapper's own options (and `env`'s assignments) come before the program.
                while let Some(option) = self.words.get(i) {
                    if option == "--" {
                        i += 1;
                        break;
                    }
                    if name == "env" && is_assignment(option) {
                        assignments.push(option.as_str());
                        i += 1;
                    } else if option.starts_with('-') && option.len() > 1 {
                        i += if takes_value.contains(&option.as_str()) {
                            2
                        } else {
                            1
                        };
                    } else {
                        break;
                    }
                }
            } else {
                return Some(Launch {
                    assignments,
                    wrappers,
                    program: name,
                    args: self.words.get(i + 1..).unwrap_or(&[]),
                });
            }
        }
        None
    }

    /// The program's base name, when there is one.
    pub fn program(&self) -> Option<&str> {
        self.launch().map(|l| l.program)
    }
}

/// Words that open a compound command and precede a simple one on the same line.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time",
];

/// Programs that run the rest of their words as a command, with their options that take a
/// value as a separate word.
fn wrapper_options(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "sudo" | "doas" => Some(&["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"]),
        "env" => Some(&["-u", "-C", "-S"]),
        "nice" => Some(&["-n"]),
        "stdbuf" | "nohup" | "exec" | "command" | "builtin" => Some(&[]),
        _ => None,
    }
}

/// `NAME=value` with a shell variable name.
pub(crate) fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The last path component: `/usr/local/bin/pip` → `pip`.
pub(crate) fn base_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The POSIX-like shells: they take `-c SCRIPT`, read a script on stdin, and know `set`.
pub(crate) fn is_posix_shell(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

/// The script a shell runs with `-c` (its first operand after a flag group holding `c`).
pub(crate) fn inline_script<'a>(program: &str, args: &'a [String]) -> Option<&'a str> {
    if !is_posix_shell(program) {
        return None;
    }
    let mut has_c = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "-o" || arg == "+o" {
            iter.next();
        } else if let Some(flags) = arg.strip_prefix('-').filter(|f| !f.starts_with('-')) {
            has_c |= flags.contains('c');
        } else if arg.starts_with("--") {
            continue;
        } else {
            return has_c.then_some(arg.as_str());
        }
    }
    None
}

/// Every command of a `RUN`: its shell text (or exec-form arguments), its here-documents
/// when they are the script (`RUN <<EOF`, or `RUN <<EOF bash`: the body is fed to a shell;
/// `RUN <<EOF python3` is not shell), and what those commands carry (`sh -c` scripts,
/// substitutions).
pub(crate) fn run_commands(run: &Run) -> Vec<Command> {
    let mut parser = Parser::default();
    let mut commands = match &run.command {
        CommandLine::Shell { text, .. } => parser.parse(text, false),
        CommandLine::Exec { args, .. } => vec![Command {
            words: args.clone(),
            pipeline: parser.next_pipeline(),
            ..Command::default()
        }],
    };
    let bodies_are_scripts = match commands.as_slice() {
        [] => true,
        [only] => only.launch().is_none_or(|l| {
            is_posix_shell(l.program) && inline_script(l.program, l.args).is_none()
        }),
        _ => false,
    };
    if bodies_are_scripts {
        for doc in &run.heredocs {
            commands.extend(parser.parse(&doc.body, false));
        }
    }
    parser.nest(commands, 0)
}

/// Every command of a shell script (a substitution's text, say).
pub(crate) fn commands(script: &str) -> Vec<Command> {
    let mut parser = Parser::default();
    let top = parser.parse(script, false);
    parser.nest(top, 0)
}

/// Hands out pipeline numbers across the scripts of one `RUN`.
#[derive(Default)]
struct Parser {
    pipelines: usize,
}

impl Parser {
    fn next_pipeline(&mut self) -> usize {
        self.pipelines += 1;
        self.pipelines
    }

    fn parse(&mut self, script: &str, nested: bool) -> Vec<Command> {
        let mut lexer = Lexer::new(script);
        let mut commands = Vec::new();
        let mut current = Command::default();
        let mut pipeline = self.next_pipeline();
        loop {
            match lexer.next_token() {
                Token::Word(word, subs) => {
                    current.words.push(word);
                    current.substitutions.extend(subs);
                }
                Token::Pipe => {
                    commands.push(finish(&mut current, pipeline, nested));
                }
                Token::Separator => {
                    commands.push(finish(&mut current, pipeline, nested));
                    pipeline = self.next_pipeline();
                }
                Token::End => {
                    commands.push(finish(&mut current, pipeline, nested));
                    break;
                }
            }
        }
        commands.retain(|c| !c.words.is_empty());
        commands
    }

    /// Adds, right after each command, the commands of the scripts it carries.
    fn nest(&mut self, commands: Vec<Command>, depth: usize) -> Vec<Command> {
        let mut out = Vec::with_capacity(commands.len());
        for command in commands {
            let mut inner = Vec::new();
            if depth < MAX_NESTING {
                if let Some(script) = command
                    .launch()
                    .and_then(|l| inline_script(l.program, l.args))
                {
                    inner.extend(self.parse(script, true));
                }
                for sub in &command.substitutions {
                    inner.extend(self.parse(sub, true));
                }
            }
            let inner = self.nest(inner, depth + 1);
            out.push(command);
            out.extend(inner);
        }
        out
    }
}

fn finish(current: &mut Command, pipeline: usize, nested: bool) -> Command {
    let mut command = std::mem::take(current);
    command.pipeline = pipeline;
    command.nested = nested;
    command
}

enum Token {
    /// A word without quotes, and the substitutions it holds.
    Word(String, Vec<String>),
    Pipe,
    /// `&&`, `||`, `;`, `&`, a newline or a parenthesis: a new pipeline starts.
    Separator,
    End,
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    /// Here-document delimiters whose bodies start after the next newline (`-` strips tabs).
    pending: Vec<(String, bool)>,
}

impl Lexer {
    fn new(script: &str) -> Lexer {
        Lexer {
            chars: script.chars().collect(),
            pos: 0,
            pending: Vec::new(),
        }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn next_token(&mut self) -> Token {
        loop {
            let Some(c) = self.peek(0) else {
                return Token::End;
            };
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.peek(1) == Some('\n') => self.pos += 2,
                '\n' => {
                    self.pos += 1;
                    self.skip_heredoc_bodies();
                    return Token::Separator;
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                '|' => {
                    self.pos += 1;
                    match self.peek(0) {
                        Some('|') => {
                            self.pos += 1;
                            return Token::Separator;
                        }
                        Some('&') => self.pos += 1,
                        _ => {}
                    }
                    return Token::Pipe;
                }
                '&' if self.peek(1) == Some('>') => {
                    self.pos += 1;
                    self.redirect();
                }
                '&' | ';' | '(' | ')' => {
                    self.pos += 1;
                    while matches!(self.peek(0), Some('&' | ';')) {
                        self.pos += 1;
                    }
                    return Token::Separator;
                }
                '<' | '>' if self.peek(1) == Some('(') => {
                    self.pos += 2;
                    let inner = self.balanced('(', ')');
                    let word = format!("{c}({inner})");
                    return Token::Word(word, vec![inner]);
                }
                '<' | '>' => self.redirect(),
                _ => {
                    let (word, subs) = self.word();
                    // `2>file`, `2>&1`: a number right before a redirection is its descriptor.
                    if matches!(self.peek(0), Some('<' | '>'))
                        && !word.is_empty()
                        && word.chars().all(|c| c.is_ascii_digit())
                    {
                        continue;
                    }
                    return Token::Word(word, subs);
                }
            }
        }
    }

    /// Consumes a redirection and its target; a here-document's body will be skipped.
    fn redirect(&mut self) {
        let mut op = String::new();
        while let Some(c) = self
            .peek(0)
            .filter(|c| matches!(c, '<' | '>' | '&' | '|' | '-'))
        {
            // `>&-` closes; `<<-` strips tabs; anything longer is not an operator.
            if op.len() >= 3 || (c == '-' && !op.ends_with('<') && !op.ends_with('&')) {
                break;
            }
            op.push(c);
            self.pos += 1;
            if op == ">&" || op == "<&" {
                break;
            }
        }
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.pos += 1;
        }
        if matches!(self.peek(0), None | Some('\n' | ';' | '|' | '&')) {
            return;
        }
        let (target, _) = self.word();
        if op == "<<" || op == "<<-" {
            self.pending.push((target, op == "<<-"));
        }
    }

    /// Skips the bodies of here-documents opened on the line just ended.
    fn skip_heredoc_bodies(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.pending) {
            while self.pos < self.chars.len() {
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let line: String = self
                    .chars
                    .get(start..self.pos)
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                if self.peek(0) == Some('\n') {
                    self.pos += 1;
                }
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line.as_str()
                };
                if line.trim_end_matches('\r') == delimiter {
                    break;
                }
            }
        }
    }

    /// One word up to unquoted whitespace or an operator, quotes removed.
    fn word(&mut self) -> (String, Vec<String>) {
        let mut word = String::new();
        let mut subs = Vec::new();
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' | '\n' | '|' | '&' | ';' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    match self.peek(0) {
                        Some('\n') => self.pos += 1,
                        Some(escaped) => {
                            word.push(escaped);
                            self.pos += 1;
                        }
                        None => {}
                    }
                }
                '\'' => {
                    self.pos += 1;
                    while let Some(q) = self.peek(0) {
                        self.pos += 1;
                        if q == '\'' {
                            break;
                        }
                        word.push(q);
                    }
                }
                '"' => {
                    self.pos += 1;
                    self.double_quoted(&mut word, &mut subs);
                }
                '$' | '`' => self.expansion(&mut word, &mut subs),
                _ => {
                    word.push(c);
                    self.pos += 1;
                }
            }
        }
        (word, subs)
    }

    fn double_quoted(&mut self, word: &mut String, subs: &mut Vec<String>) {
        while let Some(c) = self.peek(0) {
            match c {
                '"' => {
                    self.pos += 1;
                    return;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek(0) {
                        Some('\n') => self.pos += 1,
                        Some(e @ ('"' | '\\' | '$' | '`')) => {
                            word.push(e);
                            self.pos += 1;
                        }
                        _ => word.push('\\'),
                    }
                }
                '$' | '`' => self.expansion(word, subs),
                _ => {
                    word.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$(…)`, `$((…))`, `${…}`, `` `…` `` or a lone `$`, kept in the word as written.
    fn expansion(&mut self, word: &mut String, subs: &mut Vec<String>) {
        match (self.peek(0), self.peek(1)) {
            (Some('$'), Some('(')) => {
                self.pos += 2;
                let inner = self.balanced('(', ')');
                word.push_str("$(");
                word.push_str(&inner);
                word.push(')');
                // `$((1 + 2))` is arithmetic, not a command.
                if !inner.starts_with('(') {
                    subs.push(inner);
                }
            }
            (Some('$'), Some('{')) => {
                self.pos += 2;
                let inner = self.balanced('{', '}');
                word.push_str("${");
                word.push_str(&inner);
                word.push('}');
            }
            (Some('`'), _) => {
                self.pos += 1;
                let mut inner = String::new();
                while let Some(c) = self.peek(0) {
                    self.pos += 1;
                    match c {
                        '`' => break,
                        '\\' => {
                            if let Some(e) = self.peek(0) {
                                inner.push(e);
                                self.pos += 1;
                            }
                        }
                        _ => inner.push(c),
                    }
                }
                word.push('`');
                word.push_str(&inner);
                word.push('`');
                subs.push(inner);
            }
            _ => {
                word.push('$');
                self.pos += 1;
            }
        }
    }

    /// The text up to the `close` that balances an `open` already consumed, quotes respected.
    fn balanced(&mut self, open: char, close: char) -> String {
        let start = self.pos;
        let mut depth = 1usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match (quote, c) {
                (Some('\''), '\'') => quote = None,
                (Some('\''), _) => {}
                (_, '\\') => self.pos += 1,
                (Some('"'), '"') => quote = None,
                (None, '\'' | '"') => quote = Some(c),
                (None, _) if c == open => depth += 1,
                (None, _) if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        let end = self.pos - 1;
                        return self.chars.get(start..end).unwrap_or(&[]).iter().collect();
                    }
                }
                _ => {}
            }
        }
        self.pos = self.pos.min(self.chars.len());
        self.chars.get(start..).unwrap_or(&[]).iter().collect()
    }
}

/// The arguments hold `--name`, `--name=value`, or `-x` alone or in a group of single-letter
/// flags (`-yq`). Words after `--` are operands.
pub(crate) fn has_flag(args: &[String], long: &str, short: Option<char>) -> bool {
    args.iter().take_while(|a| *a != "--").any(|arg| {
        if let Some(name) = arg.strip_prefix("--") {
            name == long || name.strip_prefix(long).is_some_and(|r| r.starts_with('='))
        } else if let Some(group) = arg.strip_prefix('-') {
            short.is_some_and(|s| {
                group.chars().all(|c| c.is_ascii_alphanumeric()) && group.contains(s)
            })
        } else {
            false
        }
    })
}

/// The first argument that is not an option, skipping the values of options in
/// `takes_value`: the subcommand of `apt-get -q install x`.
pub(crate) fn subcommand<'a>(args: &'a [String], takes_value: &[&str]) -> Option<(usize, &'a str)> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if takes_value.contains(&arg.as_str()) {
            i += 2;
        } else if arg.starts_with('-') {
            i += 1;
        } else {
            return Some((i, arg.as_str()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_build::dockerfile::{Dockerfile, InstructionKind};

    fn programs(script: &str) -> Vec<String> {
        commands(script)
            .iter()
            .filter_map(|c| c.program().map(str::to_owned))
            .collect()
    }

    fn words(script: &str) -> Vec<Vec<String>> {
        commands(script).into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn splits_on_operators_and_newlines() {
        assert_eq!(
            programs(
                "apt-get update && apt-get install -y curl || true; echo ok\nls | wc -l & wait"
            ),
            ["apt-get", "apt-get", "true", "echo", "ls", "wc", "wait"]
        );
    }

    #[test]
    fn quotes_and_escapes_do_not_split() {
        assert_eq!(
            words(r#"echo "a && b" 'c | d' e\;f"#),
            [vec!["echo", "a && b", "c | d", "e;f"]]
        );
    }

    #[test]
    fn pipelines_are_numbered_per_pipe_chain() {
        let parsed = commands("curl -fsSL x | tee y | sh && ls | wc");
        let numbers: Vec<usize> = parsed.iter().map(|c| c.pipeline).collect();
        assert_eq!(numbers[0], numbers[1]);
        assert_eq!(numbers[1], numbers[2]);
        assert_ne!(numbers[2], numbers[3]);
        assert_eq!(numbers[3], numbers[4]);
    }

    #[test]
    fn redirections_are_not_words_and_do_not_split() {
        assert_eq!(
            words("make install >/dev/null 2>&1 && cat < in.txt &> log"),
            [vec!["make", "install"], vec!["cat"]]
        );
    }

    #[test]
    fn substitutions_are_kept_and_read_as_commands() {
        let parsed = commands(r#"sh -c "$(curl -fsSL https://x/install.sh)""#);
        assert_eq!(
            parsed[0].words,
            ["sh", "-c", "$(curl -fsSL https://x/install.sh)"]
        );
        assert_eq!(parsed[0].substitutions, ["curl -fsSL https://x/install.sh"]);
        let nested: Vec<_> = parsed.iter().filter(|c| c.nested).collect();
        // The `-c` script is the substitution itself, then the substitution's command.
        assert!(nested.iter().any(|c| c.program() == Some("curl")));
    }

    #[test]
    fn process_substitution_is_one_word() {
        let parsed = commands("bash <(curl -s https://x) --yes");
        assert_eq!(parsed[0].words, ["bash", "<(curl -s https://x)", "--yes"]);
        assert_eq!(parsed[0].substitutions, ["curl -s https://x"]);
    }

    #[test]
    fn sh_c_scripts_are_read_as_nested_commands() {
        assert_eq!(
            programs("bash -ec 'apt-get update && sudo apt-get install -y x'"),
            ["bash", "apt-get", "apt-get"]
        );
    }

    #[test]
    fn prefixes_wrappers_and_keywords_are_skipped() {
        let parsed = commands(
            "if true; then DEBIAN_FRONTEND=noninteractive sudo -E -u root apt-get -q install x; fi",
        );
        let launch = parsed[1].launch().unwrap();
        assert_eq!(launch.assignments, ["DEBIAN_FRONTEND=noninteractive"]);
        assert_eq!(launch.wrappers, ["sudo"]);
        assert_eq!(launch.program, "apt-get");
        assert_eq!(launch.args, ["-q", "install", "x"]);
        assert_eq!(parsed[0].program(), Some("true"));
    }

    #[test]
    fn comments_and_here_document_bodies_are_not_commands() {
        assert_eq!(
            programs("cat > /etc/x <<-EOF\n\tapt-get install y\n\tEOF\necho done # sudo rm x"),
            ["cat", "echo"]
        );
    }

    #[test]
    fn arithmetic_is_not_a_substitution() {
        assert!(commands("echo $((1 + 2))")[0].substitutions.is_empty());
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for text in [
            "echo \"abc",
            "echo $(ls",
            "echo `ls",
            "cat <<",
            "a |",
            "\\",
            "${",
            "'",
        ] {
            let _ = commands(text);
        }
    }

    #[test]
    fn flags_long_short_and_grouped() {
        let args: Vec<String> = ["-yq", "--no-install-recommends", "install", "--", "-x"]
            .map(str::to_owned)
            .to_vec();
        assert!(has_flag(&args, "yes", Some('y')));
        assert!(has_flag(&args, "no-install-recommends", None));
        assert!(!has_flag(&args, "quiet", Some('x')), "after --");
        assert_eq!(subcommand(&args, &["-o"]), Some((2, "install")));
    }

    fn run_of(dockerfile: &str) -> Run {
        let parsed = Dockerfile::parse(dockerfile).unwrap();
        let stage = parsed.stages.last().unwrap();
        stage
            .instructions
            .iter()
            .find_map(|i| match &i.kind {
                InstructionKind::Run(run) => Some(run.clone()),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn heredoc_scripts_count_and_file_contents_do_not() {
        let script = run_of("FROM debian\nRUN <<EOF\napt-get update\nsudo ls\nEOF\n");
        let found: Vec<_> = run_commands(&script)
            .iter()
            .filter_map(|c| c.program().map(str::to_owned))
            .collect();
        assert_eq!(found, ["apt-get", "ls"]);
        let file = run_of("FROM debian\nRUN <<EOF cat > /x.sh\ncurl x | sh\nEOF\n");
        let found: Vec<_> = run_commands(&file)
            .iter()
            .filter_map(|c| c.program().map(str::to_owned))
            .collect();
        assert_eq!(found, ["cat"]);
        let fed = run_of("FROM debian\nRUN <<EOF bash -e\napk add x\nEOF\n");
        let found: Vec<_> = run_commands(&fed)
            .iter()
            .filter_map(|c| c.program().map(str::to_owned))
            .collect();
        assert_eq!(found, ["bash", "apk"]);
    }

    #[test]
    fn exec_form_is_one_command() {
        let run = run_of("FROM debian\nRUN [\"sh\", \"-c\", \"apt-get update | tee log\"]\n");
        let found: Vec<_> = run_commands(&run)
            .iter()
            .filter_map(|c| c.program().map(str::to_owned))
            .collect();
        assert_eq!(found, ["sh", "apt-get", "tee"]);
    }
}
