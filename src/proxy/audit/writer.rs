//! Group commit, in two stages.
//!
//! ```text
//! handlers ─ begin ─▶ collector (one per serving thread) ─ batch ─▶ writer ─▶ store
//!          ◀ durable ─┘                                  ◀ written ┘
//! handlers ─ outcome ────────────────────────────────────────────▶ writer
//! ```
//!
//! A handler hands its entry to its own thread's **collector**, which takes
//! everything its thread has waiting and sends it on as one batch: waking
//! another thread costs more than writing a row, so it happens once a batch,
//! not once an update. The **writer** takes every batch waiting (and every
//! outcome) and writes them in one transaction. While a commit is on its way
//! to disk the next batches gather, so under load each commit carries many
//! updates. An entry's handler hears once its batch is durable, or that it is
//! not: then its update is refused, never forwarded. Outcomes go straight to
//! the writer (they wait for nothing, and must not be lost with a serving
//! thread that stops); those of a batch that could not be written are tried
//! again with the next batches (at most [`RETRIED_OUTCOMES`] wait so); one
//! that never makes it leaves its entry reading "outcome unknown".

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use super::store::{Batch, Store};
use super::{AuditError, Completion, Entry};

/// Messages waiting for the writer at most; a collector waits for room.
pub(super) const QUEUE: usize = 8192;
/// Entries and outcomes written in one transaction at most.
const BATCH: usize = 2048;
/// Entries a collector sends on in one batch at most.
const COLLECTED: usize = 512;
/// Outcomes kept for another try at most, while the store refuses writes.
const RETRIED_OUTCOMES: usize = 10_000;

/// Whether the entries of a batch are durable.
pub(super) type Written = Result<(), AuditError>;

/// What the writer is sent.
pub(super) enum Command {
    /// Write these entries; say when they are durable (or that they are not).
    Begin(Vec<Entry>, oneshot::Sender<Written>),
    /// Write this outcome.
    Complete(Completion),
    /// Write everything before this command, then stop; say when done.
    Close(oneshot::Sender<()>),
}

/// An entry waiting in a collector, with its handler's answer.
pub(super) struct Pending(pub Entry, pub oneshot::Sender<Written>);

/// One serving thread's collector: runs on that thread's runtime until the
/// runtime stops or the writer is gone.
pub(super) async fn collect(mut pending: mpsc::Receiver<Pending>, writer: mpsc::Sender<Command>) {
    while let Some(first) = pending.recv().await {
        let Pending(entry, done) = first;
        let (mut entries, mut waiting) = (vec![entry], vec![done]);
        while waiting.len() < COLLECTED {
            match pending.try_recv() {
                Ok(Pending(entry, done)) => {
                    entries.push(entry);
                    waiting.push(done);
                }
                Err(_) => break,
            }
        }
        let (done, written) = oneshot::channel();
        let result = match writer.send(Command::Begin(entries, done)).await {
            Ok(()) => written.await.unwrap_or_else(|_| Err(stopped())),
            Err(_) => Err(stopped()),
        };
        for done in waiting {
            let _ = done.send(
                result.as_ref().map(|_| ()).map_err(|err| AuditError::Unavailable(err.to_string())),
            );
        }
    }
}

pub(super) fn stopped() -> AuditError {
    AuditError::Unavailable("the audit writer has stopped".to_owned())
}

/// The writer: writes what the collectors send, `concurrency` transactions
/// at a time (one for SQLite, whose writes take turns anyway; several for
/// PostgreSQL, whose round trips would otherwise leave it idle). Outcomes
/// only ever complete entries already durable (a handler sends its outcome
/// after its entry's batch was written), so concurrent batches never race.
pub(super) async fn run(
    store: Arc<dyn Store>,
    mut commands: mpsc::Receiver<Command>,
    concurrency: usize,
) {
    let mut retried: Vec<Completion> = Vec::new();
    let mut writing: JoinSet<(Written, Vec<oneshot::Sender<Written>>, Vec<Completion>)> =
        JoinSet::new();
    let mut closing = None;
    loop {
        // Wait for room (a write to finish) or for work.
        let command = if writing.len() >= concurrency.max(1) {
            settle(writing.join_next().await, &mut retried);
            continue;
        } else {
            tokio::select! {
                finished = writing.join_next(), if !writing.is_empty() => {
                    settle(finished, &mut retried);
                    continue;
                }
                command = commands.recv() => command,
            }
        };
        let Some(first) = command else { break };
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
        if !(batch.begun.is_empty() && batch.completed.is_empty()) {
            let store = Arc::clone(&store);
            writing.spawn(async move {
                let written = store
                    .write(&batch)
                    .await
                    .map_err(|err| AuditError::Unavailable(err.to_string()));
                (written, waiting, batch.completed)
            });
        }
        if closing.is_some() {
            break;
        }
    }
    while let Some(finished) = writing.join_next().await {
        settle(Some(finished), &mut retried);
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

type Finished =
    Result<(Written, Vec<oneshot::Sender<Written>>, Vec<Completion>), tokio::task::JoinError>;

/// Tells a finished write's senders how it went; keeps the outcomes of a
/// failed one for the next batches.
fn settle(finished: Option<Finished>, retried: &mut Vec<Completion>) {
    let Some(Ok((written, waiting, completed))) = finished else { return };
    match written {
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
            retried.extend(completed);
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

type Waiting = Vec<oneshot::Sender<Written>>;

/// Adds `command` to `batch`; a close request is handed back.
fn take(command: Command, batch: &mut Batch, waiting: &mut Waiting) -> Option<oneshot::Sender<()>> {
    match command {
        Command::Begin(entries, done) => {
            batch.begun.extend(entries);
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
