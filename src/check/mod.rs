//! Checks the parsed rule files of one document kind and compiles them into
//! a [`Program`]: the kind and the shape of its input are built from their
//! declarations (`kind`, `entity`), every name is resolved (sources,
//! parameters, enums, tables, input fields, computed attributes, rules),
//! every expression is typed, and the evaluation order is fixed. All of this
//! happens when the rules load, before any document is read, so a rule that
//! adds money to a date or names a field the input does not have never
//! reaches a decision.

mod declare;
mod error;
mod expr;
mod plan;
mod quote;
mod scope;
mod show;
mod trace;

pub use crate::text::did_you_mean;
pub use error::CheckError;
pub use trace::article_key;

use std::collections::HashMap;
use std::sync::Arc;

use crate::program::*;
use crate::schema::{EntityId, EnumId, Schema};
use crate::source::{SourceMap, Span};
use crate::syntax::ast;
use crate::text::{Text, key};

/// The `for` variables bound around a declaration, outermost first, and the
/// entity whose scope it is (the last binding's entity, or the root).
#[derive(Clone, Debug)]
pub(crate) struct Scope {
    pub entity: EntityId,
    pub bindings: Vec<(String, EntityId)>,
}

pub(crate) enum LetState {
    Pending,
    Done {
        ty: Ty,
        node: Node,
        explain: Option<(Message, Option<Citation>)>,
        label: Option<Box<Text>>,
        frame: u32,
        deps: Vec<Step>,
    },
    Failed,
}

pub(crate) struct LetDecl<'a> {
    pub ast: &'a ast::LetDef,
    pub scope: Arc<Scope>,
    pub slot: Slot,
}

pub(crate) struct RuleDecl<'a> {
    pub ast: &'a ast::Rule,
    pub scope: Arc<Scope>,
    /// How many lets were declared before it (it may read only those).
    pub lets_before: usize,
}

pub(crate) struct ShowDecl<'a> {
    pub ast: &'a ast::ShowDef,
    pub scope: Arc<Scope>,
    pub lets_before: usize,
    /// The group it belongs to (top-level only).
    pub group: Option<&'a ast::GroupDef>,
}

pub(crate) struct EntryDecl<'a> {
    pub ast: &'a ast::EntryDef,
    pub scope: Arc<Scope>,
    pub lets_before: usize,
}

pub(crate) struct Checker<'a> {
    pub errors: Vec<CheckError>,
    /// The kind folder's name (`change`).
    pub kind_name: String,
    pub kind_ast: Option<&'a ast::KindDef>,
    pub sources: HashMap<String, SourceId>,
    pub docs: Vec<SourceDoc>,
    pub enums: Vec<EnumDef>,
    pub enum_names: HashMap<String, EnumId>,
    pub entity_asts: Vec<&'a ast::EntityDecl>,
    pub entity_names: HashMap<String, EntityId>,
    pub schema: Schema,
    pub param_names: HashMap<String, ParamId>,
    pub param_asts: Vec<&'a ast::Param>,
    pub params: Vec<Option<Param>>,
    pub table_names: HashMap<String, TableId>,
    pub table_asts: Vec<&'a ast::Table>,
    pub tables: Vec<Option<Table>>,
    /// Per entity: computed attribute names → slot.
    pub computed_names: Vec<HashMap<String, Slot>>,
    /// Per entity: slot → let index (None for the status slot).
    pub computed_lets: Vec<Vec<Option<LetId>>>,
    pub lets: Vec<LetDecl<'a>>,
    pub let_state: Vec<LetState>,
    /// While a let, rule or show is checked: how many lets it may read.
    pub lets_visible: usize,
    pub rules: Vec<RuleDecl<'a>>,
    pub rule_names: HashMap<String, RuleId>,
    pub shows: Vec<ShowDecl<'a>>,
    pub entries: Vec<EntryDecl<'a>>,
    /// The kind names a root entity that exists.
    pub root_ok: bool,
    /// Every citation, resolved (`trace`).
    pub citations: Vec<Cited>,
}

