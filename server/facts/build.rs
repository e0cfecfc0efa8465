//! Builds [`Facts`] from a tree with the language's combined query, in one pass.
//!
//! # Capture vocabulary
//!
//! Every pattern in `grammars/<language>/facts.scm` has one *head* capture (a name without a dot)
//! on the construct it describes, and *field* captures named `head.field` on its parts:
//!
//! | head | fields | meaning |
//! |---|---|---|
//! | `@call` | `callee`, `receiver`, `args`, `init` | a function or method call |
//! | `@new` | `callee`, `args`, `init` | a constructor call (`callee` may be qualified or generic) |
//! | `@arg` | `name`, `value` | a wrapped or named argument (plain argument nodes need no capture) |
//! | `@object` | | an object literal, dictionary or initializer; its `@prop` children are its properties |
//! | `@prop` | `key`, `value` | a property (no `value`: shorthand, the key is also the value) |
//! | `@array` | `items` | an array or list; its items are the named children of `items` (or of itself) |
//! | `@string` | | a string literal; its `@interp` children are interpolations |
//! | `@interp` | `expr` | an interpolation inside a string |
//! | `@concat` | `left`, `right` | string concatenation (no fields: all named children are parts) |
//! | `@member` | `object`, `name` | a member access |
//! | `@wrap` | `inner` | an expression that stands for `inner` (parentheses, `await`, casts) |
//! | `@binding` | `name`, `value` | a variable, constant or field bound to a value |
//! | `@assign` | `object`, `name`, `value` | `object.name = value` |
//! | `@number` | | a numeric literal |
//! | `@compare` | `left`, `right` | an equality comparison (no fields: the first two named children) |
//! | `@switch` | `subject` | a switch/match statement; `@case` nodes inside it compare with `subject` |
//! | `@case` | `value` | a case label value |
//! | `@comment` | | a comment |
//! | `@statement` | `expr` | an expression statement |
//! | `@function` | | a function, lambda or arrow function |
//! | `@import` | `module` | an import of a module |
//!
//! Identifiers need no capture: node kinds that end in `identifier` are identifiers.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use super::matcher::Matcher;
use super::merge::{Delta, Lens};
use super::*;
use crate::language::{Language, LanguageSpec, LANGUAGES};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    Call,
    New,
    Arg,
    Object,
    Prop,
    Array,
    Str,
    Interp,
    Concat,
    Member,
    Wrap,
    Binding,
    Assign,
    Number,
    Compare,
    Switch,
    Case,
    Comment,
    Statement,
    Function,
    Import,
}

impl Role {
    fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "call" => Role::Call,
            "new" => Role::New,
            "arg" => Role::Arg,
            "object" => Role::Object,
            "prop" => Role::Prop,
            "array" => Role::Array,
            "string" => Role::Str,
            "interp" => Role::Interp,
            "concat" => Role::Concat,
            "member" => Role::Member,
            "wrap" => Role::Wrap,
            "binding" => Role::Binding,
            "assign" => Role::Assign,
            "number" => Role::Number,
            "compare" => Role::Compare,
            "switch" => Role::Switch,
            "case" => Role::Case,
            "comment" => Role::Comment,
            "statement" => Role::Statement,
            "function" => Role::Function,
            "import" => Role::Import,
            _ => return None,
        })
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Callee,
    Receiver,
    Args,
    Init,
    Name,
    Value,
    Key,
    Items,
    Expr,
    Left,
    Right,
    Object,
    Inner,
    Subject,
    Module,
}

impl Field {
    fn parse(name: &str) -> Option<Field> {
        Some(match name {
            "callee" => Field::Callee,
            "receiver" => Field::Receiver,
            "args" => Field::Args,
            "init" => Field::Init,
            "name" => Field::Name,
            "value" => Field::Value,
            "key" => Field::Key,
            "items" => Field::Items,
            "expr" => Field::Expr,
            "left" => Field::Left,
            "right" => Field::Right,
            "object" => Field::Object,
            "inner" => Field::Inner,
            "subject" => Field::Subject,
            "module" => Field::Module,
            _ => return None,
        })
    }
}

struct CompiledQuery {
    query: Query,
    /// For each capture index: its role and field (`None` field for a head).
    captures: Vec<Option<(Role, Option<Field>)>>,
}

/// How a language's facts patterns are run.
enum Engine {
    /// The one-walk matcher (the normal case).
    Matcher {
        matcher: Matcher,
        captures: Vec<Option<(Role, Option<Field>)>>,
    },
    /// tree-sitter's query cursor, for patterns the matcher does not support.
    Query(CompiledQuery),
}

