//! Appending one file part's facts to another's, with byte ranges and indices shifted: the
//! language server builds facts chunk by chunk and reuses the chunks an edit did not touch.
//!
//! Every struct is destructured without `..` and every enum matched without `_`, so a field
//! or variant added to the facts types does not compile until it is handled here.

use std::ops::Range;

use super::*;

/// How to move a part's facts into a whole.
#[derive(Clone, Copy)]
struct Shift {
    bytes: isize,
    exprs: usize,
    calls: usize,
    bindings: usize,
}

impl Shift {
    fn byte(self, at: usize) -> usize {
        at.checked_add_signed(self.bytes).unwrap_or(0)
    }

    fn range(self, range: &Range<usize>) -> Range<usize> {
        self.byte(range.start)..self.byte(range.end)
    }

    fn expr(self, id: ExprId) -> ExprId {
        id + self.exprs
    }

    fn prop(self, prop: &Prop) -> Prop {
        let Prop {
            key,
            key_range,
            value,
            range,
        } = prop;
        Prop {
            key: key.clone(),
            key_range: self.range(key_range),
            value: self.expr(*value),
            range: self.range(range),
        }
    }

    fn expr_kind(self, kind: &ExprKind) -> ExprKind {
        match kind {
            ExprKind::Str { parts } => ExprKind::Str {
                parts: parts
                    .iter()
                    .map(|part| match part {
                        StrPart::Text(range) => StrPart::Text(self.range(range)),
                        StrPart::Interp(id) => StrPart::Interp(self.expr(*id)),
                    })
                    .collect(),
            },
            ExprKind::Number(text) => ExprKind::Number(text.clone()),
            ExprKind::Ident(name) => ExprKind::Ident(name.clone()),
            ExprKind::Member { object, name } => ExprKind::Member {
                object: object.map(|o| self.expr(o)),
                name: name.clone(),
            },
            ExprKind::Call(call) => ExprKind::Call(call + self.calls),
            ExprKind::Object(props) => {
                ExprKind::Object(props.iter().map(|p| self.prop(p)).collect())
            }
            ExprKind::Array(items) => {
                ExprKind::Array(items.iter().map(|i| self.expr(*i)).collect())
            }
            ExprKind::Concat(parts) => {
                ExprKind::Concat(parts.iter().map(|p| self.expr(*p)).collect())
            }
            ExprKind::Function => ExprKind::Function,
            ExprKind::Other => ExprKind::Other,
        }
    }
}

/// The lengths of a facts' lists: where one chunk's facts end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lens {
    exprs: usize,
    calls: usize,
    assigns: usize,
    bindings: usize,
    compares: usize,
    comments: usize,
    functions: usize,
    imports: usize,
    strings: usize,
    numbers: usize,
    statements: usize,
}

impl Lens {
    pub(crate) fn of(facts: &Facts) -> Lens {
        let Facts {
            exprs,
            calls,
            assigns,
            bindings,
            compares,
            comments,
            functions,
            imports,
            strings,
            numbers,
            statements,
            binding_index: _,
            scopes: _,
        } = facts;
        Lens {
            exprs: exprs.len(),
            calls: calls.len(),
            assigns: assigns.len(),
            bindings: bindings.len(),
            compares: compares.len(),
            comments: comments.len(),
            functions: functions.len(),
            imports: imports.len(),
            strings: strings.len(),
            numbers: numbers.len(),
            statements: statements.len(),
        }
    }
}

