//! Near matches for names a person typed: a rule id on the command line, a service an overlay
//! names that the base file spells differently.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidates within a small edit distance of `name` (a third of the candidate's length,
/// at least 2), closest first, at most three; `name` itself is never one.
pub fn near_names<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_a_few_edits_away_closest_first() {
        assert_eq!(edit_distance("worker", "wroker"), 2);
        assert_eq!(edit_distance("", "api"), 3);
        let services = ["worker", "web", "postgres", "workers"];
        assert_eq!(near_names("wroker", services), ["worker"]);
        assert_eq!(near_names("worker_", services), ["worker", "workers"]);
        assert_eq!(near_names("postgress", services), ["postgres"]);
        assert!(near_names("caddy", services).is_empty());
        assert!(
            near_names("web", services).is_empty(),
            "a name is not near itself"
        );
    }
}
