//! Typing and lowering of expressions, lets and rules.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::{CheckError, Checker, LetState, Scope, did_you_mean};
use crate::program::*;
use crate::schema::EntityId;
use crate::syntax::ast::{self, BinOp, ExprKind, Literal, UnOp, VerdictName};
use crate::value::Value;
use crate::verdict::RuleStatus;

/// What names an expression may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Everything in scope: input fields, lets, parameters, tables.
    Normal,
    /// Literals only, and parameters in a label (a parameter version, a table entry, a default).
    Constant,
    /// The document's fields and literals only: the kind's `as_of`, which
    /// chooses the parameters in force.
    FactsOnly,
    /// A `show`: also the document's `outcome` and `status_of("rule")`.
    Show,
}

/// What an expression can see while it is checked.
pub(crate) struct Ctx {
    scope: Arc<Scope>,
    /// Rule lets and comprehension variables in scope: (name, slot, type).
    locals: Vec<(String, Slot, Ty)>,
    pub(crate) next_slot: Slot,
    pub(crate) deps: Vec<Step>,
    mode: Mode,
}

impl Ctx {
    pub(crate) fn new(scope: Arc<Scope>) -> Ctx {
        let next_slot = scope.bindings.len() as Slot;
        Ctx {
            scope,
            locals: Vec::new(),
            next_slot,
            deps: Vec::new(),
            mode: Mode::Normal,
        }
    }

    fn constant() -> Ctx {
        let mut c = Ctx::new(Arc::new(Scope {
            entity: 0,
            bindings: Vec::new(),
        }));
        c.mode = Mode::Constant;
        c
    }

    pub(crate) fn facts_only(root: EntityId) -> Ctx {
        let mut c = Ctx::new(Arc::new(Scope {
            entity: root,
            bindings: Vec::new(),
        }));
        c.mode = Mode::FactsOnly;
        c
    }

    pub(crate) fn show(scope: Arc<Scope>) -> Ctx {
        let mut c = Ctx::new(scope);
        c.mode = Mode::Show;
        c
    }

    fn alloc(&mut self) -> Slot {
        self.next_slot += 1;
        self.next_slot - 1
    }

    fn dep(&mut self, s: Step) {
        if !self.deps.contains(&s) {
            self.deps.push(s);
        }
    }
}

fn is_number(t: &Ty) -> bool {
    matches!(t, Ty::Int | Ty::Ratio | Ty::Error)
}

/// Whether a value of type `actual` can stand where `expected` is wanted.
pub(crate) fn fits(actual: &Ty, expected: &Ty) -> bool {
    match (actual, expected) {
        (Ty::Error, _) | (_, Ty::Error) => true,
        (Ty::Int, Ty::Ratio) => true,
        (Ty::Nothing, _) => true,
        (Ty::List(a), Ty::List(b)) => fits(a, b),
        (a, b) => a == b,
    }
}

/// The common type of two branches or two list elements, if any.
fn join(a: &Ty, b: &Ty) -> Option<Ty> {
    if fits(a, b) {
        Some(if *b == Ty::Error { a.clone() } else { b.clone() })
    } else if fits(b, a) {
        Some(a.clone())
    } else {
        None
    }
}

impl<'a> Checker<'a> {
    // ------------------------------------------------------------ lets and rules

    /// Checks a let. Lets are checked in declaration order and read only the
    /// lets declared before them, so checking never recurses (however many
    /// lets a rule set has) and no two lets can depend on each other.
    pub(crate) fn check_let(&mut self, id: LetId) {
        let decl = &self.lets[id as usize];
        let (ast, scope) = (decl.ast, decl.scope.clone());
        self.lets_visible = id as usize;
        let mut ctx = Ctx::new(scope);
        let errors_before = self.errors.len();
        let (node, ty) = self.expr(&mut ctx, &ast.value, None);
        let explain = ast.explain.as_ref().map(|x| {
            let msg = self.message(&mut ctx, &x.label);
            let cite = x.cite.as_ref().map(|c| self.citation(c));
            (msg, cite)
        });
        let label = ast.label.as_ref().map(|l| Box::new(self.plain(l)));
        if self.errors.len() > errors_before || ty == Ty::Error {
            self.let_state[id as usize] = LetState::Failed;
            return;
        }
        self.let_state[id as usize] = LetState::Done {
            ty,
            node,
            explain,
            label,
            frame: ctx.next_slot,
            deps: ctx.deps,
        };
    }

    pub(crate) fn check_rule(&mut self, i: usize) -> Option<(Rule, Vec<Step>)> {
        let decl = &self.rules[i];
        let (r, scope) = (decl.ast, decl.scope.clone());
        self.lets_visible = decl.lets_before;
        let errors_before = self.errors.len();
        self.repeated(&format!("rule `{}`", r.id.name), &r.doc.repeated);
        self.require_docs(r);
        let mut ctx = Ctx::new(scope.clone());
        let applies = r.applies.as_ref().map(|(cond, msg)| {
            let node = self.expect(&mut ctx, cond, &Ty::Bool);
            (node, self.message(&mut ctx, msg))
        });
        let mut lets = Vec::new();
        let mut local_labels = Vec::new();
        for l in &r.lets {
            if l.explain.is_some() || l.output {
                self.error(CheckError::new(
                    l.span,
                    "a rule's own `let` is a local step: `explain` and `output` belong to lets outside rules",
                ));
            }
            if self.enum_value_named(&l.name.name).is_some() {
                let e = self.shadows_enum_value(&l.name);
                self.error(e);
            }
            let (node, ty) = self.expr(&mut ctx, &l.value, None);
            let slot = ctx.alloc();
            ctx.locals.push((l.name.name.clone(), slot, ty));
            if let Some(label) = &l.label {
                let label = self.plain(label);
                local_labels.push((slot, label));
            }
            lets.push((slot, node));
        }
        let clauses = self.clauses(&mut ctx, r);
        let summary = r.summary.as_ref().map(|s| self.message(&mut ctx, s));
        let title = r.title.as_ref().map(|t| Arc::new(self.plain(t)));
        let cite = r.doc.cite.as_ref().map(|c| self.citation(c));
        let also = r.doc.also.iter().map(|c| self.citation(c)).collect();
        if self.errors.len() > errors_before {
            return None;
        }
        let rule = Rule {
            id: r.id.name.as_str().into(),
            entity: scope.entity,
            cite: cite?,
            also,
            text: r.doc.text.as_ref().map(|q| q.text.clone()),
            title,
            quote: r.doc.text.as_ref().map(|q| Arc::from(q.text.as_str())),
            summary,
            discretionary: r.discretionary,
            effective: r.effective,
            applies,
            lets,
            local_labels,
            clauses,
            frame_size: ctx.next_slot,
            span: r.span,
            location: "".into(),
            cite_text: "".into(),
            also_texts: Vec::new(),
            params: Vec::new(),
            judged: false,
        };
        Some((rule, ctx.deps))
    }

