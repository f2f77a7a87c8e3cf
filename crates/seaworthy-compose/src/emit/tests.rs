//! Expected outputs recorded from the docker compose v2.40.3 binary (`config` and
//! `config --format json`), for label maps and `x-` extensions holding the values below.

use super::{sort_yaml_keys, to_json, to_yaml, yaml_key_order};
use crate::out::Out;

/// `(key, value, YAML lines, JSON lines)` of one label of service `web`, as `config` printed
/// them under `services.web.labels`.
#[rustfmt::skip]
const LABELS: &[(&str, &str, &str, &str)] = &[
    ("k", "plain", "      k: plain\n", "        \"k\": \"plain\"\n"),
    ("k", " leading", "      k: ' leading'\n", "        \"k\": \" leading\"\n"),
    ("k", "trailing ", "      k: 'trailing '\n", "        \"k\": \"trailing \"\n"),
    ("k", " both ", "      k: ' both '\n", "        \"k\": \" both \"\n"),
    ("k", "a: b", "      k: 'a: b'\n", "        \"k\": \"a: b\"\n"),
    ("k", "a:b", "      k: a:b\n", "        \"k\": \"a:b\"\n"),
    ("k", "a :b", "      k: a :b\n", "        \"k\": \"a :b\"\n"),
    ("k", "a #b", "      k: 'a #b'\n", "        \"k\": \"a #b\"\n"),
    ("k", "a#b", "      k: a#b\n", "        \"k\": \"a#b\"\n"),
    ("k", "#start", "      k: '#start'\n", "        \"k\": \"#start\"\n"),
    ("k", "-", "      k: '-'\n", "        \"k\": \"-\"\n"),
    ("k", "- a", "      k: '- a'\n", "        \"k\": \"- a\"\n"),
    ("k", "-a", "      k: -a\n", "        \"k\": \"-a\"\n"),
    ("k", "--", "      k: --\n", "        \"k\": \"--\"\n"),
    ("k", "---", "      k: '---'\n", "        \"k\": \"---\"\n"),
    ("k", "--- a", "      k: '--- a'\n", "        \"k\": \"--- a\"\n"),
    ("k", "...", "      k: '...'\n", "        \"k\": \"...\"\n"),
    ("k", "?", "      k: '?'\n", "        \"k\": \"?\"\n"),
    ("k", "? a", "      k: '? a'\n", "        \"k\": \"? a\"\n"),
    ("k", "?a", "      k: ?a\n", "        \"k\": \"?a\"\n"),
    ("k", ":", "      k: ':'\n", "        \"k\": \":\"\n"),
    ("k", ": a", "      k: ': a'\n", "        \"k\": \": a\"\n"),
    ("k", ":a", "      k: :a\n", "        \"k\": \":a\"\n"),
    ("k", "[", "      k: '['\n", "        \"k\": \"[\"\n"),
    ("k", "a[b", "      k: a[b\n", "        \"k\": \"a[b\"\n"),
    ("k", "{x}", "      k: '{x}'\n", "        \"k\": \"{x}\"\n"),
    ("k", "a{b}", "      k: a{b}\n", "        \"k\": \"a{b}\"\n"),
    ("k", "*star", "      k: '*star'\n", "        \"k\": \"*star\"\n"),
    ("k", "&anchor", "      k: '&anchor'\n", "        \"k\": \"\\u0026anchor\"\n"),
    ("k", "!tag", "      k: '!tag'\n", "        \"k\": \"!tag\"\n"),
    ("k", "|pipe", "      k: '|pipe'\n", "        \"k\": \"|pipe\"\n"),
    ("k", ">gt", "      k: '>gt'\n", "        \"k\": \"\\u003egt\"\n"),
    ("k", "%pct", "      k: '%pct'\n", "        \"k\": \"%pct\"\n"),
    ("k", "@at", "      k: '@at'\n", "        \"k\": \"@at\"\n"),
    ("k", "`tick", "      k: '`tick'\n", "        \"k\": \"`tick\"\n"),
    ("k", "'single", "      k: '''single'\n", "        \"k\": \"'single\"\n"),
    ("k", "\"double", "      k: '\"double'\n", "        \"k\": \"\\\"double\"\n"),
    ("k", "it's", "      k: it's\n", "        \"k\": \"it's\"\n"),
    ("k", "say \"hi\"", "      k: say \"hi\"\n", "        \"k\": \"say \\\"hi\\\"\"\n"),
    ("k", "a'b\"c", "      k: a'b\"c\n", "        \"k\": \"a'b\\\"c\"\n"),
    ("k", "caf\u{e9}", "      k: caf\u{e9}\n", "        \"k\": \"caf\u{e9}\"\n"),
    ("k", "\u{65e5}\u{672c}", "      k: \u{65e5}\u{672c}\n", "        \"k\": \"\u{65e5}\u{672c}\"\n"),
    ("k", "\u{1f389}", "      k: \"\\U0001F389\"\n", "        \"k\": \"\u{1f389}\"\n"),
    ("k", "tab\there", "      k: \"tab\\there\"\n", "        \"k\": \"tab\\there\"\n"),
    ("k", "\ttab", "      k: \"\\ttab\"\n", "        \"k\": \"\\ttab\"\n"),
    ("k", "cr\rhere", "      k: \"cr\\rhere\"\n", "        \"k\": \"cr\\rhere\"\n"),
    ("k", "bell\u{7}", "      k: \"bell\\a\"\n", "        \"k\": \"bell\\u0007\"\n"),
    ("k", "del\u{7f}", "      k: \"del\\x7F\"\n", "        \"k\": \"del\u{7f}\"\n"),
    ("k", "nel\u{85}x", "      k: \"nel\\Nx\"\n", "        \"k\": \"nel\u{85}x\"\n"),
    ("k", "nbsp\u{a0}x", "      k: nbsp\u{a0}x\n", "        \"k\": \"nbsp\u{a0}x\"\n"),
    ("k", "ls\u{2028}x", "      k: 'ls\u{2028}        x'\n", "        \"k\": \"ls\\u2028x\"\n"),
    ("k", "\u{feff}bom", "      k: \"\\uFEFF\\x62\\x6F\\x6D\"\n", "        \"k\": \"\u{feff}bom\"\n"),
    ("k", "x\u{feff}", "      k: \"x\\uFEFF\"\n", "        \"k\": \"x\u{feff}\"\n"),
    ("k", "\u{e000}priv", "      k: \u{e000}priv\n", "        \"k\": \"\u{e000}priv\"\n"),
    ("k", "\u{fffe}", "      k: \"\\uFFFE\"\n", "        \"k\": \"\u{fffe}\"\n"),
    ("k", "\nlead", "      k: |2-\n\n        lead\n", "        \"k\": \"\\nlead\"\n"),
    ("k", "mid\nline", "      k: |-\n        mid\n        line\n", "        \"k\": \"mid\\nline\"\n"),
    ("k", "end\n", "      k: |\n        end\n", "        \"k\": \"end\\n\"\n"),
    ("k", "end\n\n", "      k: |+\n        end\n\n", "        \"k\": \"end\\n\\n\"\n"),
    ("k", "end\n\n\n", "      k: |+\n        end\n\n\n", "        \"k\": \"end\\n\\n\\n\"\n"),
    ("k", "\n", "      k: |2+\n\n", "        \"k\": \"\\n\"\n"),
    ("k", "\n\n", "      k: |2+\n\n\n", "        \"k\": \"\\n\\n\"\n"),
    ("k", "a\n\nb", "      k: |-\n        a\n\n        b\n", "        \"k\": \"a\\n\\nb\"\n"),
    ("k", "  indented\nline", "      k: |2-\n          indented\n        line\n", "        \"k\": \"  indented\\nline\"\n"),
    ("k", "line\n  indented", "      k: |-\n        line\n          indented\n", "        \"k\": \"line\\n  indented\"\n"),
    ("k", "a \nb", "      k: \"a \\nb\"\n", "        \"k\": \"a \\nb\"\n"),
    ("k", "a\n b", "      k: |-\n        a\n         b\n", "        \"k\": \"a\\n b\"\n"),
    ("k", "trail \n", "      k: \"trail \\n\"\n", "        \"k\": \"trail \\n\"\n"),
    ("k", "x\r\ny", "      k: \"x\\r\\ny\"\n", "        \"k\": \"x\\r\\ny\"\n"),
    ("k", "\ta\nb", "      k: |-\n        \ta\n        b\n", "        \"k\": \"\\ta\\nb\"\n"),
    ("k", "a\tb\nc", "      k: |-\n        a\tb\n        c\n", "        \"k\": \"a\\tb\\nc\"\n"),
    ("k", "#c\nd", "      k: |-\n        #c\n        d\n", "        \"k\": \"#c\\nd\"\n"),
    ("k", "- x\ny", "      k: |-\n        - x\n        y\n", "        \"k\": \"- x\\ny\"\n"),
    ("k", "\"q\"\nz", "      k: |-\n        \"q\"\n        z\n", "        \"k\": \"\\\"q\\\"\\nz\"\n"),
    ("k", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "      k: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", "        \"k\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"),
    ("k", "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word", "      k: word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word\n", "        \"k\": \"word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word\"\n"),
    ("k", "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word ", "      k: 'word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word '\n", "        \"k\": \"word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word \"\n"),
    ("k", "1", "      k: \"1\"\n", "        \"k\": \"1\"\n"),
    ("k", "1.0", "      k: \"1.0\"\n", "        \"k\": \"1.0\"\n"),
    ("k", "-1", "      k: \"-1\"\n", "        \"k\": \"-1\"\n"),
    ("k", "+1", "      k: \"+1\"\n", "        \"k\": \"+1\"\n"),
    ("k", "0x1F", "      k: \"0x1F\"\n", "        \"k\": \"0x1F\"\n"),
    ("k", "0o17", "      k: \"0o17\"\n", "        \"k\": \"0o17\"\n"),
    ("k", "017", "      k: \"017\"\n", "        \"k\": \"017\"\n"),
    ("k", "08", "      k: \"08\"\n", "        \"k\": \"08\"\n"),
    ("k", "0b101", "      k: \"0b101\"\n", "        \"k\": \"0b101\"\n"),
    ("k", "1_000", "      k: \"1_000\"\n", "        \"k\": \"1_000\"\n"),
    ("k", "1e3", "      k: \"1e3\"\n", "        \"k\": \"1e3\"\n"),
    ("k", "1e999", "      k: 1e999\n", "        \"k\": \"1e999\"\n"),
    ("k", ".5", "      k: \".5\"\n", "        \"k\": \".5\"\n"),
    ("k", ".5_5", "      k: \".5_5\"\n", "        \"k\": \".5_5\"\n"),
    ("k", "._5", "      k: ._5\n", "        \"k\": \"._5\"\n"),
    ("k", ".", "      k: .\n", "        \"k\": \".\"\n"),
    ("k", "1.", "      k: \"1.\"\n", "        \"k\": \"1.\"\n"),
    ("k", "1e", "      k: 1e\n", "        \"k\": \"1e\"\n"),
    ("k", "inf", "      k: inf\n", "        \"k\": \"inf\"\n"),
    ("k", ".inf", "      k: \".inf\"\n", "        \"k\": \".inf\"\n"),
    ("k", "-.inf", "      k: \"-.inf\"\n", "        \"k\": \"-.inf\"\n"),
    ("k", "+.INF", "      k: \"+.INF\"\n", "        \"k\": \"+.INF\"\n"),
    ("k", ".nan", "      k: \".nan\"\n", "        \"k\": \".nan\"\n"),
    ("k", ".NaN", "      k: \".NaN\"\n", "        \"k\": \".NaN\"\n"),
    ("k", ".iNf", "      k: .iNf\n", "        \"k\": \".iNf\"\n"),
    ("k", "true", "      k: \"true\"\n", "        \"k\": \"true\"\n"),
    ("k", "True", "      k: \"True\"\n", "        \"k\": \"True\"\n"),
    ("k", "TRUE", "      k: \"TRUE\"\n", "        \"k\": \"TRUE\"\n"),
    ("k", "tRUE", "      k: tRUE\n", "        \"k\": \"tRUE\"\n"),
    ("k", "false", "      k: \"false\"\n", "        \"k\": \"false\"\n"),
    ("k", "yes", "      k: \"yes\"\n", "        \"k\": \"yes\"\n"),
    ("k", "Yes", "      k: \"Yes\"\n", "        \"k\": \"Yes\"\n"),
    ("k", "YES", "      k: \"YES\"\n", "        \"k\": \"YES\"\n"),
    ("k", "no", "      k: \"no\"\n", "        \"k\": \"no\"\n"),
    ("k", "n", "      k: \"n\"\n", "        \"k\": \"n\"\n"),
    ("k", "N", "      k: \"N\"\n", "        \"k\": \"N\"\n"),
    ("k", "y", "      k: \"y\"\n", "        \"k\": \"y\"\n"),
    ("k", "on", "      k: \"on\"\n", "        \"k\": \"on\"\n"),
    ("k", "ON", "      k: \"ON\"\n", "        \"k\": \"ON\"\n"),
    ("k", "off", "      k: \"off\"\n", "        \"k\": \"off\"\n"),
    ("k", "Off", "      k: \"Off\"\n", "        \"k\": \"Off\"\n"),
    ("k", "oN", "      k: oN\n", "        \"k\": \"oN\"\n"),
    ("k", "~", "      k: \"~\"\n", "        \"k\": \"~\"\n"),
    ("k", "null", "      k: \"null\"\n", "        \"k\": \"null\"\n"),
    ("k", "Null", "      k: \"Null\"\n", "        \"k\": \"Null\"\n"),
    ("k", "NULL", "      k: \"NULL\"\n", "        \"k\": \"NULL\"\n"),
    ("k", "nULL", "      k: nULL\n", "        \"k\": \"nULL\"\n"),
    ("k", "", "      k: \"\"\n", "        \"k\": \"\"\n"),
    ("k", "2024-01-01", "      k: \"2024-01-01\"\n", "        \"k\": \"2024-01-01\"\n"),
    ("k", "2024-1-1", "      k: \"2024-1-1\"\n", "        \"k\": \"2024-1-1\"\n"),
    ("k", "2024-13-01", "      k: 2024-13-01\n", "        \"k\": \"2024-13-01\"\n"),
    ("k", "2023-02-29", "      k: 2023-02-29\n", "        \"k\": \"2023-02-29\"\n"),
    ("k", "2024-02-29", "      k: \"2024-02-29\"\n", "        \"k\": \"2024-02-29\"\n"),
    ("k", "2024-01-01T10:00:00Z", "      k: \"2024-01-01T10:00:00Z\"\n", "        \"k\": \"2024-01-01T10:00:00Z\"\n"),
    ("k", "2024-01-01t10:00:00+01:00", "      k: \"2024-01-01t10:00:00+01:00\"\n", "        \"k\": \"2024-01-01t10:00:00+01:00\"\n"),
    ("k", "2024-01-01 10:00:00", "      k: \"2024-01-01 10:00:00\"\n", "        \"k\": \"2024-01-01 10:00:00\"\n"),
    ("k", "2024-01-01   10:00:00.5", "      k: \"2024-01-01   10:00:00.5\"\n", "        \"k\": \"2024-01-01   10:00:00.5\"\n"),
    ("k", "2024-01-01T10:00:00", "      k: 2024-01-01T10:00:00\n", "        \"k\": \"2024-01-01T10:00:00\"\n"),
    ("k", "2024-01-01 25:00:00", "      k: 2024-01-01 25:00:00\n", "        \"k\": \"2024-01-01 25:00:00\"\n"),
    ("k", "20240-01-01", "      k: 20240-01-01\n", "        \"k\": \"20240-01-01\"\n"),
    ("k", "2024-01-01T10:00:00.123456789012Z", "      k: \"2024-01-01T10:00:00.123456789012Z\"\n", "        \"k\": \"2024-01-01T10:00:00.123456789012Z\"\n"),
    ("k", "2024-01-01x", "      k: 2024-01-01x\n", "        \"k\": \"2024-01-01x\"\n"),
    ("k", "1:20", "      k: \"1:20\"\n", "        \"k\": \"1:20\"\n"),
    ("k", "-1:20", "      k: \"-1:20\"\n", "        \"k\": \"-1:20\"\n"),
    ("k", "1:20:30.5", "      k: \"1:20:30.5\"\n", "        \"k\": \"1:20:30.5\"\n"),
    ("k", "1:60", "      k: 1:60\n", "        \"k\": \"1:60\"\n"),
    ("k", "10:61", "      k: 10:61\n", "        \"k\": \"10:61\"\n"),
    ("k", "1_0:20", "      k: \"1_0:20\"\n", "        \"k\": \"1_0:20\"\n"),
    ("k", "<<", "      k: <<\n", "        \"k\": \"\\u003c\\u003c\"\n"),
    ("k", "=", "      k: =\n", "        \"k\": \"=\"\n"),
    ("k", "a=b", "      k: a=b\n", "        \"k\": \"a=b\"\n"),
    ("k", "http://example.com:8080/path?q=1#frag", "      k: http://example.com:8080/path?q=1#frag\n", "        \"k\": \"http://example.com:8080/path?q=1#frag\"\n"),
    ("k", "a,b", "      k: a,b\n", "        \"k\": \"a,b\"\n"),
    ("k", "a, b", "      k: a, b\n", "        \"k\": \"a, b\"\n"),
    ("k", "<b>&amp;", "      k: <b>&amp;\n", "        \"k\": \"\\u003cb\\u003e\\u0026amp;\"\n"),
    ("k", "\u{2029}", "      k: '\u{2029}'\n", "        \"k\": \"\\u2029\"\n"),
    ("k", "9223372036854775807", "      k: \"9223372036854775807\"\n", "        \"k\": \"9223372036854775807\"\n"),
    ("k", "9223372036854775808", "      k: \"9223372036854775808\"\n", "        \"k\": \"9223372036854775808\"\n"),
    ("k", "18446744073709551616", "      k: \"18446744073709551616\"\n", "        \"k\": \"18446744073709551616\"\n"),
    ("k", "-9223372036854775809", "      k: \"-9223372036854775809\"\n", "        \"k\": \"-9223372036854775809\"\n"),
    ("k", "0x", "      k: 0x\n", "        \"k\": \"0x\"\n"),
    ("k", "+", "      k: +\n", "        \"k\": \"+\"\n"),
    ("k", "-.5", "      k: \"-.5\"\n", "        \"k\": \"-.5\"\n"),
    ("k", "+.5e-3", "      k: \"+.5e-3\"\n", "        \"k\": \"+.5e-3\"\n"),
    ("y", "v", "      \"y\": v\n", "        \"y\": \"v\"\n"),
    ("on", "v", "      \"on\": v\n", "        \"on\": \"v\"\n"),
    ("1", "v", "      \"1\": v\n", "        \"1\": \"v\"\n"),
    (" sp", "v", "      ' sp': v\n", "        \" sp\": \"v\"\n"),
    ("a: b", "v", "      'a: b': v\n", "        \"a: b\": \"v\"\n"),
    ("a b", "v", "      a b: v\n", "        \"a b\": \"v\"\n"),
    ("#k", "v", "      '#k': v\n", "        \"#k\": \"v\"\n"),
    ("-k", "v", "      -k: v\n", "        \"-k\": \"v\"\n"),
    ("- k", "v", "      '- k': v\n", "        \"- k\": \"v\"\n"),
    ("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "v", "      kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: v\n", "        \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": \"v\"\n"),
    ("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "v", "      ? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n      : v\n", "        \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": \"v\"\n"),
    ("multi\nline", "v", "      ? |-\n        multi\n        line\n      : v\n", "        \"multi\\nline\": \"v\"\n"),
    ("end\n", "v", "      ? |\n        end\n      : v\n", "        \"end\\n\": \"v\"\n"),
    ("tab\tkey", "v", "      \"tab\\tkey\": v\n", "        \"tab\\tkey\": \"v\"\n"),
    ("caf\u{e9}", "v", "      caf\u{e9}: v\n", "        \"caf\u{e9}\": \"v\"\n"),
    ("\u{1f389}", "v", "      \"\\U0001F389\": v\n", "        \"\u{1f389}\": \"v\"\n"),
    ("true", "v", "      \"true\": v\n", "        \"true\": \"v\"\n"),
    ("<<", "v", "      <<: v\n", "        \"\\u003c\\u003c\": \"v\"\n"),
    ("?q", "v", "      ?q: v\n", "        \"?q\": \"v\"\n"),
    ("[a]", "v", "      '[a]': v\n", "        \"[a]\": \"v\"\n"),
    ("a,b", "v", "      a,b: v\n", "        \"a,b\": \"v\"\n"),
    ("2024-01-01", "v", "      \"2024-01-01\": v\n", "        \"2024-01-01\": \"v\"\n"),
    ("a                                                                                                                               b", "v", "      ? a                                                                                                                               b\n      : v\n", "        \"a                                                                                                                               b\": \"v\"\n"),
    ("multi\nline", "x\ny", "      ? |-\n        multi\n        line\n      : |-\n        x\n        y\n", "        \"multi\\nline\": \"x\\ny\"\n"),
    ("k", "\u{8}\u{c}\u{1b}\u{0}x", "      k: \"\\b\\f\\e\\0x\"\n", "        \"k\": \"\\b\\f\\u001b\\u0000x\"\n"),
    ("k", "a\u{2028} b", "      k: \"a\\L b\"\n", "        \"k\": \"a\\u2028 b\"\n"),
    ("k", "a\u{2028}b\nc", "      k: |-\n        a\u{2028}        b\n        c\n", "        \"k\": \"a\\u2028b\\nc\"\n"),
    ("k", "x\u{85}\ny", "      k: \"x\\N\\ny\"\n", "        \"k\": \"x\u{85}\\ny\"\n"),
    ("k", "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}k", "      k: \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}k\n", "        \"k\": \"\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}k\"\n"),
    ("k", "tab\t", "      k: \"tab\\t\"\n", "        \"k\": \"tab\\t\"\n"),
    ("k", " \n", "      k: \" \\n\"\n", "        \"k\": \" \\n\"\n"),
    ("k", "a\n ", "      k: \"a\\n \"\n", "        \"k\": \"a\\n \"\n"),
    ("k", "\n a", "      k: |2-\n\n         a\n", "        \"k\": \"\\n a\"\n"),
    ("k", "a\n\n", "      k: |+\n        a\n\n", "        \"k\": \"a\\n\\n\"\n"),
    ("k", "a  b", "      k: a  b\n", "        \"k\": \"a  b\"\n"),
    ("k", "a' b", "      k: a' b\n", "        \"k\": \"a' b\"\n"),
    ("k", "\"", "      k: '\"'\n", "        \"k\": \"\\\"\"\n"),
    ("k", "'", "      k: ''''\n", "        \"k\": \"'\"\n"),
    ("k", "\\", "      k: \\\n", "        \"k\": \"\\\\\"\n"),
    ("k", "a\\b", "      k: a\\b\n", "        \"k\": \"a\\\\b\"\n"),
    ("k", "-1.5e+3", "      k: \"-1.5e+3\"\n", "        \"k\": \"-1.5e+3\"\n"),
    ("k", "0b-1", "      k: \"0b-1\"\n", "        \"k\": \"0b-1\"\n"),
    ("k", "+0xFF", "      k: \"+0xFF\"\n", "        \"k\": \"+0xFF\"\n"),
    ("k", "1__0", "      k: \"1__0\"\n", "        \"k\": \"1__0\"\n"),
    ("k", "0x_1F", "      k: \"0x_1F\"\n", "        \"k\": \"0x_1F\"\n"),
    ("k", "1:2:3", "      k: \"1:2:3\"\n", "        \"k\": \"1:2:3\"\n"),
    ("k", "2024-01-01T10:00:00+25:00", "      k: 2024-01-01T10:00:00+25:00\n", "        \"k\": \"2024-01-01T10:00:00+25:00\"\n"),
    ("k", "2024-01-01T10:00:00+24:60", "      k: \"2024-01-01T10:00:00+24:60\"\n", "        \"k\": \"2024-01-01T10:00:00+24:60\"\n"),
    ("k", "2024-1-1t1:2:3Z", "      k: \"2024-1-1t1:2:3Z\"\n", "        \"k\": \"2024-1-1t1:2:3Z\"\n"),
    ("k", "2024-01-01 1:2:3,5", "      k: \"2024-01-01 1:2:3,5\"\n", "        \"k\": \"2024-01-01 1:2:3,5\"\n"),
    ("k", "0", "      k: \"0\"\n", "        \"k\": \"0\"\n"),
    ("k", "-0", "      k: \"-0\"\n", "        \"k\": \"-0\"\n"),
    ("k", "00", "      k: \"00\"\n", "        \"k\": \"00\"\n"),
    ("k", "0.", "      k: \"0.\"\n", "        \"k\": \"0.\"\n"),
    ("k", "1e+5_0", "      k: \"1e+5_0\"\n", "        \"k\": \"1e+5_0\"\n"),
    ("k", "19:59:59", "      k: \"19:59:59\"\n", "        \"k\": \"19:59:59\"\n"),
    ("k", "_1", "      k: _1\n", "        \"k\": \"_1\"\n"),
    ("k", "~x", "      k: ~x\n", "        \"k\": \"~x\"\n"),
    ("k", "nullx", "      k: nullx\n", "        \"k\": \"nullx\"\n"),
    ("k", "a\u{3000}b", "      k: a\u{3000}b\n", "        \"k\": \"a\u{3000}b\"\n"),
    ("cr\rkey", "v", "      ? \"cr\\rkey\"\n      : v\n", "        \"cr\\rkey\": \"v\"\n"),
    ("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}", "v", "      \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}: v\n", "        \"\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\": \"v\"\n"),
    ("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}", "v", "      ? \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\n      : v\n", "        \"\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\": \"v\"\n"),
    ("k\n", "v", "      ? |\n        k\n      : v\n", "        \"k\\n\": \"v\"\n"),
    ("\nk", "v", "      ? |2-\n\n        k\n      : v\n", "        \"\\nk\": \"v\"\n"),
    ("-", "v", "      '-': v\n", "        \"-\": \"v\"\n"),
    ("---", "v", "      '---': v\n", "        \"---\": \"v\"\n"),
    ("a #b", "v", "      'a #b': v\n", "        \"a #b\": \"v\"\n"),
    ("'q", "v", "      '''q': v\n", "        \"'q\": \"v\"\n"),
    (" ", "v", "      ' ': v\n", "        \" \": \"v\"\n"),
];

