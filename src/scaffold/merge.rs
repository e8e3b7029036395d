//! Three-way merges for `idp update`, one file at a time: *base* is the recorded template version
//! rendered with the recorded answers, *theirs* the target version rendered with the same answers,
//! *ours* the working tree. Lines the user changed stay, lines the template changed are applied,
//! and a region both changed becomes a conflict (see issue 6).
//!
//! The merge follows diff3: both sides are diffed against base ([`diff`]), base lines kept by both
//! anchor the merge, and each stretch between anchors is taken from whichever side changed it.
//! Text is never normalised: CRLF endings and a missing final newline come through as they are.
//! `idp.toml` is merged by key instead, in [`super::merge_toml`].

mod diff;

use std::ops::Range;

use diff::{hunk_range, lines, push_line};
pub use diff::{line_changes, unified_diff};

/// How a region both sides changed is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConflictStyle {
    /// Git-style markers in the file: `<<<<<<< ours_label`, ours, `=======`, theirs,
    /// `>>>>>>> theirs_label`.
    Inline {
        ours_label: String,
        theirs_label: String,
    },
    /// The user's lines stay as they are; the template's change goes into a reject (`.rej`).
    Reject,
}

/// The result of merging one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeResult {
    /// The merged text: with markers in [`ConflictStyle::Inline`], with the user's lines where
    /// they conflict in [`ConflictStyle::Reject`].
    pub text: String,
    /// How many regions conflict.
    pub conflicts: usize,
    /// With [`ConflictStyle::Reject`] and conflicts: the template's changes that were not applied,
    /// as unified-diff hunks from base to theirs (`@@` headers, no `---`/`+++` lines).
    pub reject: Option<String>,
}

/// Returns the three-way merge of `ours` and `theirs`, both changed from `base`.
///
/// As `git merge-file` does (diff3 with git's "zealous" refinement): a region only one side
/// changed takes that side; a region both changed identically is clean; in a region both changed
/// differently, the lines both sides have stay outside the markers and the rest conflicts, and
/// conflicts at most three lines apart (or separated only by lines without a letter or digit,
/// such as `}`) are shown as one.
pub fn merge3(base: &str, ours: &str, theirs: &str, style: &ConflictStyle) -> MergeResult {
    let base_lines = lines(base);
    let ours_lines = lines(ours);
    let theirs_lines = lines(theirs);
    let chunks = chunks(&base_lines, &ours_lines, &theirs_lines);
    let pieces = pieces(&chunks, &base_lines, &ours_lines, &theirs_lines);
    let eol = [ours, theirs, base]
        .into_iter()
        .find_map(line_ending)
        .unwrap_or("\n");

    let mut text = String::with_capacity(ours.len().max(theirs.len()));
    let mut conflicts = 0;
    let mut rejected: Vec<Range<usize>> = Vec::new();
    for piece in &pieces {
        match piece {
            Piece::Common(lines) => text.extend(lines.iter().copied()),
            Piece::OneSided(lines) => text.extend(lines.iter().copied()),
            Piece::Conflict {
                ours,
                theirs,
                chunks,
            } => {
                conflicts += 1;
                match style {
                    ConflictStyle::Inline {
                        ours_label,
                        theirs_label,
                    } => push_markers(&mut text, ours, theirs, [ours_label, theirs_label], eol),
                    ConflictStyle::Reject => {
                        text.extend(ours.iter().copied());
                        // Conflicts split from one region share its template hunk.
                        match rejected.last_mut() {
                            Some(last) if last.end > chunks.start => last.end = chunks.end,
                            _ => rejected.push(chunks.clone()),
                        }
                    }
                }
            }
        }
    }
    let mut reject = String::new();
    for span in rejected {
        push_reject(&mut reject, &chunks, span, &base_lines, &theirs_lines);
    }
    MergeResult {
        text,
        conflicts,
        reject: (!reject.is_empty()).then_some(reject),
    }
}

/// A stretch of the merge: lines all three versions share, or lines between two such stretches.
#[derive(Debug, PartialEq)]
enum Chunk {
    Stable(Range<usize>),
    Changed {
        base: Range<usize>,
        ours: Range<usize>,
        theirs: Range<usize>,
    },
}