    /// Every rule carries its citation, the original clause and a summary.
    fn require_docs(&mut self, r: &ast::Rule) {
        let mut missing = Vec::new();
        if r.doc.cite.is_none() {
            missing.push("`cite SOURCE \"article\"`");
        }
        if r.doc.text.is_none() {
            missing.push("`text \"the original clause\"`");
        }
        if r.summary.is_none() {
            missing.push("`summary ja \"…\" en \"…\"`");
        }
        if !missing.is_empty() {
            self.error(
                CheckError::new(r.id.span, format!("rule `{}` lacks {}", r.id.name, missing.join(", ")))
                    .note("every rule shows its article, the clause it encodes and a one-line explanation"),
            );
        }
    }

    fn clauses(&mut self, ctx: &mut Ctx, r: &ast::Rule) -> Vec<Clause> {
        let mut out = Vec::new();
        for c in &r.clauses {
            let guard = c.guard.as_ref().map(|g| self.expect(ctx, g, &Ty::Bool));
            if guard.is_none() && !c.outcome.decides() {
                self.error(CheckError::new(c.span, "a `warn` or `note` needs a `when` condition"));
            }
            let unless = c.unless.as_ref().map(|u| {
                let n = self.expect(ctx, &u.cond, &Ty::Bool);
                (n, u.message.as_ref().map(|m| self.message(ctx, m)))
            });
            let cite = c.cite.as_ref().map(|x| self.citation(x));
            let message = self.message(ctx, &c.message);
            out.push(Clause {
                outcome: c.outcome,
                guard,
                unless,
                cite,
                message,
                span: c.span,
                location: "".into(),
                cite_text: None,
            });
        }
        let last_decisive = r.clauses.iter().rev().find(|c| c.outcome.decides());
        match last_decisive {
            Some(c) if c.guard.is_none() && c.unless.is_none() => {}
            _ => self.error(CheckError::new(r.id.span, format!("rule `{}` has no final `otherwise` clause", r.id.name)).note("end the rule with `pass otherwise …` (or `fail`/`review`): what it decides when no condition holds")),
        }
        if let Some(pos) = r.clauses.iter().position(|c| c.outcome.decides() && c.guard.is_none())
            && r.clauses[pos + 1..].iter().any(|c| c.outcome.decides())
        {
            self.error(
                CheckError::new(r.clauses[pos].span, "clauses after `otherwise` can never decide")
                    .label("this `otherwise` ends the rule"),
            );
        }
        out
    }

    pub(crate) fn message(&mut self, ctx: &mut Ctx, m: &ast::LangPair) -> Message {
        Message {
            ja: self.template(ctx, &m.ja),
            en: self.template(ctx, &m.en),
            span: m.span,
        }
    }

    fn template(&mut self, ctx: &mut Ctx, t: &ast::Template) -> Vec<Piece> {
        t.pieces
            .iter()
            .map(|p| match p {
                ast::Piece::Text(s) => Piece::Text(s.clone()),
                ast::Piece::Hole(e, text) => {
                    let (node, ty) = self.expr(ctx, e, None);
                    let ty_name = self.ty_name(&ty).into();
                    Piece::Hole(Box::new(Hole {
                        node,
                        ty,
                        span: e.span,
                        text: text.as_str().into(),
                        ty_name,
                    }))
                }
            })
            .collect()
    }

    /// The value of a constant expression (a parameter version, a table entry).
    pub(crate) fn const_value(&mut self, e: &ast::Expr, ty: &Ty) -> Option<Value> {
        let mut ctx = Ctx::constant();
        let node = self.expect(&mut ctx, e, ty);
        match fold(&node) {
            Some(v) => Some(v),
            None => {
                self.error(CheckError::new(
                    e.span,
                    "must be a constant (a literal, or arithmetic on literals)",
                ));
                None
            }
        }
    }

    // ------------------------------------------------------------ expressions

    pub(crate) fn expect_in(&mut self, ctx: &mut Ctx, e: &ast::Expr, want: &Ty) -> Node {
        self.expect(ctx, e, want)
    }

    /// Checks `e` against an expected type.
    fn expect(&mut self, ctx: &mut Ctx, e: &ast::Expr, want: &Ty) -> Node {
        let (node, ty) = self.expr(ctx, e, Some(want));
        if !fits(&ty, want) {
            let msg = format!("expected {}, found {}", self.ty_name(want), self.ty_name(&ty));
            self.error(CheckError::new(e.span, msg).label(format!("this is {}", self.ty_name(&ty))));
        }
        node
    }

