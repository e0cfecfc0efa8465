//! Language-neutral facts about a file.
//!
//! The facts layer turns a tree-sitter tree into the shapes rules care about: calls and
//! constructor calls, their arguments, object literals, property assignments, string literals
//! (with interpolations), concatenations, numbers, comparisons, simple bindings and comments.
//! Rules read only these structures; they never see a syntax node of a particular language. The
//! per-language knowledge lives in `grammars/<language>/facts.scm`, whose captures use the
//! vocabulary documented in `build.rs`.

mod build;
mod matcher;
mod merge;

use std::ops::Range;

pub use build::{
    build, build_cached, build_with_query, capture_names_are_known, count_matches,
    matcher_unsupported, FactsCache,
};

/// A name or short text from the source (callee, identifier, key): kept inline when short,
/// so most facts cost no allocation of their own.
pub type Name = compact_str::CompactString;

/// Index of an expression in [`Facts::exprs`].
pub type ExprId = usize;
/// Index of a call in [`Facts::calls`].
pub type CallId = usize;

/// A piece of a string literal.
#[derive(Clone, Debug)]
pub enum StrPart {
    /// Literal source text (escapes not decoded), at this byte range.
    Text(Range<usize>),
    /// An interpolated expression (`${x}`, `{x}`).
    Interp(ExprId),
}

/// What an expression is.
#[derive(Clone, Debug)]
pub enum ExprKind {
    Str { parts: Vec<StrPart> },
    Number(Name),
    Ident(Name),
    Member { object: Option<ExprId>, name: Name },
    Call(CallId),
    Object(Vec<Prop>),
    Array(Vec<ExprId>),
    Concat(Vec<ExprId>),
    Function,
    Other,
}

/// An expression, with its source range in bytes.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub range: Range<usize>,
}

/// A key/value pair of an object literal, dictionary or object initializer.
#[derive(Clone, Debug)]
pub struct Prop {
    pub key: Name,
    pub key_range: Range<usize>,
    pub value: ExprId,
    pub range: Range<usize>,
}

/// An argument of a call.
#[derive(Clone, Debug)]
pub struct Arg {
    /// The keyword of a named argument (`callback_url=`, `callbackUri:`).
    pub name: Option<Name>,
    pub value: ExprId,
    pub range: Range<usize>,
}

/// A call, method call or constructor call.
#[derive(Clone, Debug)]
pub struct Call {
    /// The called name: the method or function name, or the constructed type's simple name.
    pub callee: Name,
    pub callee_range: Range<usize>,
    /// The receiver of a method call (`client` in `client.createCall()`).
    pub receiver: Option<ExprId>,
    pub args: Vec<Arg>,
    /// The byte range of the argument list, parentheses included, when there is one.
    pub args_range: Option<Range<usize>>,
    /// True for constructor calls (`new X()`, and Python calls of capitalised names).
    pub is_new: bool,
    /// Properties set in an object initializer (`new X { A = 1 }`).
    pub init: Vec<Prop>,
    /// Items of a collection initializer (`new List<string> { "a" }`).
    pub init_items: Vec<ExprId>,
    /// The call expression itself.
    pub expr: ExprId,
    pub range: Range<usize>,
}

/// `object.name = value`.
#[derive(Clone, Debug)]
pub struct Assign {
    pub object: Option<ExprId>,
    pub name: Name,
    pub value: ExprId,
    pub range: Range<usize>,
}

/// `name = value` once: a local, constant or field.
#[derive(Clone, Debug)]
pub struct Binding {
    /// A field set through `this.x = ...` / `self.x = ...`, visible in every method.
    pub member: bool,
    pub name: Name,
    pub name_range: Range<usize>,
    pub value: ExprId,
    pub range: Range<usize>,
}

/// Two expressions compared for equality, or a case of a switch on `left`.
#[derive(Clone, Debug)]
pub struct Compare {
    pub left: ExprId,
    pub right: ExprId,
    pub range: Range<usize>,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub range: Range<usize>,
}