/// Splits the three versions into stable and changed chunks, as diff3 does: a base line both
/// diffs keep, at the next line of each side, extends a stable chunk; the lines up to the next
/// base line both keep form a changed chunk.
fn chunks(base: &[&str], ours: &[&str], theirs: &[&str]) -> Vec<Chunk> {
    let to_ours = diff::matches(base, ours);
    let to_theirs = diff::matches(base, theirs);
    let mut chunks = Vec::new();
    let (mut b, mut o, mut t) = (0, 0, 0);
    loop {
        let start = b;
        while b < base.len() && to_ours[b] == Some(o) && to_theirs[b] == Some(t) {
            (b, o, t) = (b + 1, o + 1, t + 1);
        }
        if b > start {
            chunks.push(Chunk::Stable(start..b));
        }
        let (next_b, next_o, next_t) = (b..base.len())
            .find_map(|i| Some((i, to_ours[i]?, to_theirs[i]?)))
            .unwrap_or((base.len(), ours.len(), theirs.len()));
        if (next_b, next_o, next_t) == (b, o, t) {
            return chunks;
        }
        chunks.push(Chunk::Changed {
            base: b..next_b,
            ours: o..next_o,
            theirs: t..next_t,
        });
        (b, o, t) = (next_b, next_o, next_t);
    }
}

/// A stretch of the merged text.
#[derive(Debug)]
enum Piece<'a> {
    /// Lines both sides have: unchanged, or changed alike.
    Common(Vec<&'a str>),
    /// One side's change.
    OneSided(&'a [&'a str]),
    /// Lines the sides changed differently, from the changed chunks `chunks`.
    Conflict {
        ours: Vec<&'a str>,
        theirs: Vec<&'a str>,
        chunks: Range<usize>,
    },
}

/// Returns the merged text as pieces: each changed chunk resolved to one side, or split into
/// conflicts and the lines both sides share (by diffing the two sides); then conflicts close
/// together joined, as git's `xdl_simplify_non_conflicts` does.
fn pieces<'a>(
    chunks: &[Chunk],
    base: &'a [&'a str],
    ours: &'a [&'a str],
    theirs: &'a [&'a str],
) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let (b, o, t) = match chunk {
            Chunk::Stable(range) => {
                push_piece(&mut pieces, Piece::Common(base[range.clone()].to_vec()));
                continue;
            }
            Chunk::Changed {
                base: b,
                ours: o,
                theirs: t,
            } => (&base[b.clone()], &ours[o.clone()], &theirs[t.clone()]),
        };
        if o == t {
            push_piece(&mut pieces, Piece::Common(o.to_vec()));
        } else if o == b {
            push_piece(&mut pieces, Piece::OneSided(t));
        } else if t == b {
            push_piece(&mut pieces, Piece::OneSided(o));
        } else {
            let to_theirs = diff::matches(o, t);
            let (mut from_o, mut from_t) = (0, 0);
            // The end of both sides closes the last conflict.
            let ends = [(o.len(), Some(t.len()))];
            for (at_o, matched) in to_theirs.into_iter().enumerate().chain(ends) {
                let Some(at_t) = matched else { continue };
                if at_o > from_o || at_t > from_t {
                    let conflict = Piece::Conflict {
                        ours: o[from_o..at_o].to_vec(),
                        theirs: t[from_t..at_t].to_vec(),
                        chunks: i..i + 1,
                    };
                    push_piece(&mut pieces, conflict);
                }
                if at_o < o.len() {
                    push_piece(&mut pieces, Piece::Common(vec![o[at_o]]));
                }
                (from_o, from_t) = (at_o + 1, at_t + 1);
            }
        }
    }
    pieces
}

