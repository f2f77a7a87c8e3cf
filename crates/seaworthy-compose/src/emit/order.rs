//! The order in which go-yaml prints the keys of a Go map (`labels`, `environment`, `x-*`…):
//! a "natural" order where runs of digits compare by value and letters sort after other
//! characters, unlike the byte order `encoding/json` uses for the same maps.

use std::cmp::Ordering;

/// Sorts the entries of a Go map into the order go-yaml prints them (see [`yaml_key_order`]).
///
/// go-yaml's comparison is not a total order on every set of keys; Go's `sort.Sort` then
/// decides the result. Up to 12 entries Go uses an insertion sort, repeated here, so the result
/// is exact; longer maps use a merge sort, exact whenever the keys are consistently ordered.
pub fn sort_yaml_keys<T>(entries: &mut Vec<(String, T)>) {
    if entries.len() <= 12 {
        for i in 1..entries.len() {
            let mut j = i;
            while j > 0 && yaml_key_less(&entries[j].0, &entries[j - 1].0) {
                entries.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mut rest = std::mem::take(entries);
    let right = rest.split_off(rest.len() / 2);
    let mut left = rest;
    let mut right = right;
    sort_yaml_keys(&mut left);
    sort_yaml_keys(&mut right);
    let mut right = right.into_iter().peekable();
    for entry in left {
        while let Some(next) = right.next_if(|next| yaml_key_less(&next.0, &entry.0)) {
            entries.push(next);
        }
        entries.push(entry);
    }
    entries.extend(right);
}

/// go-yaml v3's order of two string map keys (its `keyList.Less`), for sorting the entries of a
/// Go map before [`to_yaml`](super::to_yaml). JSON output sorts the same maps by bytes
/// (`str::cmp`).
///
/// Letters are approximated with `char::is_alphabetic` minus numeric letters, and digits are the
/// ASCII ones; Go uses the Unicode letter and decimal-digit categories.
pub fn yaml_key_order(a: &str, b: &str) -> Ordering {
    if yaml_key_less(a, b) {
        Ordering::Less
    } else if yaml_key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn yaml_key_less(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut after_digit = false;
    for (i, (&ac, &bc)) in a.iter().zip(&b).enumerate() {
        if ac == bc {
            after_digit = is_digit(ac);
            continue;
        }
        let (a_letter, b_letter) = (is_letter(ac), is_letter(bc));
        if a_letter && b_letter {
            return ac < bc;
        }
        if a_letter || b_letter {
            // Within a number, a letter ends it early and sorts first; elsewhere letters sort
            // last.
            return if after_digit { a_letter } else { b_letter };
        }
        // A zero that continues a number with a non-zero digit before it is a digit like any
        // other; leading zeros count for nothing.
        let continues_number = a[..i]
            .iter()
            .rev()
            .take_while(|c| is_digit(**c))
            .any(|c| *c != '0');
        let seed = i64::from((ac == '0' || bc == '0') && continues_number);
        let (a_value, a_end) = number_from(&a, i, seed);
        let (b_value, b_end) = number_from(&b, i, seed);
        if a_value != b_value {
            return a_value < b_value;
        }
        if a_end != b_end {
            return a_end < b_end;
        }
        return ac < bc;
    }
    a.len() < b.len()
}

/// The value of the digit run starting at `start` (Go's wrapping `int64` arithmetic), and
/// where the run ends.
fn number_from(chars: &[char], start: usize, seed: i64) -> (i64, usize) {
    let mut value = seed;
    let mut end = start;
    while let Some(&c) = chars.get(end).filter(|c| is_digit(**c)) {
        value = value
            .wrapping_mul(10)
            .wrapping_add(i64::from(u32::from(c)) - i64::from(u32::from('0')));
        end += 1;
    }
    (value, end)
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}
