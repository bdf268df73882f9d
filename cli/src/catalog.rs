//! The endpoint catalog the commands come from (`schemas/endpoints.toml`, built in), and the look-ups that turn
//! `qps <module> <entity> <action>` into a catalog entry or an error listing what exists.

use std::sync::OnceLock;

pub use qps_codegen::qps::catalog::{
    Action, BodyKind, Catalog, Entity, Filter, FilterType, IdRule, Method, Operator, ResponseKind,
};

use crate::error::CliError;

/// The bundled catalog, parsed once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::from_str_at(
            include_str!("../../schemas/endpoints.toml"),
            "schemas/endpoints.toml",
        )
        .expect("the bundled endpoint catalog is valid (checked by the generator's tests)")
    })
}

/// The modules, in catalog order, without repeats.
pub fn modules(catalog: &Catalog) -> Vec<&str> {
    let mut modules: Vec<&str> = Vec::new();
    for entity in &catalog.entities {
        if !modules.contains(&entity.module.as_str()) {
            modules.push(&entity.module);
        }
    }
    modules
}

/// The entity `module/name`, or a usage error naming the modules or entities that exist.
pub fn find_entity<'c>(
    catalog: &'c Catalog,
    module: &str,
    name: &str,
) -> Result<&'c Entity, CliError> {
    if !catalog.entities.iter().any(|e| e.module == module) {
        return Err(CliError::usage(format!(
            "unknown module `{module}`; the modules are: {}",
            modules(catalog).join(", ")
        )));
    }
    catalog.entity(module, name).ok_or_else(|| {
        let names: Vec<&str> = catalog
            .entities
            .iter()
            .filter(|e| e.module == module)
            .map(|e| e.name.as_str())
            .collect();
        CliError::usage(format!(
            "unknown entity `{name}` in module `{module}`; its entities are: {}",
            names.join(", ")
        ))
    })
}

/// The action `name` of `entity`, or a usage error naming its actions.
pub fn find_action<'c>(entity: &'c Entity, name: &str) -> Result<&'c Action, CliError> {
    entity.action(name).ok_or_else(|| {
        CliError::usage(format!(
            "unknown action `{name}` for {}/{}; its actions are: {}",
            entity.module,
            entity.name,
            action_names(entity).join(", ")
        ))
    })
}

/// The names of an entity's actions, in catalog order.
pub fn action_names(entity: &Entity) -> Vec<&str> {
    entity.actions.iter().map(|a| a.name.as_str()).collect()
}

/// Every command the catalog defines, one `module entity action` line each: what `qps commands` prints.
pub fn command_lines(catalog: &Catalog) -> Vec<String> {
    let mut lines = Vec::new();
    for entity in &catalog.entities {
        for action in &entity.actions {
            let id = match action.id {
                IdRule::None => "",
                IdRule::Optional => " [ID]",
                IdRule::Required => " ID",
            };
            let path = match action.id {
                IdRule::None => action.path(entity, None),
                IdRule::Optional => format!("{}[/{{id}}]", action.path(entity, None)),
                IdRule::Required => action.path(entity, Some("{id}")),
            };
            lines.push(format!(
                "{} {} {}{id}\t{} {path}",
                entity.module,
                entity.name,
                action.name,
                action.method(),
            ));
        }
    }
    lines
}