/// Appends `piece`, joining it to common lines before it, and a conflict to a conflict before
/// those when they are at most three lines or hold no letter or digit, as git does
/// (`XDL_MERGE_ZEALOUS_ALNUM`): one conflict reads better than several a `}` apart.
fn push_piece<'a>(pieces: &mut Vec<Piece<'a>>, piece: Piece<'a>) {
    match piece {
        Piece::Common(lines) => match pieces.last_mut() {
            Some(Piece::Common(last)) => last.extend(lines),
            _ => pieces.push(Piece::Common(lines)),
        },
        Piece::Conflict {
            ours: next_ours,
            theirs: next_theirs,
            chunks: next_chunks,
        } => {
            if let [
                ..,
                Piece::Conflict {
                    ours,
                    theirs,
                    chunks,
                },
                Piece::Common(between),
            ] = pieces.as_mut_slice()
                && (between.len() <= 3 || !between.iter().any(|line| has_alphanumeric(line)))
            {
                ours.extend(between.iter().chain(&next_ours));
                theirs.extend(between.iter().chain(&next_theirs));
                chunks.end = next_chunks.end;
                pieces.pop();
            } else {
                pieces.push(Piece::Conflict {
                    ours: next_ours,
                    theirs: next_theirs,
                    chunks: next_chunks,
                });
            }
        }
        piece => pieces.push(piece),
    }
}

/// Returns whether `line` holds an ASCII letter or digit, as git's `isalnum` test.
fn has_alphanumeric(line: &str) -> bool {
    line.bytes().any(|byte| byte.is_ascii_alphanumeric())
}

/// Appends `ours` and `theirs` between git's conflict markers.
fn push_markers(text: &mut String, ours: &[&str], theirs: &[&str], labels: [&str; 2], eol: &str) {
    let marker = |sign: &str, label: &str| {
        if label.is_empty() {
            format!("{sign}{eol}")
        } else {
            format!("{sign} {label}{eol}")
        }
    };
    text.push_str(&marker("<<<<<<<", labels[0]));
    push_terminated(text, ours, eol);
    text.push_str(&marker("=======", ""));
    push_terminated(text, theirs, eol);
    text.push_str(&marker(">>>>>>>", labels[1]));
}

/// Appends `lines`, ending the last with `eol` when it has no line ending, so a marker that
/// follows starts on a line of its own.
fn push_terminated(text: &mut String, lines: &[&str], eol: &str) {
    text.extend(lines.iter().copied());
    if lines.last().is_some_and(|line| !line.ends_with('\n')) {
        text.push_str(eol);
    }
}

/// Returns the line ending of the first line of `text` that has one.
fn line_ending(text: &str) -> Option<&'static str> {
    let end = text.find('\n')?;
    Some(if text[..end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    })
}

/// Number of unchanged lines around a change in a reject hunk, as in `diff -u`.
const REJECT_CONTEXT: usize = 3;

/// Appends the template's change in `chunks[span]` as a hunk from base to theirs, with up to
/// [`REJECT_CONTEXT`] lines of the stable chunks around it, so it can be found and applied by
/// hand (or by `patch`).
fn push_reject(
    out: &mut String,
    chunks: &[Chunk],
    span: Range<usize>,
    base: &[&str],
    theirs: &[&str],
) {
    let (base_start, theirs_start) =
        chunks[..span.start]
            .iter()
            .fold((0, 0), |(b, t), chunk| match chunk {
                Chunk::Stable(r) => (b + r.len(), t + r.len()),
                Chunk::Changed { base, theirs, .. } => (b + base.len(), t + theirs.len()),
            });
    let before = match span.start.checked_sub(1).map(|i| &chunks[i]) {
        Some(Chunk::Stable(r)) => &base[r.end - REJECT_CONTEXT.min(r.len())..r.end],
        _ => &[],
    };
    let after = match chunks.get(span.end) {
        Some(Chunk::Stable(r)) => &base[r.start..r.start + REJECT_CONTEXT.min(r.len())],
        _ => &[],
    };
    let mut body = String::new();
    let (mut base_count, mut theirs_count) = (0, 0);
    for line in before {
        push_line(&mut body, ' ', line);
    }
    for chunk in &chunks[span] {
        match chunk {
            Chunk::Stable(r) => {
                for line in &base[r.clone()] {
                    push_line(&mut body, ' ', line);
                }
                base_count += r.len();
                theirs_count += r.len();
            }
            Chunk::Changed {
                base: b, theirs: t, ..
            } => {
                for line in &base[b.clone()] {
                    push_line(&mut body, '-', line);
                }
                for line in &theirs[t.clone()] {
                    push_line(&mut body, '+', line);
                }
                base_count += b.len();
                theirs_count += t.len();
            }
        }
    }
    for line in after {
        push_line(&mut body, ' ', line);
    }
    let context = before.len() + after.len();
    out.push_str(&format!(
        "@@ -{} +{} @@\n",
        hunk_range(base_start - before.len(), base_count + context),
        hunk_range(theirs_start - before.len(), theirs_count + context)
    ));
    out.push_str(&body);
}