    pub(crate) fn expr(&mut self, ctx: &mut Ctx, e: &ast::Expr, hint: Option<&Ty>) -> (Node, Ty) {
        match &e.kind {
            ExprKind::Lit(l) => literal(l),
            ExprKind::Verdict(v) => {
                // Beside a rule's status (`status_of(…) == fail`) the same
                // words name its values.
                if hint == Some(&Ty::Enum(RULE_STATUS)) {
                    let i = match v {
                        VerdictName::Pass => RuleStatus::Pass,
                        VerdictName::Fail => RuleStatus::Fail,
                        _ => RuleStatus::Review,
                    };
                    return (Node::Const(Value::Enum(i.index())), Ty::Enum(RULE_STATUS));
                }
                let i = match v {
                    VerdictName::Pass => VERDICT_PASS,
                    VerdictName::Fail => VERDICT_FAIL,
                    _ => VERDICT_REVIEW,
                };
                (Node::Const(Value::Enum(i)), Ty::Enum(VERDICT))
            }
            ExprKind::Name(id) => self.name(ctx, id, hint),
            ExprKind::Field(base, field) => self.field(ctx, base, field),
            ExprKind::Index(base, key) => self.index(ctx, base, key),
            ExprKind::Unary(UnOp::Not, x) => (Node::Not(Box::new(self.expect(ctx, x, &Ty::Bool))), Ty::Bool),
            ExprKind::Unary(UnOp::Neg, x) => {
                let (n, t) = self.expr(ctx, x, None);
                if !matches!(t, Ty::Int | Ty::Ratio | Ty::Money | Ty::Error) {
                    self.error(CheckError::new(x.span, format!("cannot negate {}", self.ty_name(&t))));
                }
                (Node::Neg(Box::new(n), e.span), t)
            }
            ExprKind::Binary(op, l, r) => self.binary(ctx, *op, l, r, e),
            ExprKind::Call(f, args) => self.call(ctx, f, args, e),
            ExprKind::If(c, t, f) => {
                let c = self.expect(ctx, c, &Ty::Bool);
                let (tn, tt) = self.expr(ctx, t, hint);
                let (fnode, ft) = self.expr(ctx, f, Some(&tt));
                let ty = join(&tt, &ft).unwrap_or_else(|| {
                    let msg = format!(
                        "the branches of `if` differ: {} and {}",
                        self.ty_name(&tt),
                        self.ty_name(&ft)
                    );
                    self.error(CheckError::new(e.span, msg));
                    Ty::Error
                });
                (Node::If(Box::new(c), Box::new(tn), Box::new(fnode)), ty)
            }
            ExprKind::List(items) => {
                let elem_hint = match hint {
                    Some(Ty::List(t)) => Some((**t).clone()),
                    _ => None,
                };
                let mut ty = Ty::Nothing;
                let mut nodes = Vec::new();
                for it in items {
                    let h = if ty == Ty::Nothing {
                        elem_hint.clone()
                    } else {
                        Some(ty.clone())
                    };
                    let (n, t) = self.expr(ctx, it, h.as_ref());
                    ty = join(&ty, &t).unwrap_or_else(|| {
                        self.error(CheckError::new(it.span, "list elements must all have the same type"));
                        Ty::Error
                    });
                    nodes.push(n);
                }
                (Node::List(nodes), Ty::List(Box::new(ty)))
            }
            ExprKind::Comprehension {
                head,
                var,
                iter,
                filter,
            } => {
                let (iter_node, iter_ty) = self.expr(ctx, iter, None);
                let elem = match iter_ty {
                    Ty::List(t) => *t,
                    Ty::Error => Ty::Error,
                    other => {
                        let msg = format!("`for … in` needs a list, found {}", self.ty_name(&other));
                        self.error(CheckError::new(iter.span, msg));
                        Ty::Error
                    }
                };
                let slot = ctx.alloc();
                ctx.locals.push((var.name.clone(), slot, elem));
                let filter = filter.as_ref().map(|f| Box::new(self.expect(ctx, f, &Ty::Bool)));
                let (head_node, head_ty) = self.expr(ctx, head, None);
                ctx.locals.pop();
                let node = Node::Comprehension {
                    head: Box::new(head_node),
                    slot,
                    iter: Box::new(iter_node),
                    filter,
                };
                (node, Ty::List(Box::new(head_ty)))
            }
        }
    }

    fn name(&mut self, ctx: &mut Ctx, id: &ast::Ident, hint: Option<&Ty>) -> (Node, Ty) {
        let n = id.name.as_str();
        if let Some((_, slot, ty)) = ctx.locals.iter().rev().find(|(name, _, _)| name == n) {
            return (Node::Local(*slot), ty.clone());
        }
        if let Some(Ty::Enum(e)) = hint
            && let Some(v) = self.variant_index(*e, n)
        {
            return (Node::Const(Value::Enum(v)), Ty::Enum(*e));
        }
        if ctx.mode == Mode::Show && n == "outcome" {
            return (Node::Outcome, Ty::Enum(VERDICT));
        }
        if matches!(ctx.mode, Mode::Normal | Mode::Show)
            && let Some(found) = self.scoped_name(ctx, id)
        {
            return found;
        }
        let root = self.schema.root;
        if ctx.mode != Mode::Constant
            && let Some(idx) = self.schema.field_index(root, n)
        {
            let ty = self.field_ty_to_ty(&self.schema.field(root, idx).ty);
            return (Node::Fact(Box::new(Node::Root), root, idx), ty);
        }
        if ctx.mode != Mode::FactsOnly
            && let Some(p) = self.param_names.get(n).copied()
        {
            let ty = match &self.params[p as usize] {
                Some(param) => param.ty.clone(),
                None => Ty::Error,
            };
            return (Node::Param(p), ty);
        }
        // The other side of a comparison already failed to check: one mistake, one error.
        if hint != Some(&Ty::Error) {
            let err = self.unknown_name(ctx, id, hint);
            self.error(err);
        }
        (Node::Const(Value::Bool(false)), Ty::Error)
    }

