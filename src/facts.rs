//! An application turned into facts the rules read: one table of field values
//! per entity (the application, region, members, council, projects, expense
//! lines), in the slot order of [`crate::schema`]. Names are resolved here —
//! municipalities against the reference data, policy fields, exclusions and
//! expense categories against the rules' vocabularies — and anything that does
//! not resolve is an input error naming its JSON path.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::check::normalize;
use crate::model::{Application, InputError, Listing, ProjectKind};
use crate::program::{EXPENSE_CATEGORY, EnumDef, POLICY_FIELD, PROJECT_EXCLUSION, Program};
use crate::reference::{MuniId, hokkaido};
use crate::schema::{self, APPLICATION, COUNCIL, ENTITIES, EXPENSE, EntityId, MEMBER, PROJECT, REGION};
use crate::value::{Elem, Missing, PathId, Value};

pub struct Facts {
    /// entity → instance → field slot → value
    pub rows: Vec<Vec<Vec<Value>>>,
    /// entity → instance → index of the owning entity's instance
    pub parent: Vec<Vec<u32>>,
    /// entity → instance → its JSON path (`projects[1]`)
    pub instance_paths: Vec<Vec<String>>,
    /// The input paths of missing facts, by [`PathId`].
    pub paths: Vec<String>,
    /// Whose fact each missing path is (a member's municipality, a
    /// project's name; empty for the region or the application).
    pub owners: Vec<String>,
}

impl Facts {
    pub fn path(&self, id: PathId) -> &str {
        &self.paths[id as usize]
    }

    pub fn count(&self, entity: EntityId) -> usize {
        self.rows[entity as usize].len()
    }

    /// A field of one entity, by slot (see the slot constants of [`crate::schema`]).
    pub fn field(&self, entity: EntityId, index: u32, slot: usize) -> &Value {
        &self.rows[entity as usize][index as usize][slot]
    }
}

/// Builds the facts of `app` for `program`'s vocabularies.
pub fn build(program: &Program, app: &Application) -> Result<Facts, InputError> {
    let mut b = Builder {
        program,
        facts: Facts {
            rows: vec![Vec::new(); ENTITIES.len()],
            parent: vec![Vec::new(); ENTITIES.len()],
            instance_paths: vec![Vec::new(); ENTITIES.len()],
            paths: Vec::new(),
            owners: Vec::new(),
        },
        owner: String::new(),
    };
    b.application(app)?;
    Ok(b.facts)
}

struct Builder<'p> {
    program: &'p Program,
    facts: Facts,
    /// Whose facts are being built, for the description of missing ones.
    owner: String,
}

fn money(yen: u64) -> Value {
    Value::Num(Decimal::from(yen))
}

fn text(s: &str) -> Value {
    Value::Text(Arc::from(s))
}

fn entity_list(range: std::ops::Range<usize>) -> Value {
    Value::list(range.map(|i| Elem::sure(Value::Entity(i as u32))).collect())
}