/// What `idp update` does with one file, given its three versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOutcome {
    /// Nothing to write: the working tree already holds the result.
    Unchanged,
    /// The template added the file: create it with these contents.
    Add(Vec<u8>),
    /// The changes merged cleanly: write these contents.
    Write(Vec<u8>),
    /// The template removed the file and the user had not changed it: delete it.
    Delete,
    /// The template removed the file but the user changed it: it stays, and is listed.
    KeepUserChanged,
    /// Both sides changed the same lines: write `text` (markers, or the user's lines with
    /// [`ConflictStyle::Reject`], whose hunks are in `reject`); `regions` conflicts.
    Conflict {
        text: Vec<u8>,
        regions: usize,
        reject: Option<String>,
    },
    /// Both sides changed the file and lines cannot be merged: the user's version (or its
    /// absence) stays, and the conflict is listed.
    Unmergeable(Unmergeable),
}

/// Why a file both sides changed could not be merged line by line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unmergeable {
    /// A version is binary (not UTF-8, or holding a NUL byte).
    Binary,
    /// The user deleted the file and the template changed it.
    DeletedByUser,
}

/// Decides what happens to one file from its base, ours and theirs contents (`None`: absent).
pub fn merge_file(
    base: Option<&[u8]>,
    ours: Option<&[u8]>,
    theirs: Option<&[u8]>,
    style: &ConflictStyle,
) -> FileOutcome {
    match (base, ours, theirs) {
        // Absent everywhere, removed by both sides, or the user's own file.
        (_, None, None) | (None, Some(_), None) => FileOutcome::Unchanged,
        (None, None, Some(theirs)) => FileOutcome::Add(theirs.to_vec()),
        (Some(base), None, Some(theirs)) if base == theirs => FileOutcome::Unchanged,
        (Some(_), None, Some(_)) => FileOutcome::Unmergeable(Unmergeable::DeletedByUser),
        (Some(base), Some(ours), None) if base == ours => FileOutcome::Delete,
        (Some(_), Some(_), None) => FileOutcome::KeepUserChanged,
        (base, Some(ours), Some(theirs)) => {
            if ours == theirs || base == Some(theirs) {
                return FileOutcome::Unchanged;
            }
            if base == Some(ours) {
                return FileOutcome::Write(theirs.to_vec());
            }
            let (Some(base), Some(ours_text), Some(theirs_text)) =
                (as_text(base.unwrap_or(b"")), as_text(ours), as_text(theirs))
            else {
                return FileOutcome::Unmergeable(Unmergeable::Binary);
            };
            let merged = merge3(base, ours_text, theirs_text, style);
            if merged.conflicts > 0 {
                FileOutcome::Conflict {
                    text: merged.text.into_bytes(),
                    regions: merged.conflicts,
                    reject: merged.reject,
                }
            } else if merged.text.as_bytes() == ours {
                FileOutcome::Unchanged
            } else {
                FileOutcome::Write(merged.text.into_bytes())
            }
        }
    }
}

/// Returns `bytes` as text, or `None` when the file is binary, as git decides: not UTF-8, or a
/// NUL byte.
fn as_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|text| !text.contains('\0'))
}

#[cfg(test)]
pub(crate) mod tests {
    pub(crate) use super::diff::tests::Lcg;
    use super::diff::tests::{mutate, random_text};
    use super::*;

