//! A small matcher for the subset of tree-sitter query syntax that `grammars/*/facts.scm` use,
//! run in one walk of the tree with a table from node kind to the patterns rooted there.
//!
//! Why: tree-sitter's query cursor re-derives field and supertype information for every node it
//! visits, which made running the facts query cost about as much as parsing. This matcher looks
//! only at nodes whose kind roots a pattern, and needs no `Query::new` at run time (compiling the
//! five queries took ~180 ms at every start).
//!
//! Supported: `(kind child...)`, `(_)`, `"anonymous"`, `[alternatives]`, `field: pattern`, the
//! `?` quantifier, `.` anchors, captures, `(#eq? @capture "text")` and
//! `(#match? @capture "regex")`. Anything else makes
//! [`Matcher::new`] fail, and the facts builder then uses tree-sitter's own query cursor, so a
//! new pattern is never silently ignored. Matching semantics follow tree-sitter's: child
//! patterns match children in order (not necessarily adjacent), the first match in document
//! order is taken, and each (pattern, root node) pair yields at most one match; a test checks
//! that both engines give the same facts on every fixture.

use std::collections::HashMap;

use tree_sitter::{Language, Node};

/// A parsed pattern element.
#[derive(Debug)]
struct Pat {
    kind: PatKind,
    captures: Vec<u32>,
    optional: bool,
}

#[derive(Debug)]
enum PatKind {
    /// A named node of one of these kinds (`None`: any named node, `(_)`).
    Named {
        kinds: Option<Vec<u16>>,
        children: Vec<Child>,
        /// A `.` after the last child: it must be the last named child.
        anchor_end: bool,
    },
    /// An anonymous node with one of these texts.
    Anonymous(Vec<String>),
    /// One of several patterns.
    Alternatives(Vec<Pat>),
}

#[derive(Debug)]
struct Child {
    field: Option<u16>,
    /// A `.` before this child: it must be the first named child, or the named sibling right
    /// after the previous child's match.
    anchored: bool,
    pat: Pat,
}

/// What a predicate asks of a capture's text.
#[derive(Debug)]
enum TextTest {
    Equals(String),
    Matches(regex::Regex),
}

impl TextTest {
    fn accepts(&self, text: &[u8]) -> bool {
        match self {
            TextTest::Equals(expected) => text == expected.as_bytes(),
            TextTest::Matches(regex) => std::str::from_utf8(text).is_ok_and(|t| regex.is_match(t)),
        }
    }
}

#[derive(Debug)]
struct Pattern {
    pat: Pat,
    /// `(#eq? @capture "text")` and `(#match? @capture "regex")` predicates.
    equals: Vec<(u32, TextTest)>,
}

/// Compiled facts patterns for one language.
pub struct Matcher {
    patterns: Vec<Pattern>,
    /// For each node kind id, the patterns whose root can be that kind.
    by_kind: Vec<Vec<u16>>,
    /// For each node kind id: some pattern looks at the children of such a node.
    needs_children: Vec<bool>,
    /// A pattern looks at the children of `(_)`: every node's children are recorded.
    all_need_children: bool,
    capture_names: Vec<String>,
}

// -------------------------------------------------------------------------------------------------
// Parsing
// -------------------------------------------------------------------------------------------------

#[derive(Debug, PartialEq)]
enum Token {
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Dot,
    Question,
    Capture(String),
    Str(String),
    Field(String),
    Word(String),
    Predicate(String),
}