/// Checks and compiles the parsed files of the kind in folder `kind_name`
/// (the `common/` files first). On failure the sources come back with the
/// errors, to render them.
pub fn check(
    sources: SourceMap,
    files: &[ast::File],
    kind_name: &str,
) -> Result<Program, (SourceMap, Vec<CheckError>)> {
    let mut c = Checker::new(kind_name);
    for file in files {
        c.declare(&file.items, true);
    }
    c.trace(&sources, files);
    c.build_schema();
    if !c.root_ok {
        // Without a document to read, nothing else can be checked.
        c.check_kind(&sources);
        return Err((sources, c.errors));
    }
    let root = Arc::new(Scope {
        entity: c.schema.root,
        bindings: Vec::new(),
    });
    c.check_params();
    c.check_tables();
    for file in files {
        c.collect(&file.items, &root);
    }
    c.add_status_slots();
    for id in 0..c.lets.len() {
        c.check_let(id as LetId);
    }
    let rules: Vec<Option<(Rule, Vec<Step>)>> = (0..c.rules.len()).map(|i| c.check_rule(i)).collect();
    let kind = c.check_kind(&sources);
    let (shows, entries) = c.check_decision();
    if !c.errors.is_empty() {
        return Err((sources, c.errors));
    }
    match kind {
        Some(kind) => c.finish(sources, kind, rules, entries, shows),
        None => Err((sources, c.errors)),
    }
}

impl<'a> Checker<'a> {
    fn new(kind_name: &str) -> Self {
        let mut c = Checker {
            errors: Vec::new(),
            kind_name: kind_name.to_string(),
            kind_ast: None,
            sources: HashMap::new(),
            docs: Vec::new(),
            enums: Vec::new(),
            enum_names: HashMap::new(),
            entity_asts: Vec::new(),
            entity_names: HashMap::new(),
            schema: Schema::default(),
            param_names: HashMap::new(),
            param_asts: Vec::new(),
            params: Vec::new(),
            table_names: HashMap::new(),
            table_asts: Vec::new(),
            tables: Vec::new(),
            computed_names: Vec::new(),
            computed_lets: Vec::new(),
            lets: Vec::new(),
            let_state: Vec::new(),
            lets_visible: 0,
            rules: Vec::new(),
            rule_names: HashMap::new(),
            shows: Vec::new(),
            entries: Vec::new(),
            root_ok: false,
            citations: Vec::new(),
        };
        let verdict =
            [("pass", "適合"), ("fail", "不適合"), ("review", "要審査")].map(|(v, ja)| variant(v, ja, v, &[]));
        c.add_enum("Verdict", false, verdict.to_vec());
        let status = [
            ("pass", "適合"),
            ("fail", "不適合"),
            ("review", "要審査"),
            ("unknown", "判断不可"),
            ("not_applicable", "該当なし"),
        ]
        .map(|(v, ja)| variant(v, ja, v, &[]));
        c.add_enum("RuleStatus", false, status.to_vec());
        let judgment = [
            ("undecided", "未判断"),
            ("accepted", "認める"),
            ("rejected", "認めない"),
        ]
        .map(|(v, ja)| variant(v, ja, v, &[]));
        c.add_enum("ReviewerJudgment", false, judgment.to_vec());
        c
    }

    pub(crate) fn error(&mut self, e: CheckError) {
        self.errors.push(e);
    }

    pub(crate) fn add_enum(&mut self, name: &str, open: bool, variants: Vec<Variant>) -> EnumId {
        let id = self.enums.len() as EnumId;
        self.enums.push(EnumDef {
            name: name.to_string(),
            open,
            variants,
            label: None,
            help: None,
            ambiguous: Vec::new(),
        });
        self.enum_names.insert(name.to_string(), id);
        id
    }

    pub(crate) fn ty_name(&self, t: &Ty) -> String {
        t.name(&self.enums, &self.schema)
    }

    /// A label: a text in both languages without `{…}` holes.
    pub(crate) fn plain(&mut self, m: &ast::LangPair) -> Text {
        let flat = |t: &ast::Template| -> Option<String> {
            t.pieces
                .iter()
                .map(|p| match p {
                    ast::Piece::Text(s) => Some(s.clone()),
                    ast::Piece::Hole(..) => None,
                })
                .collect()
        };
        match (flat(&m.ja), flat(&m.en)) {
            (Some(ja), Some(en)) => Text::new(ja, en),
            _ => {
                self.error(CheckError::new(
                    m.span,
                    "a label is plain text: it cannot show values with `{…}`",
                ));
                Text::default()
            }
        }
    }

    pub(crate) fn citation(&mut self, c: &ast::Citation) -> Citation {
        let source = match self.sources.get(&c.source.name) {
            Some(s) => *s,
            None => {
                let mut e = CheckError::new(c.source.span, format!("unknown source `{}`", c.source.name))
                    .label("not declared with `source`");
                if let Some(h) = did_you_mean(&c.source.name, self.sources.keys().map(String::as_str)) {
                    e = e.note(h);
                }
                self.error(e);
                0
            }
        };
        Citation {
            source,
            article: c.article.clone(),
        }
    }