impl Builder<'_> {
    /// An absent fact: unknown, with its path recorded for the decision.
    fn missing(&mut self, path: String) -> Value {
        let id = self.facts.paths.len() as PathId;
        self.facts.paths.push(path);
        self.facts.owners.push(self.owner.clone());
        Value::unknown(Missing::one(id))
    }

    fn opt<T>(&mut self, v: Option<T>, path: impl FnOnce() -> String, f: impl FnOnce(T) -> Value) -> Value {
        match v {
            Some(x) => f(x),
            None => self.missing(path()),
        }
    }

    fn push(&mut self, entity: EntityId, parent: u32, path: String, row: Vec<Value>) -> u32 {
        debug_assert_eq!(
            row.len(),
            ENTITIES[entity as usize].fields.len(),
            "schema slots of {}",
            ENTITIES[entity as usize].name
        );
        let e = entity as usize;
        self.facts.rows[e].push(row);
        self.facts.parent[e].push(parent);
        self.facts.instance_paths[e].push(path);
        (self.facts.rows[e].len() - 1) as u32
    }

    fn application(&mut self, app: &Application) -> Result<(), InputError> {
        let region = self.region(app)?;
        let first_project = self.facts.count(PROJECT);
        for (i, p) in app.projects.iter().enumerate() {
            self.project(p, i)?;
        }
        self.owner.clear();
        let projects = entity_list(first_project..self.facts.count(PROJECT));
        let tax = self.opt(
            app.deductible_consumption_tax,
            || "deductible_consumption_tax".into(),
            |y| money(y.0),
        );
        let budget = self.opt(app.budget_allocation, || "budget_allocation".into(), |y| money(y.0));
        let row = vec![
            text("grant-application/v1"),
            Value::FiscalYear(app.fiscal_year.0),
            Value::Entity(region),
            projects,
            tax,
            budget,
        ];
        self.push(APPLICATION, 0, String::new(), row);
        Ok(())
    }

    fn region(&mut self, app: &Application) -> Result<u32, InputError> {
        let r = &app.region;
        let mut members: Vec<MuniId> = Vec::new();
        let first_member = self.facts.count(MEMBER);
        for (i, m) in r.members.iter().enumerate() {
            let path = format!("region.members[{i}]");
            let id = resolve(&m.name, &format!("{path}.name"))?;
            if let Some(j) = members.iter().position(|x| *x == id) {
                let name = hokkaido().name(id);
                return Err(InputError::new(
                    format!("{path}.name"),
                    format!("{name} is listed twice (also region.members[{j}])"),
                    format!("{name} が重複しています（region.members[{j}] と同じ）"),
                ));
            }
            members.push(id);
            self.owner = hokkaido().name(id).to_string();
            let sz = self.opt(m.settlement_zone, || format!("{path}.settlement_zone"), Value::Bool);
            let cua = self.opt(
                m.central_urban_area,
                || format!("{path}.central_urban_area"),
                Value::Bool,
            );
            self.push(MEMBER, 0, path, vec![Value::Municipality(id), sz, cua]);
        }
        self.owner.clear();
        let representative = resolve(&r.representative, "region.representative")?;
        if !members.contains(&representative) {
            let name = hokkaido().name(representative);
            return Err(InputError::new(
                "region.representative",
                format!("the representative {name} is not one of region.members"),
                format!("代表市町村 {name} が region.members に含まれていません"),
            ));
        }
        let council = match &r.council {
            Some(c) => {
                let mut list = Vec::new();
                for (i, name) in c.members.iter().enumerate() {
                    let id = resolve(name, &format!("region.council.members[{i}]"))?;
                    list.push(Elem::sure(Value::Municipality(id)));
                }
                let row = vec![text(&c.name), Value::list(list)];
                Value::Entity(self.push(COUNCIL, 0, "region.council".into(), row))
            }
            None => self.missing("region.council".into()),
        };
        let policy_fields = match &r.policy_fields {
            Some(fields) => {
                let e = self.vocab(POLICY_FIELD);
                Value::list(fields.iter().map(|f| Elem::sure(open_variant(e, f))).collect())
            }
            None => self.missing("region.policy_fields".into()),
        };
        let row = vec![
            text(&r.name),
            Value::Municipality(representative),
            entity_list(first_member..self.facts.count(MEMBER)),
            council,
            self.opt(
                r.agreement_date,
                || "region.agreement_date".into(),
                |d| Value::Date(d.0),
            ),
            self.opt(r.vision_date, || "region.vision_date".into(), |d| Value::Date(d.0)),
            self.opt(
                r.vision_period_years,
                || "region.vision_period_years".into(),
                |y| Value::Num(y.into()),
            ),
            policy_fields,
            self.opt(
                r.first_grant_fiscal_year,
                || "region.first_grant_fiscal_year".into(),
                |y| Value::FiscalYear(y.0),
            ),
        ];
        Ok(self.push(REGION, 0, "region".into(), row))
    }

    /// A vocabulary of the rules, resolved when they loaded.
    fn vocab(&self, which: usize) -> &EnumDef {
        &self.program.enums[self.program.vocab[which] as usize]
    }

    fn project(&mut self, p: &crate::model::Project, i: usize) -> Result<(), InputError> {
        let path = format!("projects[{i}]");
        self.owner = p.name.clone();
        let listing = |l: Listing| match l {
            Listing::Listed => schema::LISTING_LISTED,
            Listing::Planned => schema::LISTING_PLANNED,
            Listing::No => schema::LISTING_NO,
        };
        let in_plan = match p.in_advance_plan {
            Some(l) => Value::Enum(listing(l)),
            None => self.missing(format!("{path}.in_advance_plan")),
        };
        let in_vision = match p.in_vision {
            Some(l) => Value::Enum(listing(l)),
            None => self.missing(format!("{path}.in_vision")),
        };
        let kind = match p.kind {
            Some(ProjectKind::Soft) => Value::Enum(schema::KIND_SOFT),
            Some(ProjectKind::Hard) => Value::Enum(schema::KIND_HARD),
            None => self.missing(format!("{path}.kind")),
        };
        let joint = self.opt(p.joint, || format!("{path}.joint"), Value::Bool);
        let exclusions = match &p.exclusions {
            Some(list) => {
                let e = self.vocab(PROJECT_EXCLUSION);
                let mut out = Vec::new();
                for (j, x) in list.iter().enumerate() {
                    out.push(Elem::sure(closed_variant(
                        e,
                        x,
                        &format!("{path}.exclusions[{j}]"),
                        "exclusion",
                        "除外事由",
                    )?));
                }
                Value::list(out)
            }
            None => self.missing(format!("{path}.exclusions")),
        };
        let flags = Value::list(p.reviewer_flags.iter().map(|f| Elem::sure(text(f))).collect());
        let index = self.facts.count(PROJECT) as u32;
        let first_expense = self.facts.count(EXPENSE);
        for (j, x) in p.expenses.iter().enumerate() {
            let epath = format!("{path}.expenses[{j}]");
            let e = self.vocab(EXPENSE_CATEGORY);
            let category = closed_variant(
                e,
                &x.category,
                &format!("{epath}.category"),
                "expense category",
                "経費区分",
            )?;
            let row = vec![
                text(&x.item),
                category,
                money(x.amount.0),
                Value::Bool(x.temporary_staff.unwrap_or(false)),
                Value::Bool(x.indispensable.unwrap_or(false)),
            ];
            self.push(EXPENSE, index, epath, row);
        }
        let expenses = entity_list(first_expense..self.facts.count(EXPENSE));
        let row = vec![
            text(&p.name),
            in_plan,
            in_vision,
            kind,
            joint,
            exclusions,
            flags,
            expenses,
        ];
        self.push(PROJECT, 0, path, row);
        Ok(())
    }
}

