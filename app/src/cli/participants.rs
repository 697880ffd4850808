//! `storyloom participants` and `participant ...`: listing participants,
//! importing them from a CSV, and describing them with typed attributes.

use super::{open, print_json};
use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::PathBuf;
use storyloom_project::AttributeKind;
use storyloom_project::Command as Cmd;

#[derive(Args)]
pub struct ParticipantsArgs {
    project: PathBuf,
    #[arg(long, value_name = "CSV")]
    import: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum ParticipantCommand {
    /// Add a participant by the study's id.
    Add {
        project: PathBuf,
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        pseudonym: Option<String>,
    },
    /// Change a participant's name or pseudonym.
    Edit {
        project: PathBuf,
        participant: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        pseudonym: Option<String>,
    },
    /// Define an attribute: text, number, date or choice (with --choices a,b,c).
    Attribute {
        project: PathBuf,
        name: String,
        kind: String,
        #[arg(long, value_delimiter = ',')]
        choices: Vec<String>,
    },
    /// Set an attribute of a participant (checked against its type; "" clears it).
    Set {
        project: PathBuf,
        participant: String,
        attribute: String,
        value: String,
    },
}

pub fn run_participants(
    ParticipantsArgs {
        project,
        import,
        json,
    }: ParticipantsArgs,
) -> Result<()> {
    let mut p = open(&project)?;
    if let Some(csv) = import {
        let r = p
            .apply(Cmd::ImportParticipantsCsv {
                path: csv.to_path_buf(),
            })?
            .participants_imported()?;
        if json {
            print_json(&r)?;
            return Ok(());
        }
        println!(
            "{}: {} new, {} updated, attributes: {}",
            csv.display(),
            r.created.len(),
            r.updated.len(),
            r.attributes.join(", ")
        );
        for l in &r.linked {
            println!("  linked {l}");
        }
        for rej in &r.rejected {
            println!("  skipped {rej}");
        }
        return Ok(());
    }
    let people = p.participants()?;
    if json {
        print_json(&json!({ "attributes": p.attributes()?, "participants": people }))?;
    } else {
        for person in people {
            let attrs: Vec<String> = person
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            println!(
                "{:<6} {:<12} {}  [{}]",
                person.id,
                person.pseudonym.unwrap_or_default(),
                attrs.join(" "),
                person.documents.join(", ")
            );
        }
    }
    Ok(())
}

pub fn run_participant(cmd: ParticipantCommand) -> Result<()> {
    match cmd {
        ParticipantCommand::Add {
            project,
            id,
            name,
            pseudonym,
        } => {
            open(&project)?
                .apply(Cmd::CreateParticipant {
                    ident: id.to_owned(),
                    name: name.clone(),
                    pseudonym: pseudonym.clone(),
                })?
                .id()?;
            println!("added participant {id}");
        }
        ParticipantCommand::Edit {
            project,
            participant,
            name,
            pseudonym,
        } => {
            let mut p = open(&project)?;
            let current = p
                .participants()?
                .into_iter()
                .find(|x| {
                    x.id.eq_ignore_ascii_case(&participant)
                        || x.pseudonym.as_deref() == Some(participant.as_str())
                })
                .ok_or_else(|| anyhow::anyhow!("no participant matches '{participant}'"))?;
            p.apply(Cmd::EditParticipantFields {
                participant: current.id.to_owned(),
                name: name.clone(),
                pseudonym: pseudonym.clone(),
            })?;
            println!("edited participant {}", current.id);
        }
        ParticipantCommand::Attribute {
            project,
            name,
            kind,
            choices,
        } => {
            let k = AttributeKind::parse(&kind.to_lowercase()).ok_or_else(|| {
                anyhow::anyhow!("'{kind}' is not a type: text, number, date or choice")
            })?;
            open(&project)?.apply(Cmd::DefineAttribute {
                name: name.to_owned(),
                kind: k,
                choices: choices.to_vec(),
            })?;
            println!("attribute {name} is a {}", k.as_str());
        }
        ParticipantCommand::Set {
            project,
            participant,
            attribute,
            value,
        } => {
            open(&project)?.apply(Cmd::SetAttribute {
                participant: participant.to_owned(),
                attribute: attribute.to_owned(),
                value: value.to_owned(),
            })?;
            println!("{participant}: {attribute} = {value}");
        }
    }
    Ok(())
}