impl Facts {
    /// Appends `part`'s facts, its byte ranges moved by `bytes` (a part built on its own has
    /// ranges of the whole text; a cached part has ranges relative to its start).
    pub(crate) fn append_shifted(&mut self, part: &Facts, bytes: isize) {
        self.scopes = Default::default();
        let shift = Shift {
            bytes,
            exprs: self.exprs.len(),
            calls: self.calls.len(),
            bindings: self.bindings.len(),
        };
        let Facts {
            exprs,
            calls,
            assigns,
            bindings,
            compares,
            comments,
            functions,
            imports,
            strings,
            numbers,
            statements,
            binding_index: _,
            scopes: _,
        } = part;
        self.exprs.extend(exprs.iter().map(|e| {
            let Expr { kind, range } = e;
            Expr {
                kind: shift.expr_kind(kind),
                range: shift.range(range),
            }
        }));
        self.calls.extend(calls.iter().map(|c| {
            let Call {
                callee,
                callee_range,
                receiver,
                args,
                args_range,
                is_new,
                init,
                init_items,
                expr,
                range,
            } = c;
            Call {
                callee: callee.clone(),
                callee_range: shift.range(callee_range),
                receiver: receiver.map(|r| shift.expr(r)),
                args: args
                    .iter()
                    .map(|a| {
                        let Arg { name, value, range } = a;
                        Arg {
                            name: name.clone(),
                            value: shift.expr(*value),
                            range: shift.range(range),
                        }
                    })
                    .collect(),
                args_range: args_range.as_ref().map(|r| shift.range(r)),
                is_new: *is_new,
                init: init.iter().map(|p| shift.prop(p)).collect(),
                init_items: init_items.iter().map(|i| shift.expr(*i)).collect(),
                expr: shift.expr(*expr),
                range: shift.range(range),
            }
        }));
        self.assigns.extend(assigns.iter().map(|a| {
            let Assign {
                object,
                name,
                value,
                range,
            } = a;
            Assign {
                object: object.map(|o| shift.expr(o)),
                name: name.clone(),
                value: shift.expr(*value),
                range: shift.range(range),
            }
        }));
        for (i, b) in bindings.iter().enumerate() {
            let Binding {
                member,
                name,
                name_range,
                value,
                range,
            } = b;
            self.binding_index
                .entry(name.clone())
                .or_default()
                .push(shift.bindings + i);
            self.bindings.push(Binding {
                member: *member,
                name: name.clone(),
                name_range: shift.range(name_range),
                value: shift.expr(*value),
                range: shift.range(range),
            });
        }
        self.compares.extend(compares.iter().map(|c| {
            let Compare { left, right, range } = c;
            Compare {
                left: shift.expr(*left),
                right: shift.expr(*right),
                range: shift.range(range),
            }
        }));
        self.comments.extend(comments.iter().map(|c| {
            let Comment { range } = c;
            Comment {
                range: shift.range(range),
            }
        }));
        self.functions.extend(functions.iter().map(|f| {
            let Function { range, expr } = f;
            Function {
                range: shift.range(range),
                expr: shift.expr(*expr),
            }
        }));
        self.imports.extend(imports.iter().map(|i| {
            let Import { module, range } = i;
            Import {
                module: module.clone(),
                range: shift.range(range),
            }
        }));
        self.strings.extend(strings.iter().map(|s| shift.expr(*s)));
        self.numbers.extend(numbers.iter().map(|n| shift.expr(*n)));
        self.statements
            .extend(statements.iter().map(|s| shift.expr(*s)));
    }
}

/// How to move facts already in a whole (the unchanged chunks after an edit) to their new
/// place: byte ranges, expression and call indices, each by a signed amount.
#[derive(Clone, Copy)]
pub(crate) struct Delta {
    pub bytes: isize,
    pub exprs: isize,
    pub calls: isize,
}

impl Delta {
    fn byte(self, at: &mut usize) {
        *at = at.checked_add_signed(self.bytes).unwrap_or(0);
    }

    fn range(self, range: &mut Range<usize>) {
        self.byte(&mut range.start);
        self.byte(&mut range.end);
    }

    fn expr(self, id: &mut ExprId) {
        *id = id.checked_add_signed(self.exprs).unwrap_or(0);
    }

    fn prop(self, prop: &mut Prop) {
        let Prop {
            key: _,
            key_range,
            value,
            range,
        } = prop;
        self.range(key_range);
        self.expr(value);
        self.range(range);
    }

    fn kind(self, kind: &mut ExprKind) {
        match kind {
            ExprKind::Str { parts } => {
                for part in parts {
                    match part {
                        StrPart::Text(range) => self.range(range),
                        StrPart::Interp(id) => self.expr(id),
                    }
                }
            }
            ExprKind::Number(_) | ExprKind::Ident(_) | ExprKind::Function | ExprKind::Other => {}
            ExprKind::Member { object, name: _ } => {
                if let Some(object) = object {
                    self.expr(object);
                }
            }
            ExprKind::Call(call) => *call = call.checked_add_signed(self.calls).unwrap_or(0),
            ExprKind::Object(props) => {
                for prop in props {
                    self.prop(prop);
                }
            }
            ExprKind::Array(items) | ExprKind::Concat(items) => {
                for item in items {
                    self.expr(item);
                }
            }
        }
    }
}

impl Facts {
    /// Moves every byte range and index of the facts from `from` on by `delta`, in place.
    pub(crate) fn shift_in_place(&mut self, from: Lens, delta: Delta) {
        self.scopes = Default::default();
        let Facts {
            exprs,
            calls,
            assigns,
            bindings,
            compares,
            comments,
            functions,
            imports,
            strings,
            numbers,
            statements,
            binding_index: _,
            scopes: _,
        } = self;
        for e in exprs.iter_mut().skip(from.exprs) {
            let Expr { kind, range } = e;
            delta.kind(kind);
            delta.range(range);
        }
        for c in calls.iter_mut().skip(from.calls) {
            let Call {
                callee: _,
                callee_range,
                receiver,
                args,
                args_range,
                is_new: _,
                init,
                init_items,
                expr,
                range,
            } = c;
            delta.range(callee_range);
            if let Some(receiver) = receiver {
                delta.expr(receiver);
            }
            for arg in args {
                let Arg {
                    name: _,
                    value,
                    range,
                } = arg;
                delta.expr(value);
                delta.range(range);
            }
            if let Some(args_range) = args_range {
                delta.range(args_range);
            }
            for prop in init {
                delta.prop(prop);
            }
            for item in init_items {
                delta.expr(item);
            }
            delta.expr(expr);
            delta.range(range);
        }
        for a in assigns.iter_mut().skip(from.assigns) {
            let Assign {
                object,
                name: _,
                value,
                range,
            } = a;
            if let Some(object) = object {
                delta.expr(object);
            }
            delta.expr(value);
            delta.range(range);
        }
        for b in bindings.iter_mut().skip(from.bindings) {
            let Binding {
                member: _,
                name: _,
                name_range,
                value,
                range,
            } = b;
            delta.range(name_range);
            delta.expr(value);
            delta.range(range);
        }
        for c in compares.iter_mut().skip(from.compares) {
            let Compare { left, right, range } = c;
            delta.expr(left);
            delta.expr(right);
            delta.range(range);
        }
        for c in comments.iter_mut().skip(from.comments) {
            let Comment { range } = c;
            delta.range(range);
        }
        for f in functions.iter_mut().skip(from.functions) {
            let Function { range, expr } = f;
            delta.range(range);
            delta.expr(expr);
        }
        for i in imports.iter_mut().skip(from.imports) {
            let Import { module: _, range } = i;
            delta.range(range);
        }
        let ids = strings
            .iter_mut()
            .skip(from.strings)
            .chain(numbers.iter_mut().skip(from.numbers))
            .chain(statements.iter_mut().skip(from.statements));
        for id in ids {
            delta.expr(id);
        }
    }

