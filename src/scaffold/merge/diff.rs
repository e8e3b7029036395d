//! Line diffs for `idp update`: which lines two texts share, and the unified diff `--pretend` and
//! the drift report print.
//!
//! Myers' O(ND) algorithm in linear space ("An O(ND) Difference Algorithm and Its Variations",
//! 1986, section 4b), as GNU diff and the `similar` crate implement it: it finds a shortest edit
//! script, which is what diff3 and `diff -u` use, so our hunks read like theirs. Lines are
//! interned to integers first, so comparing two lines is one integer comparison.

use std::collections::HashMap;
use std::ops::{Index, IndexMut, Range};

/// Returns the lines of `text`, each with its line ending (`\n` or `\r\n`) when it has one, so
/// concatenating them gives `text` back byte for byte: a missing final newline and CRLF endings
/// survive a merge untouched.
pub(super) fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Returns, for each line of `old`, the line of `new` it is kept as in a shortest edit script
/// (`None`: the line is deleted). The matched indices strictly increase.
pub(super) fn matches(old: &[&str], new: &[&str]) -> Vec<Option<usize>> {
    let mut ids = HashMap::new();
    let a = intern(&mut ids, old);
    let b = intern(&mut ids, new);
    let mut matched = vec![None; a.len()];
    let max_d = max_d(a.len(), b.len());
    let mut forward = V::new(max_d);
    let mut backward = V::new(max_d);
    conquer(
        &a,
        0..a.len(),
        &b,
        0..b.len(),
        &mut forward,
        &mut backward,
        &mut matched,
    );
    matched
}

/// Returns each line's number in `ids`, numbering lines not seen before.
fn intern<'a>(ids: &mut HashMap<&'a str, u32>, lines: &[&'a str]) -> Vec<u32> {
    lines
        .iter()
        .map(|line| {
            let next = u32::try_from(ids.len()).expect("fewer than 2^32 distinct lines");
            *ids.entry(*line).or_insert(next)
        })
        .collect()
}

/// Returns how many lines going from `old` to `new` adds and removes, as `diff --stat` counts.
pub fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let old = lines(old);
    let new = lines(new);
    let kept = matches(&old, &new).iter().flatten().count();
    (new.len() - kept, old.len() - kept)
}

/// Returns the unified diff from `old` to `new` (`diff -u`'s format, with `context` lines around
/// each change), or an empty string when they are equal.
///
/// Lines keep their endings; a last line without one is followed by `\ No newline at end of
/// file`, as GNU diff and `patch` expect.
pub fn unified_diff(
    old: &str,
    new: &str,
    old_label: &str,
    new_label: &str,
    context: usize,
) -> String {
    let old = lines(old);
    let new = lines(new);
    let ops = script(&old, &new);
    // Each change, and each kept line within `context` lines of a change, goes into a hunk; runs
    // of them are the hunks, so changes up to 2 * context lines apart share one, as in GNU diff.
    let mut shown = vec![false; ops.len()];
    let mut since_change = usize::MAX;
    for (i, op) in ops.iter().enumerate() {
        since_change = if matches!(op, Op::Equal(..)) {
            since_change.saturating_add(1)
        } else {
            0
        };
        shown[i] = since_change <= context;
    }
    since_change = usize::MAX;
    for (i, op) in ops.iter().enumerate().rev() {
        since_change = if matches!(op, Op::Equal(..)) {
            since_change.saturating_add(1)
        } else {
            0
        };
        shown[i] |= since_change <= context;
    }

    let mut out = String::new();
    let (mut old_at, mut new_at) = (0, 0);
    let mut i = 0;
    while i < ops.len() {
        if !shown[i] {
            advance(&ops[i], &mut old_at, &mut new_at);
            i += 1;
            continue;
        }
        let end = (i..ops.len()).find(|&j| !shown[j]).unwrap_or(ops.len());
        let hunk = &ops[i..end];
        let old_count = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Insert(_)))
            .count();
        let new_count = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Delete(_)))
            .count();
        if out.is_empty() {
            out.push_str(&format!("--- {old_label}\n+++ {new_label}\n"));
        }
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(old_at, old_count),
            hunk_range(new_at, new_count)
        ));
        for op in hunk {
            match *op {
                Op::Equal(o, _) => push_line(&mut out, ' ', old[o]),
                Op::Delete(o) => push_line(&mut out, '-', old[o]),
                Op::Insert(n) => push_line(&mut out, '+', new[n]),
            }
            advance(op, &mut old_at, &mut new_at);
        }
        i = end;
    }
    out
}