fn tokenize(source: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            ';' => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => {}
            '(' => tokens.push(Token::Open),
            ')' => tokens.push(Token::Close),
            '[' => tokens.push(Token::OpenBracket),
            ']' => tokens.push(Token::CloseBracket),
            '.' => tokens.push(Token::Dot),
            '?' => tokens.push(Token::Question),
            '"' => {
                let mut text = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some((_, 'n')) => text.push('\n'),
                            Some((_, other)) => text.push(other),
                            None => break,
                        },
                        '"' => {
                            closed = true;
                            break;
                        }
                        other => text.push(other),
                    }
                }
                if !closed {
                    return Err("unterminated string".to_string());
                }
                tokens.push(Token::Str(text));
            }
            '@' | '#' | '_' | 'a'..='z' | 'A'..='Z' => {
                let mut word = String::new();
                word.push(c);
                while let Some(&(_, next)) = chars.peek() {
                    if next.is_alphanumeric() || matches!(next, '_' | '.' | '-' | '?' | '!') {
                        // `.` belongs to capture names only (`@call.callee`).
                        if next == '.' && c != '@' {
                            break;
                        }
                        if next == '?' && c != '#' {
                            break;
                        }
                        word.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if c == '@' {
                    tokens.push(Token::Capture(word.get(1..).unwrap_or("").to_string()));
                } else if c == '#' {
                    tokens.push(Token::Predicate(word));
                } else if chars.peek().map(|&(_, n)| n) == Some(':') {
                    chars.next();
                    tokens.push(Token::Field(word));
                } else {
                    tokens.push(Token::Word(word));
                }
            }
            other => return Err(format!("unsupported character `{other}`")),
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    language: &'a Language,
    kinds: &'a HashMap<(String, bool), Vec<u16>>,
    captures: Vec<String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.at);
        self.at += 1;
        token
    }

    fn capture_id(&mut self, name: &str) -> u32 {
        match self.captures.iter().position(|c| c == name) {
            Some(i) => i as u32,
            None => {
                self.captures.push(name.to_string());
                (self.captures.len() - 1) as u32
            }
        }
    }

    fn kind_ids(&self, name: &str, named: bool) -> Result<Vec<u16>, String> {
        match self.kinds.get(&(name.to_string(), named)) {
            Some(ids) if !ids.is_empty() => Ok(ids.clone()),
            _ => Err(format!("unknown node kind `{name}`")),
        }
    }

    /// Parses one pattern with its quantifier and captures.
    fn pattern(&mut self, equals: &mut Vec<(u32, TextTest)>) -> Result<Pat, String> {
        let kind = match self.next() {
            Some(Token::Open) => match self.next() {
                Some(Token::Word(word)) => {
                    let word = word.clone();
                    let kinds = if word == "_" {
                        None
                    } else {
                        Some(self.kind_ids(&word, true)?)
                    };
                    let (children, anchor_end) = self.children(equals)?;
                    PatKind::Named {
                        kinds,
                        children,
                        anchor_end,
                    }
                }
                other => return Err(format!("expected a node kind, found {other:?}")),
            },
            Some(Token::OpenBracket) => {
                let mut alternatives = Vec::new();
                loop {
                    if self.peek() == Some(&Token::CloseBracket) {
                        self.next();
                        break;
                    }
                    alternatives.push(self.pattern(equals)?);
                }
                if alternatives.is_empty() {
                    return Err("empty alternation".to_string());
                }
                PatKind::Alternatives(alternatives)
            }
            Some(Token::Str(text)) => {
                let text = text.clone();
                // Check that the grammar has such a token.
                self.kind_ids(&text, false)?;
                PatKind::Anonymous(vec![text])
            }
            other => return Err(format!("unsupported pattern start {other:?}")),
        };
        // A bracket of anonymous strings is one anonymous pattern.
        let kind = match kind {
            PatKind::Alternatives(alternatives)
                if alternatives.iter().all(|a| {
                    matches!(a.kind, PatKind::Anonymous(_)) && a.captures.is_empty() && !a.optional
                }) =>
            {
                let texts = alternatives
                    .into_iter()
                    .flat_map(|a| match a.kind {
                        PatKind::Anonymous(texts) => texts,
                        _ => Vec::new(),
                    })
                    .collect();
                PatKind::Anonymous(texts)
            }
            other => other,
        };
        let mut pat = Pat {
            kind,
            captures: Vec::new(),
            optional: false,
        };
        loop {
            match self.peek() {
                Some(Token::Question) => {
                    self.next();
                    pat.optional = true;
                }
                Some(Token::Capture(name)) => {
                    let name = name.clone();
                    self.next();
                    let id = self.capture_id(&name);
                    pat.captures.push(id);
                }
                _ => break,
            }
        }
        Ok(pat)
    }

    /// Parses children up to the closing parenthesis.
    fn children(
        &mut self,
        equals: &mut Vec<(u32, TextTest)>,
    ) -> Result<(Vec<Child>, bool), String> {
        let mut children = Vec::new();
        let mut anchored = false;
        loop {
            match self.peek() {
                Some(Token::Close) => {
                    self.next();
                    return Ok((children, anchored));
                }
                Some(Token::Dot) => {
                    self.next();
                    anchored = true;
                }
                Some(Token::Open)
                    if matches!(self.tokens.get(self.at + 1), Some(Token::Predicate(_))) =>
                {
                    self.next();
                    let name = match self.next() {
                        Some(Token::Predicate(name)) => name.clone(),
                        _ => return Err("expected a predicate".to_string()),
                    };
                    if name != "#eq?" && name != "#match?" {
                        return Err(format!("unsupported predicate {name}"));
                    }
                    let capture = match self.next() {
                        Some(Token::Capture(c)) => c.clone(),
                        _ => return Err(format!("{name} needs a capture then a string")),
                    };
                    let text = match self.next() {
                        Some(Token::Str(t)) => t.clone(),
                        _ => return Err(format!("{name} needs a capture then a string")),
                    };
                    if self.next() != Some(&Token::Close) {
                        return Err(format!("{name} takes two arguments"));
                    }
                    let test = if name == "#eq?" {
                        TextTest::Equals(text)
                    } else {
                        let regex = regex::Regex::new(&text)
                            .map_err(|e| format!("{name} {text:?}: {e}"))?;
                        TextTest::Matches(regex)
                    };
                    let id = self.capture_id(&capture);
                    equals.push((id, test));
                }
                Some(Token::Field(name)) => {
                    let name = name.clone();
                    self.next();
                    let field = self
                        .language
                        .field_id_for_name(&name)
                        .map(|f| f.get())
                        .ok_or_else(|| format!("unknown field `{name}`"))?;
                    let pat = self.pattern(equals)?;
                    children.push(Child {
                        field: Some(field),
                        anchored,
                        pat,
                    });
                    anchored = false;
                }
                Some(_) => {
                    let pat = self.pattern(equals)?;
                    children.push(Child {
                        field: None,
                        anchored,
                        pat,
                    });
                    anchored = false;
                }
                None => return Err("unclosed parenthesis".to_string()),
            }
        }
    }
}