/// A function, lambda or arrow function.
#[derive(Clone, Debug)]
pub struct Function {
    pub range: Range<usize>,
    pub expr: ExprId,
}

/// An import, `using` or `require` of a module, by its name as written.
#[derive(Clone, Debug)]
pub struct Import {
    pub module: String,
    pub range: Range<usize>,
}

/// Everything rules know about one file.
#[derive(Default, Debug)]
pub struct Facts {
    pub exprs: Vec<Expr>,
    pub calls: Vec<Call>,
    pub assigns: Vec<Assign>,
    pub bindings: Vec<Binding>,
    pub compares: Vec<Compare>,
    pub comments: Vec<Comment>,
    pub functions: Vec<Function>,
    pub imports: Vec<Import>,
    /// Every string literal.
    pub strings: Vec<ExprId>,
    /// Every numeric literal.
    pub numbers: Vec<ExprId>,
    /// The expression of every expression statement (`await` and parentheses unwrapped).
    pub statements: Vec<ExprId>,
    binding_index: rustc_hash::FxHashMap<Name, Vec<usize>>,
    /// For each binding, the index in `functions` of the innermost function around it (not the
    /// function a declaration binds), found on first use. Changing the facts resets it.
    scopes: std::sync::OnceLock<Vec<Option<usize>>>,
}

/// A segment of a string value assembled from literals, concatenations and bindings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Known text, taken from the source at `range`.
    Known { text: String, range: Range<usize> },
    /// A part whose value is not known (a parameter, an environment variable, a call).
    Unknown(Range<usize>),
}

/// The value of a string expression, as far as it can be known within the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrValue {
    pub segments: Vec<Segment>,
}

impl StrValue {
    /// The text before the first unknown segment.
    pub fn known_prefix(&self) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Known { text, .. } => out.push_str(text),
                Segment::Unknown(_) => break,
            }
        }
        out
    }

    /// The whole text, when every segment is known.
    pub fn full(&self) -> Option<String> {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Known { text, .. } => out.push_str(text),
                Segment::Unknown(_) => return None,
            }
        }
        Some(out)
    }

    /// The source byte range of `len` bytes at byte `offset` of the known prefix, when they lie
    /// within one literal.
    pub fn source_range(&self, offset: usize, len: usize) -> Option<Range<usize>> {
        let mut at = 0;
        for segment in &self.segments {
            let Segment::Known { text, range } = segment else {
                return None;
            };
            if offset >= at && offset + len <= at + text.len() && !(len == 0 && text.is_empty()) {
                let start = range.start + (offset - at);
                return Some(start..start + len);
            }
            at += text.len();
        }
        None
    }

    /// True when the value is one literal with no interpolation or concatenation.
    pub fn single_literal(&self) -> Option<(&str, Range<usize>)> {
        match self.segments.as_slice() {
            [Segment::Known { text, range }] => Some((text, range.clone())),
            _ => None,
        }
    }
}

const MAX_DEPTH: usize = 12;

impl Facts {
    pub fn expr(&self, id: ExprId) -> Option<&Expr> {
        self.exprs.get(id)
    }

    pub fn call(&self, id: CallId) -> Option<&Call> {
        self.calls.get(id)
    }

    /// The call an expression is, if it is one.
    pub fn as_call(&self, id: ExprId) -> Option<&Call> {
        match self.expr(id)?.kind {
            ExprKind::Call(call) => self.call(call),
            _ => None,
        }
    }

