/**
 * Real-time risk control: card transactions joined with account profiles per sliding event-time
 * window, three fraud rules (too many transactions per card, an amount far above the account's
 * usual, too many places per card) and an explicit alert for transactions whose account has no
 * profile in the window, with the plain-Java reference model {@link
 * dev.sluice.pipelines.risk.RiskControlModel}. Depends on {@code dev.sluice.pipelines.io} and the
 * transforms library only.
 */
package dev.sluice.pipelines.risk;