fn root_kinds(pat: &Pat, out: &mut Vec<u16>) -> Result<(), String> {
    match &pat.kind {
        PatKind::Named {
            kinds: Some(kinds), ..
        } => {
            out.extend(kinds);
            Ok(())
        }
        PatKind::Named { kinds: None, .. } => Err("a pattern rooted at (_)".to_string()),
        PatKind::Anonymous(_) => Err("a pattern rooted at an anonymous node".to_string()),
        PatKind::Alternatives(alternatives) => {
            for alternative in alternatives {
                root_kinds(alternative, out)?;
            }
            Ok(())
        }
    }
}

/// Marks the kinds whose children some part of `pat` looks at.
fn mark_needs_children(pat: &Pat, needs: &mut [bool], all: &mut bool) {
    match &pat.kind {
        PatKind::Named {
            kinds,
            children,
            anchor_end,
        } => {
            if !children.is_empty() || *anchor_end {
                match kinds {
                    Some(kinds) => {
                        for kind in kinds {
                            if let Some(slot) = needs.get_mut(*kind as usize) {
                                *slot = true;
                            }
                        }
                    }
                    None => *all = true,
                }
            }
            for child in children {
                mark_needs_children(&child.pat, needs, all);
            }
        }
        PatKind::Anonymous(_) => {}
        PatKind::Alternatives(alternatives) => {
            for alternative in alternatives {
                mark_needs_children(alternative, needs, all);
            }
        }
    }
}