    fn inline() -> ConflictStyle {
        ConflictStyle::Inline {
            ours_label: "ours".into(),
            theirs_label: "template v2".into(),
        }
    }

    /// Merges with inline markers; returns the text and the number of conflicts.
    fn merge(base: &str, ours: &str, theirs: &str) -> (String, usize) {
        let merged = merge3(base, ours, theirs, &inline());
        assert_eq!(merged.reject, None);
        (merged.text, merged.conflicts)
    }

    fn clean(text: &str) -> (String, usize) {
        (text.to_string(), 0)
    }

    #[test]
    fn edits_in_different_places_merge_cleanly() {
        let base = "a\nb\nc\nd\ne\n";
        assert_eq!(
            merge(base, "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n"),
            clean("a\nB\nc\nD\ne\n")
        );
        assert_eq!(
            merge(base, "first\na\nb\nc\nd\ne\n", "a\nb\nc\nd\ne\nlast\n"),
            clean("first\na\nb\nc\nd\ne\nlast\n")
        );
        assert_eq!(
            merge(base, "a\nc\nd\ne\n", "a\nb\nc\nd\ne\nf\n"),
            clean("a\nc\nd\ne\nf\n")
        );
    }

    #[test]
    fn the_same_change_on_both_sides_is_clean() {
        let base = "a\nb\nc\n";
        assert_eq!(merge(base, "a\nB\nc\n", "a\nB\nc\n"), clean("a\nB\nc\n"));
        assert_eq!(merge(base, "a\nc\n", "a\nc\n"), clean("a\nc\n"));
        assert_eq!(
            merge(base, "a\nb\nx\nc\n", "a\nb\nx\nc\n"),
            clean("a\nb\nx\nc\n")
        );
    }

    #[test]
    fn overlapping_edits_conflict_with_markers() {
        assert_eq!(
            merge("a\nb\nc\n", "a\nours\nc\n", "a\ntheirs\nc\n"),
            (
                "a\n<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> template v2\nc\n".into(),
                1
            )
        );
        // Adjacent lines are one region, as in diff3 and git.
        assert_eq!(
            merge("a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n"),
            (
                "<<<<<<< ours\nA\nb\n=======\na\nB\n>>>>>>> template v2\nc\n".into(),
                1
            )
        );
        // Conflicts four lines apart stay apart; three lines apart they are one, as in git.
        let base = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let (text, conflicts) = merge(base, "1\nx\n3\n4\n5\n6\ny\n8\n", "1\nX\n3\n4\n5\n6\nY\n8\n");
        assert_eq!(conflicts, 2);
        assert_eq!(text.matches("<<<<<<< ours\n").count(), 2);
        assert_eq!(
            merge(base, "1\nx\n3\n4\n5\ny\n7\n8\n", "1\nX\n3\n4\n5\nY\n7\n8\n"),
            (
                "1\n<<<<<<< ours\nx\n3\n4\n5\ny\n=======\nX\n3\n4\n5\nY\n>>>>>>> template v2\n7\n8\n"
                    .into(),
                1
            )
        );
        // Lines without a letter or digit never keep conflicts apart.
        let base = "a\n{\n}\n\n{\n}\nb\n";
        let (_, conflicts) = merge(base, "A\n{\n}\n\n{\n}\nB\n", "a2\n{\n}\n\n{\n}\nb2\n");
        assert_eq!(conflicts, 1);
    }

    #[test]
    fn a_deletion_against_an_edit_conflicts() {
        assert_eq!(
            merge("a\nb\nc\n", "a\nc\n", "a\nB\nc\n"),
            (
                "a\n<<<<<<< ours\n=======\nB\n>>>>>>> template v2\nc\n".into(),
                1
            )
        );
        assert_eq!(
            merge("a\nb\nc\n", "a\nB\nc\n", "a\nc\n"),
            (
                "a\n<<<<<<< ours\nB\n=======\n>>>>>>> template v2\nc\n".into(),
                1
            )
        );
        // A deletion against no change is just a deletion.
        assert_eq!(merge("a\nb\nc\n", "a\nc\n", "a\nb\nc\n"), clean("a\nc\n"));
    }

