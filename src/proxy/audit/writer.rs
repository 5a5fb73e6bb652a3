//! The trail's one writer: group commit.
//!
//! Every entry begun and every outcome goes through one channel to this task,
//! which takes everything waiting (up to [`BATCH`]) and writes it in one
//! transaction. While a commit is on its way to disk the next batch gathers, so
//! under load each commit carries many updates and the store's cost per update
//! falls. An entry's sender hears once its batch is durable, or that it is not:
//! then its update is refused, never forwarded. Outcomes of a batch that could
//! not be written are tried again with the next batches (at most
//! [`RETRIED_OUTCOMES`] wait so); one that never makes it leaves its entry
//! reading "outcome unknown".

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::store::{Batch, Store};
use super::{AuditError, Completion, Entry};

/// Commands waiting for the writer at most; a handler waits for room.
pub(super) const QUEUE: usize = 8192;
/// Entries and outcomes written in one transaction at most.
const BATCH: usize = 1024;
/// Outcomes kept for another try at most, while the store refuses writes.
const RETRIED_OUTCOMES: usize = 10_000;

pub(super) enum Command {
    /// Write this entry; say when it is durable (or that it is not).
    Begin(Entry, oneshot::Sender<Result<(), AuditError>>),
    /// Write this outcome.
    Complete(Completion),
    /// Write everything before this command, then stop; say when done.
    Close(oneshot::Sender<()>),
}

pub(super) async fn run(store: Arc<dyn Store>, mut commands: mpsc::Receiver<Command>) {
    let mut retried: Vec<Completion> = Vec::new();
    let mut closing = None;
    while closing.is_none() {
        let Some(first) = commands.recv().await else { break };
        let mut batch = Batch::default();
        let mut waiting = Vec::new();
        closing = take(first, &mut batch, &mut waiting);
        while closing.is_none() && batch.begun.len() + batch.completed.len() < BATCH {
            match commands.try_recv() {
                Ok(command) => closing = take(command, &mut batch, &mut waiting),
                Err(_) => break,
            }
        }
        batch.completed.append(&mut retried);
        match store.write(&batch).await {
            Ok(()) => {
                for done in waiting {
                    let _ = done.send(Ok(()));
                }
            }
            Err(err) => {
                let detail = err.to_string();
                tracing::error!(
                    error = %detail,
                    refused = waiting.len(),
                    "audit: the store refused a write; those updates are refused (503), nothing was forwarded"
                );
                for done in waiting {
                    let _ = done.send(Err(AuditError::Unavailable(detail.clone())));
                }
                retried = batch.completed;
                if retried.len() > RETRIED_OUTCOMES {
                    let lost = retried.len() - RETRIED_OUTCOMES;
                    retried.drain(..lost);
                    tracing::warn!(
                        lost,
                        "audit: outcomes given up on; their entries read \"outcome unknown\""
                    );
                }
            }
        }
    }
    if !retried.is_empty() {
        let batch = Batch { begun: Vec::new(), completed: retried };
        if let Err(err) = store.write(&batch).await {
            tracing::warn!(%err, lost = batch.completed.len(), "audit: outcomes not written at shutdown");
        }
    }
    if let Some(done) = closing {
        let _ = done.send(());
    }
}

type Waiting = Vec<oneshot::Sender<Result<(), AuditError>>>;

/// Adds `command` to `batch`; a close request is handed back.
fn take(command: Command, batch: &mut Batch, waiting: &mut Waiting) -> Option<oneshot::Sender<()>> {
    match command {
        Command::Begin(entry, done) => {
            batch.begun.push(entry);
            waiting.push(done);
            None
        }
        Command::Complete(completion) => {
            batch.completed.push(completion);
            None
        }
        Command::Close(done) => Some(done),
    }
}