    /// Source text of an expression.
    pub fn text<'t>(&self, id: ExprId, source: &'t str) -> &'t str {
        self.expr(id)
            .and_then(|e| source.get(e.range.clone()))
            .unwrap_or("")
    }

    /// The binding a name refers to at byte `at`: the only binding of that name, or else the
    /// nearest one before `at`.
    pub fn binding_for(&self, name: &str, at: usize) -> Option<&Binding> {
        // The only binding in scope, or else the last one made before `at` (no allocation:
        // this runs for every variable a rule follows).
        let mut in_scope = 0;
        let mut only = None;
        let mut last_before: Option<&Binding> = None;
        let scopes = self.scopes();
        for &index in self.binding_index.get(name)? {
            let Some(binding) = self.bindings.get(index) else {
                continue;
            };
            if !self.in_scope(binding, scopes.get(index).copied().flatten(), at) {
                continue;
            }
            in_scope += 1;
            only = Some(binding);
            if binding.range.start < at
                && last_before.is_none_or(|b| binding.range.start >= b.range.start)
            {
                last_before = Some(binding);
            }
        }
        if in_scope == 1 {
            return only;
        }
        last_before
    }

    /// A binding made inside a function is visible only inside that function; bindings at file
    /// or class level, and `this.x`/`self.x` fields, are visible everywhere.
    fn in_scope(&self, binding: &Binding, enclosing: Option<usize>, at: usize) -> bool {
        if binding.member {
            return true;
        }
        match enclosing.and_then(|i| self.functions.get(i)) {
            None => true,
            Some(function) => function.range.start <= at && at < function.range.end,
        }
    }

    /// The innermost function around each binding (see `scopes`).
    fn scopes(&self) -> &[Option<usize>] {
        self.scopes.get_or_init(|| {
            // One sweep in document order with a stack of the functions open at each binding
            // (ranges nest or are disjoint, as syntax trees make them).
            let mut functions: Vec<usize> = (0..self.functions.len()).collect();
            functions.sort_by_key(|&i| {
                let r = &self.functions[i].range;
                (r.start, std::cmp::Reverse(r.end))
            });
            let mut bindings: Vec<usize> = (0..self.bindings.len()).collect();
            bindings.sort_by_key(|&i| self.bindings[i].range.start);
            let mut out = vec![None; self.bindings.len()];
            let mut open: Vec<usize> = Vec::new();
            let mut next = functions.iter().peekable();
            for index in bindings {
                let range = &self.bindings[index].range;
                while let Some(&&f) = next.peek() {
                    let start = self.functions[f].range.start;
                    if start > range.start {
                        break;
                    }
                    while open
                        .last()
                        .is_some_and(|&o| self.functions[o].range.end < start)
                    {
                        open.pop();
                    }
                    open.push(f);
                    next.next();
                }
                while open
                    .last()
                    .is_some_and(|&o| self.functions[o].range.end < range.start)
                {
                    open.pop();
                }
                // The stack holds the few functions open here: take the smallest that
                // holds the binding, as the definition says.
                out[index] = open
                    .iter()
                    .copied()
                    .filter(|&o| {
                        let f = &self.functions[o].range;
                        f != range && f.start <= range.start && range.end <= f.end
                    })
                    .min_by_key(|&o| self.functions[o].range.len());
            }
            out
        })
    }

    /// Follows identifiers and `this.x`/`Type.X` member accesses to the value they are bound to.
    pub fn resolve(&self, mut id: ExprId) -> ExprId {
        for _ in 0..MAX_DEPTH {
            let Some(expr) = self.expr(id) else { return id };
            let name = match &expr.kind {
                ExprKind::Ident(name) => name,
                ExprKind::Member { name, .. } => name,
                _ => return id,
            };
            match self.binding_for(name, expr.range.start) {
                Some(binding) if binding.value != id => id = binding.value,
                _ => return id,
            }
        }
        id
    }

    /// The start of a method chain: `new X().a().b()` -> `new X()`, following variables at each
    /// step (`opts.setTag(..)` where `opts = new X()` -> `new X()`).
    pub fn chain_root(&self, id: ExprId) -> ExprId {
        let mut current = self.resolve(id);
        for _ in 0..64 {
            match self.as_call(current) {
                Some(call) if !call.is_new => match call.receiver {
                    Some(receiver) => current = self.resolve(receiver),
                    None => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// Every method call of a builder chain rooted at `call` (`new X().setUrl(u).setY(..)`),
    /// plus method calls and property assignments on a variable bound to `call`.
    pub fn configured_by(&self, call: &Call) -> (Vec<&Call>, Vec<&Assign>) {
        let mut calls = Vec::new();
        // Calls whose receiver, transitively, is this call.
        let mut frontier = vec![call.expr];
        while let Some(current) = frontier.pop() {
            for other in &self.calls {
                if other.receiver == Some(current) && calls.len() < 256 {
                    calls.push(other);
                    frontier.push(other.expr);
                }
            }
        }
        // Calls and assignments through a variable bound to this call (the variable as seen from
        // the use: a same-named local of another function is another variable).
        let mut assigns = Vec::new();
        let bound: Vec<&Binding> = self
            .bindings
            .iter()
            .filter(|b| self.chain_root(b.value) == call.expr)
            .collect();
        if bound.is_empty() {
            return (calls, assigns);
        }
        let refers_to_bound = |id: Option<ExprId>| -> bool {
            let Some(expr) = id.and_then(|i| self.expr(i)) else {
                return false;
            };
            let name = match &expr.kind {
                ExprKind::Ident(name) => name,
                ExprKind::Member { name, .. } => name,
                _ => return false,
            };
            self.binding_for(name, expr.range.start)
                .is_some_and(|b| bound.iter().any(|o| o.name_range == b.name_range))
        };
        for other in &self.calls {
            if refers_to_bound(other.receiver) {
                calls.push(other);
            }
        }
        for assign in &self.assigns {
            if refers_to_bound(assign.object) {
                assigns.push(assign);
            }
        }
        (calls, assigns)
    }

    /// The string value of an expression, following bindings, concatenations and templates.
    /// `None` when the expression is not a string at all.
    pub fn string_value(&self, id: ExprId, source: &str) -> Option<StrValue> {
        let mut out = StrValue::default();
        if self.collect_string(id, source, &mut out, 0) {
            Some(out)
        } else {
            None
        }
    }

    fn collect_string(&self, id: ExprId, source: &str, out: &mut StrValue, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let id = self.resolve(id);
        let Some(expr) = self.expr(id) else {
            return false;
        };
        match &expr.kind {
            ExprKind::Str { parts } => {
                for part in parts {
                    match part {
                        StrPart::Text(range) => out.segments.push(Segment::Known {
                            text: source.get(range.clone()).unwrap_or_default().to_string(),
                            range: range.clone(),
                        }),
                        StrPart::Interp(inner) => {
                            if !self.collect_string(*inner, source, out, depth + 1) {
                                let range = self.expr(*inner).map(|e| e.range.clone());
                                out.segments.push(Segment::Unknown(range.unwrap_or(0..0)));
                            }
                        }
                    }
                }
                true
            }
            ExprKind::Concat(parts) => {
                let mut any_string = false;
                for &part in parts {
                    if self.collect_string(part, source, out, depth + 1) {
                        any_string = true;
                    } else {
                        let range = self.expr(part).map(|e| e.range.clone());
                        out.segments.push(Segment::Unknown(range.unwrap_or(0..0)));
                    }
                }
                any_string
            }
            _ => false,
        }
    }

    /// The property `key` of an object literal (after following bindings).
    pub fn object_prop(&self, id: ExprId, key: &str) -> Option<&Prop> {
        match &self.expr(self.resolve(id))?.kind {
            ExprKind::Object(props) => props.iter().find(|p| p.key == key),
            _ => None,
        }
    }

    /// The properties of an object literal (after following bindings).
    pub fn object_props(&self, id: ExprId) -> Option<&[Prop]> {
        match &self.expr(self.resolve(id))?.kind {
            ExprKind::Object(props) => Some(props),
            _ => None,
        }
    }

    /// The innermost enclosing calls of a byte offset, innermost first.
    pub fn calls_containing(&self, offset: usize) -> Vec<&Call> {
        let mut calls: Vec<&Call> = self
            .calls
            .iter()
            .filter(|c| c.range.start <= offset && offset < c.range.end)
            .collect();
        calls.sort_by_key(|c| c.range.end - c.range.start);
        calls
    }
}

#[cfg(test)]
mod tests {
    use crate::language::Language;

    /// The innermost function around a binding, by its definition: every function checked.
    fn enclosing_by_definition(facts: &super::Facts, index: usize) -> Option<usize> {
        let binding = facts.bindings.get(index)?;
        facts
            .functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.range != binding.range)
            .filter(|(_, f)| {
                f.range.start <= binding.range.start && binding.range.end <= f.range.end
            })
            .min_by_key(|(_, f)| f.range.len())
            .map(|(i, _)| i)
    }

    /// Nested ranges as a syntax tree makes them, including empty ones (error recovery's
    /// missing nodes), some functions and some bindings: the sweep agrees with the definition.
    #[test]
    fn the_scope_sweep_agrees_on_generated_trees() {
        use super::{Binding, Facts, Function};
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n.max(1)
        };
        for _ in 0..300 {
            // A random tree of ranges over 0..200, children inside their parent.
            let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
            ranges.push(0..200);
            let mut at = 0;
            while at < ranges.len() && ranges.len() < 40 {
                let parent = ranges[at].clone();
                let mut cursor = parent.start;
                for _ in 0..next(4) {
                    let room = parent.end.saturating_sub(cursor) as u64;
                    let start = cursor + next(room / 2 + 1) as usize;
                    let end = (start + next(room / 2 + 1) as usize).min(parent.end);
                    ranges.push(start..end);
                    cursor = end;
                }
                at += 1;
            }
            let mut facts = Facts::default();
            for range in ranges {
                match next(3) {
                    0 => facts.functions.push(Function {
                        range: range.clone(),
                        expr: 0,
                    }),
                    1 => facts.bindings.push(Binding {
                        member: false,
                        name: "x".into(),
                        name_range: range.clone(),
                        value: 0,
                        range,
                    }),
                    _ => {
                        // A function declaration: a function and the binding of its name.
                        facts.functions.push(Function {
                            range: range.clone(),
                            expr: 0,
                        });
                        facts.bindings.push(Binding {
                            member: false,
                            name: "f".into(),
                            name_range: range.clone(),
                            value: 0,
                            range,
                        });
                    }
                }
            }
            for index in 0..facts.bindings.len() {
                assert_eq!(
                    facts
                        .scopes()
                        .get(index)
                        .copied()
                        .flatten()
                        .map(|i| facts.functions[i].range.clone()),
                    enclosing_by_definition(&facts, index)
                        .map(|i| facts.functions[i].range.clone()),
                    "binding {:?} among functions {:?}",
                    facts.bindings[index].range,
                    facts
                        .functions
                        .iter()
                        .map(|f| f.range.clone())
                        .collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn the_scope_sweep_agrees_with_the_definition() {
        let sources = [
            (
                Language::JavaScript,
                "const a = 1;\nfunction f() { const a = 2; const g = () => { const a = 3; return a; }; function h() { let b = 4; } }\nconst b = 5;\nclass C { m() { const a = 6; } n() { this.x = 7; } }\n",
            ),
            (
                Language::Python,
                "a = 1\ndef f():\n    a = 2\n    def g():\n        b = 3\n    c = lambda: 4\nb = 5\nclass C:\n    def m(self):\n        self.x = 6\n",
            ),
            (
                Language::CSharp,
                "class C { string u = \"x\"; void M() { var u = \"y\"; Action a = () => { var v = 1; }; } void N() { var w = 2; } }\n",
            ),
        ];
        for (language, source) in sources {
            let tree = crate::document::parse(language, source).expect("parse");
            let facts = crate::facts::build(language, &tree, source);
            assert!(
                facts.bindings.len() >= 4,
                "{language:?}: {:?}",
                facts.bindings
            );
            for index in 0..facts.bindings.len() {
                assert_eq!(
                    facts.scopes().get(index).copied().flatten(),
                    enclosing_by_definition(&facts, index),
                    "{language:?} binding {:?}",
                    facts.bindings.get(index)
                );
            }
        }
    }
}