    /// `for` variables and computed attributes of the enclosing scopes,
    /// innermost first, then the top-level lets.
    fn scoped_name(&mut self, ctx: &mut Ctx, id: &ast::Ident) -> Option<(Node, Ty)> {
        let n = id.name.as_str();
        let bindings = ctx.scope.bindings.clone();
        if let Some(i) = bindings.iter().rposition(|(v, _)| v == n) {
            return Some((Node::Local(i as Slot), Ty::Entity(bindings[i].1)));
        }
        for (i, (_, entity)) in bindings.iter().enumerate().rev() {
            if self.computed_names[*entity as usize].contains_key(n) {
                return Some(self.computed(ctx, Node::Local(i as Slot), *entity, id));
            }
        }
        let root = self.schema.root;
        if self.computed_names[root as usize].contains_key(n) {
            return Some(self.computed(ctx, Node::Root, root, id));
        }
        None
    }

    fn unknown_name(&self, ctx: &Ctx, id: &ast::Ident, hint: Option<&Ty>) -> CheckError {
        if let Some(Ty::Enum(e)) = hint {
            return self.unknown_variant(*e, id);
        }
        let mut names: Vec<String> = ctx.locals.iter().map(|l| l.0.clone()).collect();
        let root = self.schema.root;
        if matches!(ctx.mode, Mode::Normal | Mode::Show) {
            names.extend(ctx.scope.bindings.iter().map(|b| b.0.clone()));
            names.extend(self.computed_names[root as usize].keys().cloned());
        }
        if ctx.mode != Mode::Constant && !self.schema.entities.is_empty() {
            names.extend(self.schema.entity(root).fields.iter().map(|f| f.name.clone()));
        }
        if ctx.mode != Mode::FactsOnly {
            names.extend(self.param_names.keys().cloned());
        }
        let what = match ctx.mode {
            Mode::Constant => "constant",
            Mode::FactsOnly => "field of the document",
            _ => "name",
        };
        let mut e = CheckError::new(id.span, format!("unknown {what} `{}`", id.name)).label("not declared");
        if let Some(h) = did_you_mean(&id.name, names.iter().map(String::as_str)) {
            e = e.note(h);
        }
        if self.table_names.contains_key(&id.name) {
            e = e.note(format!(
                "`{}` is a table: look a key up with `{}[key]`",
                id.name, id.name
            ));
        }
        if ctx.mode == Mode::FactsOnly && self.param_names.contains_key(&id.name) {
            e = e.note("`as_of` chooses the parameters in force, so it cannot read one");
        }
        e
    }

    /// A computed attribute `name` of an entity value: a let (declared
    /// before the reader) or the entity's status.
    fn computed(&mut self, ctx: &mut Ctx, base: Node, entity: EntityId, name: &ast::Ident) -> (Node, Ty) {
        let slot = self.computed_names[entity as usize][&name.name];
        let ty = match self.computed_lets[entity as usize][slot as usize] {
            Some(let_id) => {
                ctx.dep(Step::Let(let_id));
                if let_id as usize >= self.lets_visible {
                    let written = self.lets[let_id as usize].ast.span;
                    self.error(
                        CheckError::new(name.span, format!("`{}` is used before it is written", name.name))
                            .label("read here")
                            .secondary(written, "written here, later")
                            .note("declare a `let` before the lets, rules and shows that read it"),
                    );
                    Ty::Error
                } else {
                    match &self.let_state[let_id as usize] {
                        LetState::Done { ty, .. } => ty.clone(),
                        _ => Ty::Error,
                    }
                }
            }
            None => {
                ctx.dep(Step::Status(entity));
                Ty::Enum(VERDICT)
            }
        };
        (Node::Computed(Box::new(base), entity, slot), ty)
    }

    fn field(&mut self, ctx: &mut Ctx, base: &ast::Expr, field: &ast::Ident) -> (Node, Ty) {
        // `EnumName.value`: a value of an enum, written where no other
        // type says which enum is meant.
        if let ExprKind::Name(id) = &base.kind
            && self.is_unbound_name(ctx, base)
            && let Some(e) = self.enum_names.get(&id.name).copied()
        {
            return match self.variant_index(e, &field.name) {
                Some(v) => (Node::Const(Value::Enum(v)), Ty::Enum(e)),
                None => {
                    let err = self.unknown_variant(e, field);
                    self.error(err);
                    (Node::Const(Value::Bool(false)), Ty::Error)
                }
            };
        }
        let (b, bt) = self.expr(ctx, base, None);
        match bt {
            Ty::Entity(entity) => {
                if let Some(idx) = self.schema.field_index(entity, &field.name) {
                    let ty = self.field_ty_to_ty(&self.schema.field(entity, idx).ty);
                    return (Node::Fact(Box::new(b), entity, idx), ty);
                }
                if self.computed_names[entity as usize].contains_key(&field.name) {
                    return self.computed(ctx, b, entity, field);
                }
                let e = self.unknown_field(entity, field);
                self.error(e);
                (b, Ty::Error)
            }
            Ty::Municipality => {
                let (attr, ty) = match field.name.as_str() {
                    "name" => (MuniAttr::Name, Ty::Text),
                    "code" => (MuniAttr::Code, Ty::Text),
                    "subprefecture" => (MuniAttr::Subprefecture, Ty::Text),
                    "kind" => (MuniAttr::Kind, Ty::Text),
                    "island" => (MuniAttr::Island, Ty::Bool),
                    _ => {
                        let e = CheckError::new(field.span, format!("a municipality has no field `{}`", field.name))
                            .note("its fields are: name, code, subprefecture, kind, island");
                        self.error(e);
                        return (b, Ty::Error);
                    }
                };
                (Node::MuniAttr(Box::new(b), attr), ty)
            }
            Ty::Error => (b, Ty::Error),
            other => {
                let msg = format!("{} has no fields (`.{}`)", self.ty_name(&other), field.name);
                self.error(CheckError::new(field.span, msg));
                (b, Ty::Error)
            }
        }
    }