fn labels_project(key: &str, value: &str) -> Out {
    let labels = Out::map([(key, Out::str(value))]);
    Out::map([(
        "services",
        Out::map([("web", Out::map([("labels", labels)]))]),
    )])
}

#[test]
fn label_strings_print_like_go_yaml() {
    let mut failures = Vec::new();
    for (key, value, yaml, _) in LABELS {
        let expected = format!("services:\n  web:\n    labels:\n{yaml}");
        let actual = to_yaml(&labels_project(key, value));
        if actual != expected {
            failures.push(format!(
                "{key:?}: {value:?}\n  expected {expected:?}\n  actual   {actual:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn label_strings_print_like_go_json() {
    let mut failures = Vec::new();
    for (key, value, _, json) in LABELS {
        let expected = format!(
            "{{\n  \"services\": {{\n    \"web\": {{\n      \"labels\": {{\n{json}      }}\n    }}\n  }}\n}}"
        );
        let actual = to_json(&labels_project(key, value));
        if actual != expected {
            failures.push(format!(
                "{key:?}: {value:?}\n  expected {expected:?}\n  actual   {actual:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `cpus` is a Go float32: `(input, YAML, JSON)`.
const CPUS: &[(&str, &str, &str)] = &[
    ("0.5", "0.5", "0.5"),
    ("1.1", "1.1", "1.1"),
    ("2", "2", "2"),
    ("0.1", "0.1", "0.1"),
    ("0.3", "0.3", "0.3"),
    ("16.7", "16.7", "16.7"),
    ("1e-7", "1e-07", "1e-7"),
    ("0.000001", "1e-06", "0.000001"),
    ("1234567", "1.234567e+06", "1234567"),
    ("12345678", "1.2345678e+07", "12345678"),
    ("1e20", "1e+20", "100000000000000000000"),
    ("1e21", "1e+21", "1e+21"),
    ("3.4e38", "3.4e+38", "3.4e+38"),
    ("0.001", "0.001", "0.001"),
    ("100.25", "100.25", "100.25"),
];

#[test]
fn float32_values_use_float32_shortest_digits() {
    for (input, yaml, json) in CPUS {
        let cpus: f32 = input.parse().unwrap();
        let out = Out::map([("cpus", Out::Float32(cpus))]);
        assert_eq!(to_yaml(&out), format!("cpus: {yaml}\n"), "{input}");
        assert_eq!(
            to_json(&out),
            format!("{{\n  \"cpus\": {json}\n}}"),
            "{input}"
        );
    }
}

#[test]
fn small_floats_use_fixed_notation_in_json_and_exponents_in_yaml() {
    let values = [0.00001, 0.0001, 0.000123, 123456789.0, 1e-6, 9.99e-7];
    let out = Out::map([
        ("cpus", Out::Float32(0.00001)),
        (
            "x-e",
            Out::Seq(values.into_iter().map(Out::Float).collect()),
        ),
    ]);
    let yaml = "cpus: 1e-05\nx-e:\n  - 1e-05\n  - 0.0001\n  - 0.000123\n  - 1.23456789e+08\n  - 1e-06\n  - 9.99e-07\n";
    assert_eq!(to_yaml(&out), yaml);
    let json = "{\n  \"cpus\": 0.00001,\n  \"x-e\": [\n    0.00001,\n    0.0001,\n    0.000123,\n    123456789,\n    0.000001,\n    9.99e-7\n  ]\n}";
    assert_eq!(to_json(&out), json);
}

fn nested_extension(with_infinities: bool) -> Out {
    let mut nested = vec![
        Out::Seq(vec![
            Out::Int(1),
            Out::Int(2),
            Out::Seq(vec![Out::Int(3), Out::Map(vec![])]),
        ]),
        Out::Map(vec![]),
        Out::Null,
        Out::map([
            ("a", Out::Int(1)),
            (
                "b",
                Out::Seq(vec![Out::str("x"), Out::map([("c", Out::str("d"))])]),
            ),
            ("e", Out::Map(vec![])),
            ("g", Out::Null),
        ]),
        Out::Seq(vec![Out::Seq(vec![Out::str("deep")])]),
        Out::Int(-5),
        Out::Float(1.5),
        Out::Float(1e6),
        Out::Float(1e21),
        Out::Float(1e-7),
        Out::Float(1e20),
        Out::Float(0.1),
        Out::Float(-0.0),
        Out::Bool(true),
        Out::Bool(false),
        Out::str("multi\nline"),
        Out::Seq(vec![Out::str("multi\nline"), Out::str("x")]),
        Out::str("INF"),
    ];
    if with_infinities {
        nested.extend([
            Out::Float(f64::INFINITY),
            Out::Float(f64::NEG_INFINITY),
            Out::Float(f64::NAN),
        ]);
    }
    Out::map([(
        "x-ext",
        Out::map([
            ("big", Out::UInt(u64::MAX)),
            ("empty_map", Out::Map(vec![])),
            ("fl", Out::Float(3.0)),
            ("neg", Out::Int(i64::MIN)),
            ("nested", Out::Seq(nested)),
            ("nul", Out::Null),
        ]),
    )])
}

#[test]
fn nested_collections_and_numbers_lay_out_like_go_yaml() {
    let expected = "x-ext:
  big: 18446744073709551615
  empty_map: {}
  fl: 3
  neg: -9223372036854775808
  nested:
    - - 1
      - 2
      - - 3
        - {}
    - {}
    - null
    - a: 1
      b:
        - x
        - c: d
      e: {}
      g: null
    - - - deep
    - -5
    - 1.5
    - 1e+06
    - 1e+21
    - 1e-07
    - 1e+20
    - 0.1
    - -0
    - true
    - false
    - |-
      multi
      line
    - - |-
        multi
        line
      - x
    - INF
    - .inf
    - -.inf
    - .nan
  nul: null
";
    assert_eq!(to_yaml(&nested_extension(true)), expected);
}

#[test]
fn nested_collections_and_numbers_lay_out_like_go_json() {
    let expected = r#"{
  "x-ext": {
    "big": 18446744073709551615,
    "empty_map": {},
    "fl": 3,
    "neg": -9223372036854775808,
    "nested": [
      [
        1,
        2,
        [
          3,
          {}
        ]
      ],
      {},
      null,
      {
        "a": 1,
        "b": [
          "x",
          {
            "c": "d"
          }
        ],
        "e": {},
        "g": null
      },
      [
        [
          "deep"
        ]
      ],
      -5,
      1.5,
      1000000,
      1e+21,
      1e-7,
      100000000000000000000,
      0.1,
      -0,
      true,
      false,
      "multi\nline",
      [
        "multi\nline",
        "x"
      ],
      "INF"
    ],
    "nul": null
  }
}"#;
    assert_eq!(to_json(&nested_extension(false)), expected);
}

fn multiline_keys(empty_seq: Out) -> Out {
    let s = Out::Seq(vec![
        Out::Seq(vec![
            Out::map([
                ("a", Out::Int(1)),
                (
                    "b",
                    Out::Seq(vec![Out::Int(1), Out::Seq(vec![Out::Int(2)])]),
                ),
            ]),
            empty_seq,
        ]),
        Out::Seq(vec![Out::Seq(vec![Out::str("x\ny"), Out::str("\nlead")])]),
        Out::map([
            ("end\n", Out::Seq(vec![Out::str("z")])),
            ("k\nk", Out::str("v")),
        ]),
    ]);
    Out::map([(
        "x-l",
        Out::map([
            ("multi\nkey", Out::Seq(vec![Out::str("a"), Out::str("b")])),
            (
                "multi\nkey2",
                Out::map([("c", Out::str("d")), ("e", Out::Seq(vec![Out::str("f")]))]),
            ),
            ("multi\nkey3", Out::Map(vec![])),
            ("multi\nkey4", Out::str("x\ny")),
            ("s", s),
        ]),
    )])
}

#[test]
fn complex_keys_and_block_scalars_in_sequences_lay_out_like_go_yaml() {
    let expected = "x-l:
  ? |-
    multi
    key
  : - a
    - b
  ? |-
    multi
    key2
  : c: d
    e:
      - f
  ? |-
    multi
    key3
  : {}
  ? |-
    multi
    key4
  : |-
    x
    y
  s:
    - - a: 1
        b:
          - 1
          - - 2
      - []
    - - - |-
          x
          y
        - |2-

          lead
    - ? |
        end
      : - z
      ? |-
        k
        k
      : v
";
    assert_eq!(to_yaml(&multiline_keys(Out::Seq(vec![]))), expected);
}

#[test]
fn complex_keys_and_block_scalars_in_sequences_lay_out_like_go_json() {
    let expected = r#"{
  "x-l": {
    "multi\nkey": [
      "a",
      "b"
    ],
    "multi\nkey2": {
      "c": "d",
      "e": [
        "f"
      ]
    },
    "multi\nkey3": {},
    "multi\nkey4": "x\ny",
    "s": [
      [
        {
          "a": 1,
          "b": [
            1,
            [
              2
            ]
          ]
        },
        null
      ],
      [
        [
          "x\ny",
          "\nlead"
        ]
      ],
      {
        "end\n": [
          "z"
        ],
        "k\nk": "v"
      }
    ]
  }
}"#;
    assert_eq!(to_json(&multiline_keys(Out::Null)), expected);
}

/// Label keys in the order `config` printed them (go-yaml's natural order), shuffled on input.
const KEY_ORDERS: &[&[&str]] = &[
    &[
        "_x", "1", "01", "9", "10", "A", "a_b", "a1", "a01", "a9", "a10", "b",
    ],
    &[
        "X1", "a.b", "aB", "x", "x_1", "x1", "y-1", "z1", "z1a", "z1_", "z10", "é",
    ],
    &[
        "APP_1_NAME",
        "APP_2_NAME",
        "APP_10_NAME",
        "B",
        "HOME",
        "LC_ALL",
        "PATH",
        "VAR1",
        "VAR2",
        "VAR3",
        "VAR4",
        "VAR5",
        "VAR6",
        "VAR7",
        "VAR8",
        "VAR9",
        "VAR10",
        "VAR11",
        "VAR12",
        "VAR13",
        "VAR14",
        "VAR15",
        "VAR16",
        "VAR17",
        "VAR18",
        "VAR19",
        "VAR20",
        "a",
        "c",
        "com.example.v2",
        "com.example.v10",
        "com.example.version",
        "net.core.somaxconn",
        "net.ipv4.tcp_syncookies",
    ],
];

#[test]
fn map_keys_sort_in_go_yaml_natural_order() {
    for expected in KEY_ORDERS {
        // A fixed shuffle: reversed, then every other entry rotated to the front.
        let mut shuffled: Vec<&str> = expected.iter().rev().copied().collect();
        shuffled.sort_by_key(|key| key.len() % 2);
        let mut entries: Vec<(String, ())> = shuffled.iter().map(|k| (k.to_string(), ())).collect();
        sort_yaml_keys(&mut entries);
        let actual: Vec<&str> = entries.iter().map(|(k, ())| k.as_str()).collect();
        assert_eq!(&actual, expected);
        for pair in expected.windows(2) {
            assert_eq!(
                yaml_key_order(pair[0], pair[1]),
                std::cmp::Ordering::Less,
                "{pair:?}"
            );
        }
    }
}

proptest::proptest! {
    #[test]
    fn writers_and_key_sort_never_panic_and_json_round_trips(
        keys in proptest::collection::vec("[0-9a-zA-Z_ .:#'\"\\-\n\t\r\u{85}\u{2028}\u{feff}é🎉]{0,12}", 0..40),
        value in "\\PC{0,40}|[0-9:.eE+_-]{0,12}",
    ) {
        let mut entries: Vec<(String, Out)> =
            keys.iter().map(|k| (k.clone(), Out::str(value.clone()))).collect();
        sort_yaml_keys(&mut entries);
        proptest::prop_assert_eq!(entries.len(), keys.len());
        let out = Out::Map(entries);
        let yaml = to_yaml(&out);
        proptest::prop_assert!(yaml.ends_with('\n'));
        let json: serde_json::Value = serde_json::from_str(&to_json(&out)).unwrap();
        let first = keys.first().map(String::as_str).unwrap_or_default();
        if !keys.is_empty() {
            proptest::prop_assert_eq!(json[first].as_str(), Some(value.as_str()));
        }
    }
}