    #[test]
    fn insertions_at_the_same_place_conflict_unless_equal() {
        assert_eq!(
            merge("a\nc\n", "a\nx\nc\n", "a\ny\nc\n"),
            (
                "a\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> template v2\nc\n".into(),
                1
            )
        );
        // Lines both added at the edges of the region stay outside the markers.
        assert_eq!(
            merge("a\nc\n", "a\nx\ny\nz\nc\n", "a\nx\nY\nz\nc\n"),
            (
                "a\nx\n<<<<<<< ours\ny\n=======\nY\n>>>>>>> template v2\nz\nc\n".into(),
                1
            )
        );
        assert_eq!(
            merge("a\nc\n", "a\nx\nc\n", "a\nx\nc\n"),
            clean("a\nx\nc\n")
        );
    }

    #[test]
    fn empty_files_merge() {
        assert_eq!(merge("", "", ""), clean(""));
        assert_eq!(merge("", "", "x\n"), clean("x\n"));
        assert_eq!(merge("a\n", "", "a\n"), clean(""));
        assert_eq!(merge("a\n", "a\n", ""), clean(""));
        assert_eq!(
            merge("", "a\n", "b\n"),
            (
                "<<<<<<< ours\na\n=======\nb\n>>>>>>> template v2\n".into(),
                1
            )
        );
    }

    #[test]
    fn a_missing_final_newline_is_kept_or_changed_like_any_line() {
        assert_eq!(
            merge("a\nb\nc", "A\nb\nc", "a\nb\nc\nd"),
            clean("A\nb\nc\nd")
        );
        assert_eq!(merge("a\nb\nc", "A\nb\nc", "a\nb\nc\n"), clean("A\nb\nc\n"));
        assert_eq!(merge("a\nb\nc\n", "a\nb\nc", "A\nb\nc\n"), clean("A\nb\nc"));
        // Appending to a last line without a newline changes that line, as in git.
        assert_eq!(merge("a\nb", "A\nb", "a\nb\nc").1, 1);
        // Markers always start on a line of their own.
        assert_eq!(
            merge("a", "b", "c"),
            (
                "<<<<<<< ours\nb\n=======\nc\n>>>>>>> template v2\n".into(),
                1
            )
        );
    }

    #[test]
    fn crlf_line_endings_are_kept_as_they_are() {
        let base = "a\r\nb\r\nc\r\n";
        assert_eq!(
            merge(base, "A\r\nb\r\nc\r\n", "a\r\nb\r\nC\r\n"),
            clean("A\r\nb\r\nC\r\n")
        );
        assert_eq!(
            merge(base, "a\r\nours\r\nc\r\n", "a\r\ntheirs\r\nc\r\n"),
            (
                "a\r\n<<<<<<< ours\r\nours\r\n=======\r\ntheirs\r\n>>>>>>> template v2\r\nc\r\n"
                    .into(),
                1
            )
        );
        // A template that moves to LF changes every line; nothing is normalised behind its back.
        assert_eq!(merge(base, base, "a\nb\nc\n"), clean("a\nb\nc\n"));
        let (_, conflicts) = merge(base, "A\r\nb\r\nc\r\n", "a\nb\nc\n");
        assert_eq!(conflicts, 1);
    }

    #[test]
    fn reject_style_keeps_ours_and_sets_the_template_hunk_aside() {
        let base = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        let ours = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
        let theirs = "one\n2\n3\n4\nFIVE\n6\n7\n8\n9\n10\n";
        let merged = merge3(base, ours, theirs, &ConflictStyle::Reject);
        assert_eq!(merged.conflicts, 1);
        // The template's clean change is applied; the conflicting line stays the user's.
        assert_eq!(merged.text, "one\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n");
        assert_eq!(
            merged.reject.as_deref(),
            Some("@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n")
        );
        // With nothing else to apply, the user's text is left exactly as it was.
        let only_conflict = merge3(
            base,
            ours,
            &theirs.replace("one", "1"),
            &ConflictStyle::Reject,
        );
        assert_eq!(only_conflict.text, ours);
        assert_eq!(only_conflict.reject, merged.reject);
        let clean = merge3(base, ours, base, &ConflictStyle::Reject);
        assert_eq!((clean.text.as_str(), clean.reject), (ours, None));
    }

