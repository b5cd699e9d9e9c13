/**
 * The ledger: event sourcing and CQRS. Commands ({@link dev.sluice.pipelines.ledger.LedgerCommand})
 * are checked against the current state ({@link dev.sluice.pipelines.ledger.Ledger}) and, if
 * accepted, become events ({@link dev.sluice.pipelines.ledger.LedgerEvent}) appended to an event
 * log, the source of truth; refused ones become {@link dev.sluice.pipelines.ledger.Rejection}s with
 * their reason. A read model (balances, history) is a fold of the log, rebuilt by replaying it.
 * {@link dev.sluice.pipelines.ledger.LedgerModel} is the plain-Java reference of both.
 */
package dev.sluice.pipelines.ledger;