    fn index(&mut self, ctx: &mut Ctx, base: &ast::Expr, key: &ast::Expr) -> (Node, Ty) {
        if ctx.mode == Mode::FactsOnly {
            self.error(CheckError::new(base.span, "`as_of` reads the document's fields only"));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        }
        let ExprKind::Name(table) = &base.kind else {
            self.error(CheckError::new(
                base.span,
                "only a table can be indexed: `table_name[key]`",
            ));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        };
        let Some(t) = self.table_names.get(&table.name).copied() else {
            let mut e = CheckError::new(table.span, format!("unknown table `{}`", table.name))
                .label("not declared with `table`");
            if let Some(h) = did_you_mean(&table.name, self.table_names.keys().map(String::as_str)) {
                e = e.note(h);
            }
            self.error(e);
            return (Node::Const(Value::Bool(false)), Ty::Error);
        };
        let Some(info) = self.tables[t as usize].as_ref() else {
            return (Node::Const(Value::Bool(false)), Ty::Error);
        };
        let (key_ty, value_ty) = (Ty::Enum(info.key), info.value_ty.clone());
        let k = self.expect(ctx, key, &key_ty);
        (Node::Table(t, Box::new(k), base.span.to(key.span)), value_ty)
    }

    fn binary(&mut self, ctx: &mut Ctx, op: BinOp, l: &ast::Expr, r: &ast::Expr, whole: &ast::Expr) -> (Node, Ty) {
        match op {
            BinOp::And | BinOp::Or => {
                let a = Box::new(self.expect(ctx, l, &Ty::Bool));
                let b = Box::new(self.expect(ctx, r, &Ty::Bool));
                let node = if op == BinOp::And {
                    Node::And(a, b)
                } else {
                    Node::Or(a, b)
                };
                (node, Ty::Bool)
            }
            BinOp::Default => {
                let (a, at) = self.expr(ctx, l, None);
                if !matches!(a, Node::Fact(..) | Node::Computed(..)) {
                    self.error(CheckError::new(l.span, "`??` gives a value for an input field (or a computed attribute) that is not known; the left side must be one"));
                }
                let b = self.expect(ctx, r, &at);
                (Node::Default(Box::new(a), Box::new(b)), at)
            }
            BinOp::In | BinOp::NotIn => {
                let (a, at) = self.operand_pair_first(ctx, l, r);
                let list_ty = Ty::List(Box::new(at.clone()));
                let b = self.expect(ctx, r, &list_ty);
                let node = Node::In(Box::new(a), Box::new(b));
                let node = if op == BinOp::NotIn {
                    Node::Not(Box::new(node))
                } else {
                    node
                };
                (node, Ty::Bool)
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => self.compare(ctx, op, l, r, whole),
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => self.arith(ctx, op, l, r, whole),
        }
    }

    /// Types the left operand, using the right one's type as a hint when the
    /// left is a bare enum value (`no == project.in_vision`).
    fn operand_pair_first(&mut self, ctx: &mut Ctx, l: &ast::Expr, r: &ast::Expr) -> (Node, Ty) {
        if self.is_unbound_name(ctx, l) {
            let mut probe = Ctx::new(ctx.scope.clone());
            probe.locals = ctx.locals.clone();
            probe.next_slot = ctx.next_slot;
            probe.mode = ctx.mode;
            let errors = self.errors.len();
            let (_, rt) = self.expr(&mut probe, r, None);
            self.errors.truncate(errors);
            let hint = match rt {
                Ty::List(t) => *t,
                t => t,
            };
            return self.expr(ctx, l, Some(&hint));
        }
        self.expr(ctx, l, None)
    }

    fn is_unbound_name(&self, ctx: &Ctx, e: &ast::Expr) -> bool {
        let ExprKind::Name(id) = &e.kind else { return false };
        let n = id.name.as_str();
        let root = self.schema.root;
        !(ctx.locals.iter().any(|l| l.0 == n)
            || ctx.scope.bindings.iter().any(|b| b.0 == n)
            || ctx
                .scope
                .bindings
                .iter()
                .any(|b| self.computed_names[b.1 as usize].contains_key(n))
            || self.computed_names[root as usize].contains_key(n)
            || self.schema.field_index(root, n).is_some()
            || self.param_names.contains_key(n))
    }

    fn compare(&mut self, ctx: &mut Ctx, op: BinOp, l: &ast::Expr, r: &ast::Expr, whole: &ast::Expr) -> (Node, Ty) {
        let (a, at) = self.operand_pair_first(ctx, l, r);
        let (b, bt) = self.expr(ctx, r, Some(&at));
        let ordered = !matches!(op, BinOp::Eq | BinOp::Ne);
        let ok = match (&at, &bt) {
            (Ty::Error, _) | (_, Ty::Error) => true,
            (x, y) if is_number(x) && is_number(y) => true,
            (Ty::Money, Ty::Money) | (Ty::Date, Ty::Date) | (Ty::FiscalYear, Ty::FiscalYear) => true,
            (x, y) if !ordered => fits(x, y) || fits(y, x),
            _ => false,
        };
        if !ok {
            let what = if ordered { "order" } else { "compare" };
            let msg = format!("cannot {what} {} with {}", self.ty_name(&at), self.ty_name(&bt));
            self.error(CheckError::new(whole.span, msg).label(format!(
                "{} `{}` {}",
                self.ty_name(&at),
                op.symbol(),
                self.ty_name(&bt)
            )));
        }
        let cmp = match op {
            BinOp::Eq => CmpOp::Eq,
            BinOp::Ne => CmpOp::Ne,
            BinOp::Lt => CmpOp::Lt,
            BinOp::Le => CmpOp::Le,
            BinOp::Gt => CmpOp::Gt,
            _ => CmpOp::Ge,
        };
        let info = CmpInfo {
            spans: [l.span, r.span],
            ty: if at == Ty::Error { bt } else { at },
        };
        (Node::Cmp(cmp, Box::new(a), Box::new(b), Box::new(info)), Ty::Bool)
    }

    fn arith(&mut self, ctx: &mut Ctx, op: BinOp, l: &ast::Expr, r: &ast::Expr, whole: &ast::Expr) -> (Node, Ty) {
        let (a, at) = self.expr(ctx, l, None);
        let (b, bt) = self.expr(ctx, r, None);
        use Ty::*;
        let num = |t: &Ty| matches!(t, Int | Ratio);
        let result: Option<(ArithOp, Ty)> = match (op, &at, &bt) {
            (_, Error, _) | (_, _, Error) => Some((ArithOp::Add, Error)),
            (BinOp::Add | BinOp::Sub, Int, Int) => Some((arith_op(op), Int)),
            (BinOp::Add | BinOp::Sub, Money, Money) => Some((arith_op(op), Money)),
            (BinOp::Add | BinOp::Sub, x, y) if num(x) && num(y) => Some((arith_op(op), Ratio)),
            (BinOp::Add, FiscalYear, Int) => Some((ArithOp::FyAdd, FiscalYear)),
            (BinOp::Sub, FiscalYear, Int) => Some((ArithOp::FySub, FiscalYear)),
            (BinOp::Sub, FiscalYear, FiscalYear) => Some((ArithOp::FyDiff, Int)),
            (BinOp::Sub, Date, Date) => Some((ArithOp::DateDiff, Int)),
            (BinOp::Add, List(x), List(y)) if x == y => Some((ArithOp::Concat, at.clone())),
            (BinOp::Mul, Int, Int) => Some((ArithOp::Mul, Int)),
            (BinOp::Mul, Money, y) if num(y) => Some((ArithOp::Mul, Money)),
            (BinOp::Mul, x, Money) if num(x) => Some((ArithOp::Mul, Money)),
            (BinOp::Mul, x, y) if num(x) && num(y) => Some((ArithOp::Mul, Ratio)),
            (BinOp::Div, Money, Money) => Some((ArithOp::Div, Ratio)),
            (BinOp::Div, Money, y) if num(y) => Some((ArithOp::Div, Money)),
            (BinOp::Div, x, y) if num(x) && num(y) => Some((ArithOp::Div, Ratio)),
            _ => None,
        };
        match result {
            Some((aop, ty)) => (Node::Arith(aop, Box::new(a), Box::new(b), whole.span), ty),
            None => {
                let verb = match op {
                    BinOp::Add => "add",
                    BinOp::Sub => "subtract",
                    BinOp::Mul => "multiply",
                    _ => "divide",
                };
                let msg = format!("cannot {verb} {} and {}", self.ty_name(&at), self.ty_name(&bt));
                let label = format!("{} {} {}", self.ty_name(&at), op.symbol(), self.ty_name(&bt));
                self.error(CheckError::new(whole.span, msg).label(label));
                (Node::Const(Value::Bool(false)), Ty::Error)
            }
        }
    }

    fn call(&mut self, ctx: &mut Ctx, f: &ast::Ident, args: &[ast::Expr], whole: &ast::Expr) -> (Node, Ty) {
        if f.name == "present" {
            return self.present(ctx, args, whole);
        }
        if f.name == "status_of" {
            return self.status_of(ctx, args, whole);
        }
        if f.name == "judgment" {
            return self.judgment(ctx, args, whole);
        }
        if f.name == "failed" {
            return self.failed(ctx, args, whole);
        }
        let Some((builtin, arity)) = builtin(&f.name) else {
            let names = BUILTINS.iter().map(|b| b.0);
            let mut e =
                CheckError::new(f.span, format!("unknown function `{}`", f.name)).label("not a built-in function");
            if let Some(h) = did_you_mean(&f.name, names) {
                e = e.note(h);
            }
            self.error(e.note(format!(
                "functions: present, {}",
                BUILTINS.iter().map(|b| b.0).collect::<Vec<_>>().join(", ")
            )));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        };
        if args.len() != arity {
            self.error(CheckError::new(
                whole.span,
                format!("`{}` takes {arity} argument(s), found {}", f.name, args.len()),
            ));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        }
        let typed: Vec<(Node, Ty)> = args.iter().map(|a| self.expr(ctx, a, None)).collect();
        let tys: Vec<&Ty> = typed.iter().map(|t| &t.1).collect();
        let result = self.builtin_type(builtin, &tys);
        let ty = match result {
            Ok(t) => t,
            Err(want) => {
                let found: Vec<String> = tys.iter().map(|t| self.ty_name(t)).collect();
                let msg = format!("`{}` expects {want}, found ({})", f.name, found.join(", "));
                self.error(CheckError::new(whole.span, msg));
                Ty::Error
            }
        };
        (
            Node::Call(builtin, typed.into_iter().map(|t| t.0).collect(), whole.span),
            ty,
        )
    }

    /// `status_of("rule.id")` in a `show`: the status of a top-level rule.
    fn status_of(&mut self, ctx: &mut Ctx, args: &[ast::Expr], whole: &ast::Expr) -> (Node, Ty) {
        if ctx.mode != Mode::Show {
            self.error(CheckError::new(
                whole.span,
                "`status_of` is for `show`s, which see every rule's result",
            ));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        }
        let [arg] = args else {
            self.error(CheckError::new(
                whole.span,
                "`status_of` takes one rule id, as a string",
            ));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        };
        let ExprKind::Lit(Literal::Text(id)) = &arg.kind else {
            self.error(CheckError::new(
                arg.span,
                "write the rule id as a string: `status_of(\"report.late_decision\")`",
            ));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        };
        match self.rule_names.get(id).copied() {
            Some(r) if self.rules[r as usize].scope.entity == self.schema.root => {
                ctx.dep(Step::Rule(r));
                (Node::StatusOf(r), Ty::Enum(RULE_STATUS))
            }
            Some(_) => {
                self.error(CheckError::new(
                    arg.span,
                    format!("`{id}` is a rule of a `for` scope; `status_of` reads top-level rules"),
                ));
                (Node::Const(Value::Bool(false)), Ty::Error)
            }
            None => {
                let mut e = CheckError::new(arg.span, format!("no rule `{id}`")).label("unknown rule");
                if let Some(h) = did_you_mean(id, self.rule_names.keys().map(String::as_str)) {
                    e = e.note(h);
                }
                self.error(e);
                (Node::Const(Value::Bool(false)), Ty::Error)
            }
        }
    }

    /// `judgment("rule.id")`: the reviewer's determination the document
    /// records for a top-level rule (`undecided`, `accepted`, `rejected`). A
    /// fact of the document, not a result: any rule or let may read it, so a
    /// question with two answers (which reading of a clause) can be settled
    /// by the same rules.
    fn judgment(&mut self, ctx: &mut Ctx, args: &[ast::Expr], whole: &ast::Expr) -> (Node, Ty) {
        let bad = (Node::Const(Value::Bool(false)), Ty::Error);
        if matches!(ctx.mode, Mode::Constant | Mode::FactsOnly) {
            self.error(CheckError::new(whole.span, "`judgment` cannot be read here"));
            return bad;
        }
        if self.kind_ast.is_some_and(|k| k.determinations.is_none()) {
            self.error(
                CheckError::new(whole.span, "this kind's documents record no determinations")
                    .note("declare `determinations FIELD` in the kind"),
            );
            return bad;
        }
        let [arg] = args else {
            self.error(CheckError::new(whole.span, "`judgment` takes one rule id, as a string"));
            return bad;
        };
        let ExprKind::Lit(Literal::Text(id)) = &arg.kind else {
            self.error(CheckError::new(
                arg.span,
                "write the rule id as a string: `judgment(\"amount.consumption_tax\")`",
            ));
            return bad;
        };
        match self.rule_names.get(id).copied() {
            Some(r) if self.rules[r as usize].scope.entity == self.schema.root => {
                (Node::Judgment(r), Ty::Enum(JUDGMENT))
            }
            Some(_) => {
                self.error(CheckError::new(
                    arg.span,
                    format!("`{id}` is a rule of a `for` scope; `judgment` reads top-level rules"),
                ));
                bad
            }
            None => {
                let mut e = CheckError::new(arg.span, format!("no rule `{id}`")).label("unknown rule");
                if let Some(h) = did_you_mean(id, self.rule_names.keys().map(String::as_str)) {
                    e = e.note(h);
                }
                self.error(e);
                bad
            }
        }
    }

    /// `failed("applicant.")`: how many top-level rules whose id starts so
    /// have failed: a rule that must not speak when others have decided
    /// (no grant is stated for an application a region rule makes
    /// ineligible). It waits for those rules; a cycle through it is an
    /// error like any other.
    fn failed(&mut self, ctx: &mut Ctx, args: &[ast::Expr], whole: &ast::Expr) -> (Node, Ty) {
        let bad = (Node::Const(Value::Bool(false)), Ty::Error);
        if matches!(ctx.mode, Mode::Constant | Mode::FactsOnly) {
            self.error(CheckError::new(whole.span, "`failed` cannot be read here"));
            return bad;
        }
        let [arg] = args else {
            self.error(CheckError::new(
                whole.span,
                "`failed` takes one prefix of rule ids, as a string",
            ));
            return bad;
        };
        let ExprKind::Lit(Literal::Text(prefix)) = &arg.kind else {
            self.error(CheckError::new(
                arg.span,
                "write the prefix as a string: `failed(\"applicant.\")`",
            ));
            return bad;
        };
        let root = self.schema.root;
        let mut ids: Vec<RuleId> = self
            .rule_names
            .iter()
            .filter(|(id, r)| id.starts_with(prefix.as_str()) && self.rules[**r as usize].scope.entity == root)
            .map(|(_, r)| *r)
            .collect();
        ids.sort_unstable();
        if ids.is_empty() {
            self.error(CheckError::new(
                arg.span,
                format!("no top-level rule id starts with `{prefix}`"),
            ));
            return bad;
        }
        for r in &ids {
            ctx.dep(Step::Rule(*r));
        }
        (Node::Failed(ids), Ty::Int)
    }

    fn present(&mut self, ctx: &mut Ctx, args: &[ast::Expr], whole: &ast::Expr) -> (Node, Ty) {
        let [arg] = args else {
            self.error(CheckError::new(whole.span, "`present` takes one input field"));
            return (Node::Const(Value::Bool(false)), Ty::Error);
        };
        let (n, _) = self.expr(ctx, arg, None);
        if !matches!(n, Node::Fact(..)) {
            self.error(CheckError::new(
                arg.span,
                "`present` tells whether an input field is given: its argument must be an input field",
            ));
        }
        (Node::Present(Box::new(n)), Ty::Bool)
    }

    /// The result type of a built-in, or a description of what it expects.
    fn builtin_type(&self, b: Builtin, args: &[&Ty]) -> Result<Ty, &'static str> {
        use Ty::*;
        let list_of = |t: &Ty| -> Option<Ty> {
            match t {
                List(e) => Some((**e).clone()),
                Error => Some(Error),
                _ => None,
            }
        };
        let numeric = |t: &Ty| matches!(t, Int | Ratio | Money | Error | Nothing);
        match b {
            Builtin::Count => list_of(args[0]).map(|_| Int).ok_or("a list"),
            Builtin::Sum => match list_of(args[0]) {
                Some(Nothing) => Ok(Int),
                Some(t) if numeric(&t) => Ok(t),
                _ => Err("a list of numbers or amounts"),
            },
            Builtin::All | Builtin::Any => match list_of(args[0]) {
                Some(Bool | Error | Nothing) => Ok(Bool),
                _ => Err("a list of conditions"),
            },
            Builtin::Distinct => list_of(args[0]).map(|t| List(Box::new(t))).ok_or("a list"),
            Builtin::Drop => match (list_of(args[0]), args[1]) {
                (Some(t), Int | Error) => Ok(List(Box::new(t))),
                _ => Err("(a list, an int)"),
            },
            Builtin::Abs => match args[0] {
                Int | Ratio | Money | Error => Ok(args[0].clone()),
                _ => Err("a number or an amount"),
            },
            Builtin::Date => match (args[0], args[1], args[2]) {
                (Int | Error, Int | Error, Int | Error) => Ok(Date),
                _ => Err("(a year, a month, a day) as whole numbers"),
            },
            Builtin::YearOf => match args[0] {
                Date | Error => Ok(Int),
                _ => Err("a date"),
            },
            Builtin::Blank => match args[0] {
                Text | Error => Ok(Bool),
                _ => Err("a string"),
            },
            Builtin::Percent => match args[0] {
                Int | Ratio | Error => Ok(Text),
                _ => Err("a ratio"),
            },
            Builtin::Min | Builtin::Max => match (args[0], args[1]) {
                (a, b) if is_number(a) && is_number(b) => Ok(if *a == Int && *b == Int { Int } else { Ratio }),
                (Money, Money) | (Money, Error) | (Error, Money) => Ok(Money),
                (Date, Date) => Ok(Date),
                _ => Err("two values of the same kind (amounts, numbers or dates)"),
            },
            Builtin::Floor | Builtin::Ceil => match (args[0], args[1]) {
                (Money, Money) | (Money, Error) | (Error, Money) => Ok(Money),
                (a, b) if is_number(a) && is_number(b) => Ok(Ratio),
                _ => Err("(an amount, the unit amount) or (a number, the unit)"),
            },
            Builtin::EndOf | Builtin::StartOf => match args[0] {
                FiscalYear | Error => Ok(Date),
                _ => Err("a fiscal year"),
            },
            Builtin::FiscalYearOf => match args[0] {
                Date | Error => Ok(FiscalYear),
                _ => Err("a date"),
            },
            Builtin::AddDays => match (args[0], args[1]) {
                (Date | Error, Int | Error) => Ok(Date),
                _ => Err("(a date, a number of days)"),
            },
            Builtin::SettlementZones | Builtin::CentralUrbanAreas => match (args[0], args[1]) {
                (Municipality | Error, Date | Error) => Ok(List(Box::new(Text))),
                _ => Err("(a municipality, a date)"),
            },
            Builtin::Joined => match (args[0], args[1]) {
                (Text | Error, Municipality | Error) => Ok(List(Box::new(Date))),
                _ => Err("(a region's name, a municipality)"),
            },
            Builtin::LandComponents | Builtin::TouchingComponents | Builtin::PointContacts => match list_of(args[0]) {
                Some(Municipality | Error) => Ok(List(Box::new(List(Box::new(Municipality))))),
                _ => Err("a list of municipalities"),
            },
        }
    }
}