    #[cfg(unix)]
    #[test]
    fn patch_applies_a_reject_to_base() {
        let base = "a\nb\nc\nd\n";
        let theirs = "a\nb\nC\nC2\nd\n";
        let merged = merge3(base, "a\nb\nx\nd\n", theirs, &ConflictStyle::Reject);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), base).unwrap();
        let rej = format!("--- a/f\n+++ b/f\n{}", merged.reject.unwrap());
        std::fs::write(dir.path().join("f.rej"), rej).unwrap();
        let status = std::process::Command::new("patch")
            .args(["-s", "-p1", "-i", "f.rej"])
            .current_dir(dir.path())
            .status()
            .expect("patch runs");
        assert!(status.success());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("f")).unwrap(),
            theirs
        );
    }

    /// Returns a side's version of `base`: lines deleted, replaced, inserted before, or replaced
    /// with what the other side may pick too, so both sides sometimes make the same change.
    fn edit(rng: &mut Lcg, base: &[String], side: &str) -> String {
        let mut out = String::new();
        for (i, line) in base.iter().enumerate() {
            match rng.below(10) {
                0 => {}
                1 => out.push_str(&format!("{side} {i}\n")),
                2 => out.push_str(&format!("both {i}\n")),
                3 => out.push_str(&format!("{side} before {i}\n{line}")),
                _ => out.push_str(line),
            }
        }
        out
    }

    #[cfg(unix)]
    #[test]
    fn merges_like_git_merge_file() {
        // Distinct lines make the diffs unique, so git's merge and ours must agree exactly.
        let mut rng = Lcg::new(9);
        for case in 0..60 {
            let base: Vec<String> = (0..4 + rng.below(25))
                .map(|i| format!("line {i}\n"))
                .collect();
            let ours = edit(&mut rng, &base, "ours");
            let theirs = edit(&mut rng, &base, "theirs");
            let base = base.concat();
            let dir = tempfile::tempdir().unwrap();
            for (name, text) in [("base", &base), ("ours", &ours), ("theirs", &theirs)] {
                std::fs::write(dir.path().join(name), text).unwrap();
            }
            let git = std::process::Command::new("git")
                .args(["merge-file", "-p", "-L", "ours", "-L", "base"])
                .args(["-L", "template v2", "ours", "base", "theirs"])
                .current_dir(dir.path())
                .output()
                .expect("git runs");
            let (text, conflicts) = merge(&base, &ours, &theirs);
            assert_eq!(text, String::from_utf8(git.stdout).unwrap(), "case {case}");
            assert_eq!(Some(conflicts as i32), git.status.code(), "case {case}");
        }
    }

    #[test]
    fn one_sided_changes_come_through_whole() {
        let mut rng = Lcg::new(11);
        for case in 0..400 {
            let alphabet = 2 + case % 7;
            let base = random_text(&mut rng, case % 25, alphabet);
            let mut changed = mutate(&mut rng, &base, alphabet + 2);
            if case % 7 == 0 {
                changed.pop();
            }
            assert_eq!(merge(&base, &base, &changed), clean(&changed), "{case}");
            assert_eq!(merge(&base, &changed, &base), clean(&changed), "{case}");
            assert_eq!(merge(&base, &changed, &changed), clean(&changed), "{case}");
        }
    }

    #[test]
    fn every_conflict_is_marked_and_clean_merges_ignore_the_style() {
        let mut rng = Lcg::new(5);
        for case in 0..200 {
            let base = random_text(&mut rng, 5 + case % 20, 6);
            let ours = mutate(&mut rng, &base, 9);
            let theirs = mutate(&mut rng, &base, 9);
            let (text, conflicts) = merge(&base, &ours, &theirs);
            let starts = text.matches("<<<<<<< ours\n").count();
            assert_eq!(starts, conflicts, "{case}");
            assert_eq!(text.matches(">>>>>>> template v2\n").count(), conflicts);
            if conflicts == 0 {
                let rejected = merge3(&base, &ours, &theirs, &ConflictStyle::Reject);
                assert_eq!(rejected.text, text, "{case}");
            }
        }
    }

    #[test]
    fn files_follow_the_template_unless_the_user_changed_them() {
        let style = inline();
        let file = |b: Option<&str>, o: Option<&str>, t: Option<&str>| {
            merge_file(
                b.map(str::as_bytes),
                o.map(str::as_bytes),
                t.map(str::as_bytes),
                &style,
            )
        };
        assert_eq!(
            file(None, None, Some("new\n")),
            FileOutcome::Add(b"new\n".to_vec())
        );
        assert_eq!(file(Some("a\n"), Some("a\n"), None), FileOutcome::Delete);
        assert_eq!(
            file(Some("a\n"), Some("b\n"), None),
            FileOutcome::KeepUserChanged
        );
        assert_eq!(file(None, Some("mine\n"), None), FileOutcome::Unchanged);
        assert_eq!(file(Some("a\n"), None, None), FileOutcome::Unchanged);
        assert_eq!(file(None, None, None), FileOutcome::Unchanged);
        assert_eq!(file(Some("a\n"), None, Some("a\n")), FileOutcome::Unchanged);
        assert_eq!(
            file(Some("a\n"), None, Some("b\n")),
            FileOutcome::Unmergeable(Unmergeable::DeletedByUser)
        );
        assert_eq!(
            file(Some("a\n"), Some("a\n"), Some("b\n")),
            FileOutcome::Write(b"b\n".to_vec())
        );
        assert_eq!(
            file(Some("a\n"), Some("b\n"), Some("a\n")),
            FileOutcome::Unchanged
        );
        assert_eq!(
            file(Some("a\nb\nc\n"), Some("A\nb\nc\n"), Some("a\nb\nC\n")),
            FileOutcome::Write(b"A\nb\nC\n".to_vec())
        );
        assert_eq!(
            file(Some("a\n"), Some("b\n"), Some("c\n")),
            FileOutcome::Conflict {
                text: b"<<<<<<< ours\nb\n=======\nc\n>>>>>>> template v2\n".to_vec(),
                regions: 1,
                reject: None,
            }
        );
        // Both added the file: the same contents are fine, different ones conflict.
        assert_eq!(file(None, Some("x\n"), Some("x\n")), FileOutcome::Unchanged);
        assert!(matches!(
            file(None, Some("x\n"), Some("y\n")),
            FileOutcome::Conflict { regions: 1, .. }
        ));
        let rejected = merge_file(
            Some(b"a\n"),
            Some(b"b\n"),
            Some(b"c\n"),
            &ConflictStyle::Reject,
        );
        assert_eq!(
            rejected,
            FileOutcome::Conflict {
                text: b"b\n".to_vec(),
                regions: 1,
                reject: Some("@@ -1 +1 @@\n-a\n+c\n".into()),
            }
        );
    }

    #[test]
    fn binary_files_are_taken_whole_or_kept() {
        let style = inline();
        let (old, new, mine): (&[u8], &[u8], &[u8]) =
            (b"\x89PNG\0one", b"\x89PNG\0two", b"\x89PNG\0mine");
        assert_eq!(
            merge_file(Some(old), Some(old), Some(new), &style),
            FileOutcome::Write(new.to_vec())
        );
        assert_eq!(
            merge_file(Some(old), Some(mine), Some(old), &style),
            FileOutcome::Unchanged
        );
        assert_eq!(
            merge_file(Some(old), Some(mine), Some(new), &style),
            FileOutcome::Unmergeable(Unmergeable::Binary)
        );
        // Text on two sides, not UTF-8 on the third: still binary, no markers.
        assert_eq!(
            merge_file(Some(b"a\n"), Some(b"b\n"), Some(b"\xff\xfe"), &style),
            FileOutcome::Unmergeable(Unmergeable::Binary)
        );
        assert_eq!(
            merge_file(Some(b"a\n"), Some(b"a\0"), Some(b"c\n"), &style),
            FileOutcome::Unmergeable(Unmergeable::Binary)
        );
    }
}