/// Returns a hunk header's range in GNU diff's form: the first line and the count, the count left
/// out when it is 1, and for an empty range the line before it.
pub(super) fn hunk_range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{count}", start + 1),
    }
}

/// Appends one diff line: its marker, the line, and a newline plus GNU's note when it had none.
pub(super) fn push_line(out: &mut String, marker: char, line: &str) {
    out.push(marker);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// One step of an edit script, by line index.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

fn advance(op: &Op, old_at: &mut usize, new_at: &mut usize) {
    match op {
        Op::Equal(..) => {
            *old_at += 1;
            *new_at += 1;
        }
        Op::Delete(_) => *old_at += 1,
        Op::Insert(_) => *new_at += 1,
    }
}

/// Returns the edit script from `old` to `new`, deletions before insertions within each change,
/// as `diff -u` prints them.
fn script(old: &[&str], new: &[&str]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(old.len().max(new.len()));
    let mut n = 0;
    for (o, matched) in matches(old, new).into_iter().enumerate() {
        match matched {
            Some(m) => {
                ops.extend((n..m).map(Op::Insert));
                ops.push(Op::Equal(o, m));
                n = m + 1;
            }
            None => ops.push(Op::Delete(o)),
        }
    }
    ops.extend((n..new.len()).map(Op::Insert));
    ops
}

fn max_d(n: usize, m: usize) -> usize {
    (n + m).div_ceil(2) + 1
}

/// A furthest-reaching x per diagonal k, indexed from -max_d to max_d.
struct V {
    offset: isize,
    v: Vec<isize>,
}

impl V {
    fn new(max_d: usize) -> Self {
        V {
            offset: max_d as isize,
            v: vec![0; 2 * max_d + 1],
        }
    }
}

impl Index<isize> for V {
    type Output = isize;
    fn index(&self, k: isize) -> &isize {
        &self.v[(k + self.offset) as usize]
    }
}

impl IndexMut<isize> for V {
    fn index_mut(&mut self, k: isize) -> &mut isize {
        &mut self.v[(k + self.offset) as usize]
    }
}

/// Matches `a[old]` against `b[new]`: strips the common prefix and suffix, then splits at the
/// middle snake and recurses, so memory stays linear.
fn conquer(
    a: &[u32],
    mut old: Range<usize>,
    b: &[u32],
    mut new: Range<usize>,
    forward: &mut V,
    backward: &mut V,
    matched: &mut [Option<usize>],
) {
    while !old.is_empty() && !new.is_empty() && a[old.start] == b[new.start] {
        matched[old.start] = Some(new.start);
        old.start += 1;
        new.start += 1;
    }
    while !old.is_empty() && !new.is_empty() && a[old.end - 1] == b[new.end - 1] {
        old.end -= 1;
        new.end -= 1;
        matched[old.end] = Some(new.end);
    }
    if old.is_empty() || new.is_empty() {
        return;
    }
    let Some((x, y)) = middle_snake(a, old.clone(), b, new.clone(), forward, backward) else {
        return;
    };
    // A split at a corner would recurse on the same problem; the algorithm never gives one once
    // prefix and suffix are stripped, and a missing match only makes the script longer.
    if (x, y) == (old.start, new.start) || (x, y) == (old.end, new.end) {
        return;
    }
    conquer(a, old.start..x, b, new.start..y, forward, backward, matched);
    conquer(a, x..old.end, b, y..new.end, forward, backward, matched);
}

/// Returns a point on a shortest edit path through the middle of `a[old]` × `b[new]`, found by
/// searching forward from the start and backward from the end until the two paths overlap.
fn middle_snake(
    a: &[u32],
    old: Range<usize>,
    b: &[u32],
    new: Range<usize>,
    forward: &mut V,
    backward: &mut V,
) -> Option<(usize, usize)> {
    let n = old.len() as isize;
    let m = new.len() as isize;
    let at_a = |x: isize| a[old.start + x as usize];
    let at_b = |y: isize| b[new.start + y as usize];
    let delta = n - m;
    let odd = delta & 1 == 1;
    forward[1] = 0;
    backward[1] = 0;
    for d in 0..max_d(old.len(), new.len()) as isize {
        for k in (-d..=d).rev().step_by(2) {
            let mut x = if k == -d || (k != d && forward[k - 1] < forward[k + 1]) {
                forward[k + 1]
            } else {
                forward[k - 1] + 1
            };
            let mut y = x - k;
            let (x0, y0) = (x, y);
            while x < n && y < m && at_a(x) == at_b(y) {
                x += 1;
                y += 1;
            }
            forward[k] = x;
            if odd && (k - delta).abs() < d && forward[k] + backward[delta - k] >= n {
                return Some((old.start + x0 as usize, new.start + y0 as usize));
            }
        }
        for k in (-d..=d).rev().step_by(2) {
            let mut x = if k == -d || (k != d && backward[k - 1] < backward[k + 1]) {
                backward[k + 1]
            } else {
                backward[k - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && at_a(n - x - 1) == at_b(m - y - 1) {
                x += 1;
                y += 1;
            }
            backward[k] = x;
            if !odd && (k - delta).abs() <= d && backward[k] + forward[delta - k] >= n {
                return Some((old.start + (n - x) as usize, new.start + (m - y) as usize));
            }
        }
    }
    None
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A small deterministic generator (an LCG), so the generated cases are the same every run.
    pub(crate) struct Lcg(u64);

    impl Lcg {
        pub(crate) fn new(seed: u64) -> Self {
            Lcg(seed.wrapping_mul(6364136223846793005).wrapping_add(1))
        }

        pub(crate) fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// Returns `count` lines drawn from an alphabet of `alphabet` lines, so repeats are common.
    pub(crate) fn random_text(rng: &mut Lcg, count: usize, alphabet: usize) -> String {
        (0..count)
            .map(|_| format!("line {}\n", rng.below(alphabet)))
            .collect()
    }

    /// Returns `text` with a few lines deleted, replaced and inserted at random.
    pub(crate) fn mutate(rng: &mut Lcg, text: &str, alphabet: usize) -> String {
        let mut lines: Vec<String> = lines(text).into_iter().map(String::from).collect();
        for _ in 0..=rng.below(4) {
            let at = rng.below(lines.len() + 1);
            let fresh = format!("line {}\n", rng.below(alphabet));
            match rng.below(3) {
                0 if at < lines.len() => {
                    lines.remove(at);
                }
                1 if at < lines.len() => lines[at] = fresh,
                _ => lines.insert(at, fresh),
            }
        }
        lines.concat()
    }

    fn lcs_len(a: &[&str], b: &[&str]) -> usize {
        let mut table = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                table[i][j] = if a[i] == b[j] {
                    table[i + 1][j + 1] + 1
                } else {
                    table[i + 1][j].max(table[i][j + 1])
                };
            }
        }
        table[0][0]
    }

    #[test]
    fn lines_keep_their_endings() {
        assert_eq!(lines("a\r\nb\nc"), ["a\r\n", "b\n", "c"]);
        assert!(lines("").is_empty());
    }

    #[test]
    fn matches_are_a_longest_common_subsequence() {
        let mut rng = Lcg::new(7);
        for case in 0..300 {
            let old = random_text(&mut rng, case % 23, 1 + case % 6);
            let new = if case % 2 == 0 {
                mutate(&mut rng, &old, 8)
            } else {
                random_text(&mut rng, case % 17, 1 + case % 5)
            };
            let (a, b) = (lines(&old), lines(&new));
            let matched = matches(&a, &b);
            let pairs: Vec<(usize, usize)> = matched
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.map(|j| (i, j)))
                .collect();
            for &(i, j) in &pairs {
                assert_eq!(a[i], b[j], "case {case}: matched lines differ");
            }
            assert!(
                pairs.windows(2).all(|w| w[0].1 < w[1].1),
                "case {case}: matches cross"
            );
            assert_eq!(pairs.len(), lcs_len(&a, &b), "case {case}: not minimal");
        }
    }

    #[test]
    fn counts_added_and_removed_lines() {
        assert_eq!(line_changes("a\nb\nc\n", "a\nB\nc\nd\n"), (2, 1));
        assert_eq!(line_changes("", "a\n"), (1, 0));
        assert_eq!(line_changes("a\n", "a\n"), (0, 0));
        assert_eq!(line_changes("a\n", "a"), (1, 1));
    }

    #[test]
    fn formats_a_unified_diff() {
        let old = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";
        let new = "one\n2\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n";
        assert_eq!(
            unified_diff(old, new, "a/f", "b/f", 3),
            "--- a/f\n+++ b/f\n\
             @@ -1,5 +1,5 @@\n one\n-two\n+2\n three\n four\n five\n\
             @@ -8,3 +8,4 @@\n eight\n nine\n ten\n+eleven\n"
        );
        assert_eq!(unified_diff(old, old, "a/f", "b/f", 3), "");
        assert_eq!(
            unified_diff("", "x\n", "a", "b", 3),
            "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n"
        );
        assert_eq!(
            unified_diff("x\n", "x", "a", "b", 3),
            "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n"
        );
    }

    /// Runs GNU diff on two texts; returns its output without the two header lines, which carry
    /// file names and times.
    #[cfg(unix)]
    fn gnu_diff(old: &str, new: &str, context: usize) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old"), old).unwrap();
        std::fs::write(dir.path().join("new"), new).unwrap();
        let output = std::process::Command::new("diff")
            .arg(format!("-U{context}"))
            .args(["old", "new"])
            .current_dir(dir.path())
            .output()
            .expect("GNU diff runs");
        let text = String::from_utf8(output.stdout).unwrap();
        text.split_inclusive('\n').skip(2).collect()
    }

    #[cfg(unix)]
    fn body(diff: &str) -> String {
        diff.split_inclusive('\n').skip(2).collect()
    }

    #[cfg(unix)]
    #[test]
    fn hunks_match_gnu_diff() {
        for (old, new) in [
            ("a\nb\nc\nd\n", "a\nc\nd\ne"),
            ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"),
            ("", "a\n"),
            ("a", ""),
        ] {
            assert_eq!(
                body(&unified_diff(old, new, "a", "b", 3)),
                gnu_diff(old, new, 3)
            );
        }
        // Edits that keep the order of the surviving lines, which are all distinct: the shortest
        // edit script is then unique, so our hunks and GNU's must agree byte for byte.
        let mut rng = Lcg::new(42);
        for case in 0..40 {
            let count = 5 + rng.below(40);
            let old: Vec<String> = (0..count).map(|i| format!("old {i}\n")).collect();
            let mut new = Vec::new();
            for (i, line) in old.iter().enumerate() {
                match rng.below(8) {
                    0 => {}
                    1 => new.push(format!("changed {case} {i}\n")),
                    2 => {
                        new.push(format!("added {case} {i}\n"));
                        new.push(line.clone());
                    }
                    _ => new.push(line.clone()),
                }
            }
            let (old, mut new) = (old.concat(), new.concat());
            if case % 5 == 0 {
                new.pop();
            }
            let context = rng.below(4);
            assert_eq!(
                body(&unified_diff(&old, &new, "a", "b", context)),
                gnu_diff(&old, &new, context),
                "case {case}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn patch_applies_our_diffs() {
        let mut rng = Lcg::new(3);
        for case in 0..30 {
            let count = 3 + rng.below(30);
            let old = random_text(&mut rng, count, 5);
            let new = mutate(&mut rng, &old, 7);
            let diff = unified_diff(&old, &new, "a/f", "b/f", 3);
            if diff.is_empty() {
                assert_eq!(old, new);
                continue;
            }
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("f"), &old).unwrap();
            std::fs::write(dir.path().join("f.diff"), &diff).unwrap();
            let status = std::process::Command::new("patch")
                .args(["-s", "-p1", "-i", "f.diff"])
                .current_dir(dir.path())
                .status()
                .expect("patch runs");
            assert!(status.success(), "case {case}: patch refused\n{diff}");
            let patched = std::fs::read_to_string(dir.path().join("f")).unwrap();
            assert_eq!(patched, new, "case {case}");
        }
    }
}