fn resolve(name: &str, path: &str) -> Result<MuniId, InputError> {
    hokkaido()
        .resolve(name)
        .map_err(|e| InputError::new(path, e.to_string(), e.message_ja()))
}

fn find_variant(e: &EnumDef, input: &str) -> Option<u16> {
    let key = normalize(input);
    e.variants
        .iter()
        .position(|v| v.spellings.contains(&key))
        .map(|i| i as u16)
}

/// A value of an open enum: a variant, or the text as written.
fn open_variant(e: &EnumDef, input: &str) -> Value {
    match find_variant(e, input) {
        Some(v) => Value::Enum(v),
        None => Value::Other(Arc::from(input.trim())),
    }
}

/// A value of a closed enum; anything else is an input error listing what is accepted.
fn closed_variant(e: &EnumDef, input: &str, path: &str, what_en: &str, what_ja: &str) -> Result<Value, InputError> {
    find_variant(e, input).map(Value::Enum).ok_or_else(|| {
        let accepted: Vec<String> = e.variants.iter().map(|v| format!("{} ({})", v.code, v.ja)).collect();
        InputError::new(
            path,
            format!("unknown {what_en} {input:?}; accepted: {}", accepted.join(", ")),
            format!("{what_ja}「{input}」はありません（使える値: {}）", accepted.join("、")),
        )
    })
}