fn parse_capture(name: &str) -> Option<(Role, Option<Field>)> {
    match name.split_once('.') {
        Some((role, field)) => Some((Role::parse(role)?, Some(Field::parse(field)?))),
        None => Some((Role::parse(name)?, None)),
    }
}

fn compile_query(spec: &LanguageSpec) -> Option<CompiledQuery> {
    let query = Query::new(&spec.language.grammar(), spec.facts_query).ok()?;
    let captures = query
        .capture_names()
        .iter()
        .map(|n| parse_capture(n))
        .collect();
    Some(CompiledQuery { query, captures })
}

/// The engine of a language, compiled on first use (each language on its own, so that a
/// thread needing one language does not wait for the others).
fn engine(language: Language) -> Option<&'static Engine> {
    const SLOTS: usize = 16;
    static ENGINES: [OnceLock<Option<Engine>>; SLOTS] = [const { OnceLock::new() }; SLOTS];
    let spec = LANGUAGES.iter().find(|s| s.language == language)?;
    ENGINES
        .get(language as usize)?
        .get_or_init(
            || match Matcher::new(&spec.language.grammar(), spec.facts_query) {
                Ok(matcher) => {
                    let captures = matcher
                        .capture_names()
                        .iter()
                        .map(|n| parse_capture(n))
                        .collect();
                    Some(Engine::Matcher { matcher, captures })
                }
                Err(_) => compile_query(spec).map(Engine::Query),
            },
        )
        .as_ref()
}

/// Why the matcher cannot run a language's patterns (tests require `None` for every language).
pub fn matcher_unsupported(language: Language) -> Option<String> {
    let spec = LANGUAGES.iter().find(|s| s.language == language)?;
    Matcher::new(&spec.language.grammar(), spec.facts_query).err()
}

/// Checks that every language's query compiles and uses only known capture names; returns the
/// problems found (used by tests).
pub fn capture_names_are_known() -> Vec<String> {
    let mut problems = Vec::new();
    for spec in LANGUAGES {
        match Query::new(&spec.language.grammar(), spec.facts_query) {
            Err(err) => problems.push(format!("{}: {err}", spec.name)),
            Ok(query) => {
                for name in query.capture_names() {
                    if !name.starts_with('_') && parse_capture(name).is_none() {
                        problems.push(format!("{}: unknown capture @{name}", spec.name));
                    }
                }
            }
        }
    }
    problems
}

/// A hasher for node ids (addresses): one multiply instead of SipHash, which showed in
/// profiles. Node ids are not attacker-chosen keys.
#[derive(Default)]
struct NodeIdHasher(u64);