    /// Reports documentation items given twice.
    pub(crate) fn repeated(&mut self, what: &str, items: &[(&'static str, Span)]) {
        for (item, span) in items {
            let hint = match *item {
                "cite" => "cite the first article with `cite` and further ones with `also SOURCE \"article\"`",
                "summary" | "text" | "label" => "one is shown: merge them into one",
                "applies" => "combine the conditions into one `applies when … and …`",
                "effective" => "one period per rule: split the rule into one per period",
                _ => "give it once",
            };
            self.error(
                CheckError::new(*span, format!("{what} has a second `{item}`"))
                    .label("given again here")
                    .note(hint),
            );
        }
    }

    fn finish(
        mut self,
        sources: SourceMap,
        kind: Kind,
        rules: Vec<Option<(Rule, Vec<Step>)>>,
        entries: Vec<(EntityId, Entry, Vec<Step>)>,
        shows: Vec<ShowItem>,
    ) -> Result<Program, (SourceMap, Vec<CheckError>)> {
        let mut lets = Vec::new();
        let mut let_deps = Vec::new();
        for (id, decl) in self.lets.iter().enumerate() {
            if let LetState::Done {
                ty,
                node,
                explain,
                label,
                frame,
                deps,
            } = &self.let_state[id]
            {
                lets.push(Let {
                    name: decl.ast.name.name.clone(),
                    entity: decl.scope.entity,
                    slot: decl.slot,
                    node: node.clone(),
                    ty: ty.clone(),
                    output: decl.ast.output,
                    explain: explain.clone(),
                    label: label.as_deref().cloned(),
                    frame_size: *frame,
                    span: decl.ast.span,
                    formula: decl.ast.value_text.as_str().into(),
                    params: Vec::new(),
                });
                let_deps.push(deps.clone());
            }
        }
        let (mut rules, rule_deps): (Vec<Rule>, Vec<Vec<Step>>) = rules.into_iter().flatten().unzip();
        let cite = |c: &Citation| -> std::sync::Arc<str> {
            format!("{} {}", self.docs[c.source as usize].name, c.article).into()
        };
        for p in self.params.iter_mut().flatten() {
            for v in &mut p.versions {
                v.citation = v.cite.as_ref().map(cite);
            }
            p.shown = ParamShown {
                name: p.name.as_str().into(),
                label: Arc::new(p.label.clone().unwrap_or_default()),
                citation: p.cite.as_ref().map(cite),
            };
        }
        for r in &mut rules {
            r.location = sources.location(r.span).into();
            r.cite_text = cite(&r.cite);
            r.also_texts = r.also.iter().map(cite).collect();
            for c in &mut r.clauses {
                c.location = sources.location(c.span).into();
                c.cite_text = c.cite.as_ref().map(cite);
            }
        }
        let n = self.schema.entities.len();
        let mut entities: Vec<EntityInfo> = (0..n)
            .map(|e| EntityInfo {
                status_slot: self.computed_names[e].get("status").copied(),
                ..EntityInfo::default()
            })
            .collect();
        for (e, slots) in self.computed_lets.iter().enumerate() {
            for l in slots {
                entities[e].computed.push(match l {
                    Some(id) => Computed {
                        name: lets[*id as usize].name.clone(),
                        ty: lets[*id as usize].ty.clone(),
                        kind: ComputedKind::Let(*id),
                    },
                    None => Computed {
                        name: "status".into(),
                        ty: Ty::Enum(VERDICT),
                        kind: ComputedKind::Status,
                    },
                });
            }
        }
        for (i, l) in lets.iter().enumerate() {
            entities[l.entity as usize].lets.push(i as LetId);
        }
        for (i, r) in rules.iter().enumerate() {
            entities[r.entity as usize].rules.push(i as RuleId);
        }
        for decl in &self.lets {
            entities[decl.scope.entity as usize].binding_depth = decl.scope.bindings.len() as u32;
        }
        for decl in &self.rules {
            entities[decl.scope.entity as usize].binding_depth = decl.scope.bindings.len() as u32;
        }
        for decl in &self.entries {
            entities[decl.scope.entity as usize].binding_depth = decl.scope.bindings.len() as u32;
        }
        let mut entry_deps: HashMap<EntityId, Vec<Step>> = HashMap::new();
        for (e, entry, deps) in entries {
            entities[entry.parent as usize].children.push(e);
            entry_deps.insert(e, deps);
            entities[e as usize].entry = Some(entry);
        }
        let entity_names: Vec<&str> = self.schema.entities.iter().map(|e| e.name.as_str()).collect();
        let graph = plan::Graph {
            lets: &lets,
            let_deps: &let_deps,
            rules: &rules,
            rule_deps: &rule_deps,
            entities: &entities,
            entry_deps: &entry_deps,
            entity_names: &entity_names,
        };
        let plan = match plan::order(&graph, &sources) {
            Ok(p) => p,
            Err(e) => return Err((sources, vec![e])),
        };
        let (let_params, rule_params) = params_read(&plan, &lets, &let_deps, &rules, &rule_deps);
        for (l, ps) in lets.iter_mut().zip(let_params) {
            l.params = ps;
        }
        for (r, ps) in rules.iter_mut().zip(rule_params) {
            r.params = ps;
        }
        let mut params_used = vec![false; self.params.len()];
        let mut mark = |n: &Node| {
            if let Node::Param(p) = n {
                params_used[*p as usize] = true;
            }
        };
        for l in &lets {
            l.node.walk(&mut mark);
            l.explain
                .iter()
                .flat_map(|(m, _)| m.nodes())
                .for_each(|n| n.walk(&mut mark));
        }
        rules.iter().flat_map(Rule::nodes).for_each(|n| n.walk(&mut mark));
        let mut program = Program {
            sha256: sources.sha256(),
            sources,
            kind,
            schema: self.schema,
            docs: self.docs,
            params: self.params.into_iter().flatten().collect(),
            enums: self.enums,
            tables: self.tables.into_iter().flatten().collect(),
            entities,
            lets,
            rules,
            plan,
            shows,
            params_used,
            citations: self.citations,
        };
        let show_nodes: Vec<Node> = program.all_shows().flat_map(|s| s.nodes().cloned()).collect();
        let mut judged = Vec::new();
        let mut look = |n: &Node| {
            if let Node::Judgment(r) = n {
                judged.push(*r);
            }
        };
        for n in &show_nodes {
            n.walk(&mut |n: &Node| {
                if let Node::Param(p) = n {
                    program.params_used[*p as usize] = true;
                }
            });
            n.walk(&mut look);
        }
        program.lets.iter().for_each(|l| l.node.walk(&mut look));
        program
            .rules
            .iter()
            .flat_map(Rule::nodes)
            .for_each(|n| n.walk(&mut look));
        for r in judged {
            program.rules[r as usize].judged = true;
        }
        Ok(program)
    }
}

/// The parameters each let and each rule reads, directly or through the
/// lets it reads (not through an entity's status: a rule not in force
/// counts for nothing there). Found in plan order, so each step's
/// dependencies are known before it.
fn params_read(
    plan: &[Step],
    lets: &[Let],
    let_deps: &[Vec<Step>],
    rules: &[Rule],
    rule_deps: &[Vec<Step>],
) -> (Vec<Vec<ParamId>>, Vec<Vec<ParamId>>) {
    fn direct<'n>(nodes: impl Iterator<Item = &'n Node>, out: &mut Vec<ParamId>) {
        for n in nodes {
            n.walk(&mut |n: &Node| {
                if let Node::Param(p) = n {
                    out.push(*p);
                }
            });
        }
    }
    let mut of_let: Vec<Vec<ParamId>> = vec![Vec::new(); lets.len()];
    let mut of_rule: Vec<Vec<ParamId>> = vec![Vec::new(); rules.len()];
    for step in plan {
        let (mut ps, deps) = match *step {
            Step::Let(i) => {
                let l = &lets[i as usize];
                let mut ps = Vec::new();
                direct(std::iter::once(&l.node), &mut ps);
                (ps, &let_deps[i as usize])
            }
            Step::Rule(i) => {
                let mut ps = Vec::new();
                direct(rules[i as usize].nodes().into_iter(), &mut ps);
                (ps, &rule_deps[i as usize])
            }
            Step::Status(_) => continue,
        };
        for d in deps {
            if let Step::Let(j) = d {
                ps.extend(of_let[*j as usize].iter().copied());
            }
        }
        ps.sort_unstable();
        ps.dedup();
        match *step {
            Step::Let(i) => of_let[i as usize] = ps,
            Step::Rule(i) => of_rule[i as usize] = ps,
            Step::Status(_) => {}
        }
    }
    (of_let, of_rule)
}

/// An enum variant with every spelling an input may use.
pub(crate) fn variant(code: &str, ja: &str, en: &str, aliases: &[&str]) -> Variant {
    let mut spellings: Vec<String> = [code, ja, en].iter().chain(aliases).map(|s| key(s)).collect();
    spellings.sort();
    spellings.dedup();
    Variant {
        code: code.to_string(),
        ja: ja.to_string(),
        en: en.to_string(),
        spellings,
    }
}
