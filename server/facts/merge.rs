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
    /// Cuts every list back to `lens` (the facts of the chunks before some point).
    pub(crate) fn truncate_to(&mut self, lens: Lens) {
        for binding in self.bindings.iter().skip(lens.bindings).rev() {
            if let Some(indices) = self.binding_index.get_mut(&binding.name) {
                indices.pop();
                if indices.is_empty() {
                    self.binding_index.remove(&binding.name);
                }
            }
        }
        let Lens {
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
        } = lens;
        self.exprs.truncate(exprs);
        self.calls.truncate(calls);
        self.assigns.truncate(assigns);
        self.bindings.truncate(bindings);
        self.compares.truncate(compares);
        self.comments.truncate(comments);
        self.functions.truncate(functions);
        self.imports.truncate(imports);
        self.strings.truncate(strings);
        self.numbers.truncate(numbers);
        self.statements.truncate(statements);
    }

    /// Reserves room for the facts of `parts`, appended next.
    pub(crate) fn reserve_for<'a>(&mut self, parts: impl Iterator<Item = &'a Facts> + Clone) {
        let sum = |f: fn(&Facts) -> usize| parts.clone().map(f).sum::<usize>();
        self.exprs.reserve(sum(|p| p.exprs.len()));
        self.calls.reserve(sum(|p| p.calls.len()));
        self.assigns.reserve(sum(|p| p.assigns.len()));
        self.bindings.reserve(sum(|p| p.bindings.len()));
        self.compares.reserve(sum(|p| p.compares.len()));
        self.comments.reserve(sum(|p| p.comments.len()));
        self.functions.reserve(sum(|p| p.functions.len()));
        self.imports.reserve(sum(|p| p.imports.len()));
        self.strings.reserve(sum(|p| p.strings.len()));
        self.numbers.reserve(sum(|p| p.numbers.len()));
        self.statements.reserve(sum(|p| p.statements.len()));
    }

    /// Appends `part`'s facts, its byte ranges moved by `bytes` (a part built on its own has
    /// ranges of the whole text; a cached part has ranges relative to its start).
    pub(crate) fn append_shifted(&mut self, part: &Facts, bytes: isize) {
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