impl Hasher for NodeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, id: usize) {
        self.0 = (id as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

type NodeMap<V> = HashMap<usize, V, BuildHasherDefault<NodeIdHasher>>;

/// The fields of one head, inline up to [`INLINE_FIELDS`] (no allocation per head).
const INLINE_FIELDS: usize = 4;

#[derive(Default)]
struct Head<'t> {
    roles: u32,
    inline: [Option<(Role, Field, Node<'t>)>; INLINE_FIELDS],
    spill: Vec<(Role, Field, Node<'t>)>,
}

impl<'t> Head<'t> {
    fn has(&self, role: Role) -> bool {
        self.roles & role.bit() != 0
    }

    fn field(&self, role: Role, field: Field) -> Option<Node<'t>> {
        self.inline
            .iter()
            .map_while(|slot| slot.as_ref())
            .chain(self.spill.iter())
            .find(|(r, f, _)| *r == role && *f == field)
            .map(|(_, _, n)| *n)
    }

    /// Adds a field unless the head already has one for this role and field (first wins).
    fn add_field(&mut self, role: Role, field: Field, node: Node<'t>) {
        if self.field(role, field).is_some() {
            return;
        }
        match self.inline.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some((role, field, node)),
            None => self.spill.push((role, field, node)),
        }
    }
}

struct Builder<'t, 's> {
    source: &'s str,
    /// A cursor and child buffers reused across nodes (each new cursor allocates).
    cursor: Option<tree_sitter::TreeCursor<'t>>,
    pool: Vec<Vec<Node<'t>>>,
    /// The switches (end byte, subject) enclosing the node being visited, innermost last;
    /// asking a node for its parent walks down from the root, which grows with the file.
    switches: Vec<(usize, Node<'t>)>,
    heads: NodeMap<Head<'t>>,
    memo: NodeMap<ExprId>,
    facts: Facts,
}

/// Builds the facts of one file.
pub fn build(language: Language, tree: &Tree, source: &str) -> Facts {
    match engine(language) {
        Some(Engine::Matcher { matcher, captures }) => {
            // About one head per 24 bytes of source in typical code: no rehashing as it grows.
            let mut heads = Heads {
                heads: NodeMap::with_capacity_and_hasher(source.len() / 24, Default::default()),
                order: Vec::with_capacity(source.len() / 24),
            };
            matcher.for_each_match(tree.root_node(), source.as_bytes(), |found| {
                heads.add(captures, found.iter().map(|(i, n)| (*i, *n)));
            });
            heads.finish(source)
        }
        Some(Engine::Query(compiled)) => build_with(compiled, tree, source),
        None => Facts::default(),
    }
}

/// Facts kept between edits of one document: the facts of each chunk of its tree (relative to
/// the chunk's start), by the chunk's node and text. An edit changes a few chunks; the others
/// are reused (parsing reuses their subtrees, so their nodes keep their ids).
///
/// The facts of the last build can be handed back with [`FactsCache::recycle`]; the next build
/// then keeps them up to the first chunk that changed instead of copying every chunk again.
#[derive(Default)]
pub struct FactsCache {
    chunks: HashMap<ChunkKey, std::sync::Arc<Facts>>,
    /// The chunks of the last build, with the facts' lengths after each.
    last: Vec<(ChunkKey, usize, Lens)>,
    /// Counts builds, so that only the last build's facts are taken back.
    generation: u64,
    recycled: Option<Facts>,
}

type ChunkKey = (usize, u64, usize);

impl FactsCache {
    /// The number of the last build (give it back with its facts to [`FactsCache::recycle`]).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Takes back the facts of build `generation` to reuse their unchanged prefix; facts of
    /// an older build are dropped.
    pub fn recycle(&mut self, facts: Facts, generation: u64) {
        if generation == self.generation {
            self.recycled = Some(facts);
        }
    }
}

/// Chunks are split further while larger than this.
const CHUNK_BYTES: usize = 2048;

/// Builds facts like [`build`], reusing from `cache` the facts of the parts of the tree that
/// did not change; `cache` is left holding this version's parts.
pub fn build_cached(
    language: Language,
    tree: &Tree,
    source: &str,
    cache: &mut FactsCache,
) -> Facts {
    let Some(Engine::Matcher { matcher, captures }) = engine(language) else {
        return build(language, tree, source);
    };
    let root = tree.root_node();
    if !matcher.splittable(root.kind_id()) {
        return build(language, tree, source);
    }
    let chunks: Vec<(Node, ChunkKey, usize)> = chunks_of(matcher, root)
        .into_iter()
        .map(|chunk| {
            let (start, end) = (chunk.start_byte(), chunk.end_byte());
            let text = source.get(start..end).unwrap_or("");
            (chunk, (chunk.id(), text_hash(text), text.len()), start)
        })
        .collect();
    let last = std::mem::take(&mut cache.last);
    // The last build's facts, when handed back unchanged, keep the chunks before the first
    // that differs (same node, text and position: nothing before an edit moves) and, moved in
    // place, the chunks after the last that differs (same node and text, all moved by the
    // same number of bytes).
    let last_total = last.last().map(|(_, _, lens)| *lens).unwrap_or_default();
    let recycled = cache
        .recycled
        .take()
        .filter(|facts| Lens::of(facts) == last_total);
    let usable = recycled.is_some();
    let mut facts = recycled.unwrap_or_default();
    let (new_n, old_n) = (chunks.len(), last.len());
    let mut prefix = 0;
    let mut suffix = 0;
    let mut byte_delta = 0isize;
    if usable {
        while let (Some((_, key, start)), Some((old_key, old_start, _))) =
            (chunks.get(prefix), last.get(prefix))
        {
            if key != old_key || start != old_start {
                break;
            }
            prefix += 1;
        }
        while suffix < new_n.saturating_sub(prefix) && suffix < old_n.saturating_sub(prefix) {
            let (Some((_, key, start)), Some((old_key, old_start, _))) =
                (chunks.get(new_n - 1 - suffix), last.get(old_n - 1 - suffix))
            else {
                break;
            };
            let delta = *start as isize - *old_start as isize;
            if key != old_key || (suffix > 0 && delta != byte_delta) {
                break;
            }
            byte_delta = delta;
            suffix += 1;
        }
    }
    let mark_at = |count: usize| {
        count
            .checked_sub(1)
            .and_then(|i| last.get(i))
            .map(|(_, _, lens)| *lens)
            .unwrap_or_default()
    };
    let mut kept = HashMap::with_capacity(new_n);
    let mut marks = Vec::with_capacity(new_n);
    let tail_base = mark_at(old_n - suffix);
    let prefix_lens = mark_at(prefix);
    if usable {
        for &(key, start, lens) in last.iter().take(prefix) {
            if let Some(part) = cache.chunks.get(&key) {
                kept.insert(key, part.clone());
            }
            marks.push((key, start, lens));
        }
    } else {
        facts = Facts::default();
        prefix = 0;
        suffix = 0;
    }
    // The changed chunks are built apart (indices counted from the prefix), then put in
    // place of the old ones; the chunks after them move once, in place.
    let mut middle = Facts::default();
    for &(chunk, key, start) in chunks.iter().take(new_n - suffix).skip(prefix) {
        let part = match cache.chunks.get(&key) {
            Some(part) => part.clone(),
            None => {
                let mut heads = Heads::default();
                matcher.for_each_match(chunk, source.as_bytes(), |found| {
                    heads.add(captures, found.iter().map(|(i, n)| (*i, *n)));
                });
                let absolute = heads.finish(source);
                let mut relative = Facts::default();
                relative.append_shifted(&absolute, -(start as isize));
                std::sync::Arc::new(relative)
            }
        };
        middle.append_shifted(&part, start as isize);
        marks.push((
            key,
            start,
            Lens::of(&middle).rebase(Lens::default(), prefix_lens),
        ));
        kept.insert(key, part);
    }
    middle.shift_in_place(
        Lens::default(),
        Delta {
            bytes: 0,
            exprs: prefix_lens.exprs() as isize,
            calls: prefix_lens.calls() as isize,
        },
    );
    let middle_end = Lens::of(&middle).rebase(Lens::default(), prefix_lens);
    if usable {
        facts.replace_range(prefix_lens, tail_base, middle);
    } else {
        // A whole build: the middle is everything, indexed from zero.
        facts = middle;
    }
    if usable && suffix > 0 {
        facts.shift_in_place(
            middle_end,
            Delta {
                bytes: byte_delta,
                exprs: middle_end.exprs() as isize - tail_base.exprs() as isize,
                calls: middle_end.calls() as isize - tail_base.calls() as isize,
            },
        );
        for &(key, start, lens) in last.iter().skip(old_n - suffix) {
            if let Some(part) = cache.chunks.get(&key) {
                kept.insert(key, part.clone());
            }
            let start = start.checked_add_signed(byte_delta).unwrap_or(start);
            marks.push((key, start, lens.rebase(tail_base, middle_end)));
        }
    }
    cache.chunks = kept;
    cache.last = marks;
    cache.generation += 1;
    facts
}

/// The chunks of a tree, in document order: children of splittable nodes, split further
/// while larger than [`CHUNK_BYTES`].
fn chunks_of<'t>(matcher: &Matcher, root: Node<'t>) -> Vec<Node<'t>> {
    let mut chunks = Vec::new();
    let mut stack = vec![root];
    let mut children = Vec::new();
    while let Some(node) = stack.pop() {
        let large = node.end_byte().saturating_sub(node.start_byte()) > CHUNK_BYTES;
        let split = node.id() == root.id()
            || (large && node.child_count() > 0 && matcher.splittable(node.kind_id()));
        if !split {
            chunks.push(node);
            continue;
        }
        children.clear();
        let mut cursor = node.walk();
        if cursor.goto_first_child() {
            loop {
                children.push(cursor.node());
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        stack.extend(children.iter().rev().copied());
    }
    chunks
}

/// A fast hash of a chunk's text, eight bytes at a time (it only guards against a node id
/// reused for other text, together with the length).
fn text_hash(text: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes = text.as_bytes();
    let mut hash: u64 = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(word);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    for &byte in words.remainder() {
        hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
    }
    hash
}

/// The number of pattern matches in a tree, without building facts (for profiling).
#[doc(hidden)]
pub fn count_matches(language: Language, tree: &Tree, source: &str) -> usize {
    let mut count = 0;
    if let Some(Engine::Matcher { matcher, .. }) = engine(language) {
        matcher.for_each_match(tree.root_node(), source.as_bytes(), |_| count += 1);
    }
    count
}

/// Builds facts with tree-sitter's query cursor (the reference the matcher is tested against).
pub fn build_with_query(language: Language, tree: &Tree, source: &str) -> Facts {
    let Some(compiled) = LANGUAGES
        .iter()
        .find(|s| s.language == language)
        .and_then(compile_query)
    else {
        return Facts::default();
    };
    build_with(&compiled, tree, source)
}

fn build_with(compiled: &CompiledQuery, tree: &Tree, source: &str) -> Facts {
    let mut heads = Heads::default();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&compiled.query, tree.root_node(), source.as_bytes());
    while let Some(m) = matches.next() {
        heads.add(
            &compiled.captures,
            m.captures().iter().map(|c| (c.index, c.node)),
        );
    }
    heads.finish(source)
}

/// The head nodes found by the patterns, with their fields.
#[derive(Default)]
struct Heads<'t> {
    heads: NodeMap<Head<'t>>,
    order: Vec<Node<'t>>,
}

impl<'t> Heads<'t> {
    /// Records one match, given as (capture index, node) pairs.
    fn add(
        &mut self,
        roles: &[Option<(Role, Option<Field>)>],
        captures: impl Iterator<Item = (u32, Node<'t>)> + Clone,
    ) {
        let mut head: Option<(Role, Node)> = None;
        for (index, node) in captures.clone() {
            if let Some(Some((role, None))) = roles.get(index as usize) {
                head = Some((*role, node));
            }
        }
        let Some((role, node)) = head else { return };
        let order = &mut self.order;
        let entry = self.heads.entry(node.id()).or_insert_with(|| {
            order.push(node);
            Head::default()
        });
        entry.roles |= role.bit();
        for (index, node) in captures {
            if let Some(Some((r, Some(field)))) = roles.get(index as usize) {
                entry.add_field(*r, *field, node);
            }
        }
    }

    fn finish(mut self, source: &str) -> Facts {
        // Document order, outer before inner; the keys are computed once per node.
        let mut keyed: Vec<(usize, std::cmp::Reverse<usize>, Node<'t>)> = self
            .order
            .iter()
            .map(|n| (n.start_byte(), std::cmp::Reverse(n.end_byte()), *n))
            .collect();
        keyed.sort_by_key(|(start, end, _)| (*start, *end));
        self.order = keyed.into_iter().map(|(_, _, n)| n).collect();
        let mut builder = Builder {
            source,
            cursor: None,
            pool: Vec::new(),
            switches: Vec::new(),
            heads: self.heads,
            memo: NodeMap::with_capacity_and_hasher(source.len() / 24, Default::default()),
            facts: Facts::default(),
        };
        for node in self.order {
            // The switches enclosing this node, innermost last (heads come in pre-order).
            while builder
                .switches
                .last()
                .is_some_and(|(end, _)| *end <= node.start_byte())
            {
                builder.switches.pop();
            }
            if let Some(subject) = builder.field(node, Role::Switch, Field::Subject) {
                builder.switches.push((node.end_byte(), subject));
            }
            builder.visit(node);
        }
        builder.facts
    }
}

fn range(node: Node) -> Range<usize> {
    node.start_byte()..node.end_byte()
}

/// The simple name of a possibly qualified or generic type or callee: `A.B.C<T>` is `C`.
fn simple_name(text: &str) -> Name {
    let without_generics = text.split('<').next().unwrap_or(text);
    without_generics
        .rsplit(['.', ':'])
        .next()
        .unwrap_or(without_generics)
        .trim()
        .into()
}

/// The byte range of a string literal's content, without prefix and quotes.
fn string_content(text: &str, start: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let prefix = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphabetic() || **b == b'@' || **b == b'$')
        .count();
    let quote = match bytes.get(prefix) {
        Some(q @ (b'"' | b'\'' | b'`')) => *q,
        _ => return start..start + text.len(),
    };
    let run = bytes
        .get(prefix..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| **b == quote)
        .count();
    // Two quotes in a row is an empty string; three or more open a triple-quoted or raw string.
    let open = if run == 2 { 1 } else { run.min(8) };
    let open_end = prefix + open;
    let mut close_start = text.len();
    let closing = bytes
        .iter()
        .rev()
        .take_while(|b| **b == quote)
        .count()
        .min(open);
    if text.len() >= open_end + closing {
        close_start = text.len() - closing;
    }
    let close_start = close_start.max(open_end);
    start + open_end..start + close_start
}

impl<'t> Builder<'t, '_> {
    fn text(&self, node: Node) -> &str {
        self.source.get(range(node)).unwrap_or("")
    }