    /// Replaces the facts between `from` and `to` with `middle` (whose indices already count
    /// from `from`), moving what follows once, in place; the binding index follows.
    pub(crate) fn replace_range(&mut self, from: Lens, to: Lens, middle: Facts) {
        self.scopes = Default::default();
        // The binding index: the replaced bindings leave it, the ones after them move by the
        // change in count (no hashing: every list is walked once), and the new ones come in.
        let old_end = to.bindings.min(self.bindings.len());
        let old_start = from.bindings.min(old_end);
        let added = middle.bindings.len();
        for binding in self.bindings.get(old_start..old_end).unwrap_or_default() {
            if let Some(indices) = self.binding_index.get_mut(&binding.name) {
                indices.retain(|&i| i < old_start || i >= old_end);
                if indices.is_empty() {
                    self.binding_index.remove(&binding.name);
                }
            }
        }
        if added != old_end - old_start {
            for indices in self.binding_index.values_mut() {
                for index in indices.iter_mut().filter(|i| **i >= old_end) {
                    *index = *index - old_end + old_start + added;
                }
            }
        }
        fn splice<T>(list: &mut Vec<T>, from: usize, to: usize, with: Vec<T>) {
            let to = to.min(list.len());
            let from = from.min(to);
            list.splice(from..to, with);
        }
        let Facts {
            exprs,
            calls,
            assigns,
            bindings,
            compares,
            comments,
            functions,
            imports,
            strings,
            numbers,
            statements,
            binding_index: _,
            scopes: _,
        } = middle;
        splice(&mut self.exprs, from.exprs, to.exprs, exprs);
        splice(&mut self.calls, from.calls, to.calls, calls);
        splice(&mut self.assigns, from.assigns, to.assigns, assigns);
        splice(&mut self.bindings, from.bindings, to.bindings, bindings);
        splice(&mut self.compares, from.compares, to.compares, compares);
        splice(&mut self.comments, from.comments, to.comments, comments);
        splice(&mut self.functions, from.functions, to.functions, functions);
        splice(&mut self.imports, from.imports, to.imports, imports);
        splice(&mut self.strings, from.strings, to.strings, strings);
        splice(&mut self.numbers, from.numbers, to.numbers, numbers);
        splice(
            &mut self.statements,
            from.statements,
            to.statements,
            statements,
        );
        let new_bindings = old_start..old_start + added;
        for (index, binding) in self
            .bindings
            .iter()
            .enumerate()
            .take(new_bindings.end)
            .skip(new_bindings.start)
        {
            let indices = match self.binding_index.get_mut(&binding.name) {
                Some(indices) => indices,
                None => self.binding_index.entry(binding.name.clone()).or_default(),
            };
            // Kept in document order, as a whole build makes it.
            let at = indices.partition_point(|&i| i < index);
            indices.insert(at, index);
        }
    }
}

impl Lens {
    /// `self - base + onto`, list by list: a mark moved from after `base` to after `onto`.
    pub(crate) fn rebase(self, base: Lens, onto: Lens) -> Lens {
        let f = |x: usize, b: usize, o: usize| x.saturating_sub(b) + o;
        Lens {
            exprs: f(self.exprs, base.exprs, onto.exprs),
            calls: f(self.calls, base.calls, onto.calls),
            assigns: f(self.assigns, base.assigns, onto.assigns),
            bindings: f(self.bindings, base.bindings, onto.bindings),
            compares: f(self.compares, base.compares, onto.compares),
            comments: f(self.comments, base.comments, onto.comments),
            functions: f(self.functions, base.functions, onto.functions),
            imports: f(self.imports, base.imports, onto.imports),
            strings: f(self.strings, base.strings, onto.strings),
            numbers: f(self.numbers, base.numbers, onto.numbers),
            statements: f(self.statements, base.statements, onto.statements),
        }
    }

    pub(crate) fn exprs(self) -> usize {
        self.exprs
    }

    pub(crate) fn calls(self) -> usize {
        self.calls
    }
}