impl Matcher {
    /// Compiles `source` for `language`; an error names what this matcher does not support.
    pub fn new(language: &Language, source: &str) -> Result<Matcher, String> {
        let mut kinds: HashMap<(String, bool), Vec<u16>> = HashMap::new();
        for id in 0..language.node_kind_count() as u16 {
            let Some(name) = language.node_kind_for_id(id) else {
                continue;
            };
            if !language.node_kind_is_visible(id) {
                continue;
            }
            kinds
                .entry((name.to_string(), language.node_kind_is_named(id)))
                .or_default()
                .push(id);
        }
        let tokens = tokenize(source)?;
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
            language,
            kinds: &kinds,
            captures: Vec::new(),
        };
        let mut patterns = Vec::new();
        while parser.peek().is_some() {
            let mut equals = Vec::new();
            let pat = parser.pattern(&mut equals)?;
            patterns.push(Pattern { pat, equals });
        }
        let mut by_kind = vec![Vec::new(); language.node_kind_count()];
        for (index, pattern) in patterns.iter().enumerate() {
            let mut roots = Vec::new();
            root_kinds(&pattern.pat, &mut roots)?;
            roots.sort_unstable();
            roots.dedup();
            for kind in roots {
                if let Some(list) = by_kind.get_mut(kind as usize) {
                    list.push(index as u16);
                }
            }
        }
        let mut needs_children = vec![false; language.node_kind_count()];
        let mut all_need_children = false;
        for pattern in &patterns {
            mark_needs_children(&pattern.pat, &mut needs_children, &mut all_need_children);
        }
        Ok(Matcher {
            patterns,
            by_kind,
            needs_children,
            all_need_children,
            capture_names: parser.captures,
        })
    }

    /// True when no pattern is rooted at this kind or looks at its children: facts of its
    /// children can then be built one child at a time.
    pub fn splittable(&self, kind: u16) -> bool {
        !self.all_need_children
            && !self
                .needs_children
                .get(kind as usize)
                .copied()
                .unwrap_or(true)
            && self
                .by_kind
                .get(kind as usize)
                .is_some_and(|l| l.is_empty())
    }

    pub fn capture_names(&self) -> &[String] {
        &self.capture_names
    }

    /// Calls `on_match` with the captures of every match in the tree.
    ///
    /// One walk records every node with its field and the range of its children in an arena
    /// (children contiguous); matching then reads the arena, so no node's children are listed
    /// twice. Matches are reported with their roots in document (pre-)order.
    pub fn for_each_match<'t>(
        &self,
        root: Node<'t>,
        source: &[u8],
        mut on_match: impl FnMut(&[(u32, Node<'t>)]),
    ) {
        let mut walk = Walk::default();
        walk.run(root, self);
        let Walk {
            arena,
            mut candidates,
            ..
        } = walk;
        candidates.sort_unstable_by_key(|&(order, _)| order);
        let mut captures: Vec<(u32, Node<'t>)> = Vec::new();
        for (_, index) in candidates {
            let Some(entry) = arena.get(index as usize) else {
                continue;
            };
            let Some(list) = self.by_kind.get(entry.kind as usize) else {
                continue;
            };
            for &pattern_index in list {
                let Some(pattern) = self.patterns.get(pattern_index as usize) else {
                    continue;
                };
                captures.clear();
                let mut done = |captures: &mut Vec<(u32, Node<'t>)>| {
                    let accepted = pattern.equals.iter().all(|(capture, test)| {
                        captures.iter().any(|(c, n)| {
                            c == capture
                                && source
                                    .get(n.start_byte()..n.end_byte())
                                    .is_some_and(|text| test.accepts(text))
                        })
                    });
                    if accepted {
                        on_match(captures);
                    }
                    accepted
                };
                self.matches(&pattern.pat, &arena, index, &mut captures, &mut done);
            }
        }
    }

    /// Tries every way `pat` matches the node at `arena[index]`, calling `then` after each
    /// (with the captures so far); true when some `then` returned true.
    fn matches<'t>(
        &self,
        pat: &Pat,
        arena: &[Entry<'t>],
        index: u32,
        captures: &mut Vec<(u32, Node<'t>)>,
        then: &mut Continuation<'_, 't>,
    ) -> bool {
        let Some(entry) = arena.get(index as usize) else {
            return false;
        };
        let node = entry.node;
        let mark = captures.len();
        let mut with_captures = |captures: &mut Vec<(u32, Node<'t>)>| {
            let inner = captures.len();
            for &capture in &pat.captures {
                captures.push((capture, node));
            }
            let ok = then(captures);
            captures.truncate(inner);
            ok
        };
        let ok = match &pat.kind {
            PatKind::Anonymous(texts) => {
                !node.is_named()
                    && texts.iter().any(|t| t == node.kind())
                    && with_captures(captures)
            }
            PatKind::Alternatives(alternatives) => alternatives.iter().any(|alternative| {
                // The alternation's own captures are added after the alternative's.
                self.matches(alternative, arena, index, captures, &mut with_captures)
            }),
            PatKind::Named {
                kinds,
                children: pats,
                anchor_end,
            } => {
                if !entry.named
                    || !kinds
                        .as_ref()
                        .is_none_or(|kinds| kinds.contains(&entry.kind))
                {
                    false
                } else if pats.is_empty() && !anchor_end {
                    with_captures(captures)
                } else {
                    let span = (entry.first_child, entry.first_child + entry.child_count);
                    self.sequence(
                        arena,
                        span,
                        span.0,
                        pats,
                        None,
                        *anchor_end,
                        captures,
                        &mut with_captures,
                    )
                }
            }
        };
        captures.truncate(mark);
        ok
    }

    /// Matches `pats` in order against the children `arena[span]` from `from` on; `previous`
    /// is the child matched by the previous child pattern (for anchors).
    #[allow(clippy::too_many_arguments)]
    fn sequence<'t>(
        &self,
        arena: &[Entry<'t>],
        span: (u32, u32),
        from: u32,
        pats: &[Child],
        previous: Option<u32>,
        anchor_end: bool,
        captures: &mut Vec<(u32, Node<'t>)>,
        then: &mut Continuation<'_, 't>,
    ) -> bool {
        let (start, end) = span;
        let named_in = |from: u32, to: u32| {
            arena
                .get(from as usize..to as usize)
                .unwrap_or_default()
                .iter()
                .any(|e| e.named && !e.extra)
        };
        let Some((child, rest)) = pats.split_first() else {
            // With a final anchor, nothing named may follow the last match.
            if anchor_end && named_in(previous.map_or(start, |p| p + 1), end) {
                return false;
            }
            return then(captures);
        };
        let mut any = false;
        for index in from..end {
            if child.anchored && named_in(previous.map_or(start, |p| p + 1), index) {
                break;
            }
            let Some(entry) = arena.get(index as usize) else {
                break;
            };
            if child.field.is_some() && child.field != entry.field {
                continue;
            }
            let mut next = |captures: &mut Vec<(u32, Node<'t>)>| {
                self.sequence(
                    arena,
                    span,
                    index + 1,
                    rest,
                    Some(index),
                    anchor_end,
                    captures,
                    then,
                )
            };
            any |= self.matches(&child.pat, arena, index, captures, &mut next);
        }
        if !any && child.pat.optional {
            return self.sequence(
                arena, span, from, rest, previous, anchor_end, captures, then,
            );
        }
        any
    }
}

/// A node of the walked tree: its field in its parent and where its children are.
#[derive(Clone, Copy)]
struct Entry<'t> {
    node: Node<'t>,
    /// The node's kind and flags, read once at walk time.
    kind: u16,
    named: bool,
    extra: bool,
    field: Option<u16>,
    first_child: u32,
    child_count: u32,
}

/// The walk that fills the arena.
///
/// Only what matching can look at is recorded: the children of nodes whose kind some pattern
/// needs the children of, and every node whose kind roots a pattern. Other nodes are walked
/// through (their descendants may matter) but cost no more than the cursor's steps.
#[derive(Default)]
struct Walk<'t> {
    arena: Vec<Entry<'t>>,
    /// (pre-order number, arena index) of nodes whose kind roots some pattern.
    candidates: Vec<(u32, u32)>,
    /// Per depth: the children collected so far of the node at that depth.
    frames: Vec<Vec<(Entry<'t>, u32)>>,
    /// Per depth: the node being walked.
    pending: Vec<Pending<'t>>,
}

#[derive(Clone, Copy)]
struct Pending<'t> {
    node: Node<'t>,
    kind: u16,
    field: Option<u16>,
    order: u32,
    /// Some pattern looks at this node's children.
    needs_children: bool,
    /// Some pattern is rooted at this node's kind.
    candidate: bool,
}

impl<'t> Walk<'t> {
    fn run(&mut self, root: Node<'t>, matcher: &Matcher) {
        let mut cursor = root.walk();
        let mut order = 0u32;
        self.enter(matcher, root, None, order, 0);
        let mut depth = 0usize;
        loop {
            if cursor.goto_first_child() {
                depth += 1;
                order += 1;
                let field = self.field_if_needed(&cursor, depth);
                self.enter(matcher, cursor.node(), field, order, depth);
                continue;
            }
            // The node at `depth` is complete; so is every ancestor left by `goto_parent`.
            loop {
                self.leave(depth);
                if depth == 0 {
                    return;
                }
                if cursor.goto_next_sibling() {
                    order += 1;
                    let field = self.field_if_needed(&cursor, depth);
                    self.enter(matcher, cursor.node(), field, order, depth);
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
                depth -= 1;
            }
        }
    }

    /// The field of the cursor's node, when its parent's children are recorded.
    fn field_if_needed(&self, cursor: &tree_sitter::TreeCursor<'t>, depth: usize) -> Option<u16> {
        let parent_needs = depth
            .checked_sub(1)
            .and_then(|d| self.pending.get(d))
            .is_some_and(|p| p.needs_children);
        if parent_needs {
            cursor.field_id().map(|f| f.get())
        } else {
            None
        }
    }

    fn enter(
        &mut self,
        matcher: &Matcher,
        node: Node<'t>,
        field: Option<u16>,
        order: u32,
        depth: usize,
    ) {
        if self.frames.len() <= depth {
            self.frames.resize_with(depth + 1, Vec::new);
        }
        if let Some(frame) = self.frames.get_mut(depth) {
            frame.clear();
        }
        let kind = node.kind_id();
        let needs_children = matcher.all_need_children
            || matcher
                .needs_children
                .get(kind as usize)
                .copied()
                .unwrap_or(false);
        let candidate = matcher
            .by_kind
            .get(kind as usize)
            .is_some_and(|list| !list.is_empty());
        self.pending.truncate(depth);
        self.pending.push(Pending {
            node,
            kind,
            field,
            order,
            needs_children,
            candidate,
        });
    }

    /// Completes the node at `depth`: its recorded children go to the arena, and it joins its
    /// parent's children (when those are recorded) or the arena (when it is a candidate).
    fn leave(&mut self, depth: usize) {
        let first_child = self.arena.len() as u32;
        let mut child_count = 0;
        if let Some(frame) = self.frames.get_mut(depth) {
            for (entry, candidate_order) in frame.drain(..) {
                let index = self.arena.len() as u32;
                if let Some(order) = candidate_order.checked_sub(1) {
                    self.candidates.push((order, index));
                }
                self.arena.push(entry);
                child_count += 1;
            }
        }
        let Some(&pending) = self.pending.get(depth) else {
            return;
        };
        let parent_records = depth
            .checked_sub(1)
            .and_then(|d| self.pending.get(d))
            .is_some_and(|p| p.needs_children);
        if !parent_records && !pending.candidate {
            return;
        }
        let node = pending.node;
        let entry = Entry {
            node,
            kind: pending.kind,
            named: node.is_named(),
            extra: node.is_extra(),
            field: pending.field,
            first_child,
            child_count,
        };
        // Candidates carry their pre-order number plus one; others carry 0.
        let candidate_order = if pending.candidate {
            pending.order + 1
        } else {
            0
        };
        match depth.checked_sub(1).and_then(|d| self.frames.get_mut(d)) {
            Some(parent) if parent_records => parent.push((entry, candidate_order)),
            _ => {
                let index = self.arena.len() as u32;
                self.candidates.push((pending.order, index));
                self.arena.push(entry);
            }
        }
    }
}

/// What to do after a (partial) match: sees the captures so far, returns whether the whole
/// pattern matched.
type Continuation<'c, 't> = dyn FnMut(&mut Vec<(u32, Node<'t>)>) -> bool + 'c;