const BUILTINS: [(&str, Builtin, usize); 25] = [
    ("count", Builtin::Count, 1),
    ("sum", Builtin::Sum, 1),
    ("min", Builtin::Min, 2),
    ("max", Builtin::Max, 2),
    ("abs", Builtin::Abs, 1),
    ("date", Builtin::Date, 3),
    ("year_of", Builtin::YearOf, 1),
    ("blank", Builtin::Blank, 1),
    ("percent", Builtin::Percent, 1),
    ("floor", Builtin::Floor, 2),
    ("ceil", Builtin::Ceil, 2),
    ("all", Builtin::All, 1),
    ("any", Builtin::Any, 1),
    ("distinct", Builtin::Distinct, 1),
    ("drop", Builtin::Drop, 2),
    ("end_of", Builtin::EndOf, 1),
    ("start_of", Builtin::StartOf, 1),
    ("fiscal_year_of", Builtin::FiscalYearOf, 1),
    ("add_days", Builtin::AddDays, 2),
    ("land_components", Builtin::LandComponents, 1),
    ("touching_components", Builtin::TouchingComponents, 1),
    ("point_contacts", Builtin::PointContacts, 1),
    ("settlement_zones", Builtin::SettlementZones, 2),
    ("central_urban_areas", Builtin::CentralUrbanAreas, 2),
    ("joined", Builtin::Joined, 2),
];