    fn push(&mut self, kind: ExprKind, range: Range<usize>) -> ExprId {
        self.facts.exprs.push(Expr { kind, range });
        self.facts.exprs.len() - 1
    }

    fn head(&self, node: Node) -> Option<&Head<'t>> {
        self.heads.get(&node.id())
    }

    fn field(&self, node: Node, role: Role, field: Field) -> Option<Node<'t>> {
        self.head(node)?.field(role, field)
    }

    fn has(&self, node: Node, role: Role) -> bool {
        self.head(node).is_some_and(|h| h.has(role))
    }

    /// The named children of a node, in a buffer from the pool (give it back with
    /// [`Builder::recycle`]); no cursor is created per call.
    fn named_children(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut children = self.pool.pop().unwrap_or_default();
        children.clear();
        if node.named_child_count() == 0 {
            return children;
        }
        let cursor = self.cursor.get_or_insert_with(|| node.walk());
        cursor.reset(node);
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.is_named() {
                    children.push(child);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        children
    }

    fn recycle(&mut self, children: Vec<Node<'t>>) {
        self.pool.push(children);
    }

    /// Registers facts for a head node, in document order.
    fn visit(&mut self, node: Node<'t>) {
        let Some(head) = self.head(node) else { return };
        let roles = head.roles;
        let has = |role: Role| roles & role.bit() != 0;
        if has(Role::Call)
            || has(Role::New)
            || has(Role::Str)
            || has(Role::Number)
            || has(Role::Object)
        {
            self.expr(node);
        }
        if has(Role::Function) {
            let expr = self.expr(node);
            self.facts.functions.push(Function {
                range: range(node),
                expr,
            });
        }
        if has(Role::Comment) {
            // Some grammars end a line comment after the `\r` of a CRLF; the comment is what
            // comes before the line break, so removing it keeps the line ending.
            let mut comment = range(node);
            while comment.end > comment.start
                && self.source.as_bytes().get(comment.end - 1) == Some(&b'\r')
            {
                comment.end -= 1;
            }
            self.facts.comments.push(Comment { range: comment });
        }
        if has(Role::Statement) {
            if let Some(inner) = self.field(node, Role::Statement, Field::Expr) {
                let id = self.expr(inner);
                self.facts.statements.push(id);
            }
        }
        if has(Role::Binding) {
            let name = self.field(node, Role::Binding, Field::Name);
            let value = self.field(node, Role::Binding, Field::Value);
            if let (Some(name), Some(value)) = (name, value) {
                let value = self.expr(value);
                self.add_binding(
                    Name::from(self.text(name)),
                    range(name),
                    value,
                    range(node),
                    false,
                );
            }
        }
        if has(Role::Assign) {
            let name = self.field(node, Role::Assign, Field::Name);
            let value = self.field(node, Role::Assign, Field::Value);
            if let (Some(name), Some(value)) = (name, value) {
                let object = self
                    .field(node, Role::Assign, Field::Object)
                    .map(|o| self.expr(o));
                let value = self.expr(value);
                let name_text = Name::from(self.text(name));
                // `this.x = v` and `self.x = v` bind the field `x`.
                // (C#'s `this` is an anonymous token, so there is no object expression.)
                let on_self = match object.and_then(|o| self.facts.exprs.get(o)) {
                    Some(e) => {
                        matches!(&e.kind, ExprKind::Ident(n) if n == "this" || n == "self")
                            || self.source.get(e.range.clone()) == Some("this")
                    }
                    None => self
                        .source
                        .get(range(node))
                        .is_some_and(|t| t.starts_with("this")),
                };
                if on_self {
                    self.add_binding(name_text.clone(), range(name), value, range(node), true);
                }
                self.facts.assigns.push(Assign {
                    object,
                    name: name_text,
                    value,
                    range: range(node),
                });
            }
        }
        if has(Role::Compare) {
            let (left, right) = match (
                self.field(node, Role::Compare, Field::Left),
                self.field(node, Role::Compare, Field::Right),
            ) {
                (Some(l), Some(r)) => (Some(l), Some(r)),
                _ => {
                    let children = self.named_children(node);
                    let pair = (children.first().copied(), children.get(1).copied());
                    self.recycle(children);
                    pair
                }
            };
            if let (Some(left), Some(right)) = (left, right) {
                let left = self.expr(left);
                let right = self.expr(right);
                self.facts.compares.push(Compare {
                    left,
                    right,
                    range: range(node),
                });
            }
        }
        if has(Role::Case) {
            if let Some(value) = self.field(node, Role::Case, Field::Value) {
                let subject = self.switches.last().map(|(_, subject)| *subject);
                if let Some(subject) = subject {
                    let left = self.expr(subject);
                    let right = self.expr(value);
                    self.facts.compares.push(Compare {
                        left,
                        right,
                        range: range(node),
                    });
                }
            }
        }
        if has(Role::Import) {
            if let Some(module) = self.field(node, Role::Import, Field::Module) {
                let text = self.text(module);
                let trimmed = text.trim_matches(|c| c == '"' || c == '\'' || c == '`');
                self.facts.imports.push(Import {
                    module: trimmed.to_string(),
                    range: range(node),
                });
            }
        }
    }

    fn add_binding(
        &mut self,
        name: Name,
        name_range: Range<usize>,
        value: ExprId,
        range: Range<usize>,
        member: bool,
    ) {
        let index = self.facts.bindings.len();
        self.facts
            .binding_index
            .entry(name.clone())
            .or_default()
            .push(index);
        self.facts.bindings.push(Binding {
            member,
            name,
            name_range,
            value,
            range,
        });
    }

    /// The expression of a node, created once.
    fn expr(&mut self, node: Node<'t>) -> ExprId {
        if let Some(&id) = self.memo.get(&node.id()) {
            return id;
        }
        let id = self.make_expr(node, 0);
        self.memo.insert(node.id(), id);
        id
    }

    fn make_expr(&mut self, node: Node<'t>, depth: usize) -> ExprId {
        let node_range = range(node);
        if depth > 200 {
            return self.push(ExprKind::Other, node_range);
        }
        // The node's roles, looked up once (each `has` is a hash lookup).
        let (roles, inner) = match self.head(node) {
            Some(head) => (head.roles, head.field(Role::Wrap, Field::Inner)),
            None => (0, None),
        };
        if roles == 0 {
            return self.plain_expr(node, node_range);
        }
        let has = |role: Role| roles & role.bit() != 0;
        if let Some(inner) = inner {
            if inner.id() != node.id() {
                return self.expr(inner);
            }
        }
        if has(Role::Str) {
            return self.make_string(node);
        }
        if has(Role::Number) {
            let text = Name::from(self.text(node));
            let id = self.push(ExprKind::Number(text), node_range);
            self.facts.numbers.push(id);
            return id;
        }
        if has(Role::Call) || has(Role::New) {
            return self.make_call(node);
        }
        if has(Role::Object) {
            let props = self.props_of(node);
            return self.push(ExprKind::Object(props), node_range);
        }
        if has(Role::Array) {
            let container = self.field(node, Role::Array, Field::Items).unwrap_or(node);
            let children = self.named_children(container);
            let mut items = Vec::with_capacity(children.len());
            for &child in &children {
                if !self.has(child, Role::Comment) {
                    items.push(self.expr(child));
                }
            }
            self.recycle(children);
            return self.push(ExprKind::Array(items), node_range);
        }
        if has(Role::Concat) {
            let parts: Vec<Node> = match (
                self.field(node, Role::Concat, Field::Left),
                self.field(node, Role::Concat, Field::Right),
            ) {
                (Some(l), Some(r)) => vec![l, r],
                _ => self.named_children(node),
            };
            let ids = parts.iter().map(|p| self.expr(*p)).collect();
            self.recycle(parts);
            let parts = ids;
            return self.push(ExprKind::Concat(parts), node_range);
        }
        if has(Role::Member) {
            let object = self
                .field(node, Role::Member, Field::Object)
                .map(|o| self.expr(o));
            let name = self
                .field(node, Role::Member, Field::Name)
                .map(|n| Name::from(self.text(n)))
                .unwrap_or_default();
            return self.push(ExprKind::Member { object, name }, node_range);
        }
        if has(Role::Function) {
            return self.push(ExprKind::Function, node_range);
        }
        self.plain_expr(node, node_range)
    }

    /// An expression no pattern describes: an identifier, or something else.
    fn plain_expr(&mut self, node: Node<'t>, node_range: Range<usize>) -> ExprId {
        let kind = node.kind();
        if kind.ends_with("identifier") || kind == "this" {
            let name = Name::from(self.text(node));
            return self.push(ExprKind::Ident(name), node_range);
        }
        self.push(ExprKind::Other, node_range)
    }

    fn make_string(&mut self, node: Node<'t>) -> ExprId {
        let content = string_content(self.text(node), node.start_byte());
        let mut parts = Vec::new();
        let mut at = content.start;
        let mut interps = self.named_children(node);
        interps.retain(|c| self.has(*c, Role::Interp));
        for &interp in &interps {
            if interp.start_byte() > at {
                parts.push(StrPart::Text(at..interp.start_byte().min(content.end)));
            }
            if let Some(inner) = self.field(interp, Role::Interp, Field::Expr) {
                let id = self.expr(inner);
                parts.push(StrPart::Interp(id));
            }
            at = interp.end_byte();
        }
        if at < content.end || parts.is_empty() {
            parts.push(StrPart::Text(at.min(content.end)..content.end));
        }
        self.recycle(interps);
        let id = self.push(ExprKind::Str { parts }, range(node));
        self.facts.strings.push(id);
        id
    }

    fn props_of(&mut self, container: Node<'t>) -> Vec<Prop> {
        let mut props = Vec::new();
        let children = self.named_children(container);
        for &child in &children {
            let (key_node, value_node) = match self.head(child) {
                Some(head) if head.has(Role::Prop) => (
                    head.field(Role::Prop, Field::Key).unwrap_or(child),
                    head.field(Role::Prop, Field::Value),
                ),
                _ => continue,
            };
            let key = Name::from(self.text(key_node).trim_matches(|c| c == '"' || c == '\''));
            let value = match value_node {
                Some(v) => self.expr(v),
                None => self.push(ExprKind::Ident(key.clone()), range(key_node)),
            };
            props.push(Prop {
                key,
                key_range: range(key_node),
                value,
                range: range(child),
            });
        }
        self.recycle(children);
        props
    }

    fn make_call(&mut self, node: Node<'t>) -> ExprId {
        // The call's parts, read from its head with one lookup.
        let (is_new, callee_node, receiver_node, args_node, init_node) = match self.head(node) {
            Some(head) => {
                let is_new = head.has(Role::New);
                let role = if is_new { Role::New } else { Role::Call };
                (
                    is_new,
                    head.field(role, Field::Callee),
                    head.field(role, Field::Receiver),
                    head.field(role, Field::Args),
                    head.field(role, Field::Init),
                )
            }
            None => (false, None, None, None, None),
        };
        let callee = callee_node
            .map(|n| simple_name(self.text(n)))
            .unwrap_or_default();
        let callee_range = callee_node.map(range).unwrap_or_else(|| range(node));
        // Reserve the call's slot first so that nested calls come after it.
        let expr = self.push(ExprKind::Other, range(node));
        self.memo.insert(node.id(), expr);
        let receiver = receiver_node.map(|r| self.expr(r));
        let mut args = Vec::new();
        if let Some(args_node) = args_node {
            let children = self.named_children(args_node);
            for &child in &children {
                let (name_node, value) = match self.head(child) {
                    Some(head) if head.has(Role::Comment) => continue,
                    Some(head) if head.has(Role::Arg) => (
                        head.field(Role::Arg, Field::Name),
                        head.field(Role::Arg, Field::Value).unwrap_or(child),
                    ),
                    _ => (None, child),
                };
                let name = name_node.map(|n| Name::from(self.text(n)));
                let value = self.expr(value);
                args.push(Arg {
                    name,
                    value,
                    range: range(child),
                });
            }
            self.recycle(children);
        }
        let mut init = Vec::new();
        let mut init_items = Vec::new();
        if let Some(init_node) = init_node {
            init = self.props_of(init_node);
            let children = self.named_children(init_node);
            for &child in &children {
                if !self.has(child, Role::Prop) && !self.has(child, Role::Comment) {
                    init_items.push(self.expr(child));
                }
            }
            self.recycle(children);
        }
        let call_id = self.facts.calls.len();
        self.facts.calls.push(Call {
            callee,
            callee_range,
            receiver,
            args,
            args_range: args_node.map(range),
            is_new,
            init,
            init_items,
            expr,
            range: range(node),
        });
        if let Some(slot) = self.facts.exprs.get_mut(expr) {
            slot.kind = ExprKind::Call(call_id);
        }
        expr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_content_strips_prefixes_and_quotes() {
        let cases = [
            ("\"abc\"", "abc"),
            ("'a'", "a"),
            ("\"\"", ""),
            ("f\"x{y}\"", "x{y}"),
            ("@\"c:\\x\"", "c:\\x"),
            ("$\"{a}/b\"", "{a}/b"),
            ("\"\"\"raw\"\"\"", "raw"),
            ("`t${x}`", "t${x}"),
            ("rb'z'", "z"),
        ];
        for (literal, content) in cases {
            let r = string_content(literal, 10);
            assert_eq!(&literal[r.start - 10..r.end - 10], content, "{literal}");
        }
    }

    #[test]
    fn simple_names() {
        assert_eq!(simple_name("Azure.Communication.CallInvite"), "CallInvite");
        assert_eq!(simple_name("List<string>"), "List");
        assert_eq!(simple_name("createCall"), "createCall");
    }
}
