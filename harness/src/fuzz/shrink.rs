//! Greedy delta debugging (Zeller's ddmin, complements only) over the
//! units of one member: the smallest input that still shows the finding
//! is what a person can read against the document.

use super::mutate::Leaf;

/// Removes chunks of `leaf` while `still` holds, halving the chunk size
/// when no removal of that size does; at most `budget` calls of `still`.
/// Returns the smallest leaf found and the calls made.
pub fn shrink(leaf: &Leaf, budget: usize, mut still: impl FnMut(&Leaf) -> bool) -> (Leaf, usize) {
    let mut best = leaf.clone();
    let mut calls = 0;
    let mut parts = 2usize;
    while !best.is_empty() && calls < budget {
        let len = best.len();
        let chunk = len.div_ceil(parts.min(len));
        let mut reduced = false;
        let mut start = 0;
        while start < len && calls < budget {
            let candidate = best.without(start, (start + chunk).min(len));
            calls += 1;
            if still(&candidate) {
                best = candidate;
                reduced = true;
                break;
            }
            start += chunk;
        }
        if reduced {
            parts = (parts - 1).max(2);
        } else if chunk == 1 {
            break;
        } else {
            parts = (parts * 2).min(len);
        }
    }
    // Then each unit to `a` where that keeps it: findings that differ
    // only in such letters shrink to one input, and deduplicate.
    for i in 0..best.len() {
        if calls >= budget {
            break;
        }
        if let Some(candidate) = best.with_a(i) {
            calls += 1;
            if still(&candidate) {
                best = candidate;
            }
        }
    }
    (best, calls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Leaf {
        Leaf::Text(s.chars().collect())
    }

    #[test]
    fn finds_the_one_character_that_matters() {
        let has_dot_after_angle = |l: &Leaf| match l {
            Leaf::Text(t) => t.windows(2).any(|w| w == ['<', '.']),
            Leaf::Bytes(_) => false,
        };
        let (small, calls) = shrink(&text("<.abc.def@example.com>"), 500, has_dot_after_angle);
        assert_eq!(small, text("<."));
        let (small, _) = shrink(
            &text("<x.b@c>"),
            500,
            |l| matches!(l, Leaf::Text(t) if t.contains(&'.') && t.len() >= 3),
        );
        let Leaf::Text(t) = small else { unreachable!() };
        assert_eq!(t.len(), 3);
        assert!(t.iter().all(|c| *c == 'a' || *c == '.'), "{t:?}");
        assert!(calls < 100, "{calls}");
    }

    #[test]
    fn stays_within_its_budget() {
        let mut n = 0;
        let (_, calls) = shrink(&text(&"x".repeat(4096)), 10, |_| {
            n += 1;
            true
        });
        assert_eq!((calls, n), (10, 10));
    }
}