fn builtin(name: &str) -> Option<(Builtin, usize)> {
    BUILTINS.iter().find(|b| b.0 == name).map(|b| (b.1, b.2))
}

fn arith_op(op: BinOp) -> ArithOp {
    match op {
        BinOp::Add => ArithOp::Add,
        BinOp::Sub => ArithOp::Sub,
        BinOp::Mul => ArithOp::Mul,
        _ => ArithOp::Div,
    }
}

fn literal(l: &Literal) -> (Node, Ty) {
    let (v, t) = match l {
        Literal::Number(n) if n.fract().is_zero() => (Value::Num(*n), Ty::Int),
        Literal::Number(n) | Literal::Percent(n) => (Value::Num(*n), Ty::Ratio),
        Literal::Money(n) => (Value::Num(*n), Ty::Money),
        Literal::Date(d) => (Value::Date(*d), Ty::Date),
        Literal::FiscalYear(y) => (Value::FiscalYear(*y), Ty::FiscalYear),
        Literal::Text(s) => (Value::Text(s.as_str().into()), Ty::Text),
        Literal::Bool(b) => (Value::Bool(*b), Ty::Bool),
    };
    (Node::Const(v), t)
}

/// Folds a constant expression (literals and arithmetic on them).
fn fold(n: &Node) -> Option<Value> {
    match n {
        Node::Const(v) => Some(v.clone()),
        Node::List(items) => Some(Value::list(
            items
                .iter()
                .map(|i| fold(i).map(crate::value::Elem::sure))
                .collect::<Option<Vec<_>>>()?,
        )),
        Node::Neg(x, _) => match fold(x)? {
            Value::Num(d) => Some(Value::Num(-d)),
            _ => None,
        },
        Node::Arith(op, a, b, _) => {
            let (Value::Num(x), Value::Num(y)) = (fold(a)?, fold(b)?) else {
                return None;
            };
            let r = match op {
                ArithOp::Add => x.checked_add(y),
                ArithOp::Sub => x.checked_sub(y),
                ArithOp::Mul => x.checked_mul(y),
                ArithOp::Div if y != Decimal::ZERO => x.checked_div(y),
                _ => None,
            }?;
            Some(Value::Num(r))
        }
        _ => None,
    }
}
